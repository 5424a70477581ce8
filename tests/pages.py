"""Publisher-shaped test pages built from a known `Article` (shared/research/seed-originals.md §2).

Article pages (~45 KB, like real ones): `moscow_times_page`, `nbc_page`, `telegraph_page`,
`wordpress_page` return HTML with the body among the boilerplate each publisher wraps it in
(navigation, cookie banner, captions and credits, related boxes, newsletter signups, comments);
`article.blocks()` is the golden text and `BOILERPLATE[shape]` (plus `["common"]`) phrases that must
stay out of it. Not-article pages: `soft_404_page`, `consent_page`, `paywall_page`,
`telegraph_page(paywalled=True)`, `home_page`. Other payloads: `pdf_export` (a real PDF, written by
hand), `png_image`, `binary_junk`, `truncated`, `encoded` (bytes in one charset, declaring another).
Every URL is on a `.test` host (`page_url(shape, article)`); pass `url=` to serve them elsewhere.
"""

from __future__ import annotations

import json
import random
import struct
import zlib
from collections.abc import Sequence
from html import escape

from tests.articles import ANALYSIS, ARTICLES, COMMENTS, GDPR, NEWS, OPINION, Article, Comment
from tests.pdfwriter import pdf_document

__all__ = [
    "ANALYSIS", "ARTICLES", "BOILERPLATE", "COMMENTS", "GDPR", "HOSTS", "NEWS", "OPINION", "PAYWALL",
    "SHAPES", "TELEGRAPH_PAYWALL", "Article", "Comment", "binary_junk", "consent_page", "encoded",
    "home_page", "moscow_times_page", "nbc_page", "page_url", "paywall_page", "pdf_export",
    "png_image", "soft_404_page", "telegraph_page", "truncated", "wordpress_page",
]

HOSTS = {
    "moscow_times": ("https://www.themoscowtimes.test", "The Moscow Times"),
    "nbc": ("https://www.nbcnews.test", "NBC News"),
    "telegraph": ("https://www.telegraph.test", "The Telegraph"),
    "wordpress": ("https://patriotnews.test", "Patriot News USA"),
}
COOKIE_BANNER = ("We use cookies to personalise content and ads, to provide social media features "
                 "and to analyse our traffic. Cookie settings")
SECTIONS = ("World", "Politics", "Business", "Opinion", "Economy", "Culture", "Science", "Climate",
            "Health", "Sport", "Travel", "Technology", "Video", "Podcasts", "Newsletters", "Games")
HEADLINES = (
    "Central Bank Holds Rates as Inflation Slows", "Floods Cut Off Villages in the North",
    "Parliament Debates New Internet Rules", "Ruble Steadies After a Volatile Week",
    "Wildfire Season Starts Early in Siberia", "Opposition Figure Detained at Airport",
    "Tech Firms Face New Data Storage Law", "Theatre Director’s Trial Adjourned Again",
    "Grain Exports Hit a Five-Year High", "Arctic Shipping Route Sees Record Traffic",
    "Football Club Fined Over Fan Violence", "Metro Line Opens Two Years Late",
)
BOILERPLATE = {
    "common": (COOKIE_BANNER, "All rights reserved", "Newsletters Podcasts Games"),
    "moscow_times": ("Delegations arrive in Rovaniemi", "Most read", "we have a small favor to ask", "The views expressed in opinion pieces",
                     "is a political analyst", "Read more about:", "Kremlin Says It Is Not Meddling",
                     "Grain Exports Hit a Five-Year High", "Kremlin.ru"),
    "nbc": ("Breaking News Emails", "Let our news meet your inbox", "protected by recaptcha",
            "Sponsored Stories", "NBC UNIVERSAL", "Ana Lucía Pérez", "Advertisement",
            "Protesters march along a highway"),
    "telegraph": ("Related Topics", "Follow The Telegraph", "Show comments", "house rules",
                  "Read more: Inside the", "CREDIT: AFP", "World News", "addresses supporters"),
    "wordpress": ("(Photo:", "You Might Like", "Leave a Reply", "Your email address will not be published",
                  "Post Comment", "Nobody listened", "Follow the money", "Recent Posts",
                  "Share on Facebook", "Related Posts"),
}
SHAPES = ("moscow_times", "nbc", "telegraph", "wordpress")


