"""Worker processes fed in small chunks, with a bound on the work in flight.

`Workers` is a process pool on all cores (or no pool at all: `workers=0` runs every chunk in
the calling process, for debugging). `Batches` hands items to a function in chunks, keeps no
more than a few chunks per worker in flight, and passes results back in submission order, so
what a build writes does not depend on which worker finished first.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor

IN_FLIGHT_PER_WORKER = 3
PR_SET_PDEATHSIG = 1        # Linux prctl: a signal for this process when its parent dies


def _start_worker(fds: tuple[int, ...], parent: int) -> None:
    """In each worker: drop the parent's descriptors, and die with the parent (a build killed
    by SIGKILL or SIGTERM must not leave workers of hundreds of MB running)."""
    for fd in fds:
        os.close(fd)
    with contextlib.suppress(OSError, AttributeError):   # not Linux: they end with their queue
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:          # the parent died before prctl took effect
        os._exit(1)


class Workers:
    """A process pool on all cores, or none (`workers=0`: everything runs in this process)."""

    def __init__(self, workers: int | None, close_fds: tuple[int, ...] = ()):
        self.count = (os.cpu_count() or 1) if workers is None else workers
        self.close_fds = close_fds       # the parent's, not to be held by forked workers
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, fn: Callable, items: list) -> Future:
        if self.count == 0:
            future: Future = Future()
            future.set_result(fn(items))
            return future
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.count, initializer=_start_worker,
                                            initargs=(self.close_fds, os.getpid()))
        return self.pool.submit(fn, items)


class Batches:
    """Hands items to `fn` in chunks, a few chunks per worker in flight, and passes the results
    to `done` in submission order (so rows and their ids come out the same on every build)."""

    def __init__(self, workers: Workers, fn: Callable[[list], list],
                 done: Callable[[list], None], chunk: int):
        self.workers, self.fn, self.done, self.chunk = workers, fn, done, max(chunk, 1)
        self.limit = max(workers.count, 1) * IN_FLIGHT_PER_WORKER
        self.items: list = []
        self.pending: deque[Future] = deque()

    def submit(self, item: object) -> None:
        self.items.append(item)
        if len(self.items) >= self.chunk:
            self._send()

    def ready(self, results: list) -> None:
        """Results known without a worker (reused rows), kept in order with the others."""
        self._send()
        future: Future = Future()
        future.set_result(results)
        self.pending.append(future)

    def _send(self) -> None:
        while self.pending and (self.pending[0].done() or len(self.pending) >= self.limit):
            self.done(self.pending.popleft().result())
        if self.items:
            self.pending.append(self.workers.submit(self.fn, self.items))
            self.items = []

    def drain(self) -> None:
        self._send()
        while self.pending:
            self.done(self.pending.popleft().result())
