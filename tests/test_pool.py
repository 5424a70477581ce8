"""archive.build.pool: worker processes die with their parent, however it ends.

A real `seedcheck build` with two workers over 600 pages is killed (SIGKILL, SIGTERM) while
its workers extract; none of them may be left running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.memory import descendants
from tests.test_build import write_many, write_seeds

BIN = Path(sys.executable).parent


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper is dead)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("many")
    (root / "data" / "warcs").mkdir(parents=True)
    write_many(root / "data" / "warcs", "pages", 600)
    return root / "data", write_seeds(root / "seeds")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_build(many, sig):
    data, seeds = many
    process = subprocess.Popen(
        [str(BIN / "seedcheck"), "build", "--data", str(data), "--seeds", str(seeds),
         "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers = [pid for pid in descendants(process.pid) if pid != process.pid]
        time.sleep(0.05)
    assert len(workers) >= 2, "the build started no workers"
    time.sleep(0.3)                                         # at work
    os.kill(process.pid, sig)                               # the build only, not its group
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)                        # do not leave them to other tests
    assert not left, f"{len(left)} worker(s) outlived the build ({sig.name})"
