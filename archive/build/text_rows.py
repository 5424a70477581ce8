"""Text rows of WARC records, made in worker processes (`extract_chunk`).

A `Task` names one record and carries its body when the body is small; a worker reads a
larger one from the WARC itself, so tasks in flight stay small and memory stays flat. Every
row says which extractor and version made it, so a later build can reuse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.extract.article import EXTRACTOR_VERSION, extract_payload
from archive.warc.writer import WarcError, read_capture

# Bodies up to MAX_INLINE travel to a worker with its task; a worker reads a larger one from
# the WARC itself, so the tasks in flight stay small. Over MAX_MEMBER (compressed) or MAX_BODY
# a record is not extracted at all: its text row says why.
MAX_INLINE = 2 * 1024 * 1024
MAX_MEMBER = 32 * 1024 * 1024
MAX_BODY = 64 * 1024 * 1024

@dataclass(frozen=True)
class Failure:
    """A record a worker could not make a text row of."""

    path: str
    offset: int
    message: str


@dataclass(frozen=True)
class Task:
    """One record to extract; without a body the worker reads the record from its file."""

    path: str
    offset: int
    length: int
    record_id: str
    url: str | None = None
    content_type: str | None = None
    charset: str | None = None
    body: bytes | None = None
    too_large: str | None = None        # why the body was not decoded (a decompression bomb)


def task(path: Path, row: dict, body: bytes | None = None, too_large: str | None = None) -> Task:
    return Task(str(path), row["warc_offset"], row["warc_length"] or 0, row["record_id"],
                row["url"], row["content_type"], row["charset"], body, too_large)


def extract_chunk(tasks: list[Task]) -> list[tuple[dict | None, Failure | None]]:
    """Worker: extract each record's text. Runs in a worker process."""
    return [_extract_one(t) for t in tasks]


def _extract_one(t: Task) -> tuple[dict | None, Failure | None]:
    body, content_type, charset, url = t.body, t.content_type, t.charset, t.url
    if t.too_large:
        return _too_large(t.record_id, t.too_large), None
    if body is None:
        if t.length > MAX_MEMBER:
            return _text_row(t.record_id, kind="too-large", kind_reason=(
                f"record of {t.length} compressed bytes is over the build's {MAX_MEMBER}-byte "
                "extraction limit")), None
        try:
            capture = read_capture(Path(t.path), t.offset)
        except WarcError as exc:
            return None, Failure(t.path, t.offset, f"record {t.record_id} unreadable: {exc}")
        body, content_type, charset, url = (capture.body, capture.content_type, capture.charset,
                                            capture.target_uri)
        if capture.body_problem:
            return _too_large(t.record_id, capture.body_problem), None
    if len(body) > MAX_BODY:
        return _text_row(t.record_id, kind="too-large", kind_reason=(
            f"payload of {len(body)} bytes is over the build's {MAX_BODY}-byte limit")), None
    try:
        extracted = extract_payload(body, content_type, charset, url=url)
    except Exception as exc:  # an extractor bug must not lose the rest of the archive
        return None, Failure(t.path, t.offset, f"record {t.record_id}: extraction failed: {exc!r}")
    return _text_row(
        t.record_id, kind=extracted.kind, kind_reason=extracted.kind_reason,
        is_article=int(extracted.is_article), title=extracted.title, author=extracted.author,
        date=extracted.date, sitename=extracted.sitename, language=extracted.language,
        canonical_url=extracted.canonical_url, text=extracted.text,
        word_count=extracted.word_count, page_text=extracted.page_text,
        extractor=extracted.extractor,
        extractor_version=extracted.extractor_version,
    ), None


def _too_large(record_id: str, why: str) -> dict:
    return _text_row(record_id, kind="too-large",
                     kind_reason=f"{why}: over the build's limit, not extracted")


def _text_row(record_id: str, **values: Any) -> dict:
    row = {"record_id": record_id, "kind": None, "kind_reason": None, "is_article": 0,
           "title": None, "author": None, "date": None, "sitename": None, "language": None,
           "canonical_url": None, "text": "", "word_count": 0, "page_text": "",
           "extractor": "seedcheck-build",
           "extractor_version": EXTRACTOR_VERSION}
    row.update(values)
    return row
