"""Web archives: sources, CDX queries and answers, Memento dates, archived headers restored.

Plain standard library, no Scrapy: the spider uses it to build and read its archive requests,
and `seedcheck captures` / `seedcheck resolve` use its small blocking client (`lookup`).

Two kinds of source. `cdx`: a CDX server (the Wayback Machine's `/cdx/search/cdx`, pywb's
`/<coll>/cdx`) for the lookup, then the capture's raw bytes from the replay base in `id_` mode
(`<replay><timestamp>id_/<url>`). `memento`: an RFC 7089 TimeGate (`<timegate><url>` asked with
`Accept-Datetime`), whose answer (after any redirect) carries `Memento-Datetime`.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import quote, urlsplit

WAYBACK_CDX = "https://web.archive.org/cdx/search/cdx"
WAYBACK_REPLAY = "https://web.archive.org/web/"
KINDS = ("cdx", "memento")
CAPTURE_CHOICES = ("first", "closest", "latest")
# An archive URL of a capture: <replay base><14-digit timestamp><modifier>/<original URL>.
ARCHIVED_URL = re.compile(r"/(\d{4,14})([a-z]{2}_)?/+(https?:/+.*)$", re.IGNORECASE)
DATE_SLACK = 300  # seconds between a Date header and the capture time for it to be the original's
DROPPED = ("link", "memento-datetime", "content-location", "vary")


class ArchiveError(Exception):
    """An archive source that cannot be used, or a lookup that failed; names the archive."""


@dataclass(frozen=True)
class ArchiveSource:
    name: str
    kind: str  # "cdx" | "memento"
    url: str   # the CDX endpoint, or the TimeGate base (the original URL is appended)
    replay: str | None = None  # cdx: where `<ts>id_/<url>` is fetched; derived when not given

    @property
    def replay_base(self) -> str:
        if self.replay:
            return self.replay if self.replay.endswith("/") else self.replay + "/"
        base = self.url.rstrip("/")
        for tail, replace in (("/cdx/search/cdx", "/web"), ("/cdx", "")):
            if base.endswith(tail):
                return base[: -len(tail)] + replace + "/"
        raise ArchiveError(f"archive {self.name}: cannot derive the replay URL from {self.url};"
                           " give `replay`")


WAYBACK = ArchiveSource("wayback", "cdx", WAYBACK_CDX, WAYBACK_REPLAY)


def parse_archives(value: object) -> tuple[ArchiveSource, ...]:
    """Sources from a setting: a list of {name, kind, url[, replay]} (or its JSON text)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ArchiveError(f"SEEDCHECK_ARCHIVES is not JSON: {exc}") from None
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise ArchiveError("SEEDCHECK_ARCHIVES must be a list of {name, kind, url}")
    sources = []
    for item in value:
        if isinstance(item, ArchiveSource):
            sources.append(item)
            continue
        if not isinstance(item, Mapping) or not item.get("name") or not item.get("url"):
            raise ArchiveError(f"archive source {item!r} needs a name and a url")
        kind = item.get("kind", "cdx")
        if kind not in KINDS:
            raise ArchiveError(f"archive {item['name']}: kind {kind!r} is not cdx or memento")
        if not urlsplit(str(item["url"])).scheme.startswith("http"):
            raise ArchiveError(f"archive {item['name']}: {item['url']!r} is not an http(s) URL")
        sources.append(ArchiveSource(str(item["name"]), kind, str(item["url"]),
                                     item.get("replay")))
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise ArchiveError(f"archive names must differ: {', '.join(names)}")
    return tuple(sources)


