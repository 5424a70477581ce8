"""Fixtures for the published archive: a real build, a real `seedcheck serve`, a real Chromium.

`seedcheck_data` (session) writes WARCs of test articles with the project's own `WarcWriter`,
a seeds folder whose copies are faithful, padded, an excerpt, altered and a different article,
plus one copied from a hostile page (scripts, an `onerror` handler, remote loads aimed at the
`beacon` server), then runs `seedcheck build`. It returns a `SiteData`: where the data is and
what the pages must show. Another data set (the demo's) plugs in by overriding `seedcheck_data`
with a fixture that returns its own `SiteData`; `site` serves whichever is given.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.warc.writer import DigestIndex, Exchange, WarcConfig, WarcWriter
from tests.articles import ANALYSIS, GDPR, NEWS, OPINION, Article
from tests.pages import moscow_times_page, nbc_page, page_url, telegraph_page, wordpress_page
from tests.webserver import WebServer

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
LIVE = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)
ARCHIVED = datetime(2019, 5, 15, 8, 0, tzinfo=UTC)
CRAWL_ID = "20261121T223000Z"
ARCHIVE_NAME = "Wayback Test"
HTML = (("Content-Type", "text/html; charset=utf-8"),)
# Words the altered seed changes: (original, seed).
SWAPS = (("more than an hour", "less than an hour"), ("Rebecca Hale", "Rebecca Hall"),
         ("Three weeks", "Five weeks"))
# A correction the live NBC page made after the archive captured it: the original changed.
CORRECTION = ("on Tuesday, speaking", "on Wednesday, speaking")
# Archived text that is markup as text: the pages must print it, never run it.
MARKUP_TEXT = ("Readers pasted <img src=x onerror=alert(1)> and <script>alert(2)</script> "
               "into the comments, which the site printed as text.")
HOSTILE = replace(NEWS, slug="us-russia-venezuela-mirror", paragraphs=(*NEWS.paragraphs, MARKUP_TEXT))
HOSTILE_URL = "https://mirror.test/2019/05/14/us-russia-venezuela/"
REPOST_URL = "https://patriotnews.test/2019/05/16/us-and-russia/"     # never resolves


@dataclass(frozen=True)
class SiteData:
    """A data folder with a built database, and what its pages must show."""

    data_dir: Path
    verdicts: dict[str, str]                 # seed id -> verdict of its best original
    altered: str                             # a seed whose compare page shows changed words
    changes: tuple[tuple[str, str], ...]     # (original words, seed words) changed by it
    hostile: str | None = None               # a seed whose original's page is hostile
    markup_text: str | None = None           # archived text that looks like markup
    beacon_paths: tuple[str, ...] = field(default=())  # what the hostile page tries to load


@dataclass(frozen=True)
class Site:
    url: str                                 # http://127.0.0.1:PORT
    data: SiteData
    process: subprocess.Popen


def hostile_page(beacon: str) -> str:
    """A real article page, armed: every way it tries to run code or reach the beacon."""
    html = moscow_times_page(HOSTILE, url=HOSTILE_URL)
    head = (f'<meta http-equiv="refresh" content="0;url={beacon}/refresh">'
            f'<link rel="stylesheet" href="{beacon}/style.css">'
            f'<link rel="prefetch" href="{beacon}/prefetch">')
    body = (f"<script>document.title='PWNED';fetch('{beacon}/script',{{mode:'no-cors'}});"
            f"new Image().src='{beacon}/script-image';</script>"
            f"<img src=\"/missing.png\" onerror=\"document.title='PWNED';"
            f"new Image().src='{beacon}/onerror'\">"
            f'<img src="{beacon}/remote.png" alt="remote">'
            f'<iframe src="{beacon}/frame"></iframe>'
            f'<video poster="{beacon}/poster.png"></video>')
    return html.replace("<head>", "<head>" + head, 1).replace("</body>", body + "</body>", 1)


BEACON_PATHS = ("/refresh", "/style.css", "/prefetch", "/script", "/script-image", "/onerror",
                "/remote.png", "/frame", "/poster.png")


def exchange(url: str, body: str | bytes, when: datetime, source_uri: str | None = None,
             content_type: str = "text/html; charset=utf-8") -> Exchange:
    host = url.split("/")[2]
    return Exchange(
        url=url, date=when, method="GET",
        request_headers=[("Host", host), ("User-Agent", "seedcheck-test")], request_body=b"",
        protocol="HTTP/1.1", status=200, reason="OK",
        response_headers=[("Content-Type", content_type)],
        body=body.encode() if isinstance(body, str) else body, ip_address="127.0.0.1",
        source_uri=source_uri,
    )


# The faithful seed's original, as its site styles it: a stylesheet (with a background image and
# an @import) and a photo, all archived beside the page, and one stylesheet the crawl did not get.
SITE = "https://www.themoscowtimes.test"
STYLESHEET = (f"@import url({SITE}/static/more.css);\n"
              "body { background-color: rgb(1, 2, 3); color: rgb(250, 250, 250); }\n"
              "h1 { background-image: url('/static/photo.png'); }\n")
MORE_CSS = "h1 { letter-spacing: 3px; }\n"


def tiny_png(rgb: tuple[int, int, int] = (200, 30, 30), size: int = 8) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def styled(html: str) -> str:
    head = ('<link rel="stylesheet" href="/static/site.css">'
            '<link rel="stylesheet" href="https://cdn.elsewhere.test/never-archived.css">')
    body = '<img id="sc-photo" src="/static/photo.png" srcset="/static/photo-2x.png 2x" alt="photo">'
    return html.replace("<head>", "<head>" + head, 1).replace("<body>", "<body>" + body, 1)


def seed_text(article: Article, blocks: list[str] | None = None, extra: tuple = ()) -> str:
    lines = [f"# {article.title}", f"By {article.author}", article.published.strftime("%B %d, %Y")]
    return "\n\n".join([*lines, *(blocks or article.blocks()), *extra]) + "\n"


def swapped(blocks: list[str], swaps: tuple[tuple[str, str], ...]) -> list[str]:
    out = []
    for block in blocks:
        for old, new in swaps:
            block = block.replace(old, new)
        out.append(block)
    assert out != blocks
    return out


def write_seeds(folder: Path, urls: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    comments = ("Leave a Reply",
                "rgomez says: This is exactly what everyone predicted back in January.",
                "Marta V. says: Interesting piece, but the author skips over the oil contracts.")
    texts = {
        "faithful": seed_text(OPINION),
        "padded": seed_text(NEWS, extra=comments),
        "excerpt": seed_text(GDPR, GDPR.blocks()[:2]),
        "altered": seed_text(ANALYSIS, swapped(ANALYSIS.blocks(), SWAPS)),
        "different": seed_text(GDPR),
        "hostile": seed_text(HOSTILE),
    }
    manifest = ["seeds:"]
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text)
        manifest += [f"  - file: {name}.txt", f"    publication: Test {name.title()}",
                     "    originals:", f"      - url: {urls[name]}", "        role: original"]
    manifest += [f"      - url: {REPOST_URL}", "        role: repost"]   # the hostile seed's
    (folder / "seeds.yml").write_text("\n".join(manifest) + "\n")


def write_warcs(data: Path, beacon: str) -> dict[str, str]:
    """The captures of every original, live and archived; returns the URL of each seed's."""
    urls = {
        "faithful": page_url("moscow_times", OPINION), "padded": page_url("telegraph", NEWS),
        "excerpt": page_url("wordpress", GDPR), "altered": page_url("nbc", ANALYSIS),
        "different": page_url("wordpress", OPINION), "hostile": HOSTILE_URL,
    }
    warcs = data / "warcs"
    warcs.mkdir(parents=True)
    config = WarcConfig(directory=warcs, prefix="browser", is_part_of=CRAWL_ID)
    log = []
    with WarcWriter(config, DigestIndex.open(warcs)) as writer:
        step = iter(range(100))

        def live(url: str, body: str, days: int = 0) -> None:
            when = LIVE + timedelta(days=days, seconds=next(step))
            written = writer.write(exchange(url, body, when))
            log.append((url, "live", None, written))

        def archived(url: str, body: str) -> None:
            when = ARCHIVED + timedelta(seconds=next(step))
            stamp = when.strftime("%Y%m%d%H%M%S")
            source = f"https://web.archive.test/web/{stamp}id_/{url}"
            written = writer.write(exchange(url, body, when, source_uri=source))
            writer.write_metadata(written.record_id, url, when,
                                  [("archive", ARCHIVE_NAME), ("memento", source)])
            log.append((url, "archive", ARCHIVE_NAME, written))

        live(urls["faithful"], styled(moscow_times_page(OPINION)))
        live(urls["faithful"], styled(moscow_times_page(OPINION)), days=1)  # same bytes: a revisit
        for path, body, kind in (("/static/site.css", STYLESHEET, "text/css"),
                                 ("/static/more.css", MORE_CSS, "text/css"),
                                 ("/static/photo.png", tiny_png(), "image/png")):
            writer.write(exchange(SITE + path, body, LIVE + timedelta(seconds=next(step)),
                                  content_type=kind))
        archived(urls["padded"], telegraph_page(NEWS))
        live(urls["excerpt"], wordpress_page(GDPR))
        archived(urls["altered"], nbc_page(ANALYSIS))
        edited = replace(ANALYSIS, paragraphs=tuple(swapped(list(ANALYSIS.paragraphs), (CORRECTION,))))
        live(urls["altered"], nbc_page(edited, url=urls["altered"]))
        live(urls["different"], wordpress_page(OPINION))
        live(urls["hostile"], hostile_page(beacon))
    write_crawl_log(data, log)
    return urls


