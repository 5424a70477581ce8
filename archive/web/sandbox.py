"""Archived HTML made inert for showing: nothing in it can make a browser connect anywhere.

The raw view's headers (a CSP sandbox with `default-src 'none'`) stop requests, but not every
connection: Chromium opens a TCP connection to the host of an archived `<iframe src>` or
`<frame src>` before its policy refuses the navigation, so a visit is signalled all the same.
What the browser receives is therefore rewritten first (lxml): scripts, frames, objects,
embeds, `<base>`, `<link>`, `<noscript>` and `http-equiv` metas go; every attribute that
names a resource (src, srcset, href, data, action, poster, ping, background, xlink:href, ...)
goes, a link keeping its address as a tooltip; event handlers go; CSS keeps its colours and
layout but loses `@import`, `url(...)` and `image-set(...)`. The headers stay as a second fence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html
from lxml import etree

MAX_HTML = 8 * 1024 * 1024        # larger pages are shown as source text, never parsed
DROPPED = frozenset({"script", "noscript", "base", "link", "iframe", "frame", "object", "embed",
                     "applet", "portal", "fencedframe", "param", "source", "track",
                     "set", "animate", "animatemotion", "animatetransform"})  # SVG can set href
URL_ATTRIBUTES = frozenset({
    "src", "srcset", "href", "data", "action", "formaction", "poster", "background", "ping",
    "cite", "longdesc", "usemap", "lowsrc", "dynsrc", "manifest", "codebase", "archive",
    "classid", "imagesrcset", "profile", "itemtype", "attributionsrc", "srcdoc"})
# Where the replay view may keep a URL of its own asset route.
KEPT_ATTRIBUTES = frozenset({("link", "href"), ("img", "src")})
# CSS that loads something (in CSS text a backslash escape could spell it: that drops it all).
ATTRIBUTE_LOADS = re.compile(r"url\s*\(|image-set\s*\(|image\s*\(", re.IGNORECASE)
CSS_FUNCTION = re.compile(r"(?:url|image-set|image|expression)\s*\((?:[^()]|\([^()]*\))*\)",
                          re.IGNORECASE)
CSS_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)
# A URL the replay view put there (`archive.web.replay`): its own asset route, quoted, kept.
KEPT_URL = re.compile(r'@import\s+(?:url\()?"([^"\\\s()]*)"\)?;?|url\("([^"\\\s()]*)"\)')
Keep = Callable[[str], bool]


def inert_css(css: str, keep: Keep | None = None) -> str:
    """CSS without what loads anything (a backslash escape drops the whole text); with `keep`,
    the `url("…")` and `@import "…"` of URLs it accepts stay."""
    if "\\" in css:
        return ""
    if keep is None:
        return CSS_FUNCTION.sub("none", CSS_IMPORT.sub("", css))
    kept: list[str] = []

    def hold(match: re.Match) -> str:
        if not keep(match.group(1) or match.group(2)):
            return match.group(0)
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    held = KEPT_URL.sub(hold, css.replace("\x00", ""))
    clean = CSS_FUNCTION.sub("none", CSS_IMPORT.sub("", held))
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], clean)


def inert_html(body: bytes, charset: str | None = None, keep: Keep | None = None) -> bytes:
    """`body` rewritten so that no element or style of it names anything to load (UTF-8);
    with `keep`, stylesheet links, image sources and CSS URLs it accepts stay."""
    parser = lxml.html.HTMLParser(encoding=charset, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(body, parser=parser)
    except (etree.ParserError, ValueError, LookupError):
        return b""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        name = element.tag.rsplit("}", 1)[-1].lower()
        stylesheet = name == "link" and keep is not None and keep(element.get("href") or "") \
            and "stylesheet" in (element.get("rel") or "").lower().split()
        if (name in DROPPED and not stylesheet) or (
                name == "meta" and "http-equiv" in element.attrib):
            element.drop_tree()
            continue
        if name == "style":
            element.text = inert_css(element.text or "", keep)
            for child in list(element):
                element.remove(child)
        _clean_attributes(element, name, keep)
    return lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")


def shown(body: bytes, charset: str | None, content_type: str, source: bool
          ) -> tuple[bytes, str]:
    """(body, Content-Type) to serve a payload with: HTML made inert, or as text when its
    source is asked for or it is too large to rewrite; anything else as it is."""
    if not content_type.startswith(("text/html", "application/xhtml")):
        return body, content_type
    if source or len(body) > MAX_HTML:
        return body, content_type.replace(content_type.split(";")[0], "text/plain")
    return inert_html(body, charset), "text/html; charset=utf-8"


def _clean_attributes(element, name: str, keep: Keep | None = None) -> None:
    for attribute in list(element.attrib):
        local = attribute.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
        value = element.attrib[attribute]
        if keep is not None and (name, local) in KEPT_ATTRIBUTES and keep(value):
            continue
        if local in URL_ATTRIBUTES:
            if name == "a" and local == "href" and "title" not in element.attrib:
                element.attrib["title"] = f"archived link to {value}"[:500]
            del element.attrib[attribute]
        elif local.startswith("on"):
            del element.attrib[attribute]
        elif local == "style":
            element.attrib[attribute] = inert_css(value, keep)
        elif ATTRIBUTE_LOADS.search(value) and not value.replace(" ", "").startswith("url(#"):
            del element.attrib[attribute]        # fill="url(http://…)" and the like
