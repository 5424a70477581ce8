"""Reading archives other tools wrote: WARC 1.0 and 1.1 (gzip or not), ARC, and the WARCs inside a
WACZ, with warcio (the one module that imports it).

warcio reads what Heritrix, wget, pywb, Browsertrix and ArchiveBox write, converts ARC records to
WARC ones and undoes chunking and content-coding. What it cannot read is located and skipped: a
damaged record is reported with its file and byte offset (`on_damage`) and reading resumes at the
next record start found after it, so everything readable is still used. Captures come out as the
same `Capture` the project's own reader yields (`archive.warc.reader`).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from uuid import UUID, uuid5

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from archive.warc.reader import Capture, WarcError, members, parse_date, split_content_type

SUFFIXES = (".warc.gz", ".warc", ".arc.gz", ".arc", ".wacz")
MEMBER_SUFFIXES = (".warc.gz", ".warc", ".arc.gz", ".arc")
YIELDED = ("response", "revisit")
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f]+")   # a scheme, no spaces
READ_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError, ValueError, IndexError, KeyError)
# Where a record can start again after damage: a gzip member, a WARC or an ARC header line.
STARTS = (b"\x1f\x8b\x08", b"\nWARC/1.", b"\nhttp://", b"\nhttps://")
SCAN = 1 << 16
NO_DATE = datetime.min.replace(tzinfo=UTC)
RECORD_IDS = UUID("6f0c1a52-3b8e-5d47-9a1e-5eedc4ec0a11")   # namespace of made-up record ids

OnDamage = Callable[[WarcError], None]


def is_foreign_archive(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES)


def read_foreign(path: Path, on_damage: OnDamage) -> Iterator[Capture]:
    """Response and revisit records of a WARC, ARC or WACZ file, in file order."""
    path = Path(path)
    try:
        if path.name.lower().endswith(".wacz"):
            yield from _read_wacz(path, on_damage)
            return
        with path.open("rb") as fh:
            yield from read_stream(fh, path.name, on_damage)
    except (OSError, zipfile.BadZipFile) as exc:
        raise WarcError(f"{path}: cannot read it ({exc})", path, 0) from exc


def _read_wacz(path: Path, on_damage: OnDamage) -> Iterator[Capture]:
    """The WARCs a WACZ holds under archive/ (seekable: WACZ stores them uncompressed)."""
    with zipfile.ZipFile(path) as package:
        names = [n for n in package.namelist()
                 if n.startswith("archive/") and n.lower().endswith(MEMBER_SUFFIXES)]
        if not names:
            raise WarcError(f"{path}: a WACZ without WARC files under archive/", path, 0)
        for name in names:
            with package.open(name) as fh:
                yield from read_stream(fh, f"{path.name}#{name}", on_damage)


def read_foreign_at(imports_dir: Path, where: str, offset: int) -> Capture:
    """The record at `offset` of an imported file, named as the build stores it: `NAME`, or
    `NAME.wacz#archive/FILE` inside a WACZ (only names inside `imports_dir` are opened)."""
    name, _, member = where.partition("#")
    path = Path(imports_dir) / Path(name).name
    failed: list[WarcError] = []
    try:
        with path.open("rb") as fh:
            if not member:
                return _one(fh, name, offset, failed)
            with zipfile.ZipFile(fh) as package, package.open(member) as inner:
                return _one(inner, where, offset, failed)
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise WarcError(f"{where}: cannot read it ({exc})", where, offset) from exc


def _one(fh: BinaryIO, name: str, offset: int, failed: list[WarcError]) -> Capture:
    fh.seek(offset)
    for capture in read_stream(fh, name, failed.append):
        if capture.offset == offset:
            return capture
        break
    why = failed[0] if failed else "no response or revisit record starts there"
    raise WarcError(f"{name}: no record at byte offset {offset} ({why})", name, offset)


def read_stream(fh: BinaryIO, name: str, on_damage: OnDamage) -> Iterator[Capture]:
    """Every readable record of one seekable stream; damage reported, then skipped."""
    start = fh.tell()
    gzipped = fh.read(2) == b"\x1f\x8b"
    fh.seek(start)
    yield from (_read_members if gzipped else _read_plain)(fh, name, on_damage)


def _read_members(fh: BinaryIO, name: str, on_damage: OnDamage) -> Iterator[Capture]:
    """A gzipped file, one gzip member at a time: a damaged member is caught by its own CRC and
    skipped, so it can never take the records of the members after it with it."""
    offset: int | None = fh.tell()
    while offset is not None:
        try:
            for start, length, raw in members(fh, Path(name), offset):
                yield from _member_records(raw, name, start, length, on_damage)
                offset = start + length
            return
        except WarcError as exc:
            at = exc.offset if exc.offset is not None else offset
            on_damage(WarcError(f"{name}: unreadable record at byte offset {at} "
                                f"({_short(exc)}); skipped to the next record", name, at))
            offset = next_start(fh, at + 1)


def _member_records(raw: bytes, name: str, start: int, length: int,
                    on_damage: OnDamage) -> Iterator[Capture]:
    """The records of one inflated gzip member, each placed at the member's offset."""
    try:
        records = [_capture(record, name) for record in ArchiveIterator(
            io.BytesIO(raw), arc2warc=True) if record.rec_type in YIELDED]
    except READ_ERRORS as exc:
        on_damage(WarcError(f"{name}: unreadable record at byte offset {start} "
                            f"({_short(exc)}); skipped to the next record", name, start))
        return
    for capture in records:
        try:
            yield _placed(capture, start, length)
        except WarcError as exc:   # one bad field: this record only
            on_damage(WarcError(f"{name}: record at byte offset {start}: {exc}", name, start))


