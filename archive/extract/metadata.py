"""Title, author, date and site name from what a page declares: JSON-LD, then <meta> tags.

Reading the declarations costs a fraction of trafilatura's metadata pass (which also gathers
categories, tags and licences we do not use); `article.py` asks trafilatura only for what a
page does not declare.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lxml import etree

LD = etree.XPath("//script[@type='application/ld+json']/text()")
META = etree.XPath("//meta[@property or @name][@content]")
ARTICLE_TYPES = re.compile(r"(News|Blog|Report|Opinion|Analysis|Reportage\w*|Review|Scholarly|"
                           r"Tech|Satirical|Social\w*|Live\w*)?(Article|Posting|BlogPosting)$")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass
class Meta:
    title: str | None = None
    author: str | None = None
    date: str | None = None     # ISO date
    sitename: str | None = None

    @property
    def complete(self) -> bool:
        return bool(self.title and self.date and self.author and self.sitename)


def ld_objects(tree: etree._Element) -> tuple[list[str], list[dict]]:
    """(raw scripts, every JSON object in them, nested ones and @graph members included)."""
    scripts = [str(s) for s in LD(tree)]
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for script in scripts:
        try:
            walk(json.loads(script))
        except ValueError:  # broken JSON-LD is common; callers' regexes still read the text
            continue
    return scripts, found


def declared(tree: etree._Element, objects: list[dict]) -> Meta:
    """What the page declares about itself; None where it declares nothing usable."""
    meta = {(m.get("property") or m.get("name") or "").lower(): m.get("content", "").strip()
            for m in META(tree)}
    article = next((o for o in objects if _is_article(o)), {})
    publisher = article.get("publisher") if isinstance(article.get("publisher"), dict) else {}
    return Meta(
        title=_text(article.get("headline")) or meta.get("og:title") or None,
        author=_names(article.get("author")) or meta.get("author") or None,
        date=_date(article.get("datePublished")) or _date(meta.get("article:published_time")),
        sitename=meta.get("og:site_name") or _text(publisher.get("name")) or None,
    )


def _is_article(obj: dict) -> bool:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and ARTICLE_TYPES.search(k) for k in kinds)


def _text(value: object) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _names(value: object) -> str | None:
    """"A; B" from an author, a list of authors, or author objects with a name."""
    people = value if isinstance(value, list) else [value]
    names = [_text(p.get("name")) if isinstance(p, dict) else _text(p) for p in people]
    return "; ".join(n for n in names if n) or None


def _date(value: object) -> str | None:
    match = ISO_DATE.match(value.strip()) if isinstance(value, str) else None
    return "-".join(match.groups()) if match else None
