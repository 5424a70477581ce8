"""Evidence from the whole page: is a seed's sentence shown on the original page?

The extracted article text can miss what the page shows (an inline link's words, a second body
container after an ad row, a caption). A seed sentence found on the page, word for word, is on
the original: its difference from the extracted text is the extraction's miss, never the seed's.
The page's words are indexed as runs of `SHINGLE` word ids; a sentence is on the page when
every run of its words is.
"""

from __future__ import annotations

from archive.compare.align import Doc, vocabulary
from archive.compare.normalise import normalise

SHINGLE = 3


class Page:
    """The page's full visible text, indexed for `shows`."""

    def __init__(self, page_text: str, vocab):
        doc = Doc(normalise(page_text), vocab, vocabulary())
        self.words = frozenset(doc.ids)
        shingles: set[tuple[int, ...]] = set()
        for p, start in enumerate(doc.para_start):
            end = doc.para_start[p + 1] if p + 1 < len(doc.para_start) else len(doc.ids)
            ids = doc.ids[start:end]
            shingles.update(zip(*(ids[k:] for k in range(SHINGLE)), strict=False))
        self.shingles = shingles

    def shows(self, ids: list[int]) -> bool:
        """Whether these words stand on the page in this order (short runs: every word)."""
        if len(ids) < SHINGLE:
            return bool(ids) and all(i in self.words for i in ids)
        return all(s in self.shingles for s in zip(*(ids[k:] for k in range(SHINGLE)),
                                                   strict=False))


def shown(doc: Doc, units: list[int], page: Page | None) -> bool:
    """Whether the page shows every one of these seed sentences."""
    if page is None or not units:
        return False
    return all(page.shows(doc.ids[doc.units[u].start : doc.units[u].end]) for u in units)
