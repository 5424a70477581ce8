"""The extraction corpus: publisher-shaped pages, each with the article text a reader would copy.

`build()` makes every page from a seed: CMS markup (WordPress, Arc, Brightspot, Drupal, Ghost,
Medium-like, schema.org microdata, AMP, print, div soup with <br>, table layout, Japanese,
Chinese and Russian sites), a genre (news, opinion, blog, live blog, listicle, data table,
brief, paywall teaser, paid article in full) and furniture dropped into the body (ad rows that
split the body, related boxes, newsletter boxes, "Click To Tweet", share bars, captions, credit
lines, comments). `write(folder)` stores each page as NN-name.html with its truth in NN-name.txt
and `manifest.json` (kind expected, features, and the tuning/held-out split, made once before
any tuning). Ground truth: body paragraphs, subheadings, list items, table rows (cells joined
by a space), block quotes, live-blog entry titles; never the headline, byline, captions,
credit lines, widgets, related links or comments.

    .venv/bin/python -m tests.corpus tests/fixtures/pages
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from tests import corpus_text as T

CMS = ("wordpress", "arc", "brightspot", "drupal", "ghost", "medium", "microdata", "amp", "print",
       "divsoup", "tables", "custom")
GENRES = ("news", "opinion", "blog", "live", "listicle", "datatable", "brief", "teaser", "paid",
          "news", "news", "opinion")
FOREIGN = {"ja": ("japan", "ja"), "zh": ("china", "zh"), "ru": ("russia", "ru")}
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
PAYWALL_PROMPT = "Subscribe to continue reading. Already a subscriber? Log in."


def e(text: str) -> str:
    return escape(text, quote=False)


@dataclass
class Page:
    """One corpus page: its HTML, the true article text and what it should be labelled."""
    name: str
    cms: str
    genre: str
    lang: str
    features: list[str]
    url: str
    html: str = ""
    truth: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    kind: str = "article"


# -- the body: truth blocks and the furniture between them -------------------------------------

def linked(rng: random.Random, text: str, base: str, style: int) -> str:
    """Paragraph HTML with a phrase turned into a link (kept in the truth as plain text)."""
    words = text.split(" ")
    if len(words) < 8:
        return e(text)
    i = rng.randrange(1, len(words) - 4)
    j = i + rng.randint(1, 3)
    phrase = e(" ".join(words[i:j]))
    href = f"{base}/topic/{rng.randrange(10**6)}"
    link = (f'<span class="link"><a href="{href}">{phrase}</a></span>' if style == 0 else
            f'<a href="{href}" class="inline-link">{phrase}</a>' if style == 1 else
            f"<strong>{phrase}</strong>" if style == 2 else f'<em><a href="{href}">{phrase}</a></em>')
    return f'{e(" ".join(words[:i]))} {link} {e(" ".join(words[j:]))}'


def widgets(rng: random.Random, base: str, truth: list[str]) -> dict[str, str]:
    """Furniture that sits inside article bodies, by name."""
    heads = [T.headline(rng) for _ in range(4)]
    rel = "".join(f'<li><a href="{base}/story/{i}">{e(h)}</a></li>' for i, h in enumerate(heads))
    quote = rng.choice(truth) if truth else "A quote."
    quote = quote.split(". ")[0].rstrip(".") + "."
    person = rng.choice(T.PEOPLE)
    return {
        "ad": rng.choice((
            '<div class="ad-slot ad-slot--inline"><span class="ad-label">Advertisement</span>'
            '<div id="gpt-ad-3"></div></div>',
            '<div class="inline-ad"><p class="ad-text">Advertisement</p></div>',
            '<aside class="mid-article-promo"><div class="dfp-slot">ADVERTISEMENT</div></aside>',
            '<div class="wp-block-ad"><small>Story continues below advertisement</small></div>')),
        "related": rng.choice((
            f'<aside class="related-links"><h4>More on this story</h4><ul>{rel}</ul></aside>',
            f'<div class="recirc-module"><h3>Read more</h3><ul>{rel}</ul></div>',
            f'<div class="story-links"><p>Related coverage</p><ul>{rel}</ul></div>',
            f'<p><strong>Related:</strong> <a href="{base}/story/9">{e(heads[0])}</a></p>',
            f'<p class="read-more">READ MORE: <a href="{base}/story/8">{e(heads[1])}</a></p>')),
        "newsletter": rng.choice((
            '<div class="newsletter-signup"><h3>Get the morning briefing</h3><p>Sign up for our '
            'free daily newsletter.</p><form><input type="email"><button>Sign up</button></form>'
            '</div>',
            '<div class="inline-cta"><p>Enjoying this story? Get our best reporting in your '
            'inbox every weekday.</p><a href="/subscribe">Subscribe now</a></div>',
            '<section class="promo-box"><p>Want more stories like this? Join 40,000 readers and '
            'get the weekly digest.</p><button>Join</button></section>')),
        "tweet": rng.choice((
            f'<div class="tweetthis"><p>{e(quote)}</p><a class="tweet-link" href="#">Click To '
            'Tweet</a></div>',
            f'<span class="tm-click-to-tweet"><span class="tm-ctt-text">{e(quote)}</span>'
            '<a class="tm-ctt-btn" href="#">Click To Tweet</a></span>')),
        "share": rng.choice((
            '<div class="share-bar"><span>Share</span><a href="#">Facebook</a><a href="#">Twitter'
            '</a><a href="#">Email</a><a href="#">Copy link</a></div>',
            '<ul class="social-share"><li><a href="#">Share on Facebook</a></li><li><a href="#">'
            'Share on X</a></li><li><a href="#">Share via WhatsApp</a></li></ul>')),
        "caption": (f'<figure class="image"><img src="{base}/img/{rng.randrange(999)}.jpg" alt="">'
                    f'<figcaption>Residents at a public meeting last week. (Photo: {person}/Agency)'
                    '</figcaption></figure>'),
    }


CREDITS = ("(Reporting by {a} in {c}; Editing by {b})", "{a} contributed to this report.",
           "Additional reporting by {a} and {b}.", "This story was updated with new figures.")


def body_blocks(rng: random.Random, page: Page, base: str) -> list[tuple[str, str]]:
    """(html, truth) pairs of the article body in reading order; truth "" for furniture."""
    genre, lang = page.genre, page.lang
    n = {"brief": 2, "teaser": 7, "live": 0, "listicle": 0}.get(genre, rng.randint(6, 11))
    if lang != "en":
        paras = T.foreign(rng, lang, rng.randint(3, 5) if genre == "brief" else rng.randint(5, 9))
    else:
        paras = T.english(rng, n, opinion=genre in ("opinion", "blog"))
    style = rng.randrange(4)
    blocks: list[tuple[str, str]] = []
    inline = "inline-links" in page.features
    for i, p in enumerate(paras):
        if genre != "brief" and i in (3, 7) and rng.random() < 0.6 and lang == "en":
            sub = T.headline(rng)
            blocks.append((f"<h2>{e(sub)}</h2>", sub))
        html = linked(rng, p, base, style) if inline and i % 2 == 0 else e(p)
        blocks.append((f"<p>{html}</p>", p))
        if i == 4 and rng.random() < 0.3 and lang == "en":
            q = T.paragraph(rng, "economy", (1, 2))
            blocks.append((f"<blockquote><p>{e(q)}</p></blockquote>", q))
        if i == 2 and rng.random() < 0.25:
            items = [T.sentence(rng, "transport") for _ in range(rng.randint(3, 5))]
            blocks.append(("<ul>" + "".join(f"<li>{e(t)}</li>" for t in items) + "</ul>",
                           "\n\n".join(items)))
    if genre == "live":
        blocks = live_entries(rng)
    elif genre == "listicle":
        blocks = listicle(rng)
    elif genre == "datatable":
        blocks.insert(min(3, len(blocks)), data_table(rng))
    return blocks


def live_entries(rng: random.Random) -> list[tuple[str, str]]:
    out = []
    for k in range(rng.randint(5, 8)):
        title, paras = T.headline(rng), T.english(rng, rng.randint(1, 3))
        time = f"{17 - k:02d}:{rng.randrange(60):02d}"
        html = (f'<div class="live-post" id="post-{k}"><time class="live-post__time">{time} '
                f'GMT</time><h3 class="live-post__title">{e(title)}</h3>'
                + "".join(f"<p>{e(p)}</p>" for p in paras) +
                '<div class="live-post__share"><a href="#">Share</a></div></div>')
        out.append((html, "\n\n".join([title, *paras])))
    return out


def listicle(rng: random.Random) -> list[tuple[str, str]]:
    intro = T.english(rng, 2)
    out = [(f"<p>{e(p)}</p>", p) for p in intro]
    for k in range(1, rng.randint(6, 9)):
        name = f"{k}. {rng.choice(T.CITIES)}: {rng.choice(T.TOPICS['transport'])}"
        text = T.paragraph(rng, "transport")
        out.append((f'<h2 class="list-item__title">{e(name)}</h2><figure><img src="/i/{k}.jpg" '
                    f'alt=""><figcaption>Photo: {rng.choice(T.PEOPLE)}</figcaption></figure>'
                    f"<p>{e(text)}</p>", f"{name}\n\n{text}"))
    return out


def data_table(rng: random.Random) -> tuple[str, str]:
    header = ["City", "Riders (thousands)", "Change"]
    rows = [[c, str(rng.randint(20, 900)), f"{rng.choice('+-')}{rng.randint(1, 30)}%"]
            for c in rng.sample(T.CITIES, rng.randint(4, 7))]
    html = ("<table class='data-table'><thead><tr>" + "".join(f"<th>{h}</th>" for h in header)
            + "</tr></thead><tbody>" + "".join(
                "<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
            + "</tbody></table>")
    return html, "\n\n".join(" ".join(r) for r in [header, *rows])


# -- CMS markup ---------------------------------------------------------------------------------

# (container open, container close, paragraph class) of each CMS's article body.
BODY = {
    "wordpress": ('<div class="entry-content">', "</div>", ""),
    "arc": ('<div class="article-body" data-qa="article-body">', "</div>",
            ' class="font--body font-copy" data-el="text"'),
    "brightspot": ('<div class="RichTextArticleBody-body RichTextBody">', "</div>", ""),
    "drupal": ('<div class="paragraph paragraph--type--text"><div class="clearfix text-formatted '
               'field field--name-field-text field__item">', "</div></div>", ""),
    "ghost": ('<section class="gh-content gh-canvas">', "</section>", ""),
    "medium": ('<section><div class="section-inner sectionLayout--insetColumn">', "</div></section>",
               ' class="graf graf--p"'),
    "microdata": ('<div itemprop="articleBody" class="article-text">', "</div>", ""),
    "amp": ('<div class="amp-article-body">', "</div>", ""),
    "print": ('<div class="print-body">', "</div>", ""),
    "divsoup": ('<div class="col-md-8"><div class="news-text">', "</div></div>", ""),
    "tables": ('<div class="storytext">', "</div>", ""),
    "custom": ('<div data-component="text-block" class="ssrcss-text-block">', "</div>", ""),
}
NAV = {"en": ("World", "Politics", "Business", "Opinion", "Climate", "Health", "Sport", "Culture",
              "Science", "Travel", "Video", "Podcasts", "Newsletters"),
       "ja": ("国内", "国際", "経済", "政治", "社会", "スポーツ", "文化", "科学"),
       "zh": ("国内", "国际", "财经", "科技", "社会", "体育", "文化", "健康"),
       "ru": ("Политика", "Экономика", "Общество", "Культура", "Спорт", "Наука", "Мнения")}
MOST_READ = {"en": "Most read", "ja": "よく読まれている記事", "zh": "热门文章", "ru": "Самое читаемое"}


def body_html(rng: random.Random, page: Page, blocks: list[tuple[str, str]], base: str) -> str:
    """The body in its CMS containers, furniture dropped in (and splitting it when asked)."""
    open_, close, pclass = BODY[page.cms]
    kit = widgets(rng, base, [t for _, t in blocks if t])
    chunks = [html.replace("<p>", f"<p{pclass}>") for html, _ in blocks]
    if page.cms == "divsoup":  # paragraphs as text runs separated by <br><br>
        chunks = [c.removeprefix("<p>").removesuffix("</p>") + "<br><br>"
                  if c.startswith("<p>") else c for c in chunks]
    inside = {k: v for k, v in kit.items() if k in page.features and k != "split-body"}
    spots = sorted(rng.sample(range(1, max(len(chunks), 2)), min(len(inside), len(chunks) - 1))) \
        if len(chunks) > 1 else []
    for spot, (_, html) in zip(reversed(spots), reversed(list(inside.items())), strict=False):
        chunks.insert(spot, html)
    if page.cms == "custom":  # one container per block, furniture between them
        return "".join(c if c.startswith(("<div class", "<aside", "<section", "<figure", "<ul "))
                       else f"{open_}{c}{close}" for c in chunks)
    if "split-body" in page.features and len(chunks) > 4:
        cuts = sorted(rng.sample(range(2, len(chunks) - 1), rng.randint(1, 2)), reverse=True)
        for cut in cuts:
            between = kit[rng.choice(("ad", "related", "newsletter"))]
            chunks.insert(cut, f"{close}{between}{open_}")
    return open_ + "".join(chunks) + close


def filler(rng: random.Random, size: int) -> str:
    """Analytics JavaScript and CSS of a realistic size (real pages carry tens of KB)."""
    parts = ["window.dataLayer=window.dataLayer||[];"]
    while sum(map(len, parts)) < size:
        parts.append(f"dataLayer.push({{'k{rng.getrandbits(24):x}':'{rng.getrandbits(48):x}'}});")
    css = "".join(f".c{i}{{margin:{i % 7}px}}" for i in range(rng.randint(80, 300)))
    return f"<script>{''.join(parts)}</script><style>{css}</style>"


def head(rng: random.Random, page: Page, title: str, site: str, truth: list[str]) -> str:
    ld: dict = {"@context": "https://schema.org",
                "@type": rng.choice(("NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle")),
                "headline": title, "datePublished": "2026-10-14T08:00:00Z",
                "author": {"@type": "Person", "name": rng.choice(T.PEOPLE)}}
    if page.genre in ("teaser", "paid"):
        ld["isAccessibleForFree"] = False
        ld["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": False,
                         "cssSelector": ".paywalled"}
    if "jsonld-body" in page.features and page.genre != "teaser":
        ld["articleBody"] = " ".join(truth)
        ld["wordCount"] = sum(len(t.split()) for t in truth)
    amp = '<script async src="https://cdn.ampproject.test/v0.js"></script>' \
        if page.cms == "amp" else ""
    return (f'<head><meta charset="utf-8"><title>{e(title)} | {e(site)}</title>'
            f'<link rel="canonical" href="{page.url}"><meta property="og:type" content="article">'
            f'<meta property="og:site_name" content="{escape(site)}">'
            f'<meta property="og:title" content="{escape(title)}">'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
            f"{amp}{filler(rng, rng.randint(6000, 30000))}</head>")


def chrome(rng: random.Random, page: Page, base: str, site: str) -> tuple[str, str]:
    """(header, footer) around the article: navigation, most-read list, footer links."""
    nav = "".join(f'<li><a href="{base}/{i}">{e(s)}</a></li>' for i, s in enumerate(NAV[page.lang]))
    heads = [T.foreign_headline(rng, page.lang) if page.lang != "en" else T.headline(rng)
             for _ in range(6)]
    most = "".join(f'<li><a href="{base}/m/{i}"><h3>{e(h)}</h3></a></li>' for i, h in enumerate(heads))
    header = (f'<header class="site-header"><a class="logo" href="{base}/">{e(site)}</a>'
              f'<nav class="main-nav"><ul>{nav}</ul></nav></header>')
    side = f'<aside class="sidebar"><h2>{MOST_READ[page.lang]}</h2><ol>{most}</ol></aside>'
    promo = ('<div class="subscribe-promo"><p>Subscribe for unlimited access to all our '
             'journalism.</p><a href="/subscribe">Subscribe</a></div>'
             if "subscribe-promo" in page.features else "")
    cookie = ('<div id="cookie-notice"><p>We use cookies to improve your experience and for '
              'advertising. Manage preferences</p><button>Accept all</button></div>'
              if "cookie" in page.features else "")
    footer = (f'{side}{promo}<footer class="site-footer"><ul>{nav}</ul><p>© 2026 {e(site)}. All '
              f"rights reserved.</p></footer>{cookie}")
    if page.cms == "print":
        return (f'<div id="print-header">Printed from {base} — {e(site)}</div>',
                f'<p class="print-footer">Source URL: {page.url}</p>')
    return header, footer


def comments(rng: random.Random) -> str:
    items = "".join(f'<li class="comment"><div class="comment-author">{rng.choice(T.PEOPLE)} '
                    f'says:</div><div class="comment-content"><p>{e(T.paragraph(rng, "economy", (1, 2)))}'
                    '</p></div><a class="reply">Reply</a></li>' for _ in range(rng.randint(2, 5)))
    return (f'<div id="comments" class="comments-area"><h2 class="comments-title">Comments</h2>'
            f'<ol class="comment-list">{items}</ol><div id="respond"><h3>Leave a Reply</h3>'
            '<form><textarea></textarea><button>Post Comment</button></form></div></div>')


def render(page: Page, rng: random.Random) -> None:
    """Fill `page.html`, `page.truth`, `page.furniture` and `page.kind`."""
    base = page.url.split("/", 3)[0] + "//" + page.url.split("/")[2]
    site = page.url.split("/")[2].removeprefix("www.").removesuffix(".test").title() + " News"
    blocks = body_blocks(rng, page, base)
    if page.genre == "teaser":
        blocks = blocks[:2]
        page.kind = "paywall"
    page.truth = [t for _, t in blocks if t]
    title = T.foreign_headline(rng, page.lang) if page.lang != "en" else T.headline(rng)
    if "credit" in page.features:
        a, b, c = rng.choice(T.PEOPLE), rng.choice(T.PEOPLE), rng.choice(T.CITIES)
        credit = rng.choice(CREDITS).format(a=a, b=b, c=c)
        blocks.append((f"<p><em>{e(credit)}</em></p>" if rng.random() < 0.5 else
                       f'<p class="credit">{e(credit)}</p>', ""))
        page.furniture.append(credit)
    body = body_html(rng, page, blocks, base)
    if page.genre == "teaser":
        body += (f'<div class="paywall-prompt"><h3>{PAYWALL_PROMPT}</h3>'
                 '<a href="/subscribe">Start your free trial</a></div>')
    if page.genre == "paid":
        body = f'<div class="paywalled">{body}</div>'
    header, footer = chrome(rng, page, base, site)
    dek = T.paragraph(rng, "health", (1, 1)) if page.lang == "en" else ""
    top = (f'<h1 class="headline">{e(title)}</h1>'
           + (f'<p class="standfirst">{e(dek)}</p>' if dek and rng.random() < 0.5 else "")
           + f'<div class="byline">By <a href="{base}/author/x">{rng.choice(T.PEOPLE)}</a> '
           '<time datetime="2026-10-14">14 October 2026</time></div>'
           + (widgets(rng, base, page.truth)["share"] if "share" in page.features else ""))
    after = comments(rng) if "comments" in page.features else ""
    tag = "article" if page.cms not in ("divsoup", "tables") else "div"
    main = f'<{tag} class="story">{top}{body}</{tag}>{after}'
    if page.cms == "tables":
        main = (f'<table width="100%"><tr><td class="left-nav" width="160">{header}</td>'
                f'<td class="content" valign="top">{main}</td></tr></table>')
        header = ""
    html_attr = ' amp=""' if page.cms == "amp" else ""
    page.html = (f'<!DOCTYPE html>\n<html lang="{page.lang}"{html_attr}>'
                 f"{head(rng, page, title, site, page.truth)}<body>{header}<main>{main}</main>"
                 f"{footer}</body></html>\n")


# -- the corpus ---------------------------------------------------------------------------------

SIZE = 72
HOSTS = ("dailyherald", "northpost", "citywire", "harbourtimes", "valleyledger", "metrogazette",
         "coastalnews", "tribune-east", "morningstar", "civicreport", "eveningpress", "observer-west")
FEATURES = {"inline-links": 0.6, "split-body": 0.45, "related": 0.5, "newsletter": 0.4,
            "share": 0.4, "caption": 0.5, "credit": 0.45, "ad": 0.4, "tweet": 0.2,
            "comments": 0.25, "cookie": 0.15, "jsonld-body": 0.3, "subscribe-promo": 0.2}


def spec(i: int) -> Page:
    rng = random.Random(f"spec-{i}")
    cms, genre = CMS[i % len(CMS)], GENRES[(i + i // len(CMS) * 5) % len(GENRES)]
    lang = ("ja", "zh", "ru")[(i // 6) % 3] if i % 6 == 4 else "en"
    if lang != "en" and genre not in ("news", "brief", "opinion", "paid"):
        genre = "news"
    features = [f for f, p in FEATURES.items() if rng.random() < p]
    if genre == "blog" and "tweet" not in features:
        features.append("tweet")
    host = f"www.{HOSTS[(i * 7) % len(HOSTS)]}.test"
    path = {"amp": f"/amp/2026/10/14/story-{i}", "print": f"/print/story-{i}.html"}.get(
        cms, f"/2026/10/14/{genre}/story-{i}")
    return Page(f"{i:02d}-{cms}-{genre}-{lang}", cms, genre, lang, features, f"https://{host}{path}")


def split(pages: list[Page]) -> dict[str, str]:
    """Tuning or held-out, half each, alternating within each genre (made once, committed)."""
    out: dict[str, str] = {}
    for genre in sorted({p.genre for p in pages}):
        group = sorted((p for p in pages if p.genre == genre), key=lambda p: p.name)
        random.Random(f"split-{genre}").shuffle(group)
        for k, p in enumerate(group):
            out[p.name] = "tuning" if k % 2 == 0 else "held-out"
    return out


def build() -> list[Page]:
    pages = []
    for i in range(SIZE):
        page = spec(i)
        render(page, random.Random(f"page-{i}"))
        pages.append(page)
    return pages


def write(folder: Path) -> None:
    from tests import corpus_extra  # the second batch builds on this module

    folder.mkdir(parents=True, exist_ok=True)
    first, second = build(), corpus_extra.build()
    halves = {**split(first), **split(second)}  # each batch split on its own, before tuning
    manifest = []
    for p in first + second:
        (folder / f"{p.name}.html").write_text(p.html, encoding="utf-8")
        (folder / f"{p.name}.txt").write_text("\n\n".join(p.truth) + "\n", encoding="utf-8")
        manifest.append({"name": p.name, "url": p.url, "cms": p.cms, "genre": p.genre,
                         "lang": p.lang, "kind": p.kind, "features": p.features,
                         "furniture": p.furniture, "split": halves[p.name],
                         "batch": 2 if p in second else 1})
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                          encoding="utf-8")



# -- scoring ------------------------------------------------------------------------------------

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
TOKEN = re.compile(rf"[{CJK}]|(?:(?![{CJK}])\w)+")


def tokens(text: str) -> list[str]:
    """Words, and each CJK character as a word (those scripts put no spaces between words)."""
    return TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    if len(words) < n:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def score(got: str, truth: str) -> tuple[float, float, float]:
    """(F1, precision, recall) of 4-word shingles, counted with repeats."""
    a, b = shingles(got), shingles(truth)
    if not a and not b:
        return 1.0, 1.0, 1.0
    common = sum((a & b).values())
    precision = common / sum(a.values()) if a else 0.0
    recall = common / sum(b.values()) if b else 0.0
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return f1, precision, recall


def load(folder: Path = FIXTURES, half: str | None = None) -> list[dict]:
    """Manifest rows with `html` and `truth` read in; only one half when asked."""
    rows = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for row in rows:
        if half in (None, "all", row["split"]):
            row["html"] = (folder / f"{row['name']}.html").read_text(encoding="utf-8")
            row["truth"] = (folder / f"{row['name']}.txt").read_text(encoding="utf-8").strip()
            out.append(row)
    return out


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES)
