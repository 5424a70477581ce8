"""Reading WARC files back (`Capture` records with their file, offset and decoded payload),
and closing the files a killed writer left open at their last whole record.

The reader scans gzip members itself rather than through warcio's iterator, because warcio
swallows a corrupt member (it prints to stderr and returns nothing) and cannot say where a
file stops being readable; here every problem is a `WarcError` naming the file and the byte
offset of the member, raised only after every good record before it was yielded.
`archive.warc.writer` re-exports everything public here.
"""

from __future__ import annotations

import glob
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from archive.warc.inflate import (
    MAX_DECODED,
    CannotDecode,
    TooLarge,
    codings_of,
    dechunk,
    decode,
    next_record,
)

try:  # ISA-L inflates about twice as fast as zlib; the same streams either way
    from isal import isal_zlib as inflating
except ImportError:  # pragma: no cover - isal is a dependency; zlib reads the same files
    inflating = zlib
INFLATE_ERRORS = (zlib.error, inflating.error)
CHUNK = 1 << 16        # small reads: zlib copies what is left of a chunk at each member's end
YIELDED = ("response", "revisit", "metadata")
MAX_MEMBER = MAX_DECODED + (1 << 20)   # a record's headers and its (bounded) payload


class WarcError(Exception):
    """A WARC file that cannot be read or written; the message names the file and byte offset."""

    def __init__(self, message: str, path: Path | str | None = None, offset: int | None = None):
        super().__init__(message)
        self.path = path
        self.offset = offset
        self.end: int | None = None     # end of the range a resynchronising reader skipped