def page_url(shape: str, article: Article) -> str:
    """The article's URL on the `.test` copy of a publisher's site."""
    a, base = article, HOSTS[shape][0]
    day = a.published.strftime("%Y/%m/%d")
    return {
        "moscow_times": f"{base}/{day}/{a.slug}-a{a.number}",
        "nbc": f"{base}/news/latino/{a.slug}-n{1000000 + a.number}",
        "telegraph": f"{base}/news/{day}/{a.slug}/",
        "wordpress": f"{base}/{day}/{a.slug}/",
    }[shape]


def _e(text: str) -> str:
    return escape(text, quote=False)


def _inline(paragraph: str, i: int, base: str) -> str:
    """A paragraph as publishers mark it up: a few words linked, one emphasised (text unchanged)."""
    words = _e(paragraph).split(" ")
    if len(words) > 12 and i % 2 == 0:
        words[3] = f'<a href="{base}/2019/04/{10 + i}/story">{words[3]}'
        words[5] += "</a>"
    if len(words) > 12 and i % 3 == 1:
        words[-4] = f"<a href=\"{base}/tag/x\">{words[-4]}</a>"
        words[8] = f"<em>{words[8]}</em>"
    return " ".join(words)


def _filler_script(seed: str, size: int = 24000) -> str:
    """Analytics/ads JavaScript of a realistic size (real pages carry tens of KB of it)."""
    rng = random.Random(seed)
    parts = ["window.dataLayer=window.dataLayer||[];"]
    while sum(map(len, parts)) < size:
        key = "".join(rng.choice("abcdefghijklmnop") for _ in range(8))
        parts.append(f"dataLayer.push({{'{key}':'{rng.getrandbits(48):x}','slot':{rng.randint(1, 99)}}});")
    return "<script>" + "".join(parts) + "</script>"


def _head(title: str, url: str, site: str, *, kind: str = "article", article: Article | None = None,
          extra: str = "", charset: str = "utf-8") -> str:
    meta = [f'<meta charset="{charset}">', f"<title>{_e(title)}</title>",
            f'<link rel="canonical" href="{url}">', f'<meta property="og:url" content="{url}">',
            f'<meta property="og:type" content="{kind}">', f'<meta property="og:site_name" content="{site}">',
            f'<meta property="og:title" content="{escape(article.title if article else title)}">']
    if article is not None:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
              "datePublished": article.published.isoformat(), "author": [{"@type": "Person",
              "name": article.author}], "publisher": {"@type": "Organization", "name": site}}
        meta += [f'<meta property="article:published_time" content="{article.published.isoformat()}">',
                 f'<meta name="description" content="{escape(article.subtitle)}">',
                 f'<script type="application/ld+json">{json.dumps(ld)}</script>']
    style = "<style>" + "".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px}}" for i in range(260)) + "</style>"
    return "<head>" + "".join(meta) + extra + style + _filler_script(title) + "</head>"


def _nav(base: str, site: str) -> str:
    links = "".join(f'<li><a href="{base}/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    sub = "".join(f'<li><a href="{base}/{s.lower()}/{i}">{s} {i}</a></li>' for s in SECTIONS[:8]
                  for i in range(1, 6))
    return (f'<header class="site-header"><a class="logo" href="{base}/">{site}</a>'
            f'<nav class="main-nav"><ul>{links}</ul><ul class="mega-menu">{sub}</ul></nav>'
            f'<a class="subscribe-link" href="{base}/subscribe">Subscribe</a></header>')


def _cookie_banner() -> str:
    return (f'<div id="cookie-consent" class="cookie-banner"><p>{COOKIE_BANNER}</p>'
            '<button>Accept</button></div>')


def _footer(base: str, site: str) -> str:
    links = "".join(f'<li><a href="{base}/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    return (f'<footer id="footer"><ul class="footer-links">{links}</ul>'
            f'<p>© 2019 {site}. All rights reserved.</p></footer>')


def _page(head: str, body: str, lang: str = "en") -> str:
    return f'<!DOCTYPE html>\n<html lang="{lang}">{head}<body>{body}</body></html>\n'


