"""Sentences and words in every script: Latin, Cyrillic, Greek, Arabic, Hangul, Chinese, Japanese.

Words are what lies between spaces, without the punctuation at either end; Chinese and Japanese
write without spaces, so each Han or Kana character counts as one word (the usual measure of
their texts' length: an 865-character Japanese article is about 865 words, not 18). A sentence
ends at . ! ? or ؟ (and closing quotes) before a word that does not begin in lowercase, and
after 。！？ wherever they stand.
"""

from __future__ import annotations

import re

PUNCTUATION = ("!\"#&'()*+,-./:;<=>?@[\\]^_`{|}~…•·、。，：；！？「」『』（）【】《》〈〉"
               "・،؛؟")
# Han, Kana and CJK punctuation; Hangul is written with spaces and stays word by word.
CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uff60"
HAS_CJK = re.compile(f"[{CJK}]")
CJK_PIECES = re.compile(f"[{CJK}]|[^\\s{CJK}]+")
# A candidate break: end punctuation, closing quotes or brackets, then a space (or, after a
# CJK full stop, nothing at all). `sentences` checks the character that follows.
# Two words an extractor glued at a sentence's end ("stress.Click To Tweet") are two words.
GLUED = re.compile(r"(?<=[^\W_])([.!?])(?=[A-Z][a-z])")
BREAK = re.compile(r"[.!?؟][\"')\]]* (?=\S)|[。！？][」』”）)]*")


def sentences(text: str) -> list[str]:
    """`text` (one paragraph, single spaces) cut into sentences."""
    if "." not in text and "?" not in text and "!" not in text and text.isascii():
        return [text]
    out, start = [], 0
    for m in BREAK.finditer(text):
        end = m.end()
        if end >= len(text):
            break
        if text[m.start()] in ".!?؟" and text[end].islower():
            continue
        out.append(text[start:end].strip())
        start = end
    out.append(text[start:].strip())
    return [s for s in out if s]


def words(sentence: str) -> list[str]:
    """The words of a sentence, without the punctuation at either end."""
    if "." in sentence and GLUED.search(sentence):
        sentence = GLUED.sub(r"\1 ", sentence)
    if sentence.isascii() or not HAS_CJK.search(sentence):
        return [w for w in (p.strip(PUNCTUATION) for p in sentence.split()) if w]
    return [w for w in (p.strip(PUNCTUATION) for p in CJK_PIECES.findall(sentence)) if w]


def count(text: str) -> int:
    """How many words `text` has, in any script."""
    return sum(len(words(line)) for line in text.splitlines())
