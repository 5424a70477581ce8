"""WARC 1.1 files: writing fetches as request/response/revisit records, and reading them back.

Records are serialised here (not through warcio's writer) because the crawl writes them on
its hot path: one pass of sha1 per digest and one zlib member per record. warcio reads them
back and `warcio check` validates them; the tests hold both to the byte.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import socket
import uuid
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

import archive

WARC_VERSION = b"WARC/1.1"
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
OPEN_SUFFIX = ".open"
INDEX_NAME = "digests.jsonl"
# Hop-by-hop headers Twisted consumes: the stored body is already de-chunked.
DROPPED_RESPONSE_HEADERS = {"transfer-encoding"}


class WarcError(Exception):
    """A WARC file that cannot be written or read, located by file and byte offset."""


@dataclass(frozen=True)
class WarcConfig:
    directory: Path
    prefix: str = "seedcheck"
    max_size: int = 1_000_000_000
    operator: str | None = None
    user_agent: str = ""
    robots: str = "obey"
    software: str = f"seedcheck/{archive.__version__}"
    is_part_of: str | None = None
    # Level 1 deflates news HTML to ~25% in a fifth of level 6's time (bench/README.md).
    gzip_level: int = 1


@dataclass(frozen=True)
class Exchange:
    url: str
    date: dt.datetime
    method: str
    request_headers: Sequence[tuple[str, str]]
    request_body: bytes
    protocol: str
    status: int
    reason: str
    response_headers: Sequence[tuple[str, str]]
    body: bytes
    ip_address: str | None = None
    truncated: str | None = None
    source_uri: str | None = None
    dedup: bool = True


@dataclass(frozen=True)
class Written:
    record_id: str
    record_type: str
    filename: str
    offset: int
    length: int
    payload_digest: str
    refers_to: str | None


def sha1_digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def warc_date(when: dt.datetime) -> str:
    when = when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def _clean(value: str) -> str:
    """Header values never fold or carry control characters into the WARC header block."""
    return " ".join(str(value).replace("\r", " ").replace("\n", " ").split())


@dataclass
class DigestIndex:
    """(payload digest, target URI) → the original response, persisted as append-only JSONL."""

    path: Path | None = None
    entries: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def open(cls, directory: Path) -> DigestIndex:
        index = cls(Path(directory) / INDEX_NAME)
        if index.path.exists():
            for line in index.path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    item = json.loads(line)
                    index.entries[(item["digest"], item["uri"])] = (item["id"], item["date"])
                except (ValueError, KeyError, TypeError):
                    continue  # a line torn by a crash: the WARCs still hold the truth
        return index

    @classmethod
    def rebuild(cls, directory: Path) -> DigestIndex:
        directory = Path(directory)
        index = cls(directory / INDEX_NAME)
        tmp = directory / (INDEX_NAME + ".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            for path in warc_files(directory):
                for capture in iter_captures(path, with_body=False):
                    if capture.record_type == "response" and _dedupable(capture.status):
                        key = (capture.payload_digest or "", capture.target_uri)
                        if key[0] and key not in index.entries:
                            value = (capture.record_id, warc_date(capture.date))
                            index.entries[key] = value
                            out.write(_index_line(key, value))
        os.replace(tmp, index.path)
        return index

    def lookup(self, digest: str, uri: str) -> tuple[str, str] | None:
        return self.entries.get((digest, uri))

    def add(self, digest: str, uri: str, record_id: str, date: str) -> None:
        if (digest, uri) in self.entries:
            return
        self.entries[(digest, uri)] = (record_id, date)
        if self.path:
            with self.path.open("a", encoding="utf-8") as out:
                out.write(_index_line((digest, uri), (record_id, date)))


def _index_line(key: tuple[str, str], value: tuple[str, str]) -> str:
    return json.dumps({"digest": key[0], "uri": key[1], "id": value[0], "date": value[1]}) + "\n"


def _dedupable(status: int | None) -> bool:
    return status is not None and 200 <= status < 300


def _http_block(start_line: str, headers: Sequence[tuple[str, str]]) -> bytes:
    lines = [start_line] + [f"{_clean(k)}: {_clean(v)}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "replace")


def response_headers(exchange: Exchange) -> list[tuple[str, str]]:
    """Headers as stored: no chunked framing over a de-chunked body, a true Content-Length."""
    kept = [
        (k, v)
        for k, v in exchange.response_headers
        if k.lower() not in DROPPED_RESPONSE_HEADERS and k.lower() != "content-length"
    ]
    return [*kept, ("Content-Length", str(len(exchange.body)))]


def request_target(url: str) -> str:
    rest = url.partition("://")[2]
    slash = rest.find("/")
    query = rest.find("?")
    cut = min(i for i in (slash, query, len(rest)) if i >= 0)
    target = rest[cut:] or "/"
    target = target.split("#", 1)[0]
    return target if target.startswith("/") else "/" + target


class WarcWriter:
    """Appends records to `.open` WARC files, rotating by size; a context manager."""

    def __init__(self, config: WarcConfig, index: DigestIndex | None = None):
        self.config = config
        self.index = index
        self.serial = 0
        self.file: io.BufferedWriter | None = None
        self.path: Path | None = None
        self.warcinfo_id = ""
        self.closed: list[Path] = []
        Path(config.directory).mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- files -------------------------------------------------------------------------------
    def _filename(self) -> str:
        now = dt.datetime.now(dt.UTC)
        stamp = now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}"
        host = socket.gethostname().split(".")[0] or "host"
        token = uuid.uuid4().hex[:8]
        return f"{self.config.prefix}-{stamp}-{self.serial:05d}-{host}-{token}.warc.gz"

    def _open_new(self) -> None:
        self.serial += 1
        name = self._filename()
        self.path = Path(self.config.directory) / (name + OPEN_SUFFIX)
        self.file = self.path.open("xb")
        self.warcinfo_id = new_record_id()
        self.file.write(self._warcinfo(name))
        self.file.flush()

    def _warcinfo(self, name: str) -> bytes:
        cfg = self.config
        fields = [
            ("software", f"{cfg.software} warcio/{_warcio_version()}"),
            ("format", "WARC File Format 1.1"),
            ("conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"),
            ("isPartOf", cfg.is_part_of or ""),
            ("robots", cfg.robots),
            ("operator", cfg.operator or ""),
            ("http-header-user-agent", cfg.user_agent),
            ("description", "HTTP header blocks are reconstructed from the crawler's parsed "
             "response (header case and reason phrase may differ from the wire)"),
        ]
        block = "".join(f"{k}: {_clean(v)}\r\n" for k, v in fields if v).encode("utf-8")
        headers = [
            ("WARC-Type", "warcinfo"),
            ("WARC-Record-ID", self.warcinfo_id),
            ("WARC-Date", warc_date(dt.datetime.now(dt.UTC))),
            ("WARC-Filename", name),
            ("Content-Type", "application/warc-fields"),
        ]
        return self._member(headers, block)

    def _finish(self) -> None:
        if self.file is None or self.path is None:
            return
        self.file.close()
        final = self.path.with_name(self.path.name.removesuffix(OPEN_SUFFIX))
        os.replace(self.path, final)
        self.closed.append(final)
        self.file = self.path = None

    def close(self) -> list[Path]:
        self._finish()
        return list(self.closed)

    # -- records -----------------------------------------------------------------------------
    def _member(self, headers: list[tuple[str, str]], block: bytes, digest: bool = True) -> bytes:
        """One record as one gzip member."""
        if digest:
            headers.append(("WARC-Block-Digest", sha1_digest(block)))
        headers.append(("Content-Length", str(len(block))))
        head = "\r\n".join(f"{k}: {v}" for k, v in headers)
        raw = b"".join(
            (WARC_VERSION, b"\r\n", head.encode("utf-8"), b"\r\n\r\n", block, b"\r\n\r\n")
        )
        packer = zlib.compressobj(self.config.gzip_level, zlib.DEFLATED, 31)
        return packer.compress(raw) + packer.flush()

    def _common(
        self, record_type: str, record_id: str, url: str, date: str
    ) -> list[tuple[str, str]]:
        return [
            ("WARC-Type", record_type),
            ("WARC-Record-ID", record_id),
            ("WARC-Date", date),
            ("WARC-Target-URI", url),
            ("WARC-Warcinfo-ID", self.warcinfo_id),
        ]

    def _append(self, members: Sequence[bytes]) -> tuple[int, list[int]]:
        """Write members together, rotating first when they would overflow the file."""
        size = sum(len(m) for m in members)
        if self.file is not None and self.file.tell() + size > self.config.max_size:
            self._finish()
        if self.file is None:
            self._open_new()
        assert self.file is not None
        start = self.file.tell()
        lengths = [len(m) for m in members]
        self.file.write(b"".join(members))
        self.file.flush()
        return start, lengths

    def write(self, exchange: Exchange) -> Written:
        """A response (or revisit) record and its request record, concurrent and dated alike."""
        if self.file is None:
            self._open_new()
        date = warc_date(exchange.date)
        payload_digest = sha1_digest(exchange.body)
        original = None
        dedup = exchange.dedup and exchange.body and _dedupable(exchange.status)
        if self.index is not None and dedup:
            original = self.index.lookup(payload_digest, exchange.url)
        response_id = new_record_id()
        status_line = f"{exchange.protocol} {exchange.status} {_clean(exchange.reason)}".rstrip()
        stored = response_headers(exchange)
        if original:
            record_type = "revisit"
            block = _http_block(status_line, stored)
            headers = self._common("revisit", response_id, exchange.url, date)
            headers += [
                ("WARC-Profile", REVISIT_PROFILE),
                ("WARC-Refers-To", original[0]),
                ("WARC-Refers-To-Target-URI", exchange.url),
                ("WARC-Refers-To-Date", original[1]),
            ]
        else:
            record_type = "response"
            block = _http_block(status_line, stored) + exchange.body
            headers = self._common("response", response_id, exchange.url, date)
        headers += self._capture_fields(exchange, payload_digest)
        headers.append(("Content-Type", "application/http; msgtype=response"))
        response = self._member(headers, block)
        request = self._request_member(exchange, response_id, date)
        offset, lengths = self._append((response, request))
        assert self.path is not None
        if record_type == "response" and self.index is not None and _dedupable(exchange.status):
            self.index.add(payload_digest, exchange.url, response_id, date)
        return Written(
            record_id=response_id,
            record_type=record_type,
            filename=self.path.name.removesuffix(OPEN_SUFFIX),
            offset=offset,
            length=lengths[0],
            payload_digest=payload_digest,
            refers_to=original[0] if original else None,
        )

    def _capture_fields(self, exchange: Exchange, payload_digest: str) -> list[tuple[str, str]]:
        fields = [("WARC-Payload-Digest", payload_digest)]
        if exchange.ip_address:
            fields.append(("WARC-IP-Address", exchange.ip_address))
        if exchange.truncated:
            fields.append(("WARC-Truncated", exchange.truncated))
        if exchange.source_uri:
            fields.append(("WARC-Source-URI", exchange.source_uri))
            fields.append(("WARC-Creation-Date", warc_date(dt.datetime.now(dt.UTC))))
        return fields

    def _request_member(self, exchange: Exchange, response_id: str, date: str) -> bytes:
        line = f"{exchange.method} {request_target(exchange.url)} {exchange.protocol}"
        block = _http_block(line, exchange.request_headers) + exchange.request_body
        headers = self._common("request", new_record_id(), exchange.url, date)
        headers += [
            ("WARC-Concurrent-To", response_id),
            ("Content-Type", "application/http; msgtype=request"),
        ]
        return self._member(headers, block)

    def write_metadata(
        self,
        concurrent_to: str,
        target_uri: str,
        date: dt.datetime,
        fields: Sequence[tuple[str, str]],
    ) -> str:
        """A metadata record about a capture (IIPC recommendation 11: Concurrent-To it)."""
        if self.file is None:
            self._open_new()
        record_id = new_record_id()
        block = "".join(f"{k}: {_clean(v)}\r\n" for k, v in fields).encode("utf-8")
        headers = self._common("metadata", record_id, target_uri, warc_date(date))
        headers += [
            ("WARC-Concurrent-To", concurrent_to),
            ("Content-Type", "application/warc-fields"),
        ]
        self._append((self._member(headers, block),))
        return record_id


def _warcio_version() -> str:
    from importlib.metadata import version

    return version("warcio")


def warc_files(directory: Path) -> list[Path]:
    """Closed WARC files of a directory, oldest name first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.endswith((".warc.gz", ".warc")))