def _teasers(base: str, titles: Sequence[str], cls: str) -> str:
    items = "".join(f'<li class="{cls}__item"><a href="{base}/2019/05/0{1 + i % 9}/story-{i}">'
                    f'<h3 class="{cls}__title">{_e(t)}</h3></a></li>' for i, t in enumerate(titles))
    return f"<ul>{items}</ul>"


def moscow_times_page(article: Article, url: str | None = None) -> str:
    """The Moscow Times 2019 article page (resources/views/article/item.php)."""
    a, (base, site) = article, HOSTS["moscow_times"]
    url = url or page_url("moscow_times", a)
    related, heads = dict(a.related), dict(a.subheads)
    blocks = []
    for i, p in enumerate(a.paragraphs):
        if i in heads:
            blocks.append(f'<div class="article__block article__block--html"><h3>{_e(heads[i])}</h3></div>')
        blocks.append(f'<div class="article__block article__block--html"><p>{_inline(p, i, base)}</p></div>')
        if i == 1:
            blocks.append('<div class="banner" data-ad="inread"><span>Advertisement</span></div>')
        if i == 4:
            blocks.append(
                '<div class="article__block article__block--image"><figure class="article__image">'
                f'<img src="{base}/img/2.jpg" alt=""><figcaption><span class="article__image__caption">'
                f'Delegations arrive in Rovaniemi</span><span class="article__image__credits">'
                f'{_e(a.credit)}</span></figcaption></figure></div>')
        if i in related:
            blocks.append(
                '<div class="article__block article__block--article"><aside class="article__related-article">'
                '<span class="label related-article__label">News</span>'
                f'<a class="related-article__inner" href="{base}/2019/05/01/related-a65400">'
                f'<h3 class="related-article__title">{_e(related[i])}</h3>'
                '<span class="related-article__cta">Read more</span></a></aside></div>')
    day = a.published.strftime("%b. %-d, %Y")
    body = (
        _cookie_banner() + _nav(base, site) +
        f'<main><article class="article article--{a.section.lower()}"><header class="article__header">'
        f'<span class="label">{a.section}</span><h1><a href="{url}">{_e(a.title)}</a></h1>'
        f'<h2>{_e(a.subtitle)}</h2></header>'
        f'<div class="article__byline byline byline--opinion"><div class="byline__author">'
        f'<a class="byline__author__name" href="{base}/author/x">{_e(a.author)}</a></div>'
        f'<time class="byline__datetime" datetime="{a.published.isoformat()}">{day}</time></div>'
        f'<figure class="article__featured-image"><img src="{base}/img/lead.jpg" alt="">'
        f'<figcaption><span class="article__featured-image__caption">{_e(a.caption)}</span>'
        f'<span class="article__featured-image__credits">{_e(a.credit)}</span></figcaption></figure>'
        f'<div class="article__content-container"><div class="article__content">{"".join(blocks)}</div></div>'
        '<div class="article__disclaimer">The views expressed in opinion pieces do not necessarily '
        'reflect the position of The Moscow Times.</div>'
        f'<div class="author-excerpt"><a href="{base}/author/x">{_e(a.author)}</a><p>{_e(a.author)} '
        'is a political analyst and a regular contributor to our opinion pages.</p></div>'
        f'<div class="article__tags">Read more about: <a href="{base}/tag/venezuela">Venezuela</a>, '
        f'<a href="{base}/tag/diplomacy">Diplomacy</a></div>'
        '<div class="contribute-banner"><p>A message from The Moscow Times: Dear readers, we have a '
        'small favor to ask. Independent journalism depends on you.</p><a href="#">Continue</a></div>'
        '</article>'
        f'<aside class="sidebar"><h3>Most read</h3>{_teasers(base, HEADLINES[:6], "sidebar")}'
        f'<h3>Just in</h3>{_teasers(base, HEADLINES[6:], "sidebar")}</aside></main>'
        f'<section class="cluster"><h2 class="cluster__label">Read more</h2>'
        f'{_teasers(base, HEADLINES[2:6], "cluster")}</section><div id="load-next-article"></div>'
        + _footer(base, site))
    return _page(_head(f"{a.title} - {site}", url, site, article=a,
                       extra=f'<meta property="article:author" content="{escape(a.author)}">'), body)


