"""The crawl's side of the WARC writer process (`crawler/warc_child.py`).

`WriterProcess.call` sends one request and returns a Deferred that fires with its reply; the
child answers in order, so replies are matched to requests first in, first out. All I/O runs
in the reactor (no threads). If the child ends, every waiting and later call fails with a
`WarcError` that says so, and the WARC extension stops the crawl as it does on a full disk.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import sys
from collections import deque
from pathlib import Path
from typing import Any

from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.protocol import ProcessProtocol
from twisted.python.failure import Failure

from archive.warc.writer import WarcError
from crawler.warc_child import HEADER, request_frame

ROOT = str(Path(__file__).resolve().parent.parent)   # where `crawler` imports from
F_SETPIPE_SZ = 1031                                  # Linux fcntl
PIPE_SIZE = 1 << 20


def write_all(fd: int, parts: list[bytes]) -> None:
    """Every byte of `parts`, in order (a blocking pipe may still take them in pieces)."""
    size = sum(map(len, parts))
    done = os.writev(fd, parts)
    if done < size:
        rest = memoryview(b"".join(parts))[done:]
        while rest:
            rest = rest[os.write(fd, rest):]


def writer_in_process(choice: str, crawls_here: int = 1) -> bool:
    """SEEDCHECK_WARC_WRITER: `process`, `inline`, or `auto`: a process when this machine has a
    CPU to spare beside its crawl processes (`crawls_here`: a frontier's local workers); without
    one, the hand-over would only add to the work."""
    if choice not in ("auto", "process", "inline"):
        raise WarcError(f"SEEDCHECK_WARC_WRITER is {choice!r}: auto, process or inline")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return choice == "process" or (choice == "auto" and (cpus or 1) > max(crawls_here, 1))


class AwaitWarcRecord:
    """Downloader middleware: a response goes on to the other middlewares and the spider only
    once its records are on disk, so the crawl-log line names records that exist (with the
    writer in its own process, `WarcExtension` leaves a Deferred in `seedcheck_pending`). It
    sits nearest the downloader, before redirects and retries act on the response."""

    async def process_response(self, request: Request, response: Response) -> Response:
        pending = request.meta.pop("seedcheck_pending", None)
        if pending is not None:
            await maybe_deferred_to_future(pending)
        return response


class WriterProcess(ProcessProtocol):
    def __init__(self) -> None:
        self.waiting: deque[Deferred] = deque()
        self.buffer = bytearray()
        self.ended: str | None = None
        self.done: Deferred = Deferred()   # fires once the child has ended and been reaped
        self.requests = -1                 # the child's stdin

    @classmethod
    def start(cls, reactor: Any) -> WriterProcess:
        process = cls()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (ROOT, env.get("PYTHONPATH"))))
        reactor.spawnProcess(process, sys.executable,
                             [sys.executable, "-m", "crawler.warc_child"], env=env,
                             childFDs={0: "w", 1: "r", 2: 2})
        # Requests go straight into a large pipe, one `writev` each: Twisted's buffered writes
        # cost the crawl more than the work handed over. The pipe only fills if the child falls
        # behind by megabytes; then the crawl waits for it, which is the backpressure wanted.
        process.requests = process.transport.pipes[0].fileno()
        with contextlib.suppress(OSError):
            fcntl.fcntl(process.requests, F_SETPIPE_SZ, PIPE_SIZE)
        os.set_blocking(process.requests, True)
        return process

    def call(self, kind: str, *args: Any) -> Deferred:
        waiter: Deferred = Deferred()
        if self.ended is None:
            try:
                write_all(self.requests, request_frame(kind, *args))
            except OSError as exc:     # the child is gone: processEnded will say how
                self.ended = f"the WARC writer process cannot be reached ({exc.strerror})"
        if self.ended is not None:
            waiter.errback(WarcError(self.ended))
            return waiter
        self.waiting.append(waiter)
        return waiter

    def outReceived(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= HEADER.size:
            size = HEADER.unpack_from(self.buffer)[0]     # replies carry no raw bytes
            end = HEADER.size + size
            if len(self.buffer) < end:
                return
            status, value = pickle.loads(self.buffer[HEADER.size:end])
            del self.buffer[:end]
            waiter = self.waiting.popleft()
            if status == "ok":
                waiter.callback(value)
            else:
                waiter.errback(WarcError(value))

    def processEnded(self, reason: Failure) -> None:
        code = getattr(reason.value, "exitCode", None)
        self.ended = ("the WARC writer process ended"
                      + (f" (exit status {code})" if code else "") + " before the crawl did")
        while self.waiting:
            self.waiting.popleft().errback(WarcError(self.ended))
        self.done.callback(None)
