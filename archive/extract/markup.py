"""The parsed page made ready for trafilatura, in place, before it looks for the article.

Each step undoes one way news markup makes trafilatura lose or glue text:
- `drop_widgets`: share bars, "Click To Tweet" boxes, related-link boxes, newsletter and
  subscription prompts and ad rows go whole, at element level, so their words are never glued
  into a sentence; their text is returned (the paywall test reads it).
- `unwrap_inline`: links and spans inside prose become plain text (trafilatura drops
  `<span class="link"><a>…</a></span>` and the text of link-heavy short paragraphs).
- `break_runs`: text runs separated by `<br><br>` in a div become paragraphs.
- `join_bodies`: an article body split into sibling containers by an ad, related row or
  newsletter box is joined into the first container (trafilatura keeps only one).
"""

from __future__ import annotations

import re

from lxml import etree

# Names of widget boxes, matched against each class/id/data-* value, as whole "-", "_" parts.
WIDGET_NAMES = re.compile(
    r"(?:^|[\s_-])(newsletter\w*|signup|sign-up|e?mail-?signup|paywall|taboola\w*|outbrain|"
    r"recirc\w*|ad|ads|ad-container|ad-slot|inline-?ad|advert\w*|dfp\w*|gpt|sponsor\w*|"
    r"cookie|consent|related\w*|share|sharing|sharedaddy|social|tweet\w*|ctt|"
    r"promo|promo-box|cta|inline-cta|read-more|story-links|more-stories|jp-relatedposts|"
    r"video\w*|player|vjs\w*|jw-?player|brightcove\w*)"   # an embedded player and its blurb
    r"(?:[\s_-]|$)", re.I)
# class/id/data-* values (each knows its element): a regex over strings, element proxies only
# for the few that match (creating one per element is most of a pass over a big page).
NAMES = etree.XPath("//body//*[not(self::main or self::article or self::body)]/@*[name()='class' "
                    "or name()='id' or name()='data-test' or name()='data-testid' or "
                    "name()='data-component']")
# Elements whose whole text is one of these are widget labels, wherever they sit.
WIDGET_TEXT = re.compile(
    r"(click to tweet|tweet this|share( this( article| story)?)?|advertisement|"
    r"story continues below( this)? advertisement|skip advertisement|sponsored( content)?|"
    r"continue reading below|scroll to continue)\s*:?", re.I)
BROKEN = etree.XPath("//body//*[self::div or self::td or self::section][br[2]]")
SHORT_TEXTS = etree.XPath("//body//text()[normalize-space()][string-length() < 60]")
# "Related: <a>headline</a>": a paragraph led by one of these and mostly link.
LEAD_IN = re.compile(r"\s*(related|read more|read also|see also|also read|more on this|"
                     r"recommended|watch|listen|more)\s*[:|»>-]", re.I)
INLINE = ("span", "font", "abbr", "mark", "small", "u", "ins", "time")
# Prose blocks with inline elements inside: every paragraph and quote; list items, cells,
# headings and captions only when long enough to be prose (menus are lists of short items).
WITH_INLINE = etree.XPath("//body//*[self::p or self::blockquote or ((self::li or self::dd or "
                          "self::td or self::h2 or self::h3 or self::h4 or self::figcaption) "
                          "and string-length(normalize-space(.)) > 80)]"
                          "[.//span or .//font or .//abbr or .//mark or .//small or .//u or "
                          ".//ins or .//time or .//a]")
BLOCK = frozenset(("p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
                   "ol", "table", "figure", "blockquote", "pre", "aside", "header", "footer",
                   "form", "nav", "dl", "hr", "iframe", "script", "style"))
CONTAINERS = frozenset(("div", "section"))  # what a split body's parts are
# Names of article-body containers: only these are joined (cards or comments never are).
BODY_NAMES = re.compile(r"body|content|text|article|story|entry|post|paragraph|rich|prose|main|"
                        r"copy|field|block|section|chunk|column", re.I)
