"""archive.warc.reader on damaged files: one bad record costs that record only.

Each record is its own gzip member, so a reader given `on_damage` resynchronises at the next
member that inflates to a WARC record and reports every skipped byte range. The damage is
real: a flipped byte, a bad CRC, a Content-Length that lies, a WARC-Date that is no date.
"""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.warc.reader import members
from archive.warc.writer import Exchange, WarcConfig, WarcError, WarcWriter, iter_captures

T0 = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)
COUNT = 38                                   # 38 pairs and a warcinfo: 77 records


def exchange(n: int) -> Exchange:
    return Exchange(
        url=f"https://news.test/{n}", date=T0 + timedelta(seconds=n), method="GET",
        request_headers=[("Host", "news.test")], request_body=b"", protocol="HTTP/1.1",
        status=200, reason="OK", response_headers=[("Content-Type", "text/html")],
        body=b"<html><body><p>Article %d, its words.</p></body></html>" % n, dedup=False)


def rewrite(member: bytes, old: bytes, new: bytes) -> bytes:
    raw = gzip.decompress(member)
    assert old in raw
    return gzip.compress(raw.replace(old, new, 1))


def flip(member: bytes, at: int) -> bytes:
    return member[:at] + bytes([member[at] ^ 0xFF]) + member[at + 1:]


DAMAGE = {   # response number -> how its member is spoilt
    3: lambda m: flip(m, len(m) // 2),                                    # a flipped byte
    11: lambda m: flip(m, len(m) - 8),                                    # a bad CRC
    20: lambda m: rewrite(m, b"Content-Length: ", b"Content-Length: 1"),  # a lie
    33: lambda m: rewrite(m, b"WARC-Date: 2026-", b"WARC-Date: 2026-99-"),  # no date
}


@pytest.fixture
def damaged(tmp_path) -> tuple[Path, list[tuple[int, int]]]:
    """A 77-record WARC with four responses spoilt; the byte range of each spoilt member."""
    with WarcWriter(WarcConfig(directory=tmp_path, prefix="spoilt")) as writer:
        for n in range(COUNT):
            writer.write(exchange(n))
    (path,) = tmp_path.glob("*.warc.gz")
    with path.open("rb") as fh:
        parts = [(start, length) for start, length, _ in members(fh, path)]
    original = path.read_bytes()
    out, ranges = bytearray(), []
    for index, (start, length) in enumerate(parts):
        member = original[start:start + length]
        response = (index - 1) // 2 if index % 2 else None      # warcinfo, then response+request
        if response in DAMAGE:
            member = DAMAGE[response](member)
            ranges.append((len(out), len(out) + len(member)))
        out += member
    path.write_bytes(bytes(out))
    return path, ranges


def test_each_damaged_record_is_skipped_and_reported_alone(damaged):
    path, ranges = damaged
    reported: list[WarcError] = []
    captures = list(iter_captures(path, on_damage=reported.append))
    numbers = [int(c.target_uri.rsplit("/", 1)[1]) for c in captures]
    assert numbers == [n for n in range(COUNT) if n not in DAMAGE]
    assert [(e.offset, e.end) for e in reported] == ranges
    problems = [str(e) for e in reported]
    assert "corrupt gzip member" in problems[0] and "corrupt gzip member" in problems[1]
    assert "Content-Length" in problems[2] and "bad WARC date" in problems[3]
    assert all(str(path) in p and re.search(r"at byte offset \d+", p) for p in problems)


def test_without_a_damage_handler_the_first_damage_raises(damaged):
    path, ranges = damaged
    seen = []
    with pytest.raises(WarcError) as error:
        seen.extend(iter_captures(path))
    assert error.value.offset == ranges[0][0] and len(seen) == 3


def test_a_torn_end_is_reported_to_the_end_of_the_file(damaged):
    path, _ = damaged
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[:size - 30])
    reported: list[WarcError] = []
    list(iter_captures(path, on_damage=reported.append))
    assert (reported[-1].end, "truncated gzip member" in str(reported[-1])) == (size - 30, True)
