"""Writing candidate URLs back into `seeds.yml`, keeping its comments, order and layout.

The file is edited as text, not re-dumped: a new original is inserted after the seed's last
one (or under a new `originals:` key, or in a new entry at the end), and a candidate found
again has its `score:` updated in place. A `given` or `seen` URL is never touched. The result
is read back with the manifest loader before it replaces the file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from archive.seeds.parse import _LineLoader, load_manifest


class ManifestError(Exception):
    """The manifest could not be updated; the message names the file and why."""


@dataclass(frozen=True)
class Found:
    url: str
    score: float | None                  # None: a URL a person gave (`seedcheck add`)
    note: str | None = None
    role: str = "original"
    confidence: str = "candidate"

    def said(self) -> str:
        return f"candidate {self.url} ({self.score:.3f})" if self.score is not None \
            else f"{self.confidence} {self.url} ({self.role})"


def _scalar(value: str) -> str:
    """A YAML scalar for `value`: plain when it reads back the same, else double-quoted."""
    try:
        if yaml.safe_load(f"k: {value}") == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _item(found: Found, indent: int) -> list[str]:
    pad = " " * indent
    lines = [f"{pad}- url: {_scalar(found.url)}\n", f"{pad}  role: {found.role}\n",
             f"{pad}  confidence: {found.confidence}\n"]
    if found.score is not None:
        lines.append(f"{pad}  score: {found.score:.3f}\n")
    if found.note:
        lines.append(f"{pad}  note: {_scalar(found.note)}\n")
    return lines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" -")) if line.lstrip().startswith("-") else \
        len(line) - len(line.lstrip(" "))


def _dash(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _end(lines: list[str], start: int, indent: int) -> int:
    """Index after the block starting at `start` whose lines are indented deeper than `indent`
    (blank and comment lines inside it included, trailing ones left out)."""
    end = i = start + 1
    while i < len(lines):
        text = lines[i].strip()
        if text and not text.startswith("#"):
            if _dash(lines[i]) <= indent:
                break
            end = i + 1
        i += 1
    return end


def add_candidates(path: Path, file: str, found: Sequence[Found]) -> list[str]:
    """Add or update candidate URLs of seed `file` in the manifest `path`; what was done."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    done = []
    for item in found:
        lines, message = _add_one(path, lines, file, item)
        done.append(message)
    new = "".join(lines)
    if new != text:
        _replace(path, new, file, found)
    return done


def _entries(path: Path, lines: list[str]) -> list[dict]:
    try:
        doc = yaml.load("".join(lines), Loader=_LineLoader) or {}
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path}: not valid YAML, left unchanged: {exc}") from None
    if not isinstance(doc, dict):
        raise ManifestError(f"{path}: not a mapping with a `seeds:` list; left unchanged")
    return [e for e in doc.get("seeds") or [] if isinstance(e, dict)]


def _add_one(path: Path, lines: list[str], file: str, found: Found) -> tuple[list[str], str]:
    entries = _entries(path, lines)
    entry = next((e for e in entries if str(e.get("file")) == file), None)
    if entry is None:
        dash = _dash(lines[entries[0]["__line__"] - 1]) if entries else 2
        if not any(line.startswith("seeds:") for line in lines):
            lines = [*lines, "seeds:\n"]
        block = [f"{' ' * dash}- file: {_scalar(file)}\n", f"{' ' * (dash + 2)}originals:\n",
                 *_item(found, dash + 4)]
        return [*lines, *block], f"{file}: new entry, {found.said()}"
    originals = [o for o in entry.get("originals") or [] if isinstance(o, dict)]
    same = next((o for o in originals if o.get("url") == found.url), None)
    if same is not None and same.get("confidence", "candidate") != "candidate":
        return lines, f"{file}: {found.url} is {same['confidence']}: left as it is"
    if same is not None:  # a candidate found again: its item is replaced by the new one
        start = same["__line__"] - 1
        dash = _dash(lines[start])
        end = _end(lines, start, dash)
        note = same.get("note") or found.note  # a person's note is kept
        updated = Found(found.url, found.score, note, same.get("role", found.role),
                        found.confidence)
        return (lines[:start] + _item(updated, dash) + lines[end:], f"{file}: {updated.said()}")
    entry_start = entry["__line__"] - 1
    if originals:
        last = originals[-1]["__line__"] - 1
        dash = _dash(lines[last])
        at = _end(lines, last, dash)
        block = _item(found, dash)
    else:
        key = _indent(lines[entry_start])
        at = _end(lines, entry_start, key - 1)
        block = [f"{' ' * key}originals:\n", *_item(found, key + 2)]
    return lines[:at] + block + lines[at:], f"{file}: added {found.said()}"


def _replace(path: Path, text: str, file: str, found: Sequence[Found]) -> None:
    """Check the new manifest reads back with every URL, then swap it in atomically."""
    temp = path.with_name(path.name + ".new")
    temp.write_text(text, encoding="utf-8")
    entries, problems = load_manifest(temp)
    entry = entries.get(Path(file).stem)
    urls = {u.url for u in entry.urls} if entry else set()
    missing = [f.url for f in found if f.url not in urls]
    if problems or missing:
        temp.unlink()
        raise ManifestError(f"{path}: the edited manifest would not read back "
                            f"({'; '.join(map(str, problems)) or 'missing ' + ', '.join(missing)})"
                            "; left unchanged")
    os.replace(temp, path)