def nbc_page(article: Article, url: str | None = None) -> str:
    """NBC News 2019 article page: data-test attributes, articleDek, newsletter and taboola boxes."""
    a, (base, site) = article, HOSTS["nbc"]
    url = url or page_url("nbc", a)
    heads = dict(a.subheads)
    parts = []
    for i, p in enumerate(a.paragraphs):
        if i in heads:
            parts.append(f"<h2>{_e(heads[i])}</h2>")
        parts.append(f'<p class="endmarkEnabled">{_inline(p, i, base)}</p>')
        if i == 2:
            parts.append('<div class="ad-container boxinlineAd"><span>Advertisement</span></div>')
        if i == 4:
            parts.append(
                '<div data-test="newsletter-signup"><h3>Breaking News Emails</h3><p>Get breaking '
                'news alerts and special reports. The news and stories that matter, delivered weekday '
                'mornings.</p><a href="#">SUBSCRIBE</a></div>')
        if i == 6:
            parts.append(f'<figure class="inline-image"><img src="{base}/i/2.jpg" alt="">'
                         f'<figcaption class="caption___x">Protesters march along a highway'
                         f'<span class="caption__source">{_e(a.credit)}</span></figcaption></figure>')
    when = a.published.strftime("%b. %-d, %Y, %-I:%M %p UTC")
    body = (
        _cookie_banner() + _nav(base, site) +
        '<div class="layout-container"><section class="articleHero">'
        '<header data-test="article-hero__header">'
        f'<h2 class="unibrow"><a href="{base}/news/latino">{a.section}</a></h2>'
        f'<h1 data-test="article-hero__headline">{_e(a.title)}</h1>'
        f'<div class="articleDek">{_e(a.subtitle)}</div>'
        f'<figure><img src="{base}/i/1.jpg" alt=""><figcaption class="caption___1">{_e(a.caption)}'
        f'<span>{_e(a.credit)}</span></figcaption></figure></header></section>'
        '<article class="articleBody"><section class="mb7">'
        f'<time data-test="timestamp__datePublished" itemprop="datePublished" '
        f'datetime="{a.published.isoformat()}">{when}</time>'
        f'<div data-test="byline">By {_e(a.author)}</div></section>'
        f'<div data-test="articleBody"><div class="article-body__content">{"".join(parts)}</div></div>'
        '<div id="emailSignup"><p>Let our news meet your inbox. The news and stories that matters, '
        'delivered weekday mornings.</p><button>Sign Up</button><p>This site is protected by '
        'recaptcha Privacy Policy | Terms of Service</p></div>'
        f'<div class="articleBylineContainer"><div class="articleByline">{_e(a.author)} is a '
        'reporter for NBC Latino.</div></div>'
        f'<div id="taboolaReadMoreBelow"><h3>Sponsored Stories</h3>{_teasers(base, HEADLINES[:6], "tbl")}'
        f'</div></article><aside class="right-rail"><span>Advertisement</span></aside></div>'
        f'<div id="hfs-footer">© 2019 NBC UNIVERSAL{_footer(base, site)}</div>')
    extra = f'<meta itemprop="datePublished" content="{a.published.isoformat()}">'
    return _page(_head(a.title, url, site, article=a, extra=extra), body)


TELEGRAPH_PAYWALL = ("To continue reading this article", "Start your free trial of Premium",
                     "Already a subscriber? Log in")


