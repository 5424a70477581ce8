"""Bounded, streaming decompression of HTTP payloads: chunking and content-codings undone in
small steps that stop at a size limit.

A 13 KB page sent with `Content-Encoding: gzip, gzip` can hold 8 GiB of zeros; inflating it
whole before checking its size takes the machine down. Here every coding is a generator of
chunks of at most `STEP` bytes feeding the next one, so memory holds a few chunks whatever
the payload says, and `decode` stops with `TooLarge` as soon as the output passes its limit.
`next_record` finds where reading can resume after a damaged gzip member of a WARC file.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO

try:  # brotli is optional: a "br" body stays as received without it
    import brotli
except ImportError:  # pragma: no cover - installed with the project's dependencies
    brotli = None

STEP = 1 << 16                 # bytes asked of a decompressor at a time
MAX_DECODED = 64 * 1024 * 1024  # default limit of a decoded payload
GZIP, ZLIB, RAW = 47, 15, -15   # wbits: gzip or zlib (auto), zlib only, raw deflate


class TooLarge(Exception):
    """A payload that decodes to more than the limit; nothing past the limit was inflated."""

    def __init__(self, limit: int, codings: list[str]):
        super().__init__(f"payload decodes to over {limit} bytes "
                         f"(Content-Encoding: {', '.join(codings) or 'none'})")
        self.limit = limit


class CannotDecode(Exception):
    """An unknown content-coding or corrupt compressed data."""


def codings_of(headers: Iterable[tuple[str, str]]) -> tuple[bool, list[str]]:
    """(chunked?, content-codings in the order they were applied) from HTTP headers."""
    values: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        values[key] = f"{values[key]}, {value}" if key in values else value
    chunked = "chunked" in values.get("transfer-encoding", "").lower()
    codings = [c.strip().lower() for c in values.get("content-encoding", "").split(",")]
    return chunked, [c for c in codings if c and c != "identity"]


def decode(body: bytes, codings: list[str], limit: int = MAX_DECODED) -> bytes:
    """`body` with `codings` undone (last applied, first undone), at most `limit` bytes.

    Raises `TooLarge` past the limit and `CannotDecode` for an unknown coding or data that
    yields nothing; a stream cut off midway gives what it holds, as a truncated capture does.
    """
    out, size = [], 0
    for chunk in stream(body, codings):
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit, codings)
        out.append(chunk)
    return b"".join(out)


def dechunk(body: bytes) -> bytes:
    """Chunked transfer coding removed; a body that is not validly chunked is returned as is."""
    out, pos = [], 0
    while True:
        eol = body.find(b"\r\n", pos)
        if eol < 0:  # cut off: what arrived
            return b"".join(out) if out else body
        try:
            size = int(body[pos:eol].split(b";")[0], 16)
        except ValueError:
            return body
        if size == 0:
            return b"".join(out)
        out.append(body[eol + 2:eol + 2 + size])
        pos = eol + 2 + size + 2


def stream(body: bytes, codings: list[str]) -> Iterator[bytes]:
    """The decoded payload as chunks of at most `STEP` bytes, each coding a lazy stage."""
    chunks: Iterator[bytes] = iter([body])
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip"):
            chunks = _inflate(chunks, GZIP)
        elif coding == "deflate":
            chunks = _inflate(chunks, ZLIB)
        elif coding == "br" and brotli is not None:
            chunks = _unbrotli(chunks)
        else:
            raise CannotDecode(f"unknown content-coding {coding!r}")
    return chunks


def _inflate(chunks: Iterator[bytes], wbits: int) -> Iterator[bytes]:
    """gzip (members concatenated) or deflate (zlib-wrapped, else raw), STEP bytes at a time."""
    inflater, produced, first = zlib.decompressobj(wbits), False, True
    for data in chunks:
        while data:
            try:
                out = inflater.decompress(data, STEP)
            except zlib.error as exc:
                if first and wbits == ZLIB:  # "deflate" sent as a raw stream, as some servers do
                    inflater, wbits, first = zlib.decompressobj(RAW), RAW, False
                    continue
                if produced:
                    return  # garbage after whole members: dropped
                raise CannotDecode(f"corrupt {'gzip' if wbits == GZIP else 'deflate'} data "
                                   f"({exc})") from exc
            first = False
            if out:
                produced = True
                yield out
            if inflater.eof:
                data = inflater.unused_data
                if data and wbits == GZIP:
                    inflater = zlib.decompressobj(wbits)  # the next gzip member
                    continue
                return
            data = inflater.unconsumed_tail
    if not produced:
        yield inflater.flush()


def _unbrotli(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """brotli, STEP bytes at a time; a brotli module without a bounded decoder cannot be used
    (it would inflate a bomb whole), so the body then stays as received."""
    decompressor = brotli.Decompressor()
    if not hasattr(decompressor, "is_finished"):
        raise CannotDecode("brotli: the installed module cannot decode in bounded steps")
    for data in chunks:
        try:
            out = decompressor.process(data, output_buffer_limit=STEP)
            while out:
                yield out
                if decompressor.is_finished():
                    return
                out = decompressor.process(b"", output_buffer_limit=STEP)
        except brotli.error as exc:
            raise CannotDecode(f"corrupt brotli data ({exc})") from exc


def next_record(fh: BinaryIO, after: int) -> int | None:
    """Where the first readable record after byte `after` starts: a gzip member that inflates
    to 'WARC/' (or a 'WARC/' line of an uncompressed file); None when there is none."""
    fh.seek(0)
    gzipped = fh.read(2) == b"\x1f\x8b"
    mark = b"\x1f\x8b\x08" if gzipped else b"\nWARC/1."
    position = after
    while True:
        fh.seek(position)
        window = fh.read(STEP + len(mark))
        found = window.find(mark)
        if found < 0:
            if len(window) <= len(mark):
                return None
            position += STEP
            continue
        start = position + found + (0 if gzipped else 1)
        fh.seek(start)
        head = fh.read(STEP)
        if not gzipped or _inflates_to_warc(head):
            return start
        position = start + 1


def _inflates_to_warc(head: bytes) -> bool:
    try:
        return zlib.decompressobj(31).decompress(head, 8).startswith(b"WARC/")
    except zlib.error:
        return False
