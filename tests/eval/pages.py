"""Publisher-shaped HTML pages of the evaluation articles, and seeds made from their true text.

Each article of `tests/eval/articles/` becomes one page in one of several shapes that trip
extractors: a body split in two containers by an ad row and a related box, inline links inside
sentences, lists and tables, a "Click To Tweet" box and a pull quote, credit lines, share and
newsletter widgets, captions; non-Latin articles carry their `lang`. The page's true text is the article file
(headline and paragraphs; list items as "- " lines, table rows as "a | b" lines). Seeds are
made from that text with a known verdict: faithful (plain, and with Markdown and typography),
altered (planted changes of meaning), excerpt, padded (reader comments) and different (another
article filed under the page's URL).
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from html import escape

from tests import variants as V
from tests.eval import edits as E
from tests.eval import layout as L
from tests.eval import pairs as P

SHAPES = ("split", "links", "widgets", "credits")
LANGS = {"latin": "en", "cyrillic": "ru", "arabic": "ar", "cjk": "zh", "hangul": "ko"}
NAV = ("Home", "News", "Politics", "Business", "Science", "Sport", "Culture", "Opinion")
RELATED = ("Five Things to Know About the Budget", "Storm Brings Flooding to Coastal Towns",
           "Why the Vote Was Delayed Again")


@dataclass(frozen=True)
class SeedCase:
    name: str             # file stem
    article: str
    kind: str             # faithful | altered | excerpt | padded | different
    text: str             # the seed file's text
    verdict: str
    path: str             # the page's path on the test server


def page_html(key: str) -> str:
    """The page of one article, in the shape its key picks."""
    text = P.texts()[key]
    paras = V.paragraphs_of(text)
    title, body = paras[0], paras[1:]
    rng = random.Random(zlib.crc32(("page-" + key).encode()))
    shape = SHAPES[zlib.crc32(key.encode()) % len(SHAPES)]
    lang = LANGS[E.script_of(text)]
    blocks = _blocks(body, shape, rng)
    cut = max(1, len(blocks) // 2)
    first, second = blocks[:cut], blocks[cut:]
    if shape == "split":
        main = (_div("article-body", first) + '<div class="ad-row">Advertisement</div>'
                + _related() + _div("article-body article-body--continued", second))
    else:
        main = _div("article-body", [*first, _widget(shape, rng, body), *second])
    nav = " ".join(f'<a href="/{n.lower()}">{n}</a>' for n in NAV)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)} | The Daily Test</title>"
        f'<meta property="og:title" content="{escape(title)}"></head><body>'
        f'<header><nav>{nav}</nav><div class="cookie-banner">We use cookies to improve '
        "your experience. <button>Accept</button></div></header>"
        f'<main><article><h1>{escape(title)}</h1><div class="byline">By Anna Berg</div>'
        f'<time datetime="2024-03-04">March 4, 2024</time>{main}'
        f'<p class="credit">{escape(rng.choice(L.CREDITS[:3]))}</p>'
        '<div class="share">Share this article <a href="#">Facebook</a> <a href="#">Email</a>'
        '</div><div class="newsletter">Sign up for our morning newsletter <input></div>'
        "</article></main><footer>© 2024 The Daily Test. All rights reserved. "
        '<a href="/privacy">Privacy</a></footer></body></html>')


def _blocks(body: list[str], shape: str, rng: random.Random) -> list[str]:
    out: list[str] = []
    items: list[str] = []
    rows: list[str] = []
    for p in [*body, ""]:
        if p.startswith("- "):
            items.append(f"<li>{escape(p[2:])}</li>")
            continue
        if " | " in p:
            cells = "".join(f"<td>{escape(c)}</td>" for c in p.split(" | "))
            rows.append(f"<tr>{cells}</tr>")
            continue
        if items:
            out.append(f"<ul>{''.join(items)}</ul>")
            items = []
        if rows:
            out.append(f"<table>{''.join(rows)}</table>")
            rows = []
        if p:
            out.append(f"<p>{_linked(p, rng) if shape == 'links' else escape(p)}</p>")
    return out


def _linked(paragraph: str, rng: random.Random) -> str:
    """Two words of the paragraph inside an inline link, as publishers mark them up."""
    words = paragraph.split(" ")
    if len(words) < 8:
        return escape(paragraph)
    k = rng.randrange(2, len(words) - 3)
    link = escape(" ".join(words[k: k + 2]))
    return (escape(" ".join(words[:k])) + f' <span class="link"><a href="/topic/{k}">{link}</a>'
            f"</span> " + escape(" ".join(words[k + 2:])))


def _div(cls: str, blocks: list[str]) -> str:
    return f'<div class="{cls}">{"".join(blocks)}</div>'


def _related() -> str:
    items = "".join(f'<li><a href="/r/{k}">{escape(t)}</a></li>' for k, t in enumerate(RELATED))
    return f'<aside class="related"><h3>Related</h3><ul>{items}</ul></aside>'


def _widget(shape: str, rng: random.Random, body: list[str]) -> str:
    if shape == "widgets":  # and a pull quote: one of the article's sentences again
        quoted = L.sentences(max(body, key=len))[0]
        return ('<div class="click-to-tweet"><span>Every change starts with a single step.</span>'
                '<a href="#">Click To Tweet</a></div>'
                f'<aside class="pullquote"><p>{escape(quoted)}</p></aside>')
    return ('<figure><img src="/photo.jpg" alt=""><figcaption>Residents gather outside the town '
            "hall on Monday. Photo: Reuters</figcaption></figure>")


def seed_cases(keys: list[str]) -> list[SeedCase]:
    """Seeds of known verdict for the pages of these articles."""
    out: list[SeedCase] = []
    texts = P.texts()
    for n, key in enumerate(keys):
        text = texts[key]
        paras = V.paragraphs_of(text)
        title, body = paras[0], paras[1:]
        rng = random.Random(zlib.crc32(("seeds-" + key).encode()))
        path = f"/{key}"
        stem = key.replace("-", "_")

        def case(kind, seed, verdict, stem=stem, key=key, path=path):
            out.append(SeedCase(f"{stem}_{kind}", key, kind.split("-")[0], seed, verdict, path))

        case("faithful", text, "faithful")
        case("faithful-md", V.typography(V.markdown(paras, rng), rng), "faithful")
        for k, kinds in enumerate((("number",), ("modal",), ("name",), ("date",))):
            made = P._apply(body, kinds, rng)
            if made:
                case(f"altered-{k}", "\n\n".join([title, *made[0]]), "altered")
        case("excerpt", "\n\n".join([title, *body[: max(2, len(body) // 2)]]), "excerpt")
        case("padded", text + "\n\n" + L.comments(n % 2, E.script_of(text), rng), "padded")
        other = texts[keys[(n + 1) % len(keys)]]
        case("different", other, "different")
    return out