def parse_choices(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """SEEDCHECK_CAPTURES: which captures per URL, e.g. "closest" or "first,closest,latest"."""
    items = value.split(",") if isinstance(value, str) else list(value or ["closest"])
    choices = tuple(dict.fromkeys(i.strip() for i in items if i.strip()))
    bad = [c for c in choices if c not in CAPTURE_CHOICES]
    if bad or not choices:
        raise ArchiveError(f"captures {value!r}: choose among {', '.join(CAPTURE_CHOICES)}")
    return choices


# -- dates ---------------------------------------------------------------------------------------

def to_timestamp(when: datetime | date) -> str:
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, 12, tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def from_timestamp(ts: str) -> datetime:
    """A CDX timestamp (1 to 14 digits: a short one means the start of that period)."""
    full = (ts + "00000101000000"[len(ts):]) if len(ts) < 14 else ts[:14]
    return datetime.strptime(full, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def http_date(when: datetime | date) -> str:
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, 12, tzinfo=UTC)
    return format_datetime(when.astimezone(UTC), usegmt=True)


def parse_http_date(text: str | None) -> datetime | None:
    try:
        when = parsedate_to_datetime(text) if text else None
    except (TypeError, ValueError):
        return None
    return when.replace(tzinfo=UTC) if when and when.tzinfo is None else when


# -- CDX -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CdxRow:
    timestamp: str
    url: str
    status: int | None
    mime: str | None
    digest: str | None
    length: int | None
    archive: str

    @property
    def date(self) -> datetime:
        return from_timestamp(self.timestamp)


def cdx_query(source: ArchiveSource, url: str, *, prefix: bool = False,
              limit: int | None = None) -> str:
    """The CDX lookup URL for `url` (every capture), or for every URL under it with `prefix`."""
    params = [("url", url + ("*" if prefix and not url.endswith("*") else "")),
              ("output", "json")]
    if limit:
        params.append(("limit", str(limit)))
    if prefix:
        params.append(("collapse", "urlkey"))
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params)
    return f"{source.url}{'&' if '?' in source.url else '?'}{query}"


def parse_cdx(text: str, archive: str) -> list[CdxRow]:
    """Rows of a CDX JSON answer: pywb's one object per line, or the Wayback's array of arrays."""
    text = text.strip()
    if not text:
        return []
    try:
        if text.startswith("["):
            table = json.loads(text)
            if not table:
                return []
            head = [str(h) for h in table[0]]
            objects = [dict(zip(head, row, strict=False)) for row in table[1:]]
        else:
            objects = [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"archive {archive}: CDX answer is not JSON: {exc}") from None
    return [_row(o, archive) for o in objects if o.get("timestamp") and _url_of(o)]


def _url_of(o: Mapping) -> str | None:
    return o.get("original") or o.get("url")


def _row(o: Mapping, archive: str) -> CdxRow:
    def number(key: str, *alts: str) -> int | None:
        for k in (key, *alts):
            value = str(o.get(k) or "")
            if value.isdigit():
                return int(value)
        return None

    return CdxRow(str(o["timestamp"]), str(_url_of(o)), number("statuscode", "status"),
                  o.get("mimetype") or o.get("mime"), o.get("digest"), number("length"), archive)


def usable(row: CdxRow) -> bool:
    """A capture worth fetching: a page or a redirect (not an error page, not a revisit stub)."""
    return row.status is not None and 200 <= row.status < 400


def select(rows: Sequence[CdxRow], choices: Sequence[str],
           target: datetime | None) -> list[tuple[str, CdxRow]]:
    """(choices, row) for each wanted capture; a row picked twice is listed once, its choices
    joined ("first,closest").

    `closest` without a target date is the latest. 2xx captures are preferred to 3xx ones.
    """
    good = sorted((r for r in rows if usable(r)), key=lambda r: r.timestamp)
    pages = [r for r in good if r.status is not None and r.status < 300] or good
    if not pages:
        return []
    picked: dict[str, tuple[str, CdxRow]] = {}
    for choice in choices:
        if choice == "first":
            row = pages[0]
        elif choice == "latest" or target is None:
            row = pages[-1]
        else:
            row = min(pages, key=lambda r: (abs((r.date - target).total_seconds()), r.timestamp))
        names = picked[row.timestamp][0] + "," + choice if row.timestamp in picked else choice
        picked[row.timestamp] = (names, row)
    return list(picked.values())


def replay_url(source: ArchiveSource, timestamp: str, url: str) -> str:
    return f"{source.replay_base}{timestamp}id_/{url}"


# -- archived responses --------------------------------------------------------------------------

def original_url(archive_url: str) -> str | None:
    """The original URL inside an archive URL (`…/<ts>[mod_]/<url>`), else None."""
    match = ARCHIVED_URL.search(archive_url)
    if not match:
        return None
    return re.sub(r"^(https?):/+", r"\1://", match.group(3))


