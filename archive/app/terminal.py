"""What reaches the terminal: text from outside (URLs, `Location` headers, seed titles, file
names, server messages) with its control characters made visible, so a hostile page or seed
cannot move the cursor, retitle the window, rewrite earlier lines or hide text.

`guard()` wraps the process's stdout and stderr once, when the `seedcheck` command starts:
every write is cleaned whatever printed it. Our own progress lines keep the two controls they
use, a leading carriage return and a trailing erase-to-end-of-line (`\\x1b[K`).
"""

from __future__ import annotations

import io
import re
import sys
from typing import TextIO

# C0 controls but tab and newline, DEL, C1 controls, the bidirectional overrides, and the
# lone surrogates that stand for a file name's undecodable bytes (unprintable in UTF-8).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
ERASE = "\x1b[K"


def visible(text: str) -> str:
    """`text` with every control character written as an escape: ESC as `\\x1b`."""
    return CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def clean(text: str) -> str:
    """A write's text made safe, keeping a leading `\\r` and a trailing `\\x1b[K` (+ newline)."""
    start = "\r" if text.startswith("\r") else ""
    body = text[len(start):]
    end = next((tail for tail in (ERASE + "\n", ERASE) if body.endswith(tail)), "")
    return start + visible(body[:len(body) - len(end)]) + end


class Guarded(io.TextIOBase):
    """A text stream that cleans what is written to it, then writes it to `stream`."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(clean(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", "utf-8")

    @property
    def errors(self) -> str | None:
        return getattr(self.stream, "errors", None)


def guard() -> None:
    """Clean every later write to stdout and stderr (once per stream)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, Guarded):
            setattr(sys, name, Guarded(stream))
