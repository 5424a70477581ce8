"""`seedcheck import`: keep archives written by other tools under data/imports/ for the build.

Each file (WARC 1.0 or 1.1, gzip or not, ARC, WACZ) is copied byte for byte, checked against
its sha256, and read through once with warcio so that a damaged one is reported at once with the
byte offset of the damage; a file with anything readable is kept, since the build uses every
record it can read (`archive.build.imported`). A file already imported (same name and bytes) is
not copied again; another file of the same name is kept under a name with its digest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.layout import DataDir
from archive.warc.foreign import is_foreign_archive, read_foreign
from archive.warc.reader import WarcError


@dataclass
class Imported:
    """What became of one file given to `seedcheck import`."""

    source: Path
    kept: Path | None = None          # where it is now, under data/imports/
    captures: int = 0                 # response and revisit records readable in it
    already: bool = False             # the same bytes were imported before
    problems: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_archives(paths: Iterable[Path], data_dir: Path) -> list[Imported]:
    """Import every file of `paths`; one file's problem never stops the others."""
    folder = DataDir(data_dir).imports
    return [import_archive(Path(path), folder) for path in paths]


def import_archive(path: Path, folder: Path) -> Imported:
    result = Imported(path)
    if not path.is_file():
        result.problems.append(f"{path}: no such file")
        return result
    if not is_foreign_archive(path):
        result.problems.append(f"{path}: not a .warc, .warc.gz, .arc, .arc.gz or .wacz file")
        return result
    try:
        digest = sha256_of(path)
        target, result.already = _place(path, folder, digest)
        result.captures = _check(path, result.problems)
    except OSError as exc:
        result.problems.append(f"{path}: cannot read or copy it ({exc})")
        return result
    except WarcError as exc:
        result.problems.append(f"{exc}; not imported")
        return result
    if not result.already:
        _copy(path, target, digest)
    result.kept = target
    return result


def _place(path: Path, folder: Path, digest: str) -> tuple[Path, bool]:
    """Where the file goes, and whether those very bytes are already there."""
    target = folder / path.name
    if target.exists():
        if sha256_of(target) == digest:
            return target, True
        target = folder / f"{digest[:12]}-{path.name}"
        return target, target.exists()
    return target, False


def _check(path: Path, problems: list[str]) -> int:
    """Read the whole file once: its readable captures; damage goes to `problems`. A file
    without one readable record raises WarcError."""
    captures = 0
    damage: list[WarcError] = []
    for _ in read_foreign(path, damage.append):
        captures += 1
    problems.extend(f"{path}: {str(d).split(': ', 1)[-1]}" for d in damage)
    if captures == 0:
        why = str(damage[0]).split(": ", 1)[-1] if damage else "no response or revisit record"
        raise WarcError(f"{path}: nothing readable ({why})", path, 0)
    return captures


def _copy(path: Path, target: Path, digest: str) -> None:
    """Copy through a temporary file; the kept file is checked against the original's sha256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    shutil.copyfile(path, temporary)
    if sha256_of(temporary) != digest:
        temporary.unlink()
        raise OSError(f"the copy of {path} differs from it")
    os.replace(temporary, target)


def format_imports(results: list[Imported]) -> str:
    """One line per file, then its problems, then what to do next."""
    lines = []
    for r in results:
        if r.kept is None:
            lines.append(f"not imported: {r.source}")
        else:
            how = "already imported as" if r.already else "kept as"
            lines.append(f"{r.source}: {r.captures} capture(s), {how} {r.kept}")
        lines += [f"  problem: {p}" for p in r.problems]
    if any(r.kept for r in results):
        lines.append("Run `seedcheck build` to compare the seeds with these captures.")
    return "\n".join(lines)
