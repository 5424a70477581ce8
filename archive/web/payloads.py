"""Reading the archived bytes of a capture for the raw and replay views.

A capture's payload sits in a WARC of the data folder's `warcs/` or in a file `seedcheck import`
kept under `imports/` (`archive.layout.DataDir`, from the plugin's configuration). The file name
comes from the database, which read it from the WARCs: only its last part is used, inside
those folders, so no name can reach anywhere else.
"""

from __future__ import annotations

from pathlib import Path

from archive.layout import DataDir
from archive.warc.foreign import read_foreign_at
from archive.warc.writer import Capture, read_capture
from archive.web.pages import Location


def read(where: Location, data: DataDir) -> Capture:
    """The capture at `where`; raises OSError or WarcError when it cannot be read."""
    imported = where.warc_file.removeprefix(f"{data.imports.name}/")
    if imported != where.warc_file:
        return read_foreign_at(data.imports, imported, where.warc_offset)
    return read_capture(data.warcs / Path(where.warc_file).name, where.warc_offset)
