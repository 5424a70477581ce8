"""The archived-HTML sandbox in a real headless Chromium: nothing from an archived page
reaches any host, not even a bare TCP connection.

Every way a page can make a browser connect somewhere points at its own listening socket on
127.0.0.1 (one port per way), which logs every connection accepted, whether or not a request
follows. The pages are archived with the project's writer, built by `seedcheck build` and
shown by a real `seedcheck serve`, on the compare page (in its iframe) and opened alone.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.warc.writer import Exchange, WarcConfig, WarcWriter
from tests.articles import NEWS
from tests.browser import start_server, stop_server
from tests.pages import moscow_times_page

pytestmark = pytest.mark.timeout(240)
BIN = Path(sys.executable).parent
T0 = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)
# Each way a page makes a browser connect; "{u}" is the URL of that way's own listener.
WAYS = {
    "iframe": '<iframe src="{u}/iframe"></iframe>',
    "object": '<object data="{u}/object" type="text/html"></object>',
    "embed": '<embed src="{u}/embed" type="image/svg+xml">',
    "img": '<img src="{u}/img.png" alt="">',
    "srcset": '<img srcset="{u}/srcset.png 2x" alt="">',
    "picture": '<picture><source srcset="{u}/picture.webp"><img alt=""></picture>',
    "preload": '<link rel="preload" href="{u}/preload.js" as="script">',
    "prefetch": '<link rel="prefetch" href="{u}/prefetch">',
    "preconnect": '<link rel="preconnect" href="{u}">',
    "dns-prefetch": '<link rel="dns-prefetch" href="{u}">',
    "stylesheet": '<link rel="stylesheet" href="{u}/style.css">',
    "icon": '<link rel="icon" href="{u}/favicon.ico">',
    "modulepreload": '<link rel="modulepreload" href="{u}/module.js">',
    "css-url": '<div style="background-image: url({u}/bg.png)">styled</div>',
    "css-import": '<style>@import url("{u}/import.css");</style>',
    "css-font": '<style>@font-face {{ font-family: x; src: url({u}/font.woff); }} '
                'p {{ font-family: x; }}</style>',
    "svg-image": '<svg width="10" height="10"><image href="{u}/svg.png" width="10" height="10"/>'
                 '</svg>',
    "svg-use": '<svg width="10" height="10"><use href="{u}/sprite.svg#a"/></svg>',
    "form": '<form action="{u}/form" method="post"><input name="q" value="x"></form>',
    "input-image": '<input type="image" src="{u}/input.png" alt="">',
    "ping": '<a href="/elsewhere" ping="{u}/ping">a link</a>',
    "video": '<video poster="{u}/poster.png" src="{u}/video.mp4" preload="auto"></video>',
    "audio": '<audio src="{u}/audio.mp3" preload="auto"></audio>',
    "script": '<script src="{u}/script.js"></script>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url={u}/refresh">',
}
HEAD_WAYS = ("preload", "prefetch", "preconnect", "dns-prefetch", "stylesheet", "icon",
             "modulepreload", "meta-refresh")


class Listener:
    """A TCP socket on 127.0.0.1 that accepts and logs every connection, and answers nothing."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def listeners() -> Iterator[dict[str, Listener]]:
    found = {way: Listener() for way in [*WAYS, "base", "frame"]}
    yield found
    for listener in found.values():
        listener.close()


def armed_page(listeners: dict[str, Listener]) -> str:
    """A real article page carrying every way, each aimed at its own listener."""
    url = {way: f"http://127.0.0.1:{listener.port}" for way, listener in listeners.items()}
    head = "".join(WAYS[way].format(u=url[way]) for way in HEAD_WAYS)
    head += f'<base href="{url["base"]}/">'
    body = "".join(WAYS[way].format(u=url[way]) for way in WAYS if way not in HEAD_WAYS)
    body += '<img src="relative-after-base.png" alt="">'
    html = moscow_times_page(NEWS, url="https://mirror.test/story/")
    return html.replace("<head>", "<head>" + head, 1).replace("</body>", body + "</body>", 1)


def frameset_page(listeners: dict[str, Listener]) -> str:
    return (f'<html><head><title>Frames</title></head><frameset cols="50%,50%">'
            f'<frame src="http://127.0.0.1:{listeners["frame"].port}/frame">'
            f'<frame src="about:blank"></frameset></html>')


def exchange(url: str, body: str, when: datetime) -> Exchange:
    return Exchange(url=url, date=when, method="GET", request_headers=[("Host", "mirror.test")],
                    request_body=b"", protocol="HTTP/1.1", status=200, reason="OK",
                    response_headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=body.encode(), ip_address="127.0.0.1")


@pytest.fixture(scope="module")
def armed_site(tmp_path_factory, listeners) -> Iterator[tuple[str, dict[str, str]]]:
    root = tmp_path_factory.mktemp("armed")
    warcs = root / "data" / "warcs"
    warcs.mkdir(parents=True)
    pages = {"armed": armed_page(listeners), "frames": frameset_page(listeners)}
    with WarcWriter(WarcConfig(directory=warcs, prefix="armed")) as writer:
        ids = {name: writer.write(exchange(f"https://mirror.test/{name}/", body,
                                           T0 + timedelta(minutes=n))).record_id
               for n, (name, body) in enumerate(pages.items())}
    seeds = root / "seeds"
    seeds.mkdir()
    manifest = ["seeds:"]
    for name in pages:
        (seeds / f"{name}.txt").write_text(f"# {NEWS.title}\n\n" + "\n\n".join(NEWS.blocks()))
        manifest += [f"  - file: {name}.txt", "    originals:",
                     f"      - url: https://mirror.test/{name}/", "        role: original"]
    (seeds / "seeds.yml").write_text("\n".join(manifest) + "\n")
    result = subprocess.run([str(BIN / "seedcheck"), "build", "--data", str(root / "data"),
                             "--seeds", str(seeds), "--workers", "0"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    base, process = start_server(root / "data")
    yield base, {name: record.strip("<>") for name, record in ids.items()}
    stop_server(process)


def visit(chromium, url: str, scroll: bool = True) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        if scroll:
            page.mouse.wheel(0, 20000)
        time.sleep(2.0)                                   # time for anything that would fire
    finally:
        context.close()


def test_nothing_from_an_archived_page_reaches_any_host(armed_site, listeners, chromium):
    base, ids = armed_site
    for name in ("armed", "frames"):
        visit(chromium, f"{base}/-/seedcheck/seed/{name}")              # in the iframe
        visit(chromium, f"{base}/-/seedcheck/raw/{ids[name]}")          # opened alone
    connected = {way: listener.connections for way, listener in listeners.items()
                 if listener.connections}
    assert connected == {}, f"connections from archived HTML: {connected}"


def test_the_listeners_hear_the_same_page_without_the_sandbox(armed_site, listeners, chromium):
    """Control: the same page served with no fence makes the browser connect to them."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content(armed_page(listeners), wait_until="load")
        time.sleep(2.0)
    finally:
        context.close()
    heard = {way for way, listener in listeners.items() if listener.connections}
    for listener in listeners.values():
        listener.connections = 0
    assert {"iframe", "img", "stylesheet", "script", "css-url"} <= heard, heard