def _complete_members(handle: io.BufferedReader, chunk: int = 1 << 20) -> int:
    """The byte length of the leading run of complete gzip members, read in bounded chunks."""
    end = 0  # where the last complete member ends
    handle.seek(0)
    inflater = zlib.decompressobj(31)
    position = 0  # file offset of the first byte of `pending`
    pending = b""
    while True:
        if not pending:
            pending = handle.read(chunk)
            if not pending:
                return end
        try:
            inflater.decompress(pending, 0)
            while inflater.unconsumed_tail:
                inflater.decompress(inflater.unconsumed_tail, 0)
        except zlib.error:
            return end
        if inflater.eof:
            consumed = len(pending) - len(inflater.unused_data)
            end = position + consumed
            position, pending = end, inflater.unused_data
            inflater = zlib.decompressobj(31)
        else:
            position, pending = position + len(pending), b""


def recover(directory: Path) -> list[Path]:
    """Close `.open` files left by a killed writer at their last complete record."""
    closed = []
    for path in sorted(Path(directory).glob("*" + OPEN_SUFFIX)):
        with path.open("rb") as handle:
            end = _complete_members(handle)
        final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
        if end == 0:
            os.replace(path, final.with_name(final.name + ".broken"))
            continue
        with path.open("r+b") as handle:
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(path, final)
        closed.append(final)
    return closed