def telegraph_page(article: Article, paywalled: bool = False, url: str | None = None) -> str:
    """The Telegraph 2019 page: drop cap span, inline related links, comments; or its Premium wall."""
    a, (base, site) = article, HOSTS["telegraph"]
    url = url or page_url("telegraph", a)
    first = a.paragraphs[0]
    parts = [f'<p><span class="dropcap">{_e(first[0])}</span>{_e(first[1:])}</p>']
    shown, heads = a.paragraphs[1:2] if paywalled else a.paragraphs[1:], dict(a.subheads)
    for i, p in enumerate(shown, 1):
        if i in heads:
            parts.append(f"<h2>{_e(heads[i])}</h2>")
        parts.append(f"<p>{_inline(p, i, base)}</p>")
        if i == 2:
            parts.append(f'<figure class="inline-figure"><img src="{base}/i2.jpg" alt="">'
                         '<figcaption><span>Mr Guaidó addresses supporters in Caracas</span>'
                         f'<span>CREDIT: {_e(a.credit)}</span></figcaption></figure>')
        if i == 3:
            parts.append(f'<div class="related_links_inline"><ul><li><a href="{base}/news/x">'
                         'Read more: Inside the plot to turn Venezuela’s generals</a></li></ul></div>')
    if paywalled:
        parts.append('<div class="premium-paywall"><h3>' + TELEGRAPH_PAYWALL[0] + '</h3><p>'
                     + TELEGRAPH_PAYWALL[1] + ' — first month free.</p><a href="#">'
                     + TELEGRAPH_PAYWALL[2] + "</a></div>")
    when = a.published.strftime("%-d %B %Y • %-I:%M%p").replace("AM", "am").replace("PM", "pm")
    body = (
        _cookie_banner() + _nav(base, site) +
        f'<nav class="breadcrumbs"><a href="{base}/news/">News</a> <a href="{base}/news/world/">'
        'World News</a> <a href="#">Venezuela</a></nav>'
        '<main class="article__body"><div class="article__content js-article"><header>'
        f'<div class="headline"><h1 class="headline__heading" itemprop="headline name">{_e(a.title)}</h1></div>'
        f'<p class="headline__standfirst">{_e(a.subtitle)}</p>'
        f'<div class="lead-asset"><figure class="lead-asset__figure"><img src="{base}/i.jpg" alt="">'
        f'<figcaption><span>{_e(a.caption)}</span><span>CREDIT: {_e(a.credit)}</span></figcaption>'
        '</figure></div></header>'
        '<div class="article__socials"><a>Share</a><a>Save</a><a>Comment</a></div>'
        f'<footer class="article-author"><div class="byline"><a href="#">By {_e(a.author)}</a>'
        f'<time class="article-date-published" itemprop="datePublished" datetime="{a.published.isoformat()}">'
        f'{when}</time></div></footer>'
        '<article itemprop="articleBody"><div class="articleBodyText"><div class="article-body-text">'
        f'<div class="component-content">{"".join(parts)}</div></div></div></article>'
        '<div class="tags"><h3>Related Topics</h3><a href="#">Venezuela</a><a href="#">Russia</a></div>'
        '<div class="follow"><h3>Follow The Telegraph</h3><a>Facebook</a><a>Twitter</a></div>'
        '<aside id="comments" class="comments-block"><button>Show comments</button><p>We rely on readers’ '
        'comments; please read our house rules before posting.</p></aside>'
        f'<aside class="article__related">{_teasers(base, HEADLINES[6:], "related")}</aside>'
        '</div></main>' + _footer(base, site))
    extra = (f'<meta name="DCSext.author" content="{escape(a.author)}">'
             f'<meta name="DCSext.articleFirstPublished" content="{a.published.isoformat()}">')
    if paywalled:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "isAccessibleForFree": False}
        extra += f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    return _page(_head(a.title, url, site, article=a, extra=extra), body, lang="en-GB")


def _comment(c: Comment, n: int) -> str:
    return (f'<li class="comment" id="comment-{n}"><article class="comment-body"><footer class="comment-meta">'
            f'<b class="fn">{_e(c.author)}</b> <span class="says">says:</span>'
            f'<time>{_e(c.when)}</time></footer><div class="comment-content"><p>{_e(c.text)}</p></div>'
            '<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article></li>')


