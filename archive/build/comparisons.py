"""Which captures each seed is compared with, and the comparisons the build stores.

A seed names original URLs; each URL may have been captured many times (live, from web
archives, on several dates) and may redirect. Every capture of an original URL is followed to
the page it ends on, through the crawl log (`record_id` of the final response) and the WARC
`Location` headers, so a 301 → 200 chain compares the 200 page. A final page whose text is an
article is compared with the seed; any other (an error status, a consent wall, a redirect whose
target was never captured) gets a `not comparable` row saying why. The seed's best match among
its versions is marked with `best_match`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin

from archive.build.pool import Batches, Workers
from archive.build.progress import Progress
from archive.compare.best_match import best_match
from archive.compare.engine import COMPARE_VERSION, Comparison, compare
from archive.db.store import NOT_COMPARABLE, Store
from archive.seeds.parse import Seed

if TYPE_CHECKING:
    from archive.build.builder import BuildSummary

MAX_HOPS = 10
ROLES = {"original": 0, "repost": 1, "quoted": 2}


@dataclass
class Target:
    """One comparison to store: a seed and the final page of one capture of an original URL."""

    id: int
    seed: Seed
    original: dict                     # the `originals` row
    final: dict                        # the `captures` row of the page compared
    redirects: list[str] = field(default_factory=list)
    text: dict | None = None           # its `texts` row (without the text itself)

    def row(self) -> dict:
        f = self.final
        return {
            "id": self.id, "seed_id": self.seed.id, "record_id": f["record_id"],
            "text_record_id": f["text_record_id"], "original_id": self.original["id"],
            "url": self.original["url"], "final_url": f["url"],
            "redirects": json.dumps(self.redirects), "role": self.original["role"],
            "source": f["source"], "archive": f["archive"], "captured_at": f["captured_at"],
            "status": f["status"], "kind": self.text["kind"] if self.text else None,
            "verdict": NOT_COMPARABLE, "reason": None, "coverage": None, "added": None,
            "changed": None, "findings": None, "normalisation": None, "blocks": None,
            "best": 0, "best_cause": None, "best_reason": None, "seed_sha256": self.seed.sha256,
            "extractor_version": self.text["extractor_version"] if self.text else None,
            "compare_version": COMPARE_VERSION,
        }

    def not_comparable(self) -> str | None:
        """Why this page cannot be compared with the seed, or None when it can."""
        f = self.final
        status = f["status"]
        if status is not None and 300 <= status < 400:
            where = urljoin(f["url"], f["location"]) if f["location"] else "nowhere"
            return f"HTTP {status} redirect to {where}, which was never captured"
        if status is not None and not 200 <= status < 300:
            return f"HTTP {status} {f['reason'] or ''}".strip() + ": no article at this capture"
        if self.text is None:
            if f["record_type"] == "revisit":
                return f"revisit of {f['refers_to']}, a record not in the WARCs: no text"
            return "no text extracted from this record (see build_problems)"
        if not self.text["is_article"]:
            return f"not an article ({self.text['kind']}): {self.text['kind_reason'] or ''}"
        return None


def _moment(row: dict) -> float:
    stamp = row["captured_at"]
    return datetime.fromisoformat(stamp).timestamp() if stamp else 0.0


def follow(store: Store, start: dict) -> tuple[dict, list[str]]:
    """The capture a redirect chain ends on, and the URLs on the way (WARC Location headers)."""
    chain, current, seen = [start["url"]], start, {start["record_id"]}
    while current["location"] and 300 <= (current["status"] or 0) < 400 and len(chain) <= MAX_HOPS:
        url = urldefrag(urljoin(current["url"], current["location"])).url
        candidates = [c for c in store.captures_of(url) if c["record_id"] not in seen]
        if not candidates:
            break
        moment = _moment(current)
        current = min(candidates, key=lambda c: (
            c["source"] != current["source"], c["crawl_id"] != current["crawl_id"],
            abs(_moment(c) - moment)))
        seen.add(current["record_id"])
        chain.append(current["url"])
    return current, chain


def targets(store: Store, seed: Seed, originals: list[dict], next_id: int) -> list[Target]:
    """Every (original URL, final page) of one seed, in a stable order."""
    found: dict[tuple[int, str], Target] = {}
    for original in originals:
        url = original["url"]
        for start in store.captures_of(url):
            final, chain = follow(store, start)
            found.setdefault((original["id"], final["record_id"]),
                             Target(0, seed, original, final, chain))
        for line in store.crawl_finals(url):
            final = store.capture(line["record_id"])
            if final is None:
                continue
            chain = [url, *json.loads(line["redirects"] or "[]"), final["url"]]
            chain = [u for i, u in enumerate(chain) if i == 0 or u != chain[i - 1]]
            found.setdefault((original["id"], final["record_id"]),
                             Target(0, seed, original, final, chain))
    ordered = sorted(found.values(), key=lambda t: (
        t.original["position"], t.final["captured_at"] or "", t.final["record_id"]))
    for number, target in enumerate(ordered):
        target.id = next_id + number
        target.text = store.text_info(target.final["text_record_id"])
    return ordered


# -- comparing ----------------------------------------------------------------------------------

def compare_chunk(tasks: list[tuple[int, str, str]]) -> list[tuple[int, dict, list[dict]]]:
    """Worker: compare seed texts with original texts. Runs in a worker process."""
    out = []
    for number, seed_text, text in tasks:
        try:
            out.append((number, *comparison_fields(compare(seed_text, text))))
        except Exception as exc:  # an engine bug must not lose the other comparisons
            out.append((number, {"reason": f"the comparison failed: {exc!r}"}, []))
    return out


def comparison_fields(comparison: Comparison) -> tuple[dict, list[dict]]:
    """The `comparisons` columns and the `differences` rows of a Comparison."""
    data = comparison.to_dict()
    changes = data.get("changed") or []
    fields = {
        "verdict": comparison.verdict, "reason": comparison.reason,
        "coverage": comparison.coverage, "added": comparison.added, "changed": len(changes),
        "findings": json.dumps(data.get("findings") or []),
        "normalisation": json.dumps(data.get("normalisation") or {}),
        "blocks": json.dumps(data.get("blocks") or []),
    }
    differences = []
    for position, change in enumerate(changes):
        rest = {k: v for k, v in change.items() if k not in (
            "kind", "severity", "category", "seed_words", "original_words")}
        differences.append({
            "position": position, "kind": change.get("kind"),
            "severity": _words(change.get("severity")), "category": change.get("category"),
            "seed_words": _words(change.get("seed_words")),
            "original_words": _words(change.get("original_words")),
            "detail": json.dumps(rest),
        })
    return fields, differences


def _words(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def compare_seeds(store: Store, seeds: list[Seed], workers: Workers, summary: BuildSummary,
                  progress: Progress) -> None:
    """Store a comparison for every seed × final page of its originals, then mark the best."""
    plans = list(_plans(store, seeds))
    rows: dict[int, dict] = {}                     # rows waiting for their comparison
    state = {"done": 0, "difference": 0}
    progress.phase("comparing", len(plans), unit="comparisons")

    def stored(results: list[tuple[int, dict, list[dict]]]) -> None:
        for number, fields, differences in results:
            store.add("comparisons", {**rows.pop(number), **fields})
            for difference in differences:
                state["difference"] += 1
                store.add("differences", {"id": state["difference"], "comparison_id": number,
                                          **difference})
            state["done"] += 1
            progress.update(state["done"], state["done"])

    batches = Batches(workers, compare_chunk, stored, chunk=1)
    for target in plans:
        row = rows[target.id] = target.row()
        row["reason"] = target.not_comparable()
        if row["reason"] is not None:
            batches.ready([(target.id, {}, [])])
            continue
        previous = store.previous_comparison(row, target.seed.text)
        if previous is not None:
            summary.reused_comparisons += 1
            batches.ready(_reused(target.id, *previous))
        else:
            summary.compared += 1
            batches.submit((target.id, target.seed.text, store.text_of(row["text_record_id"])))
    batches.drain()
    progress.end()
    mark_best(store, seeds, workers)


def _plans(store: Store, seeds: list[Seed]) -> Iterator[Target]:
    next_id = 1
    for seed in seeds:
        found = targets(store, seed, store.originals_of(seed.id), next_id)
        next_id += len(found)
        yield from found


def _reused(number: int, row: dict, differences: list[dict]) -> list[tuple[int, dict, list]]:
    fields = {k: row[k] for k in ("verdict", "reason", "coverage", "added", "changed",
                                  "findings", "normalisation", "blocks")}
    kept = [{k: d[k] for k in ("position", "kind", "severity", "category", "seed_words",
                               "original_words", "detail")} for d in differences]
    return [(number, fields, kept)]


def best_chunk(tasks: list[tuple[str, list[dict]]]) -> list[tuple[int, str, str]]:
    """Worker: which version each seed matches best, and why. Runs in a worker process."""
    out = []
    for seed_text, versions in tasks:
        found = best_match(seed_text, versions)
        out.append((found.best, found.cause, found.explanation))
    return out


def mark_best(store: Store, seeds: list[Seed], workers: Workers) -> None:
    """Mark each seed's best comparison: as the previous build did when nothing changed."""
    def stored(results: list[tuple[int, str, str]]) -> None:
        for number, cause, explanation in results:
            store.mark_best(number, cause, explanation)

    batches = Batches(workers, best_chunk, stored, chunk=1)
    for seed in seeds:
        rows = store.comparable(seed.id)
        if not rows:
            continue
        previous = store.previous_best(seed.id, rows)
        if previous is not None:
            batches.ready([previous])
            continue
        # versions with the same text compare the same: keep the first (best role, earliest)
        distinct: dict[str, dict] = {}
        for row in sorted(rows, key=lambda r: (ROLES.get(r["role"], 9), r["captured_at"] or "")):
            distinct.setdefault(row["text_record_id"], row)
        versions = [{**row, "text": store.text_of(row["text_record_id"])}
                    for row in sorted(distinct.values(), key=lambda r: r["id"])]
        batches.submit((seed.text, versions))
    batches.drain()
