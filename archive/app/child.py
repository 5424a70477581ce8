"""One step of a workflow in a spawned child process: its events streamed back, its result returned.

A crawl runs Twisted's reactor, which starts once per process; a build that runs out of memory
must not take a scheduler with it. `run_in_child(step, *args)` calls `step(*args, emit=...)` in
a fresh interpreter (the `spawn` start method: nothing of this process is inherited), hands
every `emit(...)` to `on_event` here, and returns what `step` returned or raises what it raised.

Signals: the child runs in a process group of its own, so a terminal's Ctrl-C reaches only this
process, which passes SIGINT and SIGTERM on to the child exactly once each time they come and
keeps waiting for its result (a crawl then stops gracefully, closing its WARCs). A SIGTERM is
delivered here again once the child has finished, so the workflow stops too. The child dies with
its parent (Linux's parent-death signal, SIGKILL), so no step outlives a killed workflow: a
SIGKILL of the workflow is a SIGKILL of the step.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


class ChildDied(Exception):
    """The child process ended without a result (killed, or crashed in the interpreter)."""

    def __init__(self, pid: int, exitcode: int):
        how = f" (signal {-exitcode})" if exitcode < 0 else ""
        super().__init__(f"the process (pid {pid}) exited with status {exitcode}{how}")
        self.pid, self.exitcode = pid, exitcode


def run_in_child(step: Callable[..., Any], *args: Any,
                 on_event: Callable[..., None] | None = None,
                 on_start: Callable[[int], None] | None = None) -> Any:
    """`step(*args, emit=...)` in a spawned process; see the module docstring."""
    context = multiprocessing.get_context("spawn")
    events = context.SimpleQueue()
    # Not a daemon: a step may start processes of its own (the workers of a shared crawl).
    process = context.Process(target=_child_main, args=(step, args, events))
    process.start()
    if on_start is not None:
        on_start(process.pid)
    received: list[int] = []
    try:
        with _forwarding(process.pid, received):
            return _wait(process, events, on_event)
    finally:
        if process.is_alive():  # we are unwinding (an error here): stop it too
            process.terminate()
        process.join()
        events.close()
        if signal.SIGTERM in received:
            os.kill(os.getpid(), signal.SIGTERM)  # now for this process's own handler


@contextlib.contextmanager
def _forwarding(pid: int, received: list[int]) -> Iterator[None]:
    """SIGINT and SIGTERM passed on to the child while it runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def forward(signum: int, frame: object) -> None:
        received.append(signum)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _wait(process: Any, events: Any, on_event: Callable[..., None] | None) -> Any:
    while True:
        kind, payload = _next(process, events)
        if kind == "event":
            if on_event is not None:
                on_event(*payload)
        elif kind == "result":
            return payload
        elif kind == "error":
            raise payload
        else:
            raise ChildDied(process.pid, process.exitcode)


def _next(process: Any, events: Any) -> tuple[str, Any]:
    """The next message; ("died", None) when the process ended without one."""
    while True:
        if not events.empty():
            return events.get()
        if not process.is_alive():
            if not events.empty():
                return events.get()
            return "died", None
        process.join(POLL_SECONDS)


def _child_main(step: Callable[..., Any], args: tuple, events: Any) -> None:
    os.setpgid(0, 0)  # signals come from the parent, not from the terminal
    _die_with_parent()
    try:
        result = step(*args, emit=lambda *event: events.put(("event", event)))
    except BaseException as exc:
        events.put(("error", _picklable(exc)))
    else:
        events.put(("result", result))


def _picklable(exc: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
