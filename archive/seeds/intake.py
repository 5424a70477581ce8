"""Which files of a seeds folder are read at all.

A seed is one article's text, chosen by a person, but the folder is input like any other:
a name that is not UTF-8 cannot be stored or shown (the database, the pages and the terminal
speak UTF-8), a symbolic link may point anywhere on the machine (`/etc/passwd` would be read
and published), and a 50 MB "seed" would cost gigabytes to compare and a page to show it.
"""

from __future__ import annotations

import os
from pathlib import Path

MAX_SEED_BYTES = 1024 * 1024       # a long article is 100 KB; a book is not a seed


def shown(path: Path | str) -> str:
    """`path` as text that can be printed and stored: undecodable bytes as `\\xNN`."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def refusal(path: Path, folder: Path) -> str | None:
    """Why `path` (a file of `folder`) is not read as a seed, or None when it may be."""
    if shown(path.name) != path.name:
        return "file name is not UTF-8; rename the file"
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(folder.resolve()):
            return f"a symbolic link to {shown(target)}, outside the seeds folder: not read"
    size = path.stat().st_size
    if size > MAX_SEED_BYTES:
        return (f"{size:,} bytes: over the {MAX_SEED_BYTES:,}-byte limit of a seed (one "
                "article's text); not read")
    return None