def _read_plain(fh: BinaryIO, name: str, on_damage: OnDamage) -> Iterator[Capture]:
    """An uncompressed file: warcio reads on; after damage, the next record start is sought."""
    offset: int | None = fh.tell()
    while offset is not None:
        fh.seek(offset)
        iterator = ArchiveIterator(fh, arc2warc=True)
        last_end = offset
        try:
            for record in iterator:
                # the body is read first: asking warcio for the offset consumes the record
                capture = _capture(record, name) if record.rec_type in YIELDED else None
                start, length = iterator.get_record_offset(), iterator.get_record_length()
                last_end = start + length
                if capture is None:
                    continue
                try:
                    yield _placed(capture, start, length)
                except WarcError as exc:   # one bad field: this record only
                    on_damage(WarcError(f"{name}: record at byte offset {start}: {exc}",
                                        name, start))
            return
        except READ_ERRORS as exc:
            on_damage(WarcError(f"{name}: unreadable record at byte offset {last_end} "
                                f"({_short(exc)}); skipped to the next record", name, last_end))
        offset = next_start(fh, last_end + 1)


def _short(exc: BaseException) -> str:
    """warcio's message without the binary first line it quotes."""
    text = (str(exc).splitlines() or [type(exc).__name__])[0].split(", first line")[0]
    return "".join(c if c.isprintable() else "?" for c in text)[:120]


def next_start(fh: BinaryIO, offset: int) -> int | None:
    """The offset of the next place after `offset` where a record may begin, or None."""
    fh.seek(offset)
    carry, base = b"", offset
    while chunk := fh.read(SCAN):
        data = carry + chunk
        found = [i for i in (data.find(s) for s in STARTS) if i >= 0]
        if found:
            at = min(found)
            return base + at + (0 if data[at:at + 1] == b"\x1f" else 1)
        carry = data[-8:]
        base += len(data) - len(carry)
    return None


def _capture(record: ArcWarcRecord, name: str) -> Capture:
    """A warcio record as a `Capture` (dates parsed later, by `_placed`): WARC fields, HTTP
    head, and the payload with chunking and content-coding undone."""
    warc = record.rec_headers
    http = record.http_headers
    status = reason = protocol = None
    headers: list[tuple[str, str]] = []
    if http is not None:
        protocol = http.protocol or None
        code, _, reason = (http.statusline or "").partition(" ")
        status = int(code) if code.isdigit() else None
        headers = [(k, v) for k, v in http.headers]
    mime = next((v for k, v in headers if k.lower() == "content-type"), "")
    content_type, charset = split_content_type(mime)
    body = b"" if record.rec_type == "revisit" else record.content_stream().read()
    field = warc.get_header
    return Capture(
        record_id=field("WARC-Record-ID") or "", record_type=record.rec_type,
        target_uri=(field("WARC-Target-URI") or "").strip("<>"), date=NO_DATE,
        status=status, reason=reason, protocol=protocol, headers=tuple(headers),
        content_type=content_type, charset=charset,
        payload_digest=field("WARC-Payload-Digest"), block_digest=field("WARC-Block-Digest"),
        filename=name, offset=0, length=0, ip_address=field("WARC-IP-Address"),
        truncated=field("WARC-Truncated"), source_uri=field("WARC-Source-URI"),
        refers_to=field("WARC-Refers-To"),
        refers_to_target_uri=field("WARC-Refers-To-Target-URI"), refers_to_date=None,
        concurrent_to=field("WARC-Concurrent-To"),
        fields=(("warc-date", field("WARC-Date") or ""),
                ("warc-refers-to-date", field("WARC-Refers-To-Date") or "")),
        body=body,
    )


def _placed(capture: Capture, offset: int, length: int) -> Capture:
    """The capture with its place in the file, its dates parsed (a bad one is a WarcError)
    and a record id: ARC records have none, so one is made from the file name and offset (a
    name-based UUID: the same in every build)."""
    dates = dict(capture.fields)
    where = Path(capture.filename)
    if not URI.fullmatch(capture.target_uri):   # bytes read as an ARC header by chance
        raise WarcError(f"no URL in the record's header ({capture.target_uri[:60]!r})",
                        where, offset)
    return replace(
        capture, offset=offset, length=length, fields=(),
        record_id=capture.record_id if capture.filename.endswith((".warc", ".warc.gz"))
        and capture.record_id else f"<urn:uuid:{uuid5(RECORD_IDS, f'{where}@{offset}')}>",
        date=parse_date(dates["warc-date"], where, offset) or NO_DATE,
        refers_to_date=parse_date(dates["warc-refers-to-date"], where, offset))