def archived_timestamp(archive_url: str) -> str | None:
    match = ARCHIVED_URL.search(archive_url)
    return match.group(1) if match else None


def restore_headers(headers: Sequence[tuple[str, str]],
                    captured: datetime | None = None) -> list[tuple[str, str]]:
    """The original server's headers from an archive's answer.

    With `X-Archive-Orig-*` headers (the Wayback's way) those are the original ones, and of the
    archive's own only Content-Type and Content-Encoding (which describe the bytes stored) stay.
    Without them (pywb's `id_` mode) the headers are the original ones already. Memento headers
    (Link, Memento-Datetime, Content-Location) and `X-Archive*` go; Location is un-rewritten;
    a `Date` far from the capture time `captured` is the archive's own and goes too.
    """
    restored = [(k[len("x-archive-orig-"):], v) for k, v in headers
                if k.lower().startswith("x-archive-orig-")]
    if restored:
        restored = [(k, v) for k, v in restored
                    if k.lower() not in ("content-length", "transfer-encoding", "content-encoding")]
        keep = ("content-type", "content-encoding", "location")
        have = {k.lower() for k, _ in restored}
        own = [(k, v) for k, v in headers if k.lower() in keep and k.lower() not in have]
        headers = restored + own
    result = []
    for name, value in headers:
        low = name.lower()
        if low in DROPPED or low.startswith("x-archive"):
            continue
        if low == "location":
            value = original_url(value) or value
        if low == "date" and captured is not None and not restored:
            when = parse_http_date(value)
            if when is None or abs((when - captured).total_seconds()) > DATE_SLACK:
                continue
        result.append((name, value))
    return result


def link_original(link: str | None) -> str | None:
    """The rel="original" URL of a Memento `Link` header."""
    for match in re.finditer(r'<([^>]*)>\s*;([^<]*)', link or ""):
        if re.search(r'rel="?[^",;]*\boriginal\b', match.group(2)):
            return match.group(1)
    return None


# -- a small blocking client for the CLI ---------------------------------------------------------

@dataclass(frozen=True)
class Lookup:
    archive: str
    query: str
    rows: tuple[CdxRow, ...]
    error: str | None = None
    waited: float = 0.0  # seconds spent honouring 429 Retry-After


class RateLimit:
    """At most `per_minute` requests per archive: waits before a request that comes too soon."""

    def __init__(self, per_minute: float):
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.last: dict[str, float] = {}

    def wait(self, archive: str) -> None:
        due = self.last.get(archive, float("-inf")) + self.interval
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        self.last[archive] = time.monotonic()


def lookup(source: ArchiveSource, url: str, *, prefix: bool = False, limit: int | None = None,
           rate: RateLimit | None = None, timeout: float = 20.0, max_wait: float = 60.0,
           user_agent: str = "seedcheck") -> Lookup:
    """Ask a CDX source what it holds for `url`; 429 is retried (twice) after its Retry-After.

    Never raises for the network: the failure is in `Lookup.error`.
    """
    if source.kind != "cdx":
        return Lookup(source.name, source.url, (), "not a CDX source (memento: no listing)")
    query = cdx_query(source, url, prefix=prefix, limit=limit)
    waited = 0.0
    for attempt in range(3):
        if rate:
            rate.wait(source.name)
        request = urllib.request.Request(query, headers={"User-Agent": user_agent})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                text = answer.read().decode("utf-8", "replace")
            return Lookup(source.name, query, tuple(parse_cdx(text, source.name)), None, waited)
        except urllib.error.HTTPError as exc:
            if exc.code == 429 and attempt < 2:
                asked = exc.headers.get("Retry-After", "")
                pause = min(float(asked) if asked.strip().isdigit() else 5.0, max_wait)
                waited += pause
                time.sleep(pause)
                continue
            error = f"HTTP {exc.code} {exc.reason}"
            if exc.code == 404:
                return Lookup(source.name, query, (), None, waited)  # pywb: nothing captured
        except (urllib.error.URLError, OSError) as exc:
            error = f"{getattr(exc, 'reason', exc)}"
        except ArchiveError as exc:
            error = str(exc)
        return Lookup(source.name, query, (), error, waited)
    return Lookup(source.name, query, (), "HTTP 429 Too Many Requests (gave up)", waited)