def write_crawl_log(data: Path, log: list) -> None:
    lines = []
    for url, source, archive, written in log:
        lines.append({"crawl_id": CRAWL_ID, "time": "2026-11-21T22:31:00Z", "url": url,
                      "seed_ids": [], "roles": ["original"], "outcome": "fetched",
                      "source": source, "archive": archive, "reason": None, "final_url": url,
                      "status": 200, "record_id": written.record_id,
                      "warc_file": written.filename, "redirects": [], "error": None,
                      "detail": None})
    lines.append({"crawl_id": CRAWL_ID, "time": "2026-11-21T22:32:00Z", "url": REPOST_URL,
                  "seed_ids": ["hostile"], "roles": ["repost"], "outcome": "failed",
                  "source": "live", "archive": None, "reason": None, "final_url": None,
                  "status": None, "record_id": None, "warc_file": None, "redirects": [],
                  "error": "dns", "detail": "patriotnews.test: no such host"})
    (data / "crawls").mkdir()
    (data / "crawls" / f"{CRAWL_ID}.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines))


def build_test_data(root: Path, beacon: str) -> SiteData:
    """WARCs, crawl log and seeds of the test articles, built by the real `seedcheck build`."""
    data = root / "data"
    urls = write_warcs(data, beacon)
    write_seeds(root / "seeds", urls)
    result = subprocess.run(
        [str(BIN / "seedcheck"), "build", "--data", str(data), "--seeds", str(root / "seeds"),
         "--workers", "0"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return SiteData(
        data_dir=data,
        verdicts={"altered": "altered", "different": "different", "excerpt": "excerpt",
                  "faithful": "faithful", "hostile": "faithful", "padded": "padded"},
        altered="altered", changes=(("more", "less"), ("Hale", "Hall"), ("Three", "Five")),
        hostile="hostile", markup_text=MARKUP_TEXT, beacon_paths=BEACON_PATHS,
    )


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def beacon() -> Iterator[WebServer]:
    """A server that only counts: whatever asks it for anything was let out."""
    with WebServer(routes={}) as server:
        yield server


@pytest.fixture(scope="session")
def seedcheck_data(tmp_path_factory, beacon) -> SiteData:
    return build_test_data(tmp_path_factory.mktemp("published"), f"http://127.0.0.1:{beacon.port}")


def start_server(data_dir: Path, timeout: float = 30.0, extra: tuple[str, ...] = ()
                 ) -> tuple[str, subprocess.Popen]:
    """`seedcheck serve --port 0` as a user runs it; returns its base URL once it answers.

    The server's output (stdout and stderr, one pipe) is drained by a thread into
    `process.output` (its last lines): an unread pipe fills up and blocks the server after a
    thousand requests' access log lines.
    """
    process = subprocess.Popen(
        [str(BIN / "seedcheck"), "serve", "--data", str(data_dir), "--port", "0", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True,
    )
    output: deque[str] = deque(maxlen=200)
    first: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_drain, args=(process.stdout, output, first), daemon=True).start()
    process.output = output  # type: ignore[attr-defined]
    try:
        line = first.get(timeout=timeout)
    except queue.Empty:
        line = ""
    if " at http://" not in line:
        process.kill()
        raise RuntimeError(f"seedcheck serve said {line!r}: {''.join(output)}")
    home = line.rsplit(" at ", 1)[1].strip()
    base = home.removesuffix("/-/seedcheck")
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(home, timeout=2) as response:
                if response.status == 200:
                    return base, process
        except (urllib.error.URLError, ConnectionError) as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"seedcheck serve did not start: {''.join(output)}") from exc
            time.sleep(0.1)


def _drain(stream, output: deque, first: queue.Queue) -> None:
    """Read the server's output to its end, keeping the last lines; hand over the first."""
    for number, line in enumerate(stream):
        output.append(line)
        if number == 0:
            first.put(line)
    first.put("")


def stop_server(process: subprocess.Popen) -> int:
    """SIGTERM, as a service manager stops it; its Datasette must go with it."""
    process.terminate()
    try:
        return process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)      # its own session: nothing else is in it
        return process.wait()


@pytest.fixture(scope="session")
def site(seedcheck_data) -> Iterator[Site]:
    base, process = start_server(seedcheck_data.data_dir)
    yield Site(base, seedcheck_data, process)
    stop_server(process)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def console(page) -> list[str]:
    """Every console message of the page (CSP violations are reported there)."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    return messages