@dataclass(frozen=True)
class Capture:
    record_id: str
    record_type: str
    target_uri: str
    date: dt.datetime
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
    refers_to_date: dt.datetime | None
    concurrent_to: str | None
    fields: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


READ_TYPES = ("response", "revisit", "metadata")


def parse_warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.strip().partition("=")
        if key.lower() == "charset" and val:
            charset = val.strip("\"' ").lower()
    return mime.strip().lower() or None, charset


def _capture(record, path: Path, offset: int, length: int, with_body: bool) -> Capture:
    warc = record.rec_headers
    http = record.http_headers
    fields: tuple[tuple[str, str], ...] = ()
    body = b""
    if record.rec_type == "metadata":
        text = record.content_stream().read().decode("utf-8", "replace")
        pairs = (line.partition(":") for line in text.splitlines())
        fields = tuple((k.strip(), v.strip()) for k, _, v in pairs if k.strip())
    elif with_body and record.rec_type == "response":
        try:
            body = record.content_stream().read()
        except Exception:
            body = record.raw_stream.read()
    status = reason = protocol = None
    if http is not None and record.rec_type != "metadata":
        protocol = http.protocol
        code, _, phrase = (http.statusline or "").partition(" ")
        status = int(code) if code.isdigit() else None
        reason = phrase or None
    mime, charset = _content_type(http.get_header("Content-Type") if http is not None else None)
    return Capture(
        record_id=warc.get_header("WARC-Record-ID"),
        record_type=record.rec_type,
        target_uri=(warc.get_header("WARC-Target-URI") or "").strip("<>"),
        date=parse_warc_date(warc.get_header("WARC-Date")) or dt.datetime.fromtimestamp(0, dt.UTC),
        status=status,
        reason=reason,
        protocol=protocol,
        headers=tuple(http.headers) if http is not None and record.rec_type != "metadata" else (),
        content_type=mime,
        charset=charset,
        payload_digest=warc.get_header("WARC-Payload-Digest"),
        block_digest=warc.get_header("WARC-Block-Digest"),
        filename=path.name,
        offset=offset,
        length=length,
        ip_address=warc.get_header("WARC-IP-Address"),
        truncated=warc.get_header("WARC-Truncated"),
        source_uri=warc.get_header("WARC-Source-URI"),
        refers_to=warc.get_header("WARC-Refers-To"),
        refers_to_target_uri=warc.get_header("WARC-Refers-To-Target-URI"),
        refers_to_date=parse_warc_date(warc.get_header("WARC-Refers-To-Date")),
        concurrent_to=warc.get_header("WARC-Concurrent-To"),
        fields=fields,
        body=body,
    )


