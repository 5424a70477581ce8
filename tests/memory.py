"""Peak memory of real processes, measured by the kernel (no sampling).

`run_measured` runs a command through a small Python parent that waits for it and reports
`RUSAGE_CHILDREN.ru_maxrss`: the peak resident size of the largest process in the command's
tree (workers included, each counted alone). `tree_peak` reads `VmHWM` of a running process
and its descendants, for servers measured while they are still up.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

MB = 1024 * 1024
_PARENT = ("import resource, subprocess, sys; "
           "code = subprocess.call(sys.argv[2:]); "
           "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
           "sys.exit(code)")


def run_measured(args: list[str], timeout: float = 300, **kwargs
                 ) -> tuple[subprocess.CompletedProcess, float]:
    """(the finished command, its tree's peak RSS in MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        result = subprocess.run([sys.executable, "-c", _PARENT, peak.name, *args],
                                capture_output=True, text=True, timeout=timeout, **kwargs)
        return result, int(peak.read() or 0) / 1024


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        here = todo.pop()
        found.append(here)
        for task in Path(f"/proc/{here}/task").glob("*"):
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            todo += [int(child) for child in children]
    return found


def tree_peak(pid: int) -> float:
    """The largest peak RSS (VmHWM) in MB among `pid` and its descendants, alive now."""
    peaks = []
    for member in descendants(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), None)
        if line:
            peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)
