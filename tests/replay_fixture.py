"""ReplayWeb.page served on 127.0.0.1, for opening a WACZ in a real Chromium.

The `replaywebpage` npm package's static files (`ui.js`, and `sw.js`, its service worker) are
fetched by `make replaywebpage` into `.replay/package/` (gitignored). `ReplayPage` serves a
folder holding them, an embedding page and the WACZ over http://127.0.0.1 (a secure context,
so the service worker may register), with HTTP Range support: ReplayWeb.page reads a WACZ by
byte ranges, as it would from any web server.
"""

from __future__ import annotations

import html
import http.server
import re
import shutil
import threading
from pathlib import Path
from typing import BinaryIO, ClassVar

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / ".replay" / "package"
RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def replaywebpage_files() -> Path:
    if not (PACKAGE / "ui.js").is_file() or not (PACKAGE / "sw.js").is_file():
        raise AssertionError(f"{PACKAGE}: ReplayWeb.page is missing; `make replaywebpage` "
                             "fetches it (the test target does)")
    return PACKAGE


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "application/javascript", ".wacz": "application/wacz"}
    remaining: int | None = None

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> BinaryIO | None:
        path = Path(self.translate_path(self.path))
        wanted = RANGE.match(self.headers.get("Range", ""))
        if wanted is None or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start = int(wanted.group(1) or 0)
        end = min(int(wanted.group(2)) if wanted.group(2) else size - 1, size - 1)
        fh = path.open("rb")
        fh.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self.remaining = end - start + 1
        return fh

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:
        if self.remaining is None:
            super().copyfile(source, outputfile)
        else:
            outputfile.write(source.read(self.remaining))


class ReplayPage:
    """A folder served on 127.0.0.1: ReplayWeb.page embedded, replaying `wacz` at a URL."""

    def __init__(self, folder: Path, wacz: Path):
        files = replaywebpage_files()
        (folder / "replay").mkdir(parents=True, exist_ok=True)
        shutil.copy(files / "ui.js", folder / "ui.js")
        shutil.copy(files / "sw.js", folder / "replay" / "sw.js")
        # The replay frame's first load can reach the server before the service worker is
        # active (Chromium raced it about once in ten loads here): this page, which the worker
        # never lets through once it is, reloads the frame when the worker is ready.
        (folder / "replay" / "index.html").write_text(
            "<!doctype html><meta charset='utf-8'><script>navigator.serviceWorker.ready.then("
            "() => setTimeout(() => location.reload(), 100));</script>")
        shutil.copy(wacz, folder / "archive.wacz")
        self.folder = folder
        handler = type("Handler", (_Handler,), {
            "__init__": lambda s, *a, **k: _Handler.__init__(s, *a, directory=str(folder), **k)})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def page_for(self, url: str | None = None) -> str:
        """The address of an embedding page that replays `url` from the WACZ, or (None) shows
        ReplayWeb.page's list of the archive's pages with its search box."""
        what = (f'embed="replayonly" url="{html.escape(url)}"' if url is not None else
                'view="pages"')
        (self.folder / "index.html").write_text(
            '<!doctype html><html><head><meta charset="utf-8"><script src="/ui.js"></script>'
            '</head><body><replay-web-page source="/archive.wacz" replaybase="/replay/" '
            f'{what} style="display:block;width:100%;height:800px"></replay-web-page>'
            '</body></html>')
        return f"http://127.0.0.1:{self.server.server_address[1]}/index.html"

    def __enter__(self) -> ReplayPage:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
