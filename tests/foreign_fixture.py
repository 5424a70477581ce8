"""Archives written by other tools, made here by those tools, for `seedcheck import` and the build.

Fixture `foreign_archives` (session-scoped): the test web server serves three articles, and
- warcio writes a WARC/1.1 (gzip) and a WARC/1.0 (uncompressed) file,
- pywb's recorder (`wayback` with `recorder: live`) records a page it fetches from the server,
- `wget --warc-file` fetches a page from the server,
- an ARC file (gzip per record, as Heritrix wrote them) is written byte by byte,
- py-wacz's `wacz create` packages a warcio WARC as a WACZ,
- a warcio WARC has its middle record's gzip member overwritten (a damaged file).
`ForeignArchives.pages` says which article each file holds at which URL.
"""

from __future__ import annotations

import gzip
import io
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.app.pywb import Wayback, tool
from tests.webserver import WebServer, article_html, marked

BIN = Path(sys.executable).parent
WHEN = datetime(2019, 5, 9, 9, 30, tzinfo=UTC)


@dataclass
class ForeignArchives:
    files: dict[str, Path] = field(default_factory=dict)   # kind -> file
    pages: dict[str, tuple[str, int]] = field(default_factory=dict)  # kind -> (URL, article)
    damaged_offset: int = 0                                   # where the damaged member starts


def warcio_file(path: Path, pages: list[tuple[str, bytes]], *, version: str = "WARC/1.1",
                gz: bool = True) -> list[int]:
    """A WARC written by warcio: one response per (url, html); the record offsets."""
    offsets = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz, warc_version=version)
        for url, html in pages:
            head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                               ("Content-Length", str(len(html)))],
                                    protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(html),
                                               http_headers=head,
                                               warc_headers_dict={"WARC-Date": "2019-05-09T09:30:00Z"})
            offsets.append(fh.tell())
            writer.write_record(record)
    return offsets


def arc_file(path: Path, url: str, html: bytes) -> None:
    """An ARC v1 file, one gzip member per record: the filedesc record, then one response."""
    def record(head_url: str, ip: str, mime: str, block: bytes) -> bytes:
        line = f"{head_url} {ip} {WHEN:%Y%m%d%H%M%S} {mime} {len(block)}\n".encode()
        return gzip.compress(line + block + b"\n", mtime=0)

    desc = b"1 0 seedcheck tests\nURL IP-address Archive-date Content-type Archive-length\n"
    http = (b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: %d\r\n\r\n" % len(html)) + html
    path.write_bytes(record(f"filedesc://{path.name}", "0.0.0.0", "text/plain", desc)
                     + record(url, "127.0.0.1", "text/html", http))


def pywb_recording(root: Path, url: str) -> Path:
    """The WARC pywb's recorder writes when asked for `url` through /rec/record/."""
    root.mkdir(parents=True)
    subprocess.run([str(tool("wb-manager")), "init", "rec"], cwd=root, check=True,
                   capture_output=True, timeout=60)
    (root / "config.yaml").write_text("collections:\n  live: $live\nrecorder: live\n")
    with Wayback(root, collection="rec") as wayback:
        with urllib.request.urlopen(f"{wayback.base}record/id_/{url}", timeout=30) as answer:
            assert answer.status == 200
            answer.read()
        folder = root / "collections" / "rec" / "archive"
        deadline = time.monotonic() + 20
        while not list(folder.glob("*.warc.gz")) and time.monotonic() < deadline:
            time.sleep(0.1)
    (found,) = folder.glob("*.warc.gz")
    return found


def wget_warc(folder: Path, url: str) -> Path:
    """What `wget --warc-file` writes for one fetch of `url`."""
    stem = folder / "wget-crawl"
    subprocess.run(["wget", "--quiet", "--tries=1", f"--warc-file={stem}", "-O", "/dev/null",
                    url], check=True, capture_output=True, timeout=60)
    return stem.with_name("wget-crawl.warc.gz")


def py_wacz(folder: Path, warc: Path) -> Path:
    """A WACZ made by py-wacz's `wacz create` (with its page detection) from `warc`."""
    out = folder / "from-pywacz.wacz"
    subprocess.run([str(BIN / "wacz"), "create", "-o", str(out), "--detect-pages", str(warc)],
                   check=True, capture_output=True, timeout=120)
    return out


def damaged_warc(path: Path, url: str, html: bytes) -> int:
    """Three records; the middle one's gzip member overwritten; where the damage starts."""
    offsets = warcio_file(path, [("http://news.test/filler-1", b"<html><body>one</body></html>"),
                                 ("http://news.test/filler-2", b"<html><body>two</body></html>"),
                                 (url, html)])
    data = bytearray(path.read_bytes())
    data[offsets[1] + 12:offsets[1] + 60] = b"\x00" * 48
    path.write_bytes(bytes(data))
    return offsets[1]


@pytest.fixture(scope="session")
def foreign_archives(tmp_path_factory) -> Iterator[ForeignArchives]:
    root = tmp_path_factory.mktemp("foreign")
    out = ForeignArchives()
    made = root / "made"
    made.mkdir()
    with WebServer() as server:
        server.set_page("/pywb-story", article_html(1))
        server.set_page("/wget-story", marked(article_html(2, "telegraph"), "wget"))
        base = f"http://127.0.0.1:{server.port}"
        out.files["pywb"] = pywb_recording(root / "pywb", base + "/pywb-story")
        out.pages["pywb"] = (base + "/pywb-story", 1)
        out.files["wget"] = wget_warc(made, base + "/wget-story")
        out.pages["wget"] = (base + "/wget-story", 2)
    pages = {
        "warcio-1.1": ("http://www.news.test/warcio-story", 0),
        "warcio-1.0": ("http://news.test/warcio-plain", 1),
        "arc": ("http://news.test/arc-story", 2),
        "wacz": ("http://news.test/wacz-story", 0),
        "damaged": ("http://news.test/after-damage", 1),
    }
    html = {kind: marked(article_html(n, "wordpress"), kind) for kind, (_, n) in pages.items()}
    out.pages.update(pages)
    out.files["warcio-1.1"] = made / "warcio-11.warc.gz"
    warcio_file(out.files["warcio-1.1"], [(pages["warcio-1.1"][0], html["warcio-1.1"])])
    out.files["warcio-1.0"] = made / "warcio-10.warc"
    warcio_file(out.files["warcio-1.0"], [(pages["warcio-1.0"][0], html["warcio-1.0"])],
                version="WARC/1.0", gz=False)
    out.files["arc"] = made / "heritrix-style.arc.gz"
    arc_file(out.files["arc"], pages["arc"][0], html["arc"])
    inner = root / "for-wacz.warc.gz"
    warcio_file(inner, [(pages["wacz"][0], html["wacz"])])
    out.files["wacz"] = py_wacz(made, inner)
    out.files["damaged"] = made / "damaged.warc.gz"
    out.damaged_offset = damaged_warc(out.files["damaged"], pages["damaged"][0], html["damaged"])
    yield out
    shutil.rmtree(root, ignore_errors=True)
