"""Second batch of the extraction corpus: markups and furniture the first batch lacks.

Written after the first batch was tuned on, and split into its own tuning and held-out halves
before any tuning on it. New CMS markups: a WordPress block theme (Newspack), a Next.js site
with hashed classes and `data-testid` paragraphs, a legacy site whose paragraphs are
`<div class="paragraph">`, a newsletter platform (Substack-like), a Guardian-like layout with
hashed `dcr-` classes and a Chinese portal with indented paragraphs. New furniture: pull
quotes repeating a sentence, embedded tweets, author bios, wire-copyright tails, a hidden
paywall modal on a free article, the headline repeated inside the body, nested link spans,
"key events" link lists at the top of live blogs.
"""

from __future__ import annotations

import random
import re

from tests import corpus as C
from tests import corpus_text as T

CMS2 = ("newspack", "nextjs", "legacydiv", "substack", "dcr", "portal")
GENRES2 = ("news", "opinion", "live", "news", "teaser", "paid", "blog", "brief", "listicle",
           "news", "datatable", "opinion")
EXTRA = {"pullquote": 0.4, "embed-tweet": 0.3, "author-bio": 0.4, "wire-tail": 0.3,
         "hidden-modal": 0.25, "headline-in-body": 0.3, "nested-links": 0.5}
SIZE2 = 36
# (container open, close, paragraph open, paragraph close) of each markup.
BODY2 = {
    "newspack": ('<div class="entry-content">', "</div>", '<p class="wp-block-paragraph">', "</p>"),
    "nextjs": ('<div class="css-53u6y8" data-testid="article-body">', "</div>",
               '<p class="css-at9mc1 evys1bk0" data-testid="paragraph">', "</p>"),
    "legacydiv": ('<div id="story_text">', "</div>", '<div class="paragraph">', "</div>"),
    "substack": ('<div class="available-content"><div class="body markup" dir="auto">',
                 "</div></div>", "<p>", "</p>"),
    "dcr": ('<div id="maincontent"><div class="article-body-commercial-selector '
            'article-body-viewer-selector dcr-1jl528t">', "</div></div>",
            '<p class="dcr-s3ycb2">', "</p>"),
    "portal": ('<div id="artibody" class="article">', "</div>",
               '<p style="text-indent:2em">', "</p>"),
}


def extras(rng: random.Random, page: C.Page, truth: list[str]) -> dict[str, str]:
    """Batch-two furniture by feature name (none of it is article text)."""
    sentence = (rng.choice(truth) if truth else "A sentence.").split(". ")[0]
    person = rng.choice(T.PEOPLE)
    handle = person.split()[0].lower()
    return {
        "pullquote": f'<aside class="pullquote"><blockquote><p>{C.e(sentence)}</p></blockquote>'
                     "</aside>",
        "embed-tweet": (f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Huge turnout '
                        f"tonight. The council has to listen now. #{rng.choice(T.CITIES)}</p>"
                        f"&mdash; {person} (@{handle}) <a href=\"https://x.test/{handle}/status/1"
                        '">October 14, 2026</a></blockquote>'),
        "author-bio": (f'<div class="author-bio"><img src="/a.jpg" alt=""><p><strong>{person}'
                       f"</strong> is a correspondent covering local government and transport. "
                       f"Contact {handle}@newsroom.test.</p></div>"),
        "wire-tail": rng.choice((
            "<p>Copyright 2026 The Associated Press. All rights reserved. This material may not "
            "be published, broadcast, rewritten or redistributed without permission.</p>",
            "<p>— Reuters</p>",
            f"<p><i>© {page.url.split('/')[2]} 2026</i></p>")),
        "hidden-modal": ('<div class="modal" style="display:none"><h2>Subscribe to continue '
                         "reading</h2><p>You have reached your limit of free articles.</p></div>"),
    }


