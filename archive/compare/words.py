"""Sentences and words in every script: Latin, Cyrillic, Greek, Arabic, Hangul, Chinese, Japanese.

Words are what lies between spaces, without the punctuation at either end; Chinese and Japanese
write without spaces, so each Han or Kana character counts as one word (the usual measure of
their texts' length: an 865-character Japanese article is about 865 words, not 18). A sentence
ends at . ! ? or ؟ (and closing quotes) before a word that does not begin in lowercase, and
after 。！？ wherever they stand.
"""

from __future__ import annotations

import re
from itertools import repeat

PUNCTUATION = ("!\"#&'()*+,-./:;<=>?@[\\]^_`{|}~…•·、。，：；！？「」『』（）【】《》〈〉"
               "・،؛؟")
# Han, Kana and CJK punctuation; Hangul is written with spaces and stays word by word.
CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uff60"
HAS_CJK = re.compile(f"[{CJK}]")
CJK_PIECES = re.compile(f"[{CJK}]|[^\\s{CJK}]+")
# A sentence break is the space after end punctuation (and closing quotes or brackets) before a
# capital, a digit, an opening quote or a letter of a script without case; or the point after a
# CJK full stop. Lowercase next means an abbreviation ("5 p.m. on").
STARTS = ("A-Z0-9$€£À-ÖØ-ÞΑ-ΩЀ-Я\u0590-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff"
          "\uac00-\ud7af")
BREAK = re.compile(f" (?:(?<=[.!?؟] )|(?<=[.!?؟][\"')\\]] ))(?=[\"'(\\[]?[{STARTS}])")
CJK_BREAK = re.compile(f"{BREAK.pattern}|(?<=[。！？])(?![」』”）)])|(?<=[。！？][」』”）)])")
CJK_STOPS = re.compile("[。！？]")


def sentences(text: str) -> list[str]:
    """`text` (one paragraph, single spaces) cut into sentences."""
    pattern = CJK_BREAK if not text.isascii() and CJK_STOPS.search(text) else BREAK
    return [s for s in pattern.split(text) if s]


def words(sentence: str) -> list[str]:
    """The words of a sentence, without the punctuation at either end."""
    if sentence.isascii() or not HAS_CJK.search(sentence):
        return list(filter(None, map(str.strip, sentence.split(), repeat(PUNCTUATION))))
    return [w for w in (p.strip(PUNCTUATION) for p in CJK_PIECES.findall(sentence)) if w]


def count(text: str) -> int:
    """How many words `text` has, in any script."""
    return sum(len(words(line)) for line in text.splitlines())
