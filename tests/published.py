"""A Datasette of a seedcheck database in this process, configured as `seedcheck serve` does.

Requests run on a loop of their own in a worker thread: Playwright may hold this thread's.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from archive.app.serve import SETTINGS, ServeOptions, database_path, datasette_metadata, prepare


def datasette_of(data_dir: Path) -> Any:
    """The read-only Datasette of DATA/seedcheck.db with metadata.yml and the plugin's folder."""
    from datasette.app import Datasette

    options = prepare(ServeOptions(data_dir=data_dir))
    return Datasette(immutables=[str(database_path(options.data_dir))],
                     metadata=datasette_metadata(options), settings=dict(SETTINGS))


def call(coroutine: Any) -> Any:
    """Run a coroutine to its end on a loop of its own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def get(ds: Any, path: str, **kwargs: Any) -> Any:
    return call(ds.client.get(path, **kwargs))
