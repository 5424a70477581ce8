"""What kind of page a capture is: an article, or a page never to be compared as one.

`classify(text, page, url, html)` looks at the extracted main text and at what the markup says
(`page_signals`) and labels soft 404s, consent walls, paywall teasers, front pages (or redirects to
one), truncated HTML, empty and too-short extractions, each with a one-line reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from lxml import etree

from archive.extract.metadata import ld_objects

MIN_ARTICLE_WORDS = 60  # below this an extraction is "too-short", and a PDF is not an article


@dataclass(frozen=True)
class Page:
    """What the markup says about a page, besides its main text."""
    tree: etree._Element = field(repr=False)
    title: str
    headings: tuple[str, ...]
    canonical: str
    language: str | None
    is_article: bool        # og:type article, article:published_time or JSON-LD *Article
    teaser_links: int       # distinct links on headlines: many on front pages
    paid: bool              # JSON-LD isAccessibleForFree false
    full_words: int         # words of the whole article per JSON-LD articleBody or wordCount
    full_ending: str = ""   # the last words of JSON-LD articleBody, plain
    page_text: str = ""     # the page's visible text (visible.py)
    removed: list[str] = field(default_factory=list)  # text of boxes pruned before extraction

    @cached_property
    def visible(self) -> str:
        """Visible text with the pruned boxes, lowercased, apostrophes plain (for the labels)."""
        return plain(" ".join(" ".join((self.page_text, *self.removed)).split()))

    @cached_property
    def consent_share(self) -> float:
        """Largest share of the page's text inside one element named for consent or cookies
        (an overlay holding the whole page is a consent wall, whatever the markup claims)."""
        body = self.tree.find("body")
        total = len(body.text_content()) if body is not None else 0
        shares = [len(node.text_content()) / total for node in NAMED(self.tree)
                  if CONSENT_NAME.search(" ".join((node.get("class", ""), node.get("id", ""))))]
        return max(shares, default=0.0) if total else 0.0


NAMED = etree.XPath("//body//*[@class or @id]")
CONSENT_NAME = re.compile(r"(?:^|[\s_-])(consent|cookies?|gdpr|cmp)(?:[\s_-]|$)", re.I)
ARTICLE_TYPE = re.compile(r'"@type"\s*:\s*"(News|Blog|Report|Opinion)?(Article|Posting)"')
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff66-\uff9f]+")
TEASER_LINKS = etree.XPath("//h2//a/@href | //h3//a/@href | //h4//a/@href"
                           " | //a[descendant::h2 or descendant::h3 or descendant::h4]/@href")


def count_words(text: str) -> int:
    """Words of any script: space-separated words, and CJK text (written without spaces)
    counted in characters, two to a word (an 865-character Japanese article is ~430 words)."""
    if not CJK.search(text):
        return len(text.split())
    cjk = sum(len(run) for run in CJK.findall(text))
    return len(CJK.sub(" ", text).split()) + (cjk + 1) // 2


def full_article(objects: list[dict]) -> tuple[int, str]:
    """(words, last words) of the whole article as the page's JSON-LD states it (articleBody,
    wordCount); the last words are "" when only a count is declared."""
    best, ending = 0, ""
    for obj in objects:
        body, count = obj.get("articleBody"), obj.get("wordCount")
        if isinstance(body, str) and count_words(body) > best:
            best, ending = count_words(body), plain(" ".join(body.split()[-10:]))
        if isinstance(count, int | str) and str(count).strip().isdigit():
            best = max(best, int(str(count).strip()))
    return best, ending


def page_signals(tree: etree._Element, url: str | None, page_text: str = "",
                 ld: tuple[list[str], list[dict]] | None = None) -> Page:
    def first(xpath: str) -> str:
        found = tree.xpath(xpath)
        return str(found[0]).strip() if found else ""

    canonical = (first("//link[@rel='canonical']/@href")
                 or first("//meta[@property='og:url']/@content"))
    canonical = _absolute(canonical, url)
    lang = first("/html/@lang") or first("//meta[@http-equiv='content-language']/@content") \
        or first("//meta[@property='og:locale']/@content")
    raw, objects = ld or ld_objects(tree)
    scripts = " ".join(raw)
    whole, ending = full_article(objects)
    return Page(
        tree=tree,
        title=first("//title/text()"),
        headings=tuple(" ".join(h.itertext()).strip() for h in tree.xpath("//h1")[:3]),
        canonical=canonical,
        language=re.split(r"[-_]", lang)[0].lower() or None if lang else None,
        is_article=bool(first("//meta[@property='og:type']/@content") == "article"
                        or tree.xpath("//meta[@property='article:published_time']")
                        or ARTICLE_TYPE.search(scripts)),
        teaser_links=len(set(TEASER_LINKS(tree))),
        paid=bool(re.search(r'"isAccessibleForFree"\s*:\s*(false|"false")', scripts, re.I)),
        full_words=whole,
        full_ending=ending,
        page_text=page_text,
    )


def plain(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


# -- labels --------------------------------------------------------------------------------------

NOT_FOUND = re.compile(
    r"\b(page|article|story|content)s? (was |could not be |cannot be )?not found\b|\b404\b|"
    r"\b(couldn't|could not|can't|cannot) (find|locate) (that|this|the) (page|article|story)|"
    r"\bpage (you requested |you are looking for )?(does not|doesn't|no longer) exists?\b|"
    r"\bno longer (exists|available)\b")
CONSENT_TERMS = ("cookie", "consent", "partners", "personal data", "privacy", "preferences",
                 "accept all", "reject all", "legitimate interest", "vendors", "your device",
                 "advertising", "before you continue", "manage")
CONSENT_ACTIONS = re.compile(
    r"\b(accept|reject|allow|refuse) (all|cookies)\b|\bi (agree|accept)\b|"
    r"\b(agree|accept) (and|&) continue\b|"
    r"\bmanage (privacy|preferences|options|cookies|settings)\b|"
    r"\b(cookie|privacy) settings\b")
# A wall: words that say the rest of this article is withheld. An offer ("subscribe for
# unlimited access") is on whole articles too, so it counts only right where a short text stops.
PAYWALL = re.compile(
    r"subscribe (now )?to (continue|keep) reading|to continue reading this (article|story)|"
    r"(for|available to) (subscribers|members) only|"
    r"(sign|log) in to (continue|keep) reading|reached (your|the) (limit|maximum) of free|"
    r"free articles? (left|remaining)|"
    r"this (article|story|content) is (for|exclusive to) subscribers|"
    r"become a (subscriber|member) to (read|continue)")
OFFER = re.compile(r"(start|begin) your free trial|subscribe for (full|unlimited) access")
WALL_WINDOW, OFFER_WINDOW = 600, 160  # characters after the text's end where each counts


def classify(text: str, page: Page, url: str | None, html: str) -> tuple[str, str | None]:
    """The kind of page and a one-line reason; "article" with no reason when it is one."""
    words = count_words(text)
    lead = plain(text[:600])
    names = [plain(t) for t in (page.title, *page.headings)]
    if words < 250 and (hit := _search(NOT_FOUND, [*names, lead if words < 120 else ""])):
        return "not-found", f"page says it was not found ({hit!r}) and has {words} words"
    if words < 500 and (consent := _consent(text, words, page, names[0])):
        return "consent", consent
    if paywall := _paywall(text, words, page):
        return "paywall", paywall
    if home := _home_page(text, page, url):
        return "home-page", home
    if "<html" in html[:2000].lower() and not re.search(r"</(body|html)\s*>", html[-4096:], re.I):
        return "broken", f"truncated HTML: no closing </body> or </html> ({words} words kept)"
    if words == 0:
        return "empty", "no main text found"
    if words < MIN_ARTICLE_WORDS:
        return "too-short", f"only {words} words of main text"
    return "article", None


def _paywall(text: str, words: int, page: Page) -> str | None:
    """Why the text is a teaser, or None. A prompt counts only where the article text stops
    (a "subscribe" promo in the footer of a whole article is no wall); the isAccessibleForFree
    flag only when the text is short or shorter than the article the page's JSON-LD holds."""
    whole = page.full_words
    if whole and words >= 0.75 * whole:
        return None  # the text is the whole article the page declares
    if len(page.full_ending) > 20 and page.full_ending in page.visible:
        return None  # the page shows the declared article to its end: no wall, a short extraction
    after = _after_text(text, page)
    wall, offer = (after, after) if after is page.visible else (after[:WALL_WINDOW],
                                                                 after[:OFFER_WINDOW])
    if words < 300 and (hit := _search(PAYWALL, [wall])
                        or (words < 150 and _search(OFFER, [offer]))):
        return f"paywall prompt ({hit!r}) after {words} words"
    if page.paid and whole and words < (0.75 if page.full_ending else 0.5) * whole:
        return (f"marked isAccessibleForFree=false; {words} words shown of the {whole} "
                "its JSON-LD declares")
    if page.paid and not whole and words < 150:
        return f"marked isAccessibleForFree=false and only {words} words"
    return None