def wordpress_page(article: Article, comments: Sequence[Comment] | None = None,
                   url: str | None = None) -> str:
    """A WordPress repost (Hot Air / patriotnewsusa / Popular Resistance style)."""
    a, (base, site) = article, HOSTS["wordpress"]
    url = url or page_url("wordpress", a)
    comments = a.comments if comments is None else comments
    heads, parts, i = dict(a.subheads), [], 0
    while i < len(a.paragraphs):
        if i in heads:
            parts.append(f"<h2>{_e(heads[i])}</h2>")
        if i in a.quoted:
            run = []
            while i in a.quoted:
                run.append(f"<p>{_inline(a.paragraphs[i], i, base)}</p>")
                i += 1
            parts.append("<blockquote>" + "".join(run) + "</blockquote>")
            continue
        parts.append(f"<p>{_inline(a.paragraphs[i], i, base)}</p>")
        if i == 1:
            parts.append(f'<figure class="wp-caption aligncenter"><img src="{base}/wp-content/uploads/'
                         '2019/05/rally.jpg" alt=""><figcaption class="wp-caption-text">'
                         f'{_e(a.caption)} (Photo: {_e(a.credit)})</figcaption></figure>')
        if i == 2:
            parts.append(f'<div class="gp-widget you-might-like"><h3>You Might Like</h3>'
                         f'{_teasers(base, HEADLINES[:4], "yml")}</div>')
        i += 1
    thread = "".join(_comment(c, n) for n, c in enumerate(comments, 1))
    count = f"{len(comments)} thoughts on “{_e(a.title)}”" if comments else ""
    body = (
        _nav(base, site) +
        '<div id="content" class="site-content"><div id="primary"><main id="main">'
        f'<article class="post type-post status-publish"><header class="entry-header">'
        f'<h1 class="entry-title">{_e(a.title)}</h1><div class="entry-meta">Posted on '
        f'<time class="entry-date published" datetime="{a.published.isoformat()}">'
        f'{a.published.strftime("%B %-d, %Y")}</time> by <span class="author vcard">'
        f'<a class="url fn n" href="{base}/author/editor">{_e(a.author)}</a></span></div></header>'
        f'<div class="entry-content">{"".join(parts)}'
        '<div class="sharedaddy"><a>Share on Facebook</a><a>Tweet</a></div></div>'
        '<footer class="entry-footer">Posted in <a href="#">World</a></footer></article>'
        f'<div class="related-posts"><h3>Related Posts</h3>{_teasers(base, HEADLINES[4:8], "rp")}</div>'
        f'<div id="comments" class="comments-area"><h2 class="comments-title">{count}</h2>'
        f'<ol class="comment-list">{thread}</ol>'
        '<div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3>'
        '<form id="commentform"><p class="comment-notes">Your email address will not be published. '
        'Required fields are marked *</p><label>Comment</label><textarea name="comment"></textarea>'
        '<label>Name *</label><input name="author"><label>Email *</label><input name="email">'
        '<input type="submit" value="Post Comment"></form></div></div></main></div>'
        f'<aside id="secondary" class="widget-area"><section class="widget"><h2>Recent Posts</h2>'
        f'{_teasers(base, HEADLINES[8:], "recent")}</section></aside></div>' + _footer(base, site))
    return _page(_head(f"{a.title} – {site}", url, site, article=a,
                       extra=f'<meta name="author" content="{escape(a.author)}">'), body)


def soft_404_page(shape: str = "moscow_times") -> str:
    """A "page not found" page served with status 200, among the site's usual furniture."""
    base, site = HOSTS[shape]
    body = (_cookie_banner() + _nav(base, site) +
            '<main class="error-page"><h1>Sorry, we couldn’t find that page</h1>'
            '<p>The page you requested does not exist or may have been moved. '
            f'Try searching, or return to the <a href="{base}/">homepage</a>.</p>'
            f'<aside class="sidebar"><h3>Most read</h3>{_teasers(base, HEADLINES[:6], "sidebar")}</aside>'
            '</main>' + _footer(base, site))
    return _page(_head(f"Page not found - {site}", f"{base}/404", site, kind="website"), body)


def consent_page(site: str = "News Group", article: Article | None = None) -> str:
    """A GDPR consent interstitial whose main content is the consent text; with `article`, the
    overlay sits on that article's URL and metadata, its text not served until consent."""
    purposes = ("Store and/or access information on a device", "Use limited data to select advertising",
                "Create profiles for personalised advertising", "Measure content performance",
                "Understand audiences through statistics", "Develop and improve services")
    items = "".join(f"<li>{p}</li>" for p in purposes)
    body = (
        f'<div class="consent-wall"><h1>Before you continue to {site}</h1>'
        '<p>We and our 842 partners use cookies and similar technologies to store and/or access '
        'information on your device, and process personal data such as unique identifiers and '
        'browsing data, to provide our services, personalise advertising and measure its performance.</p>'
        '<p>With your permission we and our partners may use precise geolocation data and '
        'identification through device scanning. You may click to consent to our and our partners’ '
        'processing as described above. Alternatively you may access more detailed information and '
        'change your preferences before consenting or to refuse consenting.</p>'
        f'<ul>{items}</ul><p>You can change your choice at any time by visiting Privacy and cookie '
        'settings or Privacy dashboard, available via links on our sites.</p>'
        '<button>Accept all</button><button>Reject all</button><button>Manage privacy settings</button>'
        '</div>')
    if article is not None:
        url = page_url("telegraph", article)
        return _page(_head(article.title, url, site, article=article), body)
    url = "https://consent.newsgroup.test/v2/collectConsent"
    return _page(_head(f"{site} is part of the News Group family", url, site, kind="website"), body)


