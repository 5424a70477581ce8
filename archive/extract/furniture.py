"""Page furniture in the extracted text: credit lines, copyright, update notes, widget labels.

`split_furniture(paragraphs, title)` returns (article paragraphs, furniture lines). A seed that
leaves out "(Reporting by …; Editing by …)" or "… contributed to this report." is no excerpt,
so these lines leave the article text and are listed apart for the comparison. The headline,
when trafilatura repeats it as the first paragraph, is dropped (it is the title, not the body).
"""

from __future__ import annotations

import re

CREDIT = re.compile(
    r"\(?\s*(additional |editing and )?(reporting|writing|editing|compiled|translated|"
    r"produced) (by|from)\b(?!.*\b(found|finds|shows?|showed|suggests?|revealed|says|said)\b)"
    r".{0,200}"
    r"|.{0,200}\b(contributed|contributing|also contributed) (reporting )?(to|for) (this|the) "
    r"(report|story|article|piece)\b.{0,40}"
    r"|\(?\s*(©|\(c\)\s|copyright\b).{0,200}"
    r"|(this|the) (story|article|report|piece) (was|has been) (updated|corrected|amended)\b.{0,200}"
    r"|(photo|image|video|graphic|illustration)( credit)?s?\s*:.{0,200}"
    r"|(follow|contact) (him|her|them|the author|us|@).{0,200}"
    r"|(the views|views) expressed (in|here).{0,300}"
    # an author's bio ending in the disclaimer: "... is a former librarian. The views expressed
    # in this article are her own." (own / not necessarily: never a sentence that quotes views)
    r"|.{0,200}\bviews expressed (in|here)\b.{0,80}\b(are (solely )?(the author'?s?'?|his|her|"
    r"their|my|our) own|do(es)? not necessarily (reflect|represent))\b.{0,80}"
    # a long read's credits: "Words by A. Photographs by B. Edited by C."
    r"|((words|text|photographs|photos|pictures|illustrations|graphics|design|video|edited|"
    r"produced)( and \w+)? by [^.]{2,60}\.\s*){2,}"
    r"|(related|read more|see also|also read|more on this)\s*:.{0,200}"
    r"|(click to tweet|tweet this|share this( article| story)?)"
    r"|(sign up|subscribe)\b.{0,120}\bnewsletter\b.{0,80}"
    r"|[(—–-]*\s*(reuters|ap|afp|bloomberg|dpa|associated press|tass|xinhua)\s*\)?\.?", re.I | re.S)
WIDGET_GLUE = re.compile(r"\s*(Click To Tweet|Tweet This)\s*", re.I)
MAX_FURNITURE_WORDS = 45


def split_furniture(paragraphs: list[str], title: str | None,
                    page_text: str = "") -> tuple[list[str], list[str]]:
    """(article paragraphs, furniture lines). Furniture is what left the paragraphs, then the
    credit lines the page shows elsewhere (trafilatura often drops a credit line on its own)."""
    article, furniture = [], []
    headline = _plain(title) if title else None
    for i, paragraph in enumerate(paragraphs):
        if i == 0 and headline and _plain(paragraph) == headline:
            continue
        glued = WIDGET_GLUE.search(paragraph)
        if glued and glued.group(0).strip() != paragraph.strip():
            furniture.append(glued.group(1))
            paragraph = WIDGET_GLUE.sub(" ", paragraph).strip()
        if _credit(paragraph.strip()):
            furniture.append(paragraph)
        elif paragraph:
            article.append(paragraph)
    for line in page_text.splitlines():
        if _credit(line) and line not in furniture:
            furniture.append(line)
    return article, furniture


def _credit(line: str) -> bool:
    return (len(line) < 320 and len(line.split()) <= MAX_FURNITURE_WORDS
            and bool(CREDIT.fullmatch(line)))


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
