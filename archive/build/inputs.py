"""Everything a build is made from, as one digest: equal to the previous build's, nothing is built.

The database is derived from the seed folder, the crawl logs, the WARC files (and imported
archives) and the versions of the schema, extractor and engine. When none of them changed
since the previous build, its database is already what a new build would write: it is kept
as it is, in a few seconds however large the archive (a full build of 100,000 seeds takes
most of an hour). Seed files and crawl logs are hashed whole; a WARC file, closed and never
rewritten, by its size, head and tail (`warc_files.fingerprint`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from archive.build.warc_files import fingerprint
from archive.layout import DataDir


def input_digest(data_dir: Path, seeds_dir: Path, versions: tuple[str, ...]) -> str:
    digest = hashlib.sha256("\n".join(versions).encode())
    data = DataDir(data_dir)
    for folder, whole in ((seeds_dir, True), (data.crawls, True), (data.warcs, False),
                          (data.imports, False)):
        digest.update(f"\n{folder.name}:".encode())
        files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        for path in files:
            mark = hashlib.sha256(path.read_bytes()).hexdigest() if whole else fingerprint(path)
            digest.update(os.fsencode(path.name) + f"={mark};".encode())   # any name
    return digest.hexdigest()
