"""Payload digests, and the dedup index that turns a repeated payload into a revisit record.

A revisit only ever refers to an original no newer than itself: the index keeps, per (payload
digest, target URI), the earliest original it has seen (see `DigestIndex`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii
from pathlib import Path

from archive.warc.reader import Capture, WarcError, iter_captures, warc_date, warc_files


@dataclass(frozen=True)
class Original:
    """What a revisit points at: a response record with that payload at that URL."""

    record_id: str
    target_uri: str
    date: str  # WARC-Date as written
    filename: str = field(default="", compare=False)


def sha1_digest(data: bytes) -> str:
    return digest_label(hashlib.sha1(data))


_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648
_B32_PAIRS = [a + b for a in _B32 for b in _B32]


def digest_label(digest: hashlib._Hash) -> str:
    """`sha1:` and the Base32 digest: what Wayback CDX and warcio write."""
    raw = digest.digest()
    if len(raw) != 20:
        return "sha1:" + base64.b32encode(raw).decode("ascii")
    # A sha1 is 160 bits: 16 ten-bit pairs of Base32 letters, no padding (base64's own table
    # idea, without its per-5-byte loop; three labels per fetch).
    bits = int.from_bytes(raw, "big")
    return "sha1:" + "".join([_B32_PAIRS[(bits >> s) & 0x3FF] for s in range(150, -1, -10)])


EMPTY_DIGEST = sha1_digest(b"")


class DigestIndex:
    """(payload digest, target URI) -> the original response, kept in `digests.jsonl`.

    Append-only: one JSON line per new or earlier original; a torn last line (a crash) is
    ignored. Appends are buffered and reach the file when the buffer fills and at `close`: a
    crash may lose the tail, which costs only dedup (a full response instead of a revisit);
    `rebuild` recovers every entry from the WARCs. When two responses share a key, the
    earliest WARC-Date wins (then the lower record id), so the index does not depend on the
    order files are read in.
    """

    FILENAME = "digests.jsonl"

    def __init__(self, path: Path | None = None):
        self.path = path
        self.entries: dict[tuple[str, str], Original] = {}
        self._fh = None

    @classmethod
    def open(cls, directory: Path) -> DigestIndex:
        """The index of `directory`; rebuilt from its WARCs when the file is missing."""
        path = Path(directory) / cls.FILENAME
        if not path.exists():
            return cls.rebuild(directory) if warc_files(directory) else cls(path)
        index = cls(path)
        with open(path, "rb") as fh:
            for line in fh:
                try:
                    item = json.loads(line)
                    original = Original(item["id"], item["uri"], item["date"], item.get("file", ""))
                    index._keep(item["digest"], original)
                except (ValueError, KeyError, TypeError):
                    continue  # a line torn by a crash
        return index

    @classmethod
    def rebuild(cls, directory: Path) -> DigestIndex:
        """Scan the closed WARCs of `directory` and rewrite `digests.jsonl` from them."""
        directory = Path(directory)
        index = cls(None)
        for path in warc_files(directory):
            try:
                for capture in iter_captures(path, with_body=False):
                    if capture.record_type == "response" and _original_capture(capture):
                        index._keep(capture.payload_digest, Original(
                            capture.record_id, capture.target_uri,
                            warc_date(capture.date), path.name))
            except WarcError:
                continue  # keep what was readable; the build reports damaged files
        index.path = directory / cls.FILENAME
        temporary = index.path.with_name(cls.FILENAME + ".tmp")
        temporary.write_bytes(b"".join(_line(key[0], o) for key, o in index.entries.items()))
        os.replace(temporary, index.path)
        return index

    def lookup(self, payload_digest: str, target_uri: str) -> Original | None:
        return self.entries.get((payload_digest, target_uri))

    def add(self, payload_digest: str, original: Original) -> None:
        if self._keep(payload_digest, original) and self.path is not None:
            if self._fh is None:
                self._fh = open(self.path, "ab", buffering=1 << 16)  # noqa: SIM115 -- closed in close()
                if self._fh.tell() and not _ends_with_newline(self.path):
                    self._fh.write(b"\n")  # end a torn line so it stays alone and ignored
            self._fh.write(_line(payload_digest, original))

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def _keep(self, payload_digest: str, original: Original) -> bool:
        key = (payload_digest, original.target_uri)
        known = self.entries.get(key)
        if known is not None and (known.date, known.record_id) <= (original.date,
                                                                    original.record_id):
            return False
        self.entries[key] = original
        return True


def _line(digest: str, original: Original) -> bytes:
    """What `json.dumps` of the entry's dict writes, from its C string encoder alone."""
    quote = encode_basestring_ascii
    return (f'{{"digest": {quote(digest)}, "uri": {quote(original.target_uri)}, '
            f'"id": {quote(original.record_id)}, "date": {quote(original.date)}, '
            f'"file": {quote(original.filename)}}}\n').encode()


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def _original_capture(capture: Capture) -> bool:
    return (capture.status is not None and 200 <= capture.status < 300
            and not capture.truncated and bool(capture.payload_digest)
            and capture.payload_digest != EMPTY_DIGEST)
