"""WARC reading speed: seedcheck's own reader against FastWARC and warcio, same files, same run.

    .venv/bin/python bench/warcread.py [--pages 1000] [--rounds 3]

Writes N distinct publisher-shaped pages (~30 KB of HTML each, from tests/webserver.py) with
the project's own writer: one gzip member per record, each fetch a response plus its request.
The same records are also written out uncompressed (the gzip members inflated and joined).
Then each reader reads both files, in turn, `--rounds` times; the best round counts. Each reader
does the same work: every record's WARC headers, the HTTP head of every response parsed, and
every response's payload read in full.
- seedcheck: `archive.warc.reader.iter_captures` (its own gzip member scan, ISA-L inflate);
- seedcheck foreign: `archive.warc.foreign.read_foreign` (warcio, plus the conversion to
  `Capture` and the damage bookkeeping `seedcheck import` uses);
- warcio: `ArchiveIterator`, `content_stream().read()`;
- FastWARC: `ArchiveIterator(parse_http=True)`, `reader.read()`.
Records/s counts response records. The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastwarc.warc import ArchiveIterator as FastIterator  # noqa: E402
from fastwarc.warc import WarcRecordType  # noqa: E402
from warcio.archiveiterator import ArchiveIterator  # noqa: E402

from archive.warc.foreign import read_foreign  # noqa: E402
from archive.warc.reader import iter_captures  # noqa: E402
from archive.warc.writer import Exchange, WarcConfig, WarcWriter  # noqa: E402
from tests.webserver import article_html, marked  # noqa: E402

SHAPES = ("nbc", "moscow_times", "telegraph", "wordpress")
T0 = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)


def write_files(folder: Path, pages: int) -> tuple[Path, Path]:
    """The gzip WARC the writer makes, and the same records uncompressed."""
    with WarcWriter(WarcConfig(folder, prefix="bench", max_size=10**12)) as writer:
        for n in range(pages):
            url = f"https://news.test/{n}/story"
            writer.write(Exchange(
                url=url, date=T0 + timedelta(seconds=n), method="GET",
                request_headers=[("Host", "news.test"), ("User-Agent", "seedcheck-bench")],
                request_body=b"", protocol="HTTP/1.1", status=200, reason="OK",
                response_headers=[("Content-Type", "text/html; charset=utf-8")],
                body=marked(article_html(n, SHAPES[n % len(SHAPES)]), f"page {n}")))
    (packed,) = folder.glob("*.warc.gz")
    plain = folder / "bench-plain.warc"
    plain.write_bytes(gzip.decompress(packed.read_bytes()))
    return packed, plain


def seedcheck_reader(path: Path) -> int:
    return sum(len(c.body) >= 0 for c in iter_captures(path) if c.record_type == "response")


def foreign_reader(path: Path) -> int:
    problems: list = []
    count = sum(1 for _ in read_foreign(path, problems.append))
    assert not problems, problems
    return count


def warcio_reader(path: Path) -> int:
    count = 0
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                assert record.http_headers.get_statuscode() == "200"
                record.content_stream().read()
                count += 1
    return count


def fastwarc_reader(path: Path) -> int:
    count = 0
    for record in FastIterator(str(path), parse_http=True,
                               record_types=WarcRecordType.response | WarcRecordType.revisit |
                               WarcRecordType.metadata):
        if record.record_type == WarcRecordType.response:
            assert record.http_headers.status_code == 200
            record.reader.read()
            count += 1
    return count


READERS: dict[str, Callable[[Path], int]] = {
    "seedcheck": seedcheck_reader, "seedcheck foreign (warcio)": foreign_reader,
    "warcio": warcio_reader, "FastWARC": fastwarc_reader,
}


def measure(files: dict[str, Path], rounds: int, pages: int) -> dict[str, dict[str, float]]:
    best: dict[str, dict[str, float]] = {name: {} for name in READERS}
    for _ in range(rounds):
        for kind, path in files.items():
            for name, read in READERS.items():
                started = time.perf_counter()
                count = read(path)
                seconds = time.perf_counter() - started
                assert count == pages, (name, kind, count)
                rate = count / seconds
                best[name][kind] = max(best[name].get(kind, 0.0), rate)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        packed, plain = write_files(Path(temporary), args.pages)
        sizes = {"gzip": packed.stat().st_size, "plain": plain.stat().st_size}
        best = measure({"gzip": packed, "plain": plain}, args.rounds, args.pages)
    print(f"{args.pages} responses (+ requests); files: gzip {sizes['gzip'] / 1e6:.1f} MB, "
          f"plain {sizes['plain'] / 1e6:.1f} MB; best of {args.rounds} rounds")
    print(f"{'reader':<28} {'gzip rec/s':>12} {'plain rec/s':>12}")
    for name, rates in best.items():
        print(f"{name:<28} {rates['gzip']:>12,.0f} {rates['plain']:>12,.0f}")
    print(json.dumps({"pages": args.pages, "rounds": args.rounds, "bytes": sizes,
                      "records_per_s": {k: {f: round(v) for f, v in r.items()}
                                        for k, r in best.items()}}))


if __name__ == "__main__":
    main()