def body(rng: random.Random, page: C.Page, blocks: list[tuple[str, str]], title: str,
         base: str) -> str:
    open_, close, p_open, p_close = BODY2[page.cms]
    truth = [t for _, t in blocks if t]
    kit, extra = C.widgets(rng, base, truth), extras(rng, page, truth)
    chunks = []
    for html, text in blocks:
        if "nested-links" in page.features and html.startswith("<p>") and len(text) > 120:
            words = C.e(text).split(" ")
            k = rng.randrange(2, len(words) - 3)
            html = ("<p>" + " ".join(words[:k]) + f' <a href="{base}/t/{k}"><span class="link-'
                    f'text">{words[k]}</span></a> ' + " ".join(words[k + 1:]) + "</p>")
        chunks.append(html.replace("<p>", p_open).replace("</p>", p_close))
    inside = [v for k, v in {**kit, **extra}.items()
              if k in page.features and k not in ("wire-tail", "hidden-modal")]
    for item in inside:
        chunks.insert(rng.randrange(1, max(len(chunks), 2)), item)
    if "wire-tail" in page.features:
        chunks.append(extra["wire-tail"])
        page.furniture.append(re.sub("<[^>]+>", "", extra["wire-tail"]).replace("&mdash;", "—"))
    if "headline-in-body" in page.features:
        chunks.insert(0, f"<h1>{C.e(title)}</h1>")
    if page.genre == "live":
        heads = "".join(f'<li><a href="#post-{k}">{C.e(T.headline(rng))}</a></li>' for k in range(4))
        chunks.insert(0, f'<div class="key-events"><h3>Key events</h3><ul>{heads}</ul></div>')
    modal = extra["hidden-modal"] if "hidden-modal" in page.features else ""
    return open_ + "".join(chunks) + close + modal


def render(page: C.Page, rng: random.Random) -> None:
    base = page.url.split("/", 3)[0] + "//" + page.url.split("/")[2]
    site = page.url.split("/")[2].removeprefix("www.").removesuffix(".test").title()
    blocks = C.body_blocks(rng, page, base)
    if page.genre == "teaser":
        blocks, page.kind = blocks[:2], "paywall"
    page.truth = [t for _, t in blocks if t]
    title = T.foreign_headline(rng, page.lang) if page.lang != "en" else T.headline(rng)
    html = body(rng, page, blocks, title, base)
    if page.genre == "teaser":
        html += f'<div class="meteredContent"><p>{C.PAYWALL_PROMPT}</p></div>'
    header, footer = C.chrome(rng, page, base, site)
    after = C.comments(rng) if "comments" in page.features else ""
    top = (f'<h1 class="headline">{C.e(title)}</h1><p class="byline">By '
           f"{rng.choice(T.PEOPLE)} · 14 October 2026</p>")
    page.html = (f'<!DOCTYPE html>\n<html lang="{page.lang}">'
                 f"{C.head(rng, page, title, site, page.truth)}<body>{header}<main><article>{top}"
                 f"{html}</article>{after}</main>{footer}</body></html>\n")


def spec(i: int) -> C.Page:
    rng = random.Random(f"spec2-{i}")
    cms, genre = CMS2[i % len(CMS2)], GENRES2[(i + i // len(CMS2) * 5) % len(GENRES2)]
    lang = "zh" if cms == "portal" else ("ja", "ru")[i % 2] if i % 7 == 3 else "en"
    if lang != "en" and genre not in ("news", "brief", "opinion", "paid"):
        genre = "news"
    features = [f for f, p in {**C.FEATURES, **EXTRA}.items() if rng.random() < p
                and f not in ("split-body",)]
    host = f"www.{C.HOSTS[(i * 5 + 3) % len(C.HOSTS)]}.test"
    return C.Page(f"b2-{i:02d}-{cms}-{genre}-{lang}", cms, genre, lang, features,
                  f"https://{host}/{genre}/2026/oct/14/story-{i}")


def build() -> list[C.Page]:
    pages = []
    for i in range(SIZE2):
        page = spec(i)
        render(page, random.Random(f"page2-{i}"))
        pages.append(page)
    return pages
