"""Progress of a long job: a one-line bar on a terminal, plain log lines anywhere else.

The build reports `update(done, items)` where `done` counts units of work towards `total`
(bytes of WARC read, comparisons made) and `items` the records handled; the rate shown is items
per second and the time left is extrapolated from `done / total`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

BAR_WIDTH = 24


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@dataclass
class Progress:
    stream: TextIO
    tty: bool = False
    interval: float = 5.0            # seconds between plain log lines
    every: int = 1000                # ... or items between them, whichever comes first
    clock: Callable[[], float] = time.monotonic
    _phase: str = ""
    _unit: str = "records"
    _total: int = 0
    _start: float = 0.0
    _last: float = 0.0
    _last_items: int = 0
    _items: int = 0
    _done: int = 0
    _shown: bool = field(default=False)

    def phase(self, name: str, total: int, unit: str = "records") -> None:
        """Start a phase of `total` units of work (0: unknown)."""
        self.end()
        self._phase, self._unit, self._total = name, unit, max(total, 0)
        self._start = self._last = self.clock()
        self._items = self._done = self._last_items = 0
        self._shown = False

    def update(self, done: int, items: int) -> None:
        self._done, self._items = done, items
        now = self.clock()
        if self.tty:
            if now - self._last >= 0.1 or (self._total and done >= self._total):
                self._last = now
                self.stream.write("\r" + self.line(now, bar=True) + "\x1b[K")
                self.stream.flush()
                self._shown = True
        elif now - self._last >= self.interval or items - self._last_items >= self.every:
            self._last, self._last_items = now, items
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()
            self._shown = True

    def end(self) -> None:
        """Close the phase: the bar's last state (terminal) or a closing log line."""
        if not self._phase:
            return
        if self._shown or self._items:
            text = self.line(self.clock(), bar=self.tty, final=True)
            self.stream.write(f"\r{text}\x1b[K\n" if self.tty else f"{text}\n")
            self.stream.flush()
        self._phase = ""

    def line(self, now: float, bar: bool = False, final: bool = False) -> str:
        elapsed = max(now - self._start, 1e-9)
        rate = self._items / elapsed
        parts = [f"{self._phase}: {self._items} {self._unit}", f"{rate:.1f}/s"]
        prefix = ""
        if self._total:
            share = min(self._done / self._total, 1.0)
            if bar:
                filled = int(share * BAR_WIDTH)
                prefix = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] "
            parts.append(f"{share:.0%}")
            if final:
                parts.append(f"{_duration(elapsed)} elapsed")
            elif share > 0:
                parts.append(f"{_duration(elapsed * (1 - share) / share)} left")
        elif final:
            parts.append(f"{_duration(elapsed)} elapsed")
        return prefix + " · ".join(parts)