PAYWALL = ("Subscribe to continue reading", "Get unlimited access to award-winning journalism",
           "Already a subscriber? Sign in")


def paywall_page(article: Article, url: str | None = None) -> str:
    """A paywall teaser: a standfirst and one paragraph, then the subscription prompt."""
    base, site = "https://www.dailyledger.test", "The Daily Ledger"
    url = url or f"{base}/world/{article.slug}"
    body = (_nav(base, site) +
            f'<main><article><h1>{_e(article.title)}</h1><p class="standfirst">{_e(article.subtitle)}</p>'
            f'<p class="byline">By {_e(article.author)}</p><div class="article-body">'
            f'<p>{_e(article.paragraphs[0])}</p></div>'
            f'<div class="paywall"><h2>{PAYWALL[0]}</h2><p>{PAYWALL[1]} for $1 a week. Cancel anytime.</p>'
            f'<a href="{base}/subscribe">Start your free trial</a><p>{PAYWALL[2]}</p></div>'
            '</article></main>' + _footer(base, site))
    return _page(_head(article.title, url, site, article=article), body)


def home_page(articles: Sequence[Article] = ARTICLES, shape: str = "moscow_times") -> str:
    """A front page: the site root as canonical, a lead story and many headline teasers."""
    base, site = HOSTS[shape]
    lead = articles[0]
    cards = "".join(
        f'<div class="card"><a href="{page_url(shape, a)}"><h3>{_e(a.title)}</h3></a>'
        f'<p class="card__excerpt">{_e(a.subtitle)}</p></div>' for a in articles[1:])
    body = (_cookie_banner() + _nav(base, site) +
            f'<main class="front"><section class="lead"><a href="{page_url(shape, lead)}">'
            f'<h2>{_e(lead.title)}</h2></a><p>{_e(lead.subtitle)}</p></section>'
            f'<section class="cards">{cards}</section>'
            f'<section class="latest"><h2>Latest news</h2>{_teasers(base, HEADLINES, "latest")}</section>'
            '</main>' + _footer(base, site))
    return _page(_head(f"{site} - Independent News", f"{base}/", site, kind="website"), body)


def pdf_export(article: Article, url: str | None = None) -> bytes:
    """The Moscow Times PDF export (item_pdf.php): title, byline, date, body, disclaimer, URL.

    Paragraphs cross page boundaries mid-sentence, as mPDF's output does."""
    a = article
    url = url or page_url("moscow_times", a) + "/pdf"
    blocks: list[tuple[int, str]] = [(18, a.title), (13, a.subtitle), (11, f"By {a.author}"),
                                     (11, a.published.strftime("%B %d, %Y")), (9, f"{a.caption} {a.credit}")]
    related = dict(a.related)
    for i, block in enumerate(a.blocks()):
        blocks.append((11, block))
        if i in related:
            blocks.append((11, f"Related article: {related[i]}"))
    blocks += [(10, "The views expressed in opinion pieces do not necessarily reflect the position "
                    "of The Moscow Times."), (9, f"Original url: {url.removesuffix('/pdf')}")]
    return pdf_document(blocks, title=a.title, page_height=560)


def png_image(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x10\x80\xc0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def binary_junk(size: int = 4096, seed: int = 5) -> bytes:
    return random.Random(seed).randbytes(size)


def truncated(html: str, at: str | float = 0.55) -> str:
    """The page cut off part-way, as a dropped connection leaves it: just after the text `at`,
    or after that fraction of its length."""
    if isinstance(at, str):
        return html[: html.index(at) + len(at)]
    return html[: int(len(html) * at)]


def encoded(html: str, actual: str, declared: str) -> bytes:
    """`html` encoded in `actual` while its <meta charset> says `declared`."""
    return html.replace('<meta charset="utf-8">', f'<meta charset="{declared}">', 1).encode(actual)
