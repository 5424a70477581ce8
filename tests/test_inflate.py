"""archive.warc.inflate: decompression bombs stop at a bound, in the reader, the build and the
raw view of a real `seedcheck serve`, with the peak memory of each measured by the kernel.

The bombs are real gzip streams of zeros (8 GiB sent as `Content-Encoding: gzip, gzip` in
a few KB, 1 GiB as one gzip), written into WARCs as a crawler receives them.
"""

from __future__ import annotations

import gzip
import sqlite3
import struct
import sys
import time
import tracemalloc
import urllib.error
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.warc.inflate import MAX_DECODED, CannotDecode, TooLarge, decode
from archive.warc.writer import Exchange, WarcConfig, WarcWriter, iter_captures, read_capture
from tests.articles import ANALYSIS
from tests.browser import start_server, stop_server
from tests.memory import run_measured, tree_peak
from tests.pages import nbc_page

BIN = Path(sys.executable).parent
LIMIT_MB = 500
T0 = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)
MIB = 1 << 20


def zeros_gzip(mebibytes: int) -> bytes:
    """A well-formed gzip member of `mebibytes` MiB of zeros, built without compressing them
    all: after a full flush each MiB of zeros deflates to the same bytes."""
    block, compressor = bytes(MIB), zlib.compressobj(9, zlib.DEFLATED, -15)
    compressor.compress(block)
    compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(block, crc)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + repeat * mebibytes
            + compressor.flush() + struct.pack("<II", crc, (mebibytes * MIB) & 0xFFFFFFFF))


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    single = zeros_gzip(1024)                              # 1 GiB in about 1 MB
    double = gzip.compress(zeros_gzip(8192), 9)            # 8 GiB in a few KB
    assert len(single) < 1_100_000 and len(double) < 40_000
    return {"single": single, "double": double}


def test_a_double_gzip_bomb_stops_at_the_bound_in_bounded_memory(bombs):
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(TooLarge, match=r"over 8388608 bytes \(Content-Encoding: gzip, gzip\)"):
        decode(bombs["double"], ["gzip", "gzip"], limit=8 * MIB)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 12 * MIB, f"{peak / MIB:.1f} MiB held to decode 8 MiB"


def test_ordinary_codings_decode_whole():
    page = nbc_page(ANALYSIS).encode()
    twice = gzip.compress(gzip.compress(page))
    assert decode(twice, ["gzip", "gzip"]) == page
    assert decode(gzip.compress(page[:500]) + gzip.compress(page[500:]), ["gzip"]) == page
    assert decode(zlib.compress(page), ["deflate"]) == page
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    assert decode(raw.compress(page) + raw.flush(), ["deflate"]) == page
    cut = decode(gzip.compress(page)[:-2000], ["gzip"])     # a cut stream gives what it holds
    assert cut and page.startswith(cut)
    with pytest.raises(CannotDecode, match="unknown content-coding 'compress'"):
        decode(page, ["compress"])


def bomb_exchange(url: str, body: bytes, encoding: str, when: datetime) -> Exchange:
    return Exchange(
        url=url, date=when, method="GET",
        request_headers=[("Host", "bombs.test"), ("Accept-Encoding", "gzip, deflate")],
        request_body=b"", protocol="HTTP/1.1", status=200, reason="OK",
        response_headers=[("Content-Type", "text/html; charset=utf-8"),
                          ("Content-Encoding", encoding)],
        body=body, ip_address="127.0.0.1")


