"""A large archive written fast: N seeds, each with the pages of its original, for the build bench.

Every seed is its own article: sentences drawn (by a random generator seeded with the seed's
number) from the words of the written test articles, 5-10 paragraphs, about 300-600 words.
Its page is a publisher-shaped HTML document (navigation, byline, "most read" box, footer,
3-7 KB) on one of 20 `.test` hosts. The mix a real run meets:
- most seeds are faithful copies; every 5th has one sentence altered; every 7th carries reader
  comments the page does not;
- every 10th original has a second capture, from a web archive two years earlier, in which one
  paragraph differs (the seed was copied before the edit or after it);
- every 50th original is gone (HTTP 404): not comparable.
Pages are written with the project's `WarcWriter` in two processes at once (two WARC
prefixes), the seed files by the main process; seeds name their original in an
`Original url:` line, so there is no manifest to parse.
"""

from __future__ import annotations

import random
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

HOSTS = 20
WARC_SIZE = 200_000_000
START = datetime(2026, 11, 21, tzinfo=UTC)
SECTIONS = ("World", "Politics", "Business", "Culture", "Science", "Climate", "Sport")
AUTHORS = ("Ana Ruiz", "Tom Becker", "Lena Ivanova", "Sam Okafor", "Mia Chen", "Jon Hale")


def _vocabulary() -> list[str]:
    from tests.articles import ARTICLES

    words = {w.strip(".,;:!?()\"'“”‘’") for a in ARTICLES for p in a.paragraphs for w in p.split()}
    return sorted(w for w in words if w.isalpha())


WORDS = _vocabulary()


def article(n: int) -> tuple[str, list[str]]:
    """The n-th article: (title, paragraphs)."""
    rng = random.Random(n)
    title = " ".join(rng.choices(WORDS, k=6)).capitalize() + f" ({n})"
    paragraphs = []
    for _ in range(rng.randint(5, 10)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = rng.choices(WORDS, k=rng.randint(8, 22))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    return title, paragraphs


def url(n: int) -> str:
    return f"https://news{n % HOSTS}.test/{SECTIONS[n % len(SECTIONS)].lower()}/story-{n}"


def edited(paragraphs: list[str], n: int) -> list[str]:
    """The article with one paragraph rewritten (an edit between two captures)."""
    out = list(paragraphs)
    out[n % len(out)] = " ".join(reversed(out[n % len(out)].split(". ")))
    return out


def page(n: int, paragraphs: list[str] | None = None) -> str:
    title, body = article(n)
    body = paragraphs or body
    rng = random.Random(-n)
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    most = "".join(f'<li><a href="/story-{rng.randrange(10**6)}">'
                   f'{escape(" ".join(rng.choices(WORDS, k=7)).capitalize())}</a></li>'
                   for _ in range(6))
    text = "".join(f"<p>{escape(p)}</p>\n" for p in body)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | '
        f'News {n % HOSTS}</title><meta name="author" content="{AUTHORS[n % len(AUTHORS)]}">'
        f'<link rel="canonical" href="{url(n)}"></head><body><header><a href="/">News '
        f'{n % HOSTS}</a><nav><ul>{nav}</ul></nav><div class="cookie">We use cookies to '
        f'improve your experience. Accept all</div></header><main><article><h1>{escape(title)}'
        f'</h1><p class="byline">By {AUTHORS[n % len(AUTHORS)]}</p><time datetime="2026-11-01">'
        f'November 1, 2026</time>\n{text}</article><aside><h2>Most read</h2><ol>{most}</ol>'
        f'</aside></main><footer><p>Newsletters Podcasts Games</p><p>© 2026 News {n % HOSTS}. '
        f'All rights reserved.</p></footer></body></html>')


def seed_file(n: int) -> str:
    title, paragraphs = article(n)
    body = list(paragraphs)
    if n % 5 == 0:
        words = body[0].split()
        words[3] = "seventeen"
        body[0] = " ".join(words)
    if n % 7 == 0:
        body += ["Comments", "reader42 says: I read this somewhere else last week, word for word."]
    head = [f"# {title}", f"By {AUTHORS[n % len(AUTHORS)]}", "November 1, 2026",
            f"Original url: {url(n)}"]
    return "\n\n".join(head + body) + "\n"


def _exchange(n: int, when: datetime, status: int, body: str, source_uri: str | None = None):
    from archive.warc.writer import Exchange

    target = url(n)
    return Exchange(
        url=target, date=when, method="GET",
        request_headers=[("Host", target.split("/")[2]), ("User-Agent", "seedcheck-bench")],
        request_body=b"", protocol="HTTP/1.1", status=status,
        reason="OK" if status == 200 else "Not Found",
        response_headers=[("Content-Type", "text/html; charset=utf-8")],
        body=body.encode(), ip_address="127.0.0.1", source_uri=source_uri)


def write_part(warcs: Path, part: int, parts: int, count: int) -> int:
    """Write every `parts`-th original (from `part`) into its own WARC files; returns records."""
    from archive.warc.writer import WarcConfig, WarcWriter

    written = 0
    config = WarcConfig(directory=warcs, prefix=f"bench-{part}", max_size=WARC_SIZE)
    with WarcWriter(config) as writer:
        for n in range(part, count, parts):
            when = START + timedelta(seconds=n)
            if n % 50 == 49:
                writer.write(_exchange(n, when, 404, "<html><h1>Not found</h1></html>"))
                written += 1
                continue
            writer.write(_exchange(n, when, 200, page(n)))
            written += 1
            if n % 10 == 3:
                older = START - timedelta(days=730) + timedelta(seconds=n)
                archived = page(n, edited(article(n)[1], n))
                wayback = f"https://web.archive.test/web/2024id_/{url(n)}"
                writer.write(_exchange(n, older, 200, archived, source_uri=wayback))
                written += 1
    return written


def write(data: Path, seeds: Path, count: int, processes: int = 2) -> int:
    """The archive of `count` seeds under `data/warcs`, the seeds in `seeds`; returns records."""
    warcs = data / "warcs"
    warcs.mkdir(parents=True)
    seeds.mkdir(parents=True)
    with ProcessPoolExecutor(processes) as pool:
        parts = [pool.submit(write_part, warcs, part, processes, count)
                 for part in range(processes)]
        for n in range(count):
            (seeds / f"seed{n:06d}.txt").write_text(seed_file(n))
        return sum(p.result() for p in parts)