TEASER = etree.XPath("boolean(.//h2//a | .//h3//a | .//h4//a | .//a[.//h2 or .//h3 or .//h4])")
SPLIT_PARENTS = etree.XPath("//body//*[count(div | section) > 1]")
KEEP_BETWEEN = ("p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "pre")


def _names(node: etree._Element) -> str:
    get = node.get
    return " ".join(filter(None, (get("class"), get("id"), get("data-test"), get("data-testid"),
                                  get("data-component"))))


# Elements trafilatura deletes anyway (settings.MANUALLY_CLEANED): gone before it copies the tree,
# they cost it nothing, and our own passes skip them too.
NOISE = ("script", "style", "noscript", "svg", "nav", "aside", "footer", "iframe", "button",
         "select", "textarea", "template", "input", "link")


LONG_LISTS = etree.XPath("//body//ul[li[12]] | //body//ol[li[12]]")


def drop_noise(tree: etree._Element) -> None:
    """Remove what trafilatura deletes anyway, and long lists made of links alone (menus, link
    farms: its link-density test drops them, after costing every pass their elements)."""
    for node in list(tree.iter(*NOISE)):
        if node.getparent() is not None:
            _drop(node)
    for node in LONG_LISTS(tree):
        text = node.text_content()
        if node.getparent() is not None and _link_share(node, text) > 0.9:
            _drop(node)


def drop_widgets(tree: etree._Element, page_text: str) -> list[str]:
    """Remove widget boxes and widget labels; their texts, in page order. `page_text` (one
    line per block) tells whether "Related:" lead-ins are there to look for at all.
    A "box" holding a third of the page's text is a wrapper (`div.cookie-consent-given`), kept."""
    removed: list[str] = []
    body = tree.find("body")
    limit = len(body.text_content()) / 3 if body is not None else 0
    boxes = {id(v.getparent()): v.getparent() for v in NAMES(tree) if WIDGET_NAMES.search(v)}
    for node in boxes.values():
        if node.getparent() is None or _gone(node):
            continue
        text = node.text_content()
        if len(text) <= limit and _prose_count(node) < 3:  # 3 long paragraphs: a body, no box
            removed.append(text)
            _drop(node)
    lines = page_text.splitlines()
    for piece in SHORT_TEXTS(tree):
        if not WIDGET_TEXT.fullmatch(piece.strip()):
            continue
        node = piece.getparent() if piece.is_text else piece.getparent().getparent()
        text = node.text_content() if node is not None else ""
        if node.tag != "body" and len(node) <= 2 and WIDGET_TEXT.fullmatch(text.strip()) \
                and not _gone(node):
            removed.append(text)
            _drop(node)
    for node in tree.iter("p") if any(LEAD_IN.match(line) for line in lines) else ():
        text = node.text_content()
        if LEAD_IN.match(text) and _link_share(node, text) > 0.5:
            removed.append(text)
            _drop(node)
    return removed


def _gone(node: etree._Element) -> bool:
    """Already removed with an ancestor."""
    return node.getroottree().getroot().tag != "html" if node.getparent() is not None else True


def _drop(node: etree._Element) -> None:
    """Remove an element but keep its tail: the text after it belongs to its parent."""
    node.drop_tree()


def _link_share(node: etree._Element, text: str) -> float:
    linked = sum(len(a.text_content()) for a in node.iter("a"))
    return linked / max(len(text.strip()), 1)


def unwrap_inline(tree: etree._Element) -> None:
    """Inline wrappers inside prose become plain text; links too unless the block is mostly
    link ("Read more: <a>…</a>" keeps its link, so trafilatura still sees a link list)."""
    for block in WITH_INLINE(tree):
        inner = list(block.iterdescendants(*INLINE, "a"))
        mostly_link = _link_share(block, block.text_content()) >= 0.5
        for node in inner:
            if node.tag != "a" or not mostly_link:
                node.drop_tag()


def break_runs(tree: etree._Element) -> None:
    """Text runs separated by <br> directly inside a div (no <p>) become paragraphs."""
    for div in BROKEN(tree):
        loose = len((div.text or "").strip()) + sum(len((c.tail or "").strip()) for c in div)
        if loose < 200:
            continue
        _rebuild(div)


def _rebuild(div: etree._Element) -> None:
    """Split `div`'s loose text and inline children at each <br> into <p> elements."""
    runs: list[list] = [[div.text or ""]]
    for child in list(div):
        tail, child.tail = child.tail or "", None
        if child.tag == "br":
            runs.append([tail])
        elif isinstance(child.tag, str) and child.tag in BLOCK:
            runs.extend(([child], [tail]))
        else:
            runs[-1].append(child)
            runs[-1].append(tail)
        div.remove(child)
    div.text = None
    for run in runs:
        if len(run) == 1 and not isinstance(run[0], str):
            div.append(run[0])
            continue
        if not "".join(x if isinstance(x, str) else x.text_content() for x in run).strip():
            continue
        p = etree.SubElement(div, "p")
        p.text = run[0] if isinstance(run[0], str) else ""
        last = None
        for item in run[1:] if isinstance(run[0], str) else run:
            if isinstance(item, str):
                if last is None:
                    p.text = (p.text or "") + item
                else:
                    last.tail = (last.tail or "") + item
            else:
                p.append(item)
                last = item


def _prose(node: etree._Element) -> bool:
    return any(len(p.text_content()) >= 80 for p in node.iter("p"))


def _prose_count(node: etree._Element) -> int:
    return sum(len(p.text_content()) >= 100 for p in node.iter("p"))


def join_bodies(tree: etree._Element) -> None:
    """Sibling containers of the same tag and class that each hold prose are one body split by
    furniture: the later ones (and headings or paragraphs between them) move into the first.
    A container may sit in a classless wrapper (`<section><div class="body">`): the wrappers
    are the siblings, the inner containers are what is matched and joined into."""
    for parent in SPLIT_PARENTS(tree):
        seen: dict[tuple[str, str], tuple[etree._Element, etree._Element]] = {}
        for kid in [c for c in parent if c.tag in CONTAINERS]:
            core = _core(kid)
            if core is None or kid.getparent() is None or not _prose(core):
                continue
            first = seen.setdefault((core.tag, core.get("class", "").split()[0]), (kid, core))
            if first[0] is not kid:
                _merge(*first, kid)


def _core(kid: etree._Element) -> etree._Element | None:
    """The body-named container `kid` is, or wraps alone; None if neither."""
    if not kid.get("class", "").strip():
        inner = [c for c in kid if isinstance(c.tag, str)]
        if len(inner) != 1 or inner[0].tag not in CONTAINERS or (kid.text or "").strip():
            return None
        kid = inner[0]
    if not kid.get("class", "").strip() or not BODY_NAMES.search(_names(kid)):
        return None
    if TEASER(kid):  # a card: headline link and summary, however it is named
        return None
    return kid


def _keep_between(node: etree._Element) -> bool:
    """Text between two parts of a body stays unless it is a link list or holds no prose."""
    if not isinstance(node.tag, str):
        return False
    text = node.text_content()
    if not text.strip() or _link_share(node, text) > 0.5:
        return False
    return node.tag in KEEP_BETWEEN or any(True for _ in node.iter(*KEEP_BETWEEN))


def _merge(first: etree._Element, target: etree._Element, later: etree._Element) -> None:
    """Move `later` and what lies between it and `first` (furniture dropped) into `target`."""
    parent = later.getparent()
    between = []
    node = first.getnext()
    while node is not None and node is not later:
        between.append(node)
        node = node.getnext()
    for node in between:
        if _keep_between(node):
            _adopt(target, node)
        else:
            node.tail = None
            parent.remove(node)
    _adopt(target, later)


# Block wrappers only: a `span` left between joined bodies (a live-blog entry's byline) is
# inline text, never a paragraph of its own.
WRAPPERS = frozenset(("div", "section", "article", "main"))


def _adopt(first: etree._Element, node: etree._Element) -> None:
    """Move `node` into `first`; a wrapper's content moves without the wrapper, so the joined
    body is one flat run of paragraphs (trafilatura garbles paragraphs beside nested divs)."""
    node.tail = None
    if node.tag not in WRAPPERS:
        first.append(node)
        return
    if node.text and node.text.strip():
        etree.SubElement(first, "p").text = node.text
    for child in list(node):
        tail = child.tail
        _adopt(first, child)
        if tail and tail.strip():
            etree.SubElement(first, "p").text = tail
    node.getparent().remove(node)