@dataclass(frozen=True)
class Capture:
    """A response, revisit or metadata record read back."""

    record_id: str
    record_type: str
    target_uri: str
    date: datetime
    status: int | None
    reason: str | None
    protocol: str | None
    headers: tuple[tuple[str, str], ...]
    content_type: str | None
    charset: str | None
    payload_digest: str | None
    block_digest: str | None
    filename: str
    offset: int
    length: int
    ip_address: str | None
    truncated: str | None
    source_uri: str | None
    refers_to: str | None
    refers_to_target_uri: str | None
    refers_to_date: datetime | None
    concurrent_to: str | None
    fields: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    body_problem: str | None = None      # why `body` is empty: it decodes past the bound

    def header(self, name: str) -> str | None:
        """The first value of an HTTP response header, by case-insensitive name."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


def _fail(path: Path, offset: int, problem: str) -> WarcError:
    return WarcError(f"{path}: {problem} at byte offset {offset}", path, offset)


def members(fh: BinaryIO, path: Path, offset: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """(offset, compressed length, decompressed bytes) of each gzip member from `offset` on;
    a member that inflates past MAX_MEMBER is a WarcError (nothing past the bound inflated)."""
    fh.seek(offset)
    pending = b""
    while True:
        data = pending or fh.read(CHUNK)
        if not data:
            return
        inflater, out, used = inflating.decompressobj(31), bytearray(), 0
        while True:
            try:
                out += inflater.decompress(data, CHUNK)
            except INFLATE_ERRORS as exc:
                raise _fail(path, offset, f"corrupt gzip member ({exc})") from exc
            if len(out) > MAX_MEMBER:
                raise _fail(path, offset, f"gzip member inflates to over {MAX_MEMBER} bytes")
            if inflater.eof:
                pending = inflater.unused_data
                used += len(data) - len(pending)
                break
            if inflater.unconsumed_tail:
                used += len(data) - len(inflater.unconsumed_tail)
                data = inflater.unconsumed_tail
                continue
            used += len(data)
            data = fh.read(CHUNK)
            if not data:
                raise _fail(path, offset, "truncated gzip member (the file ends inside it)")
        yield offset, used, bytes(out)
        offset += used


def split_records(raw: bytes, path: Path, offset: int) -> Iterator[tuple[dict[str, str], bytes]]:
    """The (WARC headers, block) of each record in a decompressed member (normally one)."""
    view, start = memoryview(raw), 0
    while start < len(raw):
        end = raw.find(b"\r\n\r\n", start)
        if not raw.startswith(b"WARC/", start) or end < 0:
            raise _fail(path, offset, "not a WARC record")
        headers = parse_fields(raw[start:end].decode("utf-8", "replace").split("\r\n")[1:])
        try:
            length = int(headers["content-length"])
        except (KeyError, ValueError) as exc:
            raise _fail(path, offset, "WARC record without a valid Content-Length") from exc
        block_end = end + 4 + length
        if raw[block_end:block_end + 4] != b"\r\n\r\n":
            raise _fail(path, offset, "incomplete WARC record (block shorter than Content-Length)")
        yield headers, bytes(view[end + 4:block_end])
        start = block_end + 4


def parse_fields(lines: list[str]) -> dict[str, str]:
    """WARC named fields as {lowercase name: value}; the first of a repeated name wins."""
    fields: dict[str, str] = {}
    for line in lines:
        name, _, value = line.partition(":")
        fields.setdefault(name.strip().lower(), value.strip())
    return fields


def _plain_records(fh: BinaryIO, path: Path) -> Iterator[tuple[int, int, dict[str, str], bytes]]:
    """Records of an uncompressed .warc file: (offset, length, headers, block)."""
    while True:
        offset = fh.tell()
        lines = []
        while (line := fh.readline()) not in (b"\r\n", b"\n", b""):
            lines.append(line.decode("utf-8", "replace").rstrip("\r\n"))
        if not lines:
            return
        if not lines[0].startswith("WARC/"):
            raise _fail(path, offset, "not a WARC record")
        headers = parse_fields(lines[1:])
        try:
            block = fh.read(int(headers["content-length"]))
        except (KeyError, ValueError) as exc:
            raise _fail(path, offset, "WARC record without a valid Content-Length") from exc
        if len(block) < int(headers["content-length"]) or fh.read(4) != b"\r\n\r\n":
            raise _fail(path, offset, "incomplete WARC record")
        yield offset, fh.tell() - offset, headers, block


def _records(fh: BinaryIO, path: Path, offset: int = 0
             ) -> Iterator[tuple[int, int, dict[str, str], bytes]]:
    fh.seek(offset)
    magic = fh.read(5)
    if magic.startswith(b"\x1f\x8b"):
        for start, length, raw in members(fh, path, offset):
            for headers, block in split_records(raw, path, start):
                yield start, length, headers, block
    elif magic == b"WARC/":
        fh.seek(offset)
        yield from _plain_records(fh, path)
    elif offset == 0:
        raise _fail(path, 0, f"not a WARC file (it starts with {magic!r})")
    else:
        raise _fail(path, offset, "no WARC record starts here")


def iter_captures(path: Path, with_body: bool = True,
                  on_damage: Callable[[WarcError], None] | None = None) -> Iterator[Capture]:
    """Response, revisit and metadata records of `path` in file order, one record in memory.

    A damaged record raises WarcError after every good record before it, unless `on_damage`
    is given: then it receives the error, whose `offset` and `end` are the byte range skipped,
    and reading goes on at the next record (each record is its own gzip member).
    """
    path = Path(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 -- closed by the with below, after the sniff
    except OSError as exc:
        raise WarcError(f"{path}: cannot open ({exc.strerror})", path, 0) from exc
    start: int | None = 0
    with fh:
        while start is not None:
            try:
                for offset, length, headers, block in _records(fh, path, start):
                    if headers.get("warc-type") in YIELDED:
                        yield _capture(headers, block, path, offset, length, with_body)
                return
            except WarcError as exc:
                if on_damage is None or exc.offset is None:
                    raise
                start = next_record(fh, exc.offset + 1)
                exc.end = start if start is not None else os.fstat(fh.fileno()).st_size
                on_damage(exc)


def read_capture(path: Path, offset: int) -> Capture:
    """The record that starts at `offset` of `path` (an offset from a Capture or Written)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            for start, length, headers, block in _records(fh, path, offset):
                return _capture(headers, block, path, start, length, True)
    except OSError as exc:
        raise WarcError(f"{path}: cannot read at byte offset {offset} ({exc})", path,
                        offset) from exc
    raise _fail(path, offset, "no record (end of file)")


