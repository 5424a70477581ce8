"""Publishing the database in Datasette, read-only, with metadata.yml and the seedcheck plugin.

Datasette runs as its own process (`python -m datasette serve …`): this module builds that
command and runs it, so nothing here imports Datasette (the plugin module is its only
importer). The plugin itself is found by Datasette through the `datasette` entry point of
this package, so the package must be installed (`pip install -e .` does it).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import archive
from archive.layout import DataDir

PLUGIN_DATA_ENV = "SEEDCHECK_DATA"  # read by metadata.yml's plugins.seedcheck.data
METADATA_NAME = "metadata.yml"
HOME_PATH = "/-/seedcheck"
# Datasette settings of a public, read-only archive. Arbitrary SQL is off unless asked for
# (`serve --sql`): a published archive answers its pages, tables, facets and canned queries;
# a visitor's own SQL is an opening to the server's CPU and memory. Every query, arbitrary or
# not, is bounded in time and rows here and in bytes by the plugin (archive.web.limits).
SETTINGS: dict[str, int | bool] = {
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    "num_sql_threads": 3,               # the plugin lets visitors' SQL use 1 of them at a time
    "default_allow_sql": False,
    "allow_download": True,
}


class PublishError(Exception):
    """Something `serve` needs is missing: the database or metadata.yml."""


@dataclass(frozen=True)
class ServeOptions:
    data_dir: Path = Path("data")
    host: str = "127.0.0.1"
    port: int = 8001                     # 0: pick a free port
    metadata: Path | None = None         # default: metadata.yml of this checkout
    sql: bool = False                    # let visitors run their own (bounded) SQL


def database_path(data_dir: Path) -> Path:
    return DataDir(data_dir).database


def metadata_path() -> Path:
    """metadata.yml at the top of the checkout this package is installed from.

    It lives beside README.md rather than inside the package because it is the project's
    documentation of its data; an editable install (`pip install -e .`) keeps it reachable.
    """
    path = Path(archive.__file__).resolve().parent.parent / METADATA_NAME
    if not path.is_file():
        raise PublishError(
            f"{path}: metadata.yml not found; seedcheck must run from a checkout "
            "installed with `pip install -e .` (or pass its path explicitly)"
        )
    return path


def free_port(host: str) -> int:
    """A port the OS has just called free (a tiny race with other processes is accepted)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def check_port(host: str, port: int) -> None:
    """PublishError naming the port when something else already listens there."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                       socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn binds
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise PublishError(
                f"port {port} on {host} is in use ({exc.strerror}): another server, perhaps an "
                f"earlier `seedcheck serve`, is listening there; stop it or pick another port "
                f"with --port (0 picks a free one)") from None


def prepare(options: ServeOptions) -> ServeOptions:
    """Check what serving needs and settle the defaults: the metadata file and a real port."""
    db = database_path(options.data_dir)
    if not db.is_file():
        raise PublishError(
            f"{db}: database not found; build it first with "
            f"`seedcheck build --data {options.data_dir}` (after `seedcheck crawl`)"
        )
    metadata = options.metadata or metadata_path()
    if not metadata.is_file():
        raise PublishError(f"{metadata}: metadata file not found")
    if options.port:
        check_port(options.host, options.port)
    port = options.port or free_port(options.host)
    return replace(options, metadata=metadata, port=port)


def datasette_metadata(options: ServeOptions) -> dict:
    """metadata.yml with the plugin's data folder filled in, for a Datasette in this process."""
    import yaml

    metadata = yaml.safe_load(Path(options.metadata or metadata_path()).read_text())
    metadata.setdefault("plugins", {}).setdefault("seedcheck", {})["data"] = str(
        Path(options.data_dir).resolve())
    return metadata


def datasette_env(options: ServeOptions) -> dict[str, str]:
    """The environment of `datasette serve`: metadata.yml takes the data folder from it."""
    return {**os.environ, PLUGIN_DATA_ENV: str(Path(options.data_dir).resolve())}


def datasette_command(options: ServeOptions) -> list[str]:
    """The `datasette serve` command line for prepared options."""
    if options.metadata is None or not options.port:
        raise PublishError("datasette_command needs prepared options (see prepare())")
    command = [
        sys.executable, "-m", "datasette", "serve",
        "--immutable", str(database_path(options.data_dir)),
        "--metadata", str(options.metadata),
        "--host", options.host,
        "--port", str(options.port),
    ]
    for name, value in {**SETTINGS, "default_allow_sql": options.sql}.items():
        text = ("on" if value else "off") if isinstance(value, bool) else str(value)
        command += ["--setting", name, text]
    return command


def home_url(options: ServeOptions) -> str:
    host = f"[{options.host}]" if ":" in options.host else options.host
    return f"http://{host}:{options.port}{HOME_PATH}"


def serve(options: ServeOptions, echo: Callable[[str], None] = print) -> int:
    """Run Datasette until it stops (Ctrl-C or SIGTERM); returns its exit status.

    `echo` receives the URL to open before the server starts, so a caller (and a test that
    asked for port 0) learns where to look. A SIGTERM sent to this process is passed on to
    Datasette, so stopping `seedcheck serve` never leaves a server behind.
    """
    ready = prepare(options)
    echo(f"Serving {database_path(ready.data_dir)} read-only at {home_url(ready)}")
    command, env = datasette_command(ready), datasette_env(ready)
    with subprocess.Popen(command, env=env) as process, _forward_sigterm(process):
        try:
            return process.wait()
        except KeyboardInterrupt:
            # The terminal sent SIGINT to Datasette too; give it a moment to stop cleanly.
            try:
                return process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                return process.wait()


@contextmanager
def _forward_sigterm(process: subprocess.Popen) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield                      # signal handlers belong to the main thread; its caller's job
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
