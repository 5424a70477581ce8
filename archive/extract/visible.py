"""The page's full visible text: every line a reader can see, from the already parsed tree.

`visible_text(tree)` walks the tree once (no second parse) and writes one line per block element
(paragraph, heading, list item, table row, div…), inline elements' text kept inside its line.
What a browser does not show is left out: <head>, scripts, styles, templates, comments, and
elements marked `hidden`, `aria-hidden="true"` or `style="display:none"`. The comparison uses it
as evidence: a seed passage that the page shows but the article text lacks is the extraction's
miss, not the seed's addition.
"""

from __future__ import annotations

import re

from lxml import etree

BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "body", "html",
    "option", "legend", "center", "menu"))
UNSEEN = frozenset(("head", "script", "style", "noscript", "template", "svg", "math", "iframe",
                    "object", "embed", "canvas", "video", "audio", "select", "textarea", "title",
                    "meta", "link", "button"))
DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
CELLS = frozenset(("td", "th"))  # a table row is one line, its cells separated by spaces


def hidden(node: etree._Element) -> bool:
    """Not shown by a browser: an unseen element, or one marked hidden."""
    tag = node.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return True
    if tag in UNSEEN:
        return True
    attrib = node.attrib
    if not attrib:
        return False
    return ("hidden" in attrib or attrib.get("aria-hidden") == "true"
            or bool(DISPLAY_NONE.search(attrib.get("style", ""))))


def visible_text(tree: etree._Element | None) -> str:
    """Lines of visible text, one per block, separated by "\\n"; blank lines dropped."""
    if tree is None:
        return ""
    root = tree.find("body")
    if root is None:
        root = tree
    parts: list[str] = []  # text pieces, "\n" where a block starts or ends
    add = parts.append
    skip: etree._Element | None = None  # the hidden element being skipped, if any
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if skip is not None:
            if node is skip and event == "end":
                skip = None
                if node.tail:
                    add(node.tail)
            continue
        tag = node.tag
        if event == "start":
            if node is not root and hidden(node):
                skip = node
                continue
            add("\n" if tag in BLOCKS else " " if tag in CELLS else "")
            if node.text:
                add(node.text)
        else:
            add("\n" if tag in BLOCKS else " " if tag in CELLS else "")
            if node.tail and node is not root:
                add(node.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
