"""Archived captures beside every live fetch, and which of them the comparison should use.

For each original URL the spider fetches the live page and, from every archive source, the
captures chosen by `SEEDCHECK_CAPTURES` (closest to the seed's publication date, or to
`SEEDCHECK_AT`; optionally the first and the latest). The URL's crawl-log line waits until all
of them are done, then says which source answered (`used`) and why (`reason`), with one entry
per archived capture or failed lookup in `archived`.

Requests to an archive go through their own download slot, `archive:<name>`, whose delay
`seedcheck crawl` sets from SEEDCHECK_ARCHIVE_RATE (requests per minute, default 30); 429 is
retried by the crawl's retry middleware after its Retry-After. The CDX lookups are archived as
ordinary fetches of the archive's URLs; a capture's bytes are archived as the original URL at
its capture time (see `crawler.extensions.memento_exchange`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.http import Response

from crawler.cdx import (
    ArchiveError,
    ArchiveSource,
    cdx_query,
    http_date,
    parse_cdx,
    replay_url,
    select,
)

MAX_ARCHIVED_HOPS = 5
PROBING, UP = "probing", "up"
UNREACHABLE = ("dns", "refused", "timeout")  # a probe failing so: the archive is not there
DEFAULT_RATE = 30.0  # CDX requests per minute per archive


def slot(source: ArchiveSource) -> str:
    return f"archive:{source.name}"


def slot_settings(sources: Iterable[ArchiveSource], per_minute: float) -> dict[str, dict]:
    """DOWNLOAD_SLOTS entries: one request at a time per archive, spaced by the rate."""
    delay = 60.0 / per_minute if per_minute > 0 else 0.0
    return {slot(s): {"concurrency": 1, "delay": delay, "jitter": 0} for s in sources}


def live_problem(url: str, outcome: str, facts: dict) -> str | None:
    """Why the live fetch cannot stand for the original, or None when it can."""
    status = facts.get("status")
    if outcome == "failed":
        return f"live fetch failed ({facts.get('error')})"
    if status in (404, 410):
        return f"live page gone (HTTP {status})"
    if status is not None and status >= 500:
        return f"live server error (HTTP {status}) after retries"
    final = facts.get("final_url") or url
    if urlsplit(final).path in ("", "/") and urlsplit(url).path not in ("", "/"):
        return f"live URL redirects to the home page ({final})"
    return None


@dataclass
class Pending:
    """A URL whose line waits for its live fetch and its archive lookups."""

    outstanding: int
    live: tuple[str, dict] | None = None
    archived: list[dict] = field(default_factory=list)


class Fallback:
    """Archive requests of the spider and the bookkeeping that joins them into one line."""

    def __init__(self, sources: Sequence[ArchiveSource], choices: Sequence[str],
                 at: date | None):
        self.sources = tuple(sources)
        self.choices = tuple(choices)
        self.at = at
        self.pending: dict[str, Pending] = {}
        self.ready: list[str] = []  # URLs whose line can be written
        self.state: dict[str, str] = {}  # archive -> PROBING, UP, or why it is unreachable
        self.probed: set[str] = set()
        self.held: dict[str, list[Request]] = {}  # lookups waiting for the archive's probe

    # -- requests --------------------------------------------------------------------------------
    def start(self, url: str, meta: dict, when: date | None, callbacks: dict) -> list[Request]:
        """The archive lookups of one URL; registers it as pending (live fetch included).

        An archive's first lookup is a probe: the others wait for its answer, so an archive
        that cannot be reached (offline, DNS) costs one failed request, not one per URL.
        """
        target = self.at or when
        self.pending[url] = pending = Pending(outstanding=1)
        out = []
        for source in self.sources:
            request = self._lookup(source, url, meta, target, callbacks)
            state = self.state.setdefault(source.name, PROBING)
            if source.name not in self.probed:
                self.probed.add(source.name)
                pending.outstanding += 1
                out.append(request)
            elif state == PROBING:
                pending.outstanding += 1
                self.held.setdefault(source.name, []).append(request)
            elif state == UP:
                pending.outstanding += 1
                out.append(request)
            else:
                self._add(url, request.meta["seedcheck_archive"], _unreachable(state))
        return out

    def release(self, archive: str, answered: bool, kind: str = "", detail: str = "") -> list:
        """After an archive's probe: its held lookups go out, or fail the way the probe did."""
        if self.state.get(archive) != PROBING:
            return []
        held = self.held.pop(archive, [])
        if answered or kind not in UNREACHABLE:
            self.state[archive] = UP
            return held
        self.state[archive] = f"{kind}: {detail}"
        for request in held:
            url = request.meta["seedcheck_target"][0]
            self._add(url, request.meta["seedcheck_archive"], _unreachable(self.state[archive]))
            self._finish_one(url, [])
        return []

    def _lookup(self, source: ArchiveSource, url: str, meta: dict, target: date | None,
                callbacks: dict) -> Request:
        info = {"archive": source.name, "kind": source.kind, "url": source.url,
                "replay": source.replay, "target": target.isoformat() if target else None,
                "hops": 0}
        common = {**meta, "seedcheck_archive": info, "download_slot": slot(source),
                  "autothrottle_dont_adjust_delay": True, "dont_obey_robotstxt": True}
        if source.kind == "cdx":
            query = cdx_query(source, url)
            info["lookup"] = query
            return Request(query, callback=callbacks["lookup"], errback=callbacks["failed"],
                           meta=common, dont_filter=True)
        gate = source.url + url
        info.update(lookup=gate, choice="closest", why=_why("closest", target))
        headers = {"Accept-Datetime": http_date(_as_datetime(target))} if target else {}
        return Request(gate, headers=headers, callback=callbacks["capture"],
                       errback=callbacks["failed"], meta={**common, "seedcheck_memento": info},
                       dont_filter=True)

    def on_lookup(self, response: Response, callbacks: dict) -> list[Request]:
        """The CDX answer: a capture request per chosen row, or the reason there is none."""
        info = response.meta["seedcheck_archive"]
        held = self.release(info["archive"], answered=True)
        return held + self._lookup_answer(response, info, callbacks)

    def _lookup_answer(self, response: Response, info: dict, callbacks: dict) -> list[Request]:
        source = ArchiveSource(info["archive"], "cdx", info["url"], info.get("replay"))
        url = response.meta["seedcheck_target"][0]
        if response.status == 404:
            rows = []
        elif response.status != 200:
            return self._done(url, info, error=f"CDX lookup answered HTTP {response.status}")
        else:
            try:
                rows = parse_cdx(response.text, source.name)
            except ArchiveError as exc:
                return self._done(url, info, error=str(exc))
        target = _as_datetime(date.fromisoformat(info["target"])) if info["target"] else None
        chosen = select(rows, self.choices, target)
        if not chosen:
            return self._done(url, info, error=f"no capture ({len(rows)} rows, none usable)")
        requests = []
        for choice, row in chosen:
            memento = {**info, "choice": choice, "timestamp": row.timestamp,
                       "why": _why(choice, target and target.date())}
            requests.append(self._capture(replay_url(source, row.timestamp, row.url),
                                          response.meta, memento, callbacks))
        if url in self.pending:
            self.pending[url].outstanding += len(requests) - 1
        return requests

    def _capture(self, archive_url: str, meta: dict, memento: dict, callbacks: dict) -> Request:
        return Request(archive_url, callback=callbacks["capture"], errback=callbacks["failed"],
                       meta={**meta, "seedcheck_memento": memento, "dont_redirect": True,
                             "handle_httpstatus_all": True}, dont_filter=True)

    def on_capture(self, response: Response, callbacks: dict) -> list[Request]:
        """A capture arrived (archived by the WARC extension); follow an archived redirect."""
        memento = response.meta["seedcheck_memento"]
        held = self.release(memento["archive"], answered=True)
        return held + self._capture_answer(response, memento, callbacks)

    def _capture_answer(self, response: Response, memento: dict,
                        callbacks: dict) -> list[Request]:
        url = response.meta["seedcheck_target"][0]
        record = response.meta.get("seedcheck_record") or {}
        location = response.headers.get(b"Location")
        entry = {"status": response.status, "record_id": record.get("record_id"),
                 "warc_file": record.get("warc_file"), "source_url": response.url,
                 "timestamp": record.get("timestamp") or memento.get("timestamp"),
                 "original": record.get("original")}
        if not record.get("memento"):
            error = record.get("error") or f"no capture (archive answered HTTP {response.status})"
            return self._done(url, memento, error=error, status=response.status)
        if 300 <= response.status < 400 and location and memento["hops"] < MAX_ARCHIVED_HOPS:
            to = urljoin(record.get("original") or url, location.decode("latin-1"))
            source = ArchiveSource(memento["archive"], memento["kind"], memento["url"],
                                   memento.get("replay"))
            hop = {**memento, "hops": memento["hops"] + 1}
            self._add(url, memento, entry)  # the redirect hop itself is kept as a capture
            if url in self.pending:
                self.pending[url].outstanding += 1
            if source.kind == "cdx":
                next_url = replay_url(source, entry["timestamp"], to)
            else:
                next_url = source.url + to
            return self._finish_one(url, [self._capture(next_url, response.meta, hop, callbacks)])
        self._add(url, memento, entry)
        return self._finish_one(url, [])

    def on_failed(self, url: str, meta: dict, kind: str, detail: str) -> list[Request]:
        info = meta.get("seedcheck_memento") or meta["seedcheck_archive"]
        held = self.release(info["archive"], answered=False, kind=kind, detail=detail)
        return held + self._done(url, info, error=kind, detail=detail)

    # -- bookkeeping -----------------------------------------------------------------------------
    def _add(self, url: str, info: dict, entry: dict) -> None:
        pending = self.pending.get(url)
        if pending is not None:
            pending.archived.append({"archive": info["archive"], "choice": info.get("choice"),
                                     "lookup": info.get("lookup"), "why": info.get("why"),
                                     "error": None, "detail": None, **entry})

    def _done(self, url: str, info: dict, *, error: str, detail: str | None = None,
              status: int | None = None) -> list:
        self._add(url, info, {"status": status, "record_id": None, "timestamp":
                              info.get("timestamp"), "error": error, "detail": detail})
        return self._finish_one(url, [])

    def _finish_one(self, url: str, more: list) -> list:
        pending = self.pending.get(url)
        if pending is not None:
            pending.outstanding -= 1
            if pending.outstanding <= 0 and pending.live is not None:
                self.ready.append(url)
        return more

    def live_done(self, url: str, outcome: str, facts: dict) -> bool:
        """Note the live outcome; True when the URL's line can be written now."""
        pending = self.pending[url]
        pending.live = (outcome, facts)
        pending.outstanding -= 1
        return pending.outstanding <= 0

    def take_ready(self) -> list[str]:
        ready, self.ready = self.ready, []
        return ready

    def line(self, url: str) -> tuple[str, dict]:
        """The URL's outcome and facts, joined with its archived captures; forgets the URL."""
        pending = self.pending.pop(url)
        outcome, facts = pending.live or ("failed", {
            "error": "other", "detail": "no outcome: the live request was lost"})
        archived = [_entry(a) for a in pending.archived]
        problem = live_problem(url, outcome, facts)
        usable = [a for a in archived if a["record_id"] and a["status"] and a["status"] < 300]
        best = next((a for a in usable if "closest" in (a["choice"] or "")),
                    usable[0] if usable else None)
        extra: dict[str, Any] = {"archived": tuple(archived)}
        if problem is None:
            extra.update(used="live", source="live")
        elif best is not None:
            extra.update(used="archive", source="archive", archive=best["archive"],
                         reason=f"{problem}: using the {best['archive']} capture of "
                                f"{best['timestamp']} ({best['why']})")
        else:
            tried = "; ".join(f"{a['archive']}: {a['error'] or 'HTTP ' + str(a['status'])}"
                              for a in archived) or "no archive configured"
            extra.update(used=None, source="live",
                         reason=f"{problem}; no archived capture to fall back on ({tried})")
        return outcome, {**facts, **extra}

    def lost(self) -> list[str]:
        """URLs whose live fetch is done but whose archive requests were lost (crawl idle)."""
        return [url for url, p in self.pending.items() if p.live is not None]


def _unreachable(state: str) -> dict:
    kind, _, detail = state.partition(": ")
    return {"status": None, "record_id": None, "error": kind,
            "detail": f"not asked: the archive's first lookup in this crawl failed ({detail})"}


def _entry(a: dict) -> dict:
    keys = ("archive", "choice", "timestamp", "status", "record_id", "warc_file", "source_url",
            "lookup", "why", "error", "detail")
    return {k: a.get(k) for k in keys}


def _why(choice: str, target: date | None) -> str:
    if "closest" not in choice.split(","):
        return choice
    return f"{choice}: closest to {target.isoformat()}" if target else f"{choice}: no target date"


def _as_datetime(when: date | None) -> datetime | None:
    if when is None or isinstance(when, datetime):
        return when
    return datetime(when.year, when.month, when.day, 12, tzinfo=UTC)
