"""A local pywb serving WARC files: for tests, `seedcheck demo`, and checking our WARCs replay.

`make_collection` builds a pywb collection folder from WARC files with `wb-manager` (which
copies and indexes them); `Wayback` starts `wayback -b 127.0.0.1 -p PORT -d DIR` as a child
process, waits until it answers, and stops it. Its URLs: the CDX API at `cdx_url`, raw
captures at `<replay_url><timestamp>id_/<url>`, the Memento TimeGate at `timegate_url`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

READY_TIMEOUT = 30.0


class PywbError(Exception):
    """pywb could not be set up or started; the message names the folder or the command."""


def tool(name: str) -> Path:
    """A pywb console script (`wayback`, `wb-manager`): of this environment, else of the pywb
    virtualenv inside it (`<venv>/pywb`, made by `make`: pywb pins redis 2.10, which cannot
    share an environment with the crawl frontier's redis client)."""
    places = (Path(sys.executable).parent, Path(sys.prefix) / "pywb" / "bin")
    for place in places:
        if (place / name).exists():
            return place / name
    raise PywbError(f"{name}: not found in {' or '.join(map(str, places))}; pywb is installed "
                    f"by `make test` (or `python -m venv {places[1].parent}` and "
                    f"`{places[1]}/pip install 'pywb>=2.8,<2.11'`)")


def make_collection(root: Path, name: str, warcs: Iterable[Path]) -> Path:
    """A pywb collection `name` under `root`, holding (copies of) `warcs`, indexed."""
    root.mkdir(parents=True, exist_ok=True)
    folder = root / "collections" / name
    if not folder.is_dir():
        _run([str(tool("wb-manager")), "init", name], root)
    files = [str(Path(w).resolve()) for w in warcs]
    if files:
        _run([str(tool("wb-manager")), "add", name, *files], root)
    return folder


def _run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise PywbError(f"{' '.join(command)} (in {cwd}) failed: "
                        f"{(result.stderr or result.stdout).strip()[-500:]}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Wayback:
    """pywb's `wayback` on 127.0.0.1 over a folder of collections; a context manager."""

    def __init__(self, root: Path, port: int = 0, collection: str = "archive"):
        self.root = Path(root)
        self.port = port or free_port()
        self.collection = collection
        self.process: subprocess.Popen | None = None
        self.log = self.root / "wayback.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.collection}/"

    @property
    def cdx_url(self) -> str:
        return self.base + "cdx"

    @property
    def replay_url(self) -> str:
        return self.base

    @property
    def timegate_url(self) -> str:
        """Raw-mode TimeGate: append the original URL; ask with Accept-Datetime."""
        return self.base + "id_/"

    def start(self) -> Wayback:
        command = [str(tool("wayback")), "-b", "127.0.0.1", "-p", str(self.port),
                   "-d", str(self.root)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=self.root, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise PywbError(f"wayback exited with {self.process.returncode}; "
                                f"see {self.log}: {self.log.read_text()[-500:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise PywbError(f"wayback on port {self.port} not ready after {READY_TIMEOUT:.0f} s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)  # its own session: it and its children only
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def __enter__(self) -> Wayback:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def serve_warcs(root: Path, warcs: Iterable[Path], collection: str = "archive",
                port: int = 0) -> Wayback:
    """Index `warcs` into a collection under `root` and start pywb over it (call `.stop()`)."""
    make_collection(root, collection, warcs)
    return Wayback(root, port, collection).start()
