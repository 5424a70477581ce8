"""What a build reports: counts, reuse, and the problems it met on disk, located."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """Something on disk the build could not use, located by file and line or byte offset."""

    file: str
    problem: str
    line: int | None = None
    offset: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.offset is not None:
            where += f" (offset {self.offset})"
        return f"{where}: {self.problem}"


@dataclass
class BuildSummary:
    database: Path
    seeds: int = 0
    warc_files: int = 0
    captures: int = 0
    texts: int = 0
    extracted: int = 0
    reused_texts: int = 0
    comparisons: int = 0
    compared: int = 0
    reused_comparisons: int = 0
    changes: int = 0                                          # rows of `changes`
    skipped_files: list[str] = field(default_factory=list)    # not read at all
    partial_files: list[str] = field(default_factory=list)    # damaged records skipped
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)   # seconds per phase
    inputs: str = ""                                          # digest of what it was built from


def format_summary(summary: BuildSummary) -> str:
    """What a person reads after a build: what was written, what was reused, what went wrong."""
    lines = [
        f"built {summary.database} in {summary.seconds:.1f} s: {summary.seeds} seeds, "
        f"{summary.warc_files} WARC files, {summary.captures} captures",
        f"  texts: {summary.texts} ({summary.extracted} extracted, "
        f"{summary.reused_texts} reused from the previous build)",
        f"  comparisons: {summary.comparisons} ({summary.compared} computed, "
        f"{summary.reused_comparisons} reused)",
    ]
    lines += [f"  note: {note}" for note in summary.notes]
    if summary.problems:
        lines.append(f"{len(summary.problems)} problem(s):")
        lines += [f"  {problem}" for problem in summary.problems]
        lost = []
        if summary.skipped_files:
            lost.append(f"{len(summary.skipped_files)} file(s) were skipped")
        if summary.partial_files:
            lost.append(f"{len(summary.partial_files)} had damaged records skipped")
        lines.append(
            f"The database was written, but {' and '.join(lost)}: records may be missing "
            "(see the problems above, also in the build_problems table)." if lost else
            "The database was written; the problems above are in the build_problems table.")
    return "\n".join(lines)