@pytest.fixture(scope="module")
def bombed(tmp_path_factory, bombs) -> Path:
    """A data folder whose WARC holds both bombs and a good page, and seeds of all three."""
    root = tmp_path_factory.mktemp("bombed")
    warcs = root / "data" / "warcs"
    warcs.mkdir(parents=True)
    page = nbc_page(ANALYSIS).encode()
    with WarcWriter(WarcConfig(directory=warcs, prefix="bombs")) as writer:
        writer.write(bomb_exchange("https://bombs.test/double", bombs["double"], "gzip, gzip", T0))
        writer.write(bomb_exchange("https://bombs.test/single", bombs["single"], "gzip",
                                   T0 + timedelta(minutes=1)))
        writer.write(bomb_exchange("https://bombs.test/good", gzip.compress(page), "gzip",
                                   T0 + timedelta(minutes=2)))
    seeds = root / "seeds"
    seeds.mkdir()
    manifest = ["seeds:"]
    for name in ("double", "single", "good"):
        (seeds / f"{name}.txt").write_text(f"# {ANALYSIS.title}\n\n" + "\n\n".join(ANALYSIS.blocks()))
        manifest += [f"  - file: {name}.txt", "    originals:",
                     f"      - url: https://bombs.test/{name}", "        role: original"]
    (seeds / "seeds.yml").write_text("\n".join(manifest) + "\n")
    return root


def test_the_reader_labels_a_bomb_and_reads_on(bombed):
    (path,) = (bombed / "data" / "warcs").glob("*.warc.gz")
    captures = [c for c in iter_captures(path) if c.record_type == "response"]
    assert [c.target_uri.rsplit("/", 1)[1] for c in captures] == ["double", "single", "good"]
    for bomb in captures[:2]:
        assert bomb.body == b"" and f"over {MAX_DECODED} bytes" in bomb.body_problem
    assert captures[2].body_problem is None and b"<html" in captures[2].body
    assert read_capture(path, captures[0].offset).body_problem == captures[0].body_problem


@pytest.mark.parametrize("workers", ["0", "2"])
def test_the_build_labels_bombs_too_large_under_500_mb(bombed, workers):
    data = bombed / "data"
    result, peak = run_measured(
        [str(BIN / "seedcheck"), "build", "--data", str(data), "--seeds", str(bombed / "seeds"),
         "--workers", workers])
    assert result.returncode == 0, result.stdout + result.stderr
    assert peak < LIMIT_MB, f"build peaked at {peak:.0f} MB"
    db = sqlite3.connect(data / "seedcheck.db")
    kinds = dict(db.execute("SELECT c.url, t.kind || ': ' || coalesce(t.kind_reason, '') FROM texts t "
                            "JOIN captures c USING (record_id)"))
    for name, coding in (("double", "gzip, gzip"), ("single", "gzip")):
        assert kinds[f"https://bombs.test/{name}"].startswith(
            f"too-large: payload decodes to over {MAX_DECODED} bytes (Content-Encoding: {coding})")
    assert kinds["https://bombs.test/good"].startswith("article")
    verdicts = dict(db.execute("SELECT seed_id, verdict FROM comparisons"))
    assert verdicts["good"] == "faithful"


def test_the_raw_view_of_a_bomb_answers_413_under_500_mb(bombed):
    data = bombed / "data"
    if not (data / "seedcheck.db").exists():
        result, _ = run_measured([str(BIN / "seedcheck"), "build", "--data", str(data),
                                  "--seeds", str(bombed / "seeds"), "--workers", "0"])
        assert result.returncode == 0, result.stderr
    ids = dict(sqlite3.connect(data / "seedcheck.db").execute("SELECT url, record_id FROM captures"))
    base, process = start_server(data)
    try:
        def fetch(url: str, query: str = "") -> tuple[int, int, str]:
            record = ids[url].strip("<>")
            try:
                with urllib.request.urlopen(f"{base}/-/seedcheck/raw/{record}{query}",
                                            timeout=60) as r:
                    return r.status, len(r.read()), r.headers["Content-Security-Policy"]
            except urllib.error.HTTPError as error:
                return error.code, len(error.read()), error.headers["Content-Security-Policy"]

        bombs = ["https://bombs.test/double", "https://bombs.test/single"] * 3
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(fetch, bombs))
        good = fetch("https://bombs.test/good", "?source=1")     # the bytes as archived
        peak = tree_peak(process.pid)
    finally:
        stop_server(process)
    for status, size, csp in answers:
        assert status == 413 and size < 1000 and csp.startswith("sandbox")
    assert good[0] == 200 and good[1] == len(nbc_page(ANALYSIS).encode())
    assert peak < LIMIT_MB, f"the server peaked at {peak:.0f} MB"
