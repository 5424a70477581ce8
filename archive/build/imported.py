"""Archives imported from other tools (`data/imports/`, see `seedcheck import`) as captures.

Their records are read with warcio (`archive.warc.foreign`) and stored like the crawl's own
captures, as coming from an archive: `source` is `archive`, `archive` names the imported file
and `warc_file` is `imports/NAME` (`imports/NAME.wacz#archive/FILE` inside a WACZ). The build
then finds them for every seed whose original URLs they hold, the URLs matched in SURT form. A
damaged file is reported with its name and the byte offset of the damage, and every record
that can still be read is used. Their bodies go to the extraction workers with their task (the
workers' offset reader knows only seedcheck's own WARCs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from archive.layout import IMPORTS
from archive.warc.foreign import is_foreign_archive, read_foreign
from archive.warc.reader import Capture, WarcError

Take = Callable[[Capture, dict], int]            # store one capture with row overrides
Report = Callable[[str, str, int | None], None]  # (file, problem, offset)


def imported_files(imports_dir: Path, report: Report) -> list[Path]:
    """The archives under `imports_dir`, by name; anything else is reported and skipped."""
    if not imports_dir.is_dir():
        return []
    found = []
    for path in sorted(p for p in imports_dir.iterdir() if p.is_file()):
        if is_foreign_archive(path):
            found.append(path)
        elif not path.name.startswith("."):
            report(str(path), "not a WARC, ARC or WACZ file; skipped", None)
    return found


def load_imports(imports_dir: Path, take: Take, report: Report) -> tuple[int, int]:
    """Store the response and revisit records of every imported file; (files, captures)."""
    files = captures = 0
    for path in imported_files(imports_dir, report):
        files += 1

        def damaged(error: WarcError, path: Path = path) -> None:
            report(str(path), str(error), error.offset)

        try:
            for capture in read_foreign(path, damaged):
                captures += take(capture, {
                    "source": "archive", "archive": f"imported {path.name}",
                    "warc_file": f"{IMPORTS}/{capture.filename}"})
        except WarcError as exc:
            report(str(path), f"{exc}; skipped", exc.offset)
    return files, captures
