"""The comparisons a build stores: each seed with every final page of its originals, once.

One worker task per seed (`compare_seed`) compares the seed with each distinct text among its
comparable pages and picks the best match from those very comparisons
(`archive.compare.best_match.pick`): no comparison is computed twice in a build. A seed whose
seed bytes, texts and engine are those of the previous build takes its rows and its best match
from there, without a task. Seeds are read back from the database a page at a time and rows
are written as their seed's task comes back, so memory does not grow with the number of seeds.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

from archive.build.pool import Batches, Workers
from archive.build.progress import Progress
from archive.build.summary import BuildSummary
from archive.build.targets import SeedText, Target, targets
from archive.compare.best_match import Version, pick
from archive.compare.engine import Comparison, compare
from archive.db.store import Store

ROLES = {"original": 0, "repost": 1, "quoted": 2}
# One task of a seed: (seed id, seed text, [(comparison id, text record id)],
# {text record id: (text, the Version fields of its first page, that page's comparison id,
# the page's full visible text: the comparison's evidence)}).
SeedTask = tuple[str, str, list[tuple[int, str]], dict[str, tuple[str, dict, int, str | None]]]
# What comes back: (seed id, {comparison id: (columns, differences)}, (best id, cause, why)).
Outcome = tuple[str, dict[int, tuple[dict, list[dict]]], tuple[int, str, str] | None]


def compare_chunk(tasks: list[SeedTask]) -> list[Outcome]:
    """Worker: compare each seed with its pages and pick its best match. Runs in a worker."""
    return [compare_seed(*t) for t in tasks]


def compare_seed(seed_id: str, seed_text: str, pages: list[tuple[int, str]],
                 texts: dict[str, tuple[str, dict, int, str | None]]) -> Outcome:
    """Compare the seed once with each distinct text; the best match comes from those."""
    computed: dict[str, Comparison] = {}
    failed: dict[str, str] = {}
    for record_id, (text, _, _, page_text) in texts.items():
        try:
            computed[record_id] = compare(seed_text, text, page_text=page_text)
        except Exception as exc:  # an engine bug must not lose the other comparisons
            failed[record_id] = f"the comparison failed: {exc!r}"
    columns: dict[str, tuple[dict, list[dict]]] = {
        record_id: comparison_fields(c) for record_id, c in computed.items()}
    columns.update({record_id: ({"reason": why}, []) for record_id, why in failed.items()})
    best = None
    if computed:
        versions = [Version(key=r, text="", **texts[r][1]) for r in computed]
        try:
            found = pick(versions, computed)
            best = (texts[found.best][2], found.cause, found.explanation)
        except Exception:  # an engine bug: the comparisons are kept without a best match
            best = None
    return seed_id, {number: columns[record_id] for number, record_id in pages}, best


def comparison_fields(comparison: Comparison) -> tuple[dict, list[dict]]:
    """The `comparisons` columns and the `differences` rows of a Comparison."""
    changes = _plain(comparison.changed)
    fields = {
        "verdict": comparison.verdict, "reason": comparison.reason,
        "coverage": comparison.coverage, "added": comparison.added, "changed": len(changes),
        "findings": json.dumps(_plain(comparison.findings)),
        "additions": json.dumps(_plain(comparison.additions)),
        "normalisation": json.dumps(_plain(comparison.normalisation) or {}),
        "blocks": json.dumps(_plain(comparison.blocks)),
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


def _plain(value: Any) -> Any:
    """Dataclasses as dicts, tuples as lists, all the way down: what `dataclasses.asdict` gives,
    without its deep copy of every value (a third of a build's comparing time)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _words(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def compare_seeds(store: Store, workers: Workers, summary: BuildSummary,
                  progress: Progress) -> None:
    """Store a comparison for every seed × final page of its originals, its best one marked."""
    waiting: dict[str, list[dict]] = {}            # each seed's rows, until its outcome is in
    state = {"seeds": 0, "difference": 0}
    progress.phase("comparing", store.count("seeds"), unit="seeds")

    def stored(outcomes: list[Outcome]) -> None:
        for seed_id, columns, best in outcomes:
            for row in waiting.pop(seed_id):
                fields, differences = columns.get(row["id"], ({}, []))
                row.update(fields)
                if best is not None and row["id"] == best[0]:
                    row.update(best=1, best_cause=best[1], best_reason=best[2])
                store.add("comparisons", row)
                for difference in differences:
                    state["difference"] += 1
                    store.add("differences", {"id": state["difference"],
                                              "comparison_id": row["id"], **difference})
            state["seeds"] += 1
            progress.update(state["seeds"], state["seeds"])

    batches = Batches(workers, compare_chunk, stored, chunk=1)
    for found in _planned(store):
        seed = found[0].seed if found else None
        if seed is None:
            continue
        rows = waiting[seed.id] = [t.row() for t in found]
        for target, row in zip(found, rows, strict=True):
            row["reason"] = target.not_comparable()
        comparable = [(t, r) for t, r in zip(found, rows, strict=True) if r["reason"] is None]
        reused = _reused(store, seed, comparable)
        if reused is not None:
            summary.reused_comparisons += len(comparable)
            batches.ready([reused])
        elif not comparable:
            batches.ready([(seed.id, {}, None)])
        else:
            task = _task(store, seed, comparable)
            summary.compared += len(comparable)
            batches.submit(task)
    batches.drain()
    progress.end()


def _planned(store: Store) -> Iterator[list[Target]]:
    """Each seed's targets, numbered on from the previous seed's (stable comparison ids)."""
    next_id = 1
    for seed in store.seed_texts():
        found = targets(store, SeedText(*seed), store.originals_of(seed[0]), next_id)
        next_id += len(found)
        yield found


def _task(store: Store, seed: SeedText, comparable: list[tuple[Target, dict]]) -> SeedTask:
    """The seed's task: its pages, and each distinct text once, with the Version fields of its
    first page by role and date (pages with one text compare the same)."""
    ordered = sorted(comparable, key=lambda tr: (ROLES.get(tr[1]["role"], 9),
                                                 tr[1]["captured_at"] or "", tr[1]["id"]))
    first: dict[str, dict] = {}
    for _, row in ordered:
        first.setdefault(row["text_record_id"], row)
    bodies = store.texts_of(list(first))
    pages_shown = store.texts_of(list(first), "page_text")
    texts = {record_id: (bodies[record_id], {
        "captured_at": row["captured_at"], "role": row["role"] or "original",
        "source": row["source"] or "live", "url": row["url"]}, row["id"],
        pages_shown.get(record_id))
        for record_id, row in sorted(first.items(), key=lambda item: item[1]["id"])}
    pages = [(row["id"], row["text_record_id"]) for _, row in comparable]
    return seed.id, seed.text, pages, texts


def _reused(store: Store, seed: SeedText, comparable: list[tuple[Target, dict]]) -> Outcome | None:
    """The previous build's outcome for this seed, when every comparison and the choice among
    them are still what they were (same seed bytes and body, texts and engine)."""
    found = store.previous_outcome(seed.id, seed.text, [row for _, row in comparable])
    if found is None:
        return None
    previous, best = found
    return seed.id, {number: _reused_columns(*pair) for number, pair in previous.items()}, best


def _reused_columns(row: dict, differences: list[dict]) -> tuple[dict, list[dict]]:
    fields = {k: row[k] for k in ("verdict", "reason", "coverage", "added", "changed",
                                  "findings", "additions", "normalisation", "blocks")}
    kept = [{k: d[k] for k in ("position", "kind", "severity", "category", "seed_words",
                               "original_words", "detail")} for d in differences]
    return fields, kept
