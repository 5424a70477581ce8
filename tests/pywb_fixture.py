"""A real pywb holding pages seedcheck itself archived earlier, and a proxy that rate-limits it.

Fixture `archived_site` (session-scoped, shared by every archive test): the test web server
with article pages on `news.test` and `down.test`; a first `seedcheck crawl` of them (the
"earlier" captures); extra captures at chosen dates written with `WarcWriter`; a pywb
collection of those WARC files served by `archive.app.pywb.Wayback`; and `ArchiveProxy` in front
of it, which answers the first CDX request with 429 and `Retry-After: 1`.
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from archive.app.pywb import Wayback, serve_warcs
from archive.warc.writer import Exchange, WarcConfig, WarcWriter, warc_files
from tests.webserver import WebServer, article_html, marked

BIN = Path(sys.executable).parent
FAST = {"DOWNLOAD_DELAY": "0.01", "AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_TIMEOUT": "2",
        "RETRY_TIMES": "1", "SEEDCHECK_RETRY_BACKOFF": "0.05", "SEEDCHECK_RETRY_MAX_WAIT": "5",
        "SEEDCHECK_ARCHIVE_RATE": "6000"}
# Captures of /dated written with chosen dates: (date, mark in the body).
DATED = ((datetime(2018, 1, 10, 8, 0, tzinfo=UTC), "capture-2018"),
         (datetime(2019, 5, 9, 9, 30, tzinfo=UTC), "capture-2019"),
         (datetime(2020, 6, 3, 14, 0, tzinfo=UTC), "capture-2020"))
RIGHT = "/2019/05/05/moscow-will-trade-caracas-for-a-seat-at-the-table/"
DECOYS = ("/2019/05/05/moscow-trade-talks-caracas-seat-analysis/",
          "/2019/05/05/weather-in-moscow/", "/2019/05/06/moscow-will-trade-caracas-seat-table/")


class _Keep(urllib.request.HTTPRedirectHandler):
    """A proxy passes redirects on as they are."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(_Keep)


class ArchiveProxy:
    """Forwards GETs to pywb; the first `limited` CDX requests get 429 with Retry-After: 1."""

    def __init__(self, upstream: str, limited: int = 1):
        self.upstream = upstream.rstrip("/")
        self.limited = limited
        self.answered: list[tuple[str, int]] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                proxy.handle(self)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, h: http.server.BaseHTTPRequestHandler) -> None:
        if "/cdx?" in h.path and self.limited > 0:
            self.limited -= 1
            self.answered.append((h.path, 429))
            body = b"Too many requests\n"
            h.send_response(429)
            h.send_header("Retry-After", "1")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            return
        request = urllib.request.Request(self.upstream + h.path, headers={
            k: v for k, v in h.headers.items() if k.lower() in ("accept-datetime", "user-agent")})
        try:
            with OPENER.open(request, timeout=10) as answer:
                status, headers, body = answer.status, answer.headers.items(), answer.read()
        except urllib.error.HTTPError as exc:
            status, headers, body = exc.code, exc.headers.items(), exc.read()
        self.answered.append((h.path, status))
        h.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "date",
                                    "server"):
                h.send_header(name, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    @property
    def cdx_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/archive/cdx"

    def __enter__(self) -> ArchiveProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_seeds(folder: Path, seeds: list[dict]) -> Path:
    """Seed files and seeds.yml: each dict has name, title, date, paragraphs, originals."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for seed in seeds:
        text = "\n\n".join([f"# {seed['title']}", "By A. Writer", seed["date"],
                            *seed["paragraphs"]])
        (folder / seed["name"]).write_text(text + "\n")
        entries.append({"file": seed["name"], "publication": "News Test",
                        "originals": seed["originals"]})
    (folder / "seeds.yml").write_text("# test manifest\n" + yaml.safe_dump({"seeds": entries},
                                                                            sort_keys=False))
    return folder


def crawl(seeds: Path, data: Path, *extra: str, down: bool = False,
          **settings: str) -> subprocess.CompletedProcess:
    """`seedcheck crawl` of the test site; `down`: down.test resolves where nothing listens."""
    command = [str(BIN / "seedcheck"), "crawl", "--seeds", str(seeds), "--data", str(data),
               "--resolve", "news.test:127.0.0.1",
               "--resolve", f"down.test:{'127.0.0.2' if down else '127.0.0.1'}"]
    for name, value in {**FAST, **settings}.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(command + list(extra), capture_output=True, text=True, timeout=90)


def given(url: str) -> dict:
    return {"url": url, "role": "original", "confidence": "given"}


@dataclass
class ArchivedSite:
    server: WebServer
    wayback: Wayback
    proxy: ArchiveProxy
    root: Path
    earlier: list[Path]  # WARC files pywb holds

    def url(self, path: str, host: str = "news.test") -> str:
        return self.server.url(path, host)


def _dated_captures(directory: Path, url: str) -> None:
    """Captures of `url` at the DATED times, each body marked with its year."""
    with WarcWriter(WarcConfig(directory, prefix="dated")) as writer:
        for when, mark in DATED:
            writer.write(Exchange(
                url=url, date=when, method="GET", request_headers=[("Host", "news.test")],
                request_body=b"", protocol="HTTP/1.1", status=200, reason="OK",
                response_headers=[("Content-Type", "text/html; charset=utf-8")],
                body=marked(article_html(0), mark)))


@pytest.fixture(scope="session")
def archived_site(tmp_path_factory) -> Iterator[ArchivedSite]:
    root = tmp_path_factory.mktemp("archived")
    with WebServer() as server:
        server.set_page("/gone", article_html(0))
        server.set_page("/story", article_html(1))  # on down.test: the host goes down later
        server.set_page("/changed", marked(article_html(2), "first version"))
        server.set_page("/moved", article_html(0, "wordpress"))
        server.redirect("/old", "/moved", 301)
        server.set_page("/", "<html><body><h1>Home</h1></body></html>")
        server.set_page(RIGHT, article_html(0, "moscow_times"))
        for n, path in enumerate(DECOYS, 1):
            server.set_page(path, article_html(n, "moscow_times"))
        u = server.url
        earlier = [u("/gone"), u("/story", "down.test"), u("/changed"), u("/moved"), u("/old"),
                   u(RIGHT),
                   *map(u, DECOYS)]
        seeds = write_seeds(root / "seeds0", [{
            "name": "000_earlier.txt", "title": "Earlier", "date": "May 5, 2019",
            "paragraphs": ["Only here to crawl the earlier captures."],
            "originals": [given(url) for url in earlier]}])
        result = crawl(seeds, root / "data0", "--no-wayback")
        assert result.returncode == 0, result.stderr
        _dated_captures(root / "dated", u("/dated"))
        files = warc_files(root / "data0" / "warcs") + warc_files(root / "dated")
        wayback = serve_warcs(root / "pywb", files)
        try:
            with ArchiveProxy(wayback.base.removesuffix("archive/")) as proxy:
                yield ArchivedSite(server, wayback, proxy, root, files)
        finally:
            wayback.stop()
