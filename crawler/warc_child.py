"""The WARC writer process: `python -m crawler.warc_child`, started by `WarcExtension`.

Digesting and deflating a page's records is most of what archiving costs a crawl (two sha1
passes and a gzip member per record, bench/README.md "crawl"); done here, on another core, the
crawl's own process only hands each exchange over. One `WarcWriter` runs here, so the records
keep the order the crawl sent them in and the dedup index has one owner.

Protocol on stdin/stdout: frames of two 8-byte big-endian lengths, a pickle (the parent is this
program's only peer, so pickle is safe) and raw bytes (a write's body). Each request gets one
reply, in order: `("open", WarcConfig, digests)`, `("write", Exchange, metadata fields or
None)`, `("close",)`; the reply is `("ok", value)` or `("error", message)`. `digests` is `None`
(the folder's own `digests.jsonl`) or `(REDIS_URL, key prefix)` (a frontier's shared index).

End of input without `close`, or the crawl's death (SIGKILL), leaves the open file `.open`, as a
killed inline writer would, for `seedcheck crawl --recover`; the dedup index is flushed. Ctrl-C
is the parent's to handle: it may reach the crawl's whole process group, and this process must
outlive the crawl's graceful stop, so it ignores SIGINT and SIGTERM.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO

from archive.warc.writer import DigestIndex, Exchange, WarcConfig, WarcError, WarcWriter, Written

HEADER = struct.Struct("!QQ")   # pickle length, raw length
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def write_pair(writer: WarcWriter, exchange: Exchange,
               metadata: Sequence[tuple[str, str]] | None) -> tuple[Written, str | None]:
    """The exchange's records, then (a memento's) metadata record about its response."""
    written = writer.write(exchange)
    metadata_id = None
    if metadata is not None:
        metadata_id = writer.write_metadata(written.record_id, exchange.url, exchange.date,
                                            metadata)
    return written, metadata_id


def frame(value: Any, raw: bytes = b"") -> list[bytes]:
    """A message: its lengths, its pickle, and `raw` bytes sent as they are (a page's body is
    never copied into a pickle)."""
    data = pickle.dumps(value, protocol=5)
    return [HEADER.pack(len(data), len(raw)), data, raw]


def request_frame(kind: str, *args: Any) -> list[bytes]:
    """A request; a write's exchange goes as a dict of its fields (its UTC date in microseconds:
    a datetime's pickle costs more than the rest) and its body as the frame's raw bytes."""
    if kind == "write":
        exchange, metadata = args
        fields = dict(vars(exchange))
        del fields["body"]
        if exchange.date.tzinfo is UTC:
            fields["date"] = (exchange.date - EPOCH) // MICROSECOND
        return frame((kind, fields, metadata), exchange.body)
    return frame((kind, *args))


def read_frame(stream: BinaryIO) -> Any:
    """The next message (a write's exchange made whole again), or None at the end of input."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    size, raw_size = HEADER.unpack(head)
    data = stream.read(size)
    raw = stream.read(raw_size) if raw_size else b""
    if len(data) < size or len(raw) < raw_size:
        return None
    value = pickle.loads(data)
    if value[0] == "write":
        kind, fields, metadata = value
        if isinstance(fields["date"], int):
            fields["date"] = EPOCH + fields["date"] * MICROSECOND
        value = (kind, Exchange(**fields, body=raw), metadata)
    return value


def open_writer(config: WarcConfig, digests: tuple[str, str] | None) -> WarcWriter:
    if digests is None:
        config.directory.mkdir(parents=True, exist_ok=True)
        return WarcWriter(config, DigestIndex.open(config.directory))
    from crawler.frontier import Frontier, SharedDigests  # redis only for a frontier

    url, prefix = digests
    return WarcWriter(config, SharedDigests(Frontier.connect(url, prefix, "writer", 30.0)))


def serve(requests: BinaryIO, replies: BinaryIO, parent: int | None = None) -> None:
    """Answer requests until `close` or the end of input; stop at once if `parent` died (its
    last requests would have no crawl-log line, and `--recover` may already be at the file)."""
    writer: WarcWriter | None = None
    try:
        while (request := read_frame(requests)) is not None:
            if parent is not None and os.getppid() != parent:
                return
            kind, *args = request
            try:
                if kind == "open":
                    writer = open_writer(*args)
                    value: Any = None
                elif writer is None:
                    raise WarcError("no WARC writer open")
                elif kind == "write":
                    value = write_pair(writer, *args)
                else:   # close
                    value, writer = writer.close(), None
                reply = ("ok", value)
            except (WarcError, OSError) as exc:
                reply = ("error", str(exc))
            replies.write(b"".join(frame(reply)))
            replies.flush()
            if kind == "close":
                return
    finally:
        if writer is not None and writer.index is not None:
            writer.index.close()   # killed crawl: its open file stays `.open`, for --recover


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    serve(sys.stdin.buffer, sys.stdout.buffer, os.getppid())


if __name__ == "__main__":
    main()