def iter_captures(path: Path, with_body: bool = True) -> Iterator[Capture]:
    """Stream the response, revisit and metadata records of one WARC file, in file order.

    Raises WarcError naming the file and offset at the first damaged record, after every
    good record before it was yielded.
    """
    path = Path(path)
    with path.open("rb") as handle:
        records = ArchiveIterator(handle, check_digests=False)
        good_end = 0  # where the last good record ends: the damage starts there
        try:
            for record in records:
                offset = records.offset  # the record's start; get_record_offset() would consume it
                wanted = record.rec_type in READ_TYPES
                capture = _capture(record, path, offset, 0, with_body) if wanted else None
                records.read_to_end(record)
                length = records.get_record_length()
                good_end = offset + length
                if capture is not None:
                    yield _with_length(capture, length)
        except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
            raise WarcError(
                f"{path}: offset {good_end}: not a readable WARC record ({_printable(exc)})"
            ) from None


def _printable(exc: BaseException, limit: int = 120) -> str:
    """An error message safe for a terminal: warcio quotes the damaged bytes it read."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(exc) or type(exc).__name__)
    return text[:limit]


def _with_length(capture: Capture, length: int) -> Capture:
    from dataclasses import replace

    return replace(capture, length=length)


def read_capture(path: Path, offset: int) -> Capture:
    """The record at `offset` of `path` (as a captures row points at it)."""
    path = Path(path)
    with path.open("rb") as handle:
        handle.seek(offset)
        try:
            records = ArchiveIterator(handle)
            record = next(records)
            capture = _capture(record, path, offset, 0, True)
            records.read_to_end(record)
            return _with_length(capture, records.get_record_length())
        except (StopIteration, ArchiveLoadFailed, zlib.error, EOFError, ValueError) as exc:
            detail = _printable(exc)
            raise WarcError(f"{path}: offset {offset}: no WARC record ({detail})") from None