def parse_date(value: str | None, path: Path, offset: int) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise _fail(path, offset, f"bad WARC date {value!r}") from exc
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _capture(headers: dict[str, str], block: bytes, path: Path, offset: int, length: int,
             with_body: bool) -> Capture:
    kind = headers.get("warc-type", "")
    status = reason = protocol = None
    http: list[tuple[str, str]] = []
    fields: list[tuple[str, str]] = []
    mime = headers.get("content-type", "")
    body, body_problem = block, None
    if kind in ("response", "revisit") and mime.startswith("application/http"):
        protocol, status, reason, http, body = parse_http(block, path, offset)
        mime = next((v for k, v in http if k.lower() == "content-type"), "")
        if kind == "revisit":
            body = b""
        elif with_body:
            try:
                body = decode_body(body, http)
            except TooLarge as exc:
                body, body_problem = b"", str(exc)
    elif kind == "metadata" and mime.startswith("application/warc-fields"):
        text = block.decode("utf-8", "replace")
        fields = [(k.strip(), v.strip()) for k, _, v in
                  (line.partition(":") for line in text.splitlines() if ":" in line)]
    content_type, charset = split_content_type(mime)
    return Capture(
        record_id=headers.get("warc-record-id", ""), record_type=kind,
        target_uri=headers.get("warc-target-uri", "").strip("<>"),
        date=parse_date(headers.get("warc-date"), path, offset) or datetime.min.replace(tzinfo=UTC),
        status=status, reason=reason, protocol=protocol, headers=tuple(http),
        content_type=content_type, charset=charset,
        payload_digest=headers.get("warc-payload-digest"),
        block_digest=headers.get("warc-block-digest"),
        filename=path.name, offset=offset, length=length,
        ip_address=headers.get("warc-ip-address"), truncated=headers.get("warc-truncated"),
        source_uri=headers.get("warc-source-uri"), refers_to=headers.get("warc-refers-to"),
        refers_to_target_uri=headers.get("warc-refers-to-target-uri"),
        refers_to_date=parse_date(headers.get("warc-refers-to-date"), path, offset),
        concurrent_to=headers.get("warc-concurrent-to"), fields=tuple(fields),
        body=body if with_body else b"", body_problem=body_problem,
    )


def parse_http(block: bytes, path: Path, offset: int
               ) -> tuple[str, int, str, list[tuple[str, str]], bytes]:
    """(protocol, status, reason, headers, body) of an HTTP response block."""
    end, sep = block.find(b"\r\n\r\n"), 4
    if end < 0:
        end, sep = block.find(b"\n\n"), 2
    if end < 0:
        end, sep = len(block), 0
    lines = block[:end].decode("latin-1").splitlines()
    parts = lines[0].split(" ", 2) if lines else []
    if len(parts) < 2 or not parts[1].isdigit():
        raise _fail(path, offset, f"bad HTTP status line {lines[0] if lines else ''!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:  # obsolete folding, as other tools may write
            headers[-1] = (headers[-1][0], f"{headers[-1][1]} {line.strip()}")
        elif ":" in line:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
    reason = parts[2] if len(parts) > 2 else ""
    return parts[0], int(parts[1]), reason, headers, block[end + sep:]


def split_content_type(value: str) -> tuple[str | None, str | None]:
    """(mime type in lower case, charset as declared) of a Content-Type value."""
    mime, *params = value.split(";")
    charset = None
    for param in params:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return (mime.strip().lower() or None), charset


def decode_body(body: bytes, headers: list[tuple[str, str]], limit: int = MAX_DECODED
                ) -> bytes:
    """The payload with chunking and content-encoding removed, in bounded steps (raises
    `TooLarge` past `limit`); what cannot be decoded stays raw."""
    chunked, codings = codings_of(headers)
    if chunked:
        body = dechunk(body)
    try:
        return decode(body, codings, limit)
    except CannotDecode:
        return body


def recover(directory: Path, prefix: str = "") -> list[Path]:
    """Close the `.open` files a killed writer left, at the end of their last whole record;
    the closed files. A file with no whole record left becomes `<name>.broken`, never deleted.
    `prefix`: only the files whose names start with it (one killed worker's, beside live ones).
    """
    closed = []
    for path in sorted(Path(directory).glob(f"{glob.escape(prefix)}*.warc.gz.open")):
        end = _whole_records_end(path)
        final = path.with_name(path.name.removesuffix(".open"))
        if end == 0:
            os.replace(path, final.with_name(final.name + ".broken"))
            continue
        if final.exists():
            raise WarcError(f"{path}: cannot recover: {final.name} already exists", path, end)
        with open(path, "r+b") as fh:
            fh.truncate(end)
            os.fsync(fh.fileno())
        os.replace(path, final)
        closed.append(final)
    return closed


def _whole_records_end(path: Path) -> int:
    """Where the last complete, decodable gzip member holding whole WARC records ends."""
    end = 0
    with open(path, "rb") as fh:
        try:
            for offset, length, raw in members(fh, path):
                for _ in split_records(raw, path, offset):
                    pass  # a member that decodes but holds a cut record is not whole
                end = offset + length
        except WarcError:
            pass  # the torn end a crash left
    return end


def warc_date(when: datetime) -> str:
    """UTC, microseconds (WARC/1.1); a naive datetime is taken as UTC."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.isoformat("T", "microseconds") + "Z"


def warc_files(directory: Path) -> list[Path]:
    """Closed WARC files (`.warc.gz`, `.warc`) of `directory`, sorted by name."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir()
                  if p.name.endswith((".warc.gz", ".warc")) and p.is_file())
