"""The faithfulness report as a terminal table, from comparison dicts.

`format_report(rows)` renders one line per seed: its best original, verdict, coverage, added
share and top changes. It takes either seed entries as `archive.db.store.seed_report` gives them
(`id`, `best` comparison id, `comparisons` with their `differences`) or flat comparison rows
(a `Comparison.to_dict()` plus `seed_id`, `url`, `source`, `captured_at`, `best`).
`seedcheck check` prints it; the command itself stays a thin adapter.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence

from archive.compare.engine import CATEGORY_ORDER, VERDICTS
from archive.compare.severity import RANK

COLUMNS = (("seed", 22), ("best original", 56), ("verdict", 9), ("coverage", 8), ("added", 6),
           ("top changes (original → seed)", 0))
TOP_CHANGES = 2
CHANGE_CHARS = 24


def format_report(rows: Sequence[Mapping], reasons: bool = True) -> str:
    """One table line per seed (its best comparison), each with its reason below if asked."""
    best = _best_per_seed(rows)
    lines = [_line([name for name, _ in COLUMNS]), _line(["-" * max(w, 5) for _, w in COLUMNS])]
    for seed_id in sorted(best):
        row = best[seed_id]
        lines.append(_line([
            seed_id, _original(row), str(row.get("verdict", "?")), _share(row.get("coverage")),
            _share(row.get("added")), _top_changes(row),
        ]))
        if reasons and row.get("reason"):
            lines.append(f"{'':<4}{row['reason']}")
    tally = Counter(str(r.get("verdict")) for r in best.values())
    summary = ", ".join(f"{tally[v]} {v}" for v in VERDICTS if tally[v])
    lines.append(f"{len(best)} seed(s): {summary or 'no comparisons yet'}")
    return "\n".join(lines)


def _best_per_seed(rows: Sequence[Mapping]) -> dict[str, Mapping]:
    """The comparison marked best for each seed, else its least serious, most complete one."""
    chosen: dict[str, Mapping] = {}
    for row in rows:
        if "comparisons" in row:  # a seed entry of archive.db.store.seed_report
            seed_id = str(row.get("id") or "?")
            found = [c for c in row["comparisons"] if isinstance(c, Mapping)]
            best = row.get("best")
            marked = [c for c in found if best is not None and c.get("id") == best]
            pick = marked or sorted(found, key=_rank)[:1]
            chosen[seed_id] = pick[0] if pick else {"verdict": "-", "reason": "no capture yet"}
            continue
        seed_id = str(row.get("seed_id") or "?")
        if seed_id not in chosen or _rank(row) < _rank(chosen[seed_id]):
            chosen[seed_id] = row
    return chosen


def _rank(row: Mapping) -> tuple:
    verdict = row.get("verdict")
    serious = VERDICTS.index(verdict) if verdict in VERDICTS else len(VERDICTS)
    return (not row.get("best"), serious, -(row.get("coverage") or 0.0))


def _line(cells: list[str]) -> str:
    parts = []
    for (_, width), cell in zip(COLUMNS, cells, strict=True):
        if width:
            cell = cell if len(cell) <= width else cell[: width - 1] + "…"
            parts.append(f"{cell:<{width}}")
        else:
            parts.append(cell)
    return "  ".join(parts).rstrip()


def _original(row: Mapping) -> str:
    """Host, the end of the path and (source, date), shortened in the middle to fit."""
    url = str(row.get("url") or row.get("record_id") or "?").split("://", 1)[-1].rstrip("/")
    url = url.removeprefix("www.")
    when = str(row.get("captured_at") or "")[:10]
    detail = ", ".join(x for x in (row.get("source"), when) if x)
    room = COLUMNS[1][1] - (len(detail) + 3 if detail else 0)
    if len(url) > room:
        host = url.split("/", 1)[0][: max(room - 12, 8)]
        url = f"{host}/…{url[len(url) - (room - len(host) - 2):]}"
    return f"{url} ({detail})" if detail else url


def _share(value) -> str:
    if value is None:
        return "-"
    value = float(value)
    return f"{value:.1%}" if 0.99 < value < 1 else f"{value:.0%}"


def _changes(row: Mapping) -> list[Mapping]:
    changed = row.get("differences") or row.get("changed")
    if isinstance(changed, str):
        try:
            changed = json.loads(changed)
        except ValueError:
            return []
    return [c for c in changed if isinstance(c, Mapping)] if isinstance(changed, list) else []


def _top_changes(row: Mapping) -> str:
    changes = _changes(row)
    if not changes:
        count = row.get("changed")
        return f"{count} change(s)" if isinstance(count, int) and count else ""
    order = {c: k for k, c in enumerate(CATEGORY_ORDER)}
    changes.sort(key=lambda c: (-RANK.get(c.get("severity"), 0),
                                order.get(c.get("category"), len(order)), _position(c)))
    shown = []
    for c in changes[:TOP_CHANGES]:
        before = _clip(str(c.get("original_words") or "∅"))
        after = _clip(str(c.get("seed_words") or "∅"))
        shown.append(f"{c.get('category')}: \"{before}\" → \"{after}\"")
    more = len(changes) - TOP_CHANGES
    return "; ".join(shown) + (f" (+{more} more)" if more > 0 else "")


def _position(change: Mapping) -> int:
    detail = change.get("detail")
    if isinstance(detail, Mapping):
        return int(detail.get("seed_position") or 0)
    return int(change.get("seed_position") or change.get("position") or 0)


def _clip(text: str) -> str:
    return text if len(text) <= CHANGE_CHARS else text[: CHANGE_CHARS - 1] + "…"