def _after_text(text: str, page: Page) -> str:
    """The visible text after the article text ends (where a paywall prompt sits), or the
    whole page when the article text cannot be found in it."""
    visible = page.visible
    tail = plain(" ".join(text.split()[-8:]))
    at = visible.rfind(tail) if tail else -1
    return visible if at < 0 else visible[at + len(tail):]


def _search(pattern: re.Pattern[str], texts: list[str]) -> str | None:
    for text in texts:
        if match := pattern.search(text):
            return match.group(0)
    return None


def _consent(text: str, words: int, page: Page, title: str) -> str | None:
    """A consent interstitial: consent talk and a button to agree, on a page that is no article,
    whose article text is missing, or whose text sits in a consent overlay (the article hidden
    until consent is given). A short article *about* consent has article markup and its own
    text outside any consent box, so it stays an article."""
    basis = plain(text) if words else page.visible
    terms = [t for t in CONSENT_TERMS if t in basis or t in title]
    if len(terms) < 4 or not ("consent" in terms or "cookie" in terms):
        return None
    action = _search(CONSENT_ACTIONS, [page.visible])
    if action and (not page.is_article or words == 0 or page.consent_share > 0.5):
        return f"consent wall: {words} words about {', '.join(terms[:4])}; button {action!r}"
    return None


def _home_page(text: str, page: Page, url: str | None) -> str | None:
    """Why the page is a site's front page (a redirect to it, or a capture of it), or None."""
    if page.canonical:
        if _is_root(page.canonical):
            return f"canonical URL {page.canonical} is the site's front page"
    elif url and _is_root(url) and not page.is_article:
        return f"URL {url} is the site's front page"
    longest = max((len(p.split()) for p in text.split("\n\n")), default=0)
    if page.teaser_links >= 10 and not page.is_article and longest < 40:
        return (f"front-page layout: {page.teaser_links} headline links, "
                f"no paragraph over {longest} words")
    return None


def _is_root(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.path in ("", "/") and not parts.query


def _absolute(href: str, base: str | None) -> str:
    """`href` made absolute against the page URL; "" if either is not a valid URL."""
    try:
        href = urljoin(base, href) if href and base else href
        urlsplit(href)
    except ValueError:
        return ""
    return href
