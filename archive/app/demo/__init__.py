"""`seedcheck demo`: the whole flow offline, on an invented news site and a local archive.

`run_demo` starts the demo site (`demo-news.test`, served on 127.0.0.1) and a local pywb
holding earlier captures of its articles, writes demo seeds copying those articles in the
ways seedcheck tells apart, then crawls, builds and (unless told not to) serves the result.
The demo servers stop before Datasette starts: the database holds everything the pages show.
"""

from __future__ import annotations

import json
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive.app.crawl import CrawlOptions, archive_sources, setting_overrides
from archive.app.demo.archive import COLLECTION, start_archive, write_history
from archive.app.demo.articles import HOST, REMOVED
from archive.app.demo.copies import COPIES, write_seeds
from archive.app.demo.site import DemoSite
from archive.app.pipeline import Echo, build, crawl, serve
from archive.app.pywb import PywbError
from archive.layout import DataDir

MANIFEST = "demo.json"
# Folders and files a demo writes under its data folder, removed when it runs again there.
OUTPUTS = ("seeds", "warcs", "crawls", "jobs", "pywb", "seedcheck.db", ".lock", MANIFEST)
# The demo site and archive are local and tiny: no politeness delays, no Wayback Machine.
CRAWL_SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False",
                  "SEEDCHECK_ARCHIVE_RATE=6000", "RETRY_TIMES=0")


class DemoError(Exception):
    """The demo could not run; the message names the folder or the server."""


@dataclass(frozen=True)
class DemoOptions:
    data_dir: Path = Path("data/demo")
    port: int = 8001                 # Datasette's port; 0 picks a free one
    serve: bool = True
    workers: int | None = 0          # five seeds: worker processes would cost more than they save


def prepare(data_dir: Path) -> None:
    """An empty data folder, or one an earlier demo wrote (its outputs are replaced)."""
    if data_dir.is_dir() and any(data_dir.iterdir()):
        if not (data_dir / MANIFEST).is_file():
            raise DemoError(f"{data_dir}: not empty and not a demo folder (no {MANIFEST}); "
                            "give an empty or new folder with --data")
        for name in OUTPUTS:
            path = data_dir / name
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)


def crawl_options(seeds_dir: Path, data_dir: Path, archive_cdx: str) -> CrawlOptions:
    """The demo's crawl: its site pinned to 127.0.0.1, its local archive instead of Wayback."""
    return CrawlOptions(seeds_dir=seeds_dir, data_dir=data_dir, hosts=(f"{HOST}:127.0.0.1",),
                        settings=setting_overrides(CRAWL_SETTINGS),
                        archives=archive_sources([f"{COLLECTION}={archive_cdx}"], (), True))


def write_manifest(data_dir: Path, site: DemoSite, archive_url: str) -> Path:
    """DATA/demo.json: what the demo made and what seedcheck should find for each seed."""
    seeds = [{"seed_id": c.seed_id, "article": c.article.key, "url": site.url(c.article),
              "expected": c.verdict, "how": c.how,
              "live": "removed" if c.article.key in REMOVED else "served"} for c in COPIES]
    path = data_dir / MANIFEST
    path.write_text(json.dumps({"site": f"http://{HOST}:{site.port}/", "archive": archive_url,
                                "seeds": seeds}, indent=2) + "\n")
    return path


def run_demo(options: DemoOptions, echo: Echo = print) -> int:
    """The demo, start to end; returns an exit status (Datasette's when serving)."""
    # pywb runs in a folder of its own: every path it is given must hold from there.
    data = options.data_dir.absolute()
    prepare(data)
    with _sigterm_exits(), DataDir(data).lock("demo"), DemoSite() as site:
        echo(f"== demo site: http://{HOST}:{site.port}/ (on 127.0.0.1; an invented "
             "publication, not real news)")
        history = write_history(data / "pywb" / "history", site.url)
        try:
            wayback = start_archive(data / "pywb", history)
        except (PywbError, OSError) as exc:
            raise DemoError(f"{data / 'pywb'}: the demo archive did not start: {exc}") from exc
        try:
            echo(f"== demo archive: pywb at {wayback.base} with {len(history)} WARC file(s) "
                 "of earlier captures")
            seeds_dir = data / "seeds"
            write_seeds(seeds_dir, site.url)
            write_manifest(data, site, wayback.base)
            for c in COPIES:
                echo(f"   seed {c.seed_id}: {c.how}")
            crawl(crawl_options(seeds_dir, data, wayback.cdx_url), echo)
        finally:
            wayback.stop()
        build(seeds_dir, data, options.workers, echo)
    echo_verdicts(data, echo)
    if not options.serve:
        echo(f"done: browse it with `seedcheck serve --data {data}`")
        return 0
    return serve(data, options.port, echo)


@contextmanager
def _sigterm_exits() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so the demo site, pywb and the crawl are stopped too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def echo_verdicts(data_dir: Path, echo: Echo) -> None:
    """Each demo seed's verdict beside the one the demo was made to show."""
    from archive.db.store import seed_report

    found = {}
    for seed in seed_report(DataDir(data_dir).database):
        best = next((c for c in seed["comparisons"] if c["id"] == seed["best"]), None)
        found[seed["id"]] = best["verdict"] if best else "no comparison"
    echo("== verdicts (found / made to show):")
    for c in COPIES:
        got = found.get(c.seed_id, "missing")
        mark = "ok" if got == c.verdict else "UNEXPECTED"
        echo(f"   {c.seed_id:<18} {got:<10} / {c.verdict:<10} {mark}")
