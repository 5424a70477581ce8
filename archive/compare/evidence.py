"""Evidence from the whole page: is a seed's sentence shown on the original page?

The extracted article text can miss what the page shows (an inline link's words, a second body
container after an ad row, a caption). A seed sentence found on the page, word for word, is on
the original: its difference from the extracted text is the extraction's miss, never the seed's.
The page's words are indexed as runs of `SHINGLE` word ids; a sentence is on the page when
every run of its words is.
"""

from __future__ import annotations

from archive.compare import words as W
from archive.compare.align import Doc
from archive.compare.normalise import normalise

SHINGLE = 3


class Page:
    """The page's full visible text, indexed for `shows` when first asked (a copy that differs
    from the extracted text nowhere never pays for it)."""

    def __init__(self, page_text: str, vocab):
        self._text, self._vocab = page_text, vocab
        self.words: frozenset[int] = frozenset()
        self.shingles: set[tuple[int, ...]] | None = None

    def _index(self) -> set[tuple[int, ...]]:
        # Words neither text has get -1: no seed sentence can match them anyway.
        get = self._vocab.get
        shingles: set[tuple[int, ...]] = set()
        words: set[int] = set()
        for paragraph in normalise(self._text).paragraphs:
            ids = [get(w, -1) for w in W.words(paragraph.text)]
            words.update(ids)
            shingles.update(zip(*(ids[k:] for k in range(SHINGLE)), strict=False))
        self.words = frozenset(words)
        return shingles

    def shows(self, ids: list[int]) -> bool:
        """Whether these words stand on the page in this order (short runs: every word)."""
        if self.shingles is None:
            self.shingles = self._index()
        if len(ids) < SHINGLE:
            return bool(ids) and all(i in self.words for i in ids)
        return all(s in self.shingles for s in zip(*(ids[k:] for k in range(SHINGLE)),
                                                   strict=False))


def shown(doc: Doc, units: list[int], page: Page | None) -> bool:
    """Whether the page shows every one of these seed sentences."""
    if page is None or not units:
        return False
    return all(page.shows(doc.ids[doc.units[u].start : doc.units[u].end]) for u in units)
