"""Planted one-word changes of meaning for the evaluation pairs, in any script.

Each function takes the article's body paragraphs and a random generator and returns
`(paragraphs, Edit)` with one change made, or None when the text offers no place for it. The
edit records the words exactly as each side has them, so a comparison must locate it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from tests import variants as V


@dataclass(frozen=True)
class Edit:
    kind: str                # the planted change: modal, hedge, negation, number, date, name, ...
    seed_words: str          # as the seed has them ("" when the seed drops them)
    original_words: str      # as the original has them ("" when the seed adds them)


# Modal and hedge swaps: a change of certainty, one word each way.
MODALS = {"could": "would", "would": "could", "might": "will", "may": "will", "will": "might",
          "should": "must", "must": "should", "can": "cannot"}
HEDGES = ("probably", "likely", "possibly", "reportedly", "about", "nearly", "almost",
          "allegedly", "partly", "fairly")
CYRILLIC_NAMES = ("Петров", "Соколова", "Орлов", "Ткаченко", "Лебедев")
CYRILLIC_CAPITAL = re.compile(r"^[А-ЯЁІЇЄ][а-яёіїє]{3,}$")
DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
INSERTED = {
    "latin": "Officials later denied that any agreement of that kind had ever been reached.",
    "cyrillic": "Позже чиновники отрицали, что такое соглашение вообще обсуждалось.",
    "arabic": "ونفى المسؤولون لاحقا التوصل إلى أي اتفاق من هذا النوع.",
    "cjk": "官员们后来否认曾经达成过任何此类协议。",
    "hangul": "관계자들은 나중에 그런 합의가 있었다는 사실을 부인했다.",
}


def script_of(text: str) -> str:
    counts = {"latin": 0, "cyrillic": 0, "arabic": 0, "cjk": 0, "hangul": 0}
    for c in text:
        if "a" <= c.lower() <= "z":
            counts["latin"] += 1
        elif "\u0400" <= c <= "\u04ff":
            counts["cyrillic"] += 1
        elif "\u0600" <= c <= "\u06ff":
            counts["arabic"] += 1
        elif "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff":
            counts["cjk"] += 1
        elif "\uac00" <= c <= "\ud7af":
            counts["hangul"] += 1
    return max(counts, key=counts.__getitem__)


def _places(paras: list[str], rng: random.Random) -> list[tuple[int, list[str]]]:
    order = [(k, p.split(" ")) for k, p in enumerate(paras) if " " in p or len(p) > 20]
    rng.shuffle(order)
    return order


def _bare(word: str) -> str:
    return word.strip(".,;:!?()\"“”'’«»")


def modal(paras: list[str], rng: random.Random):
    for k, words in _places(paras, rng):
        for i, w in enumerate(words):
            if _bare(w) in MODALS and i and not V.quoted_flags(words)[i]:
                new = MODALS[_bare(w)]
                words[i] = w.replace(_bare(w), new)
                return _with(paras, k, words), Edit("modal", new, _bare(w))
    return None


def hedge(paras: list[str], rng: random.Random):
    """Drop a hedge ("probably", "about", "allegedly"): the seed states as fact what was not."""
    for k, words in _places(paras, rng):
        for i, w in enumerate(words):
            if w in HEDGES and i and not V.quoted_flags(words)[i]:
                return _with(paras, k, words[:i] + words[i + 1:]), Edit("hedge", "", w)
    return None


def negation(paras: list[str], rng: random.Random):
    return _english(paras, rng, "negation")


def _english(paras: list[str], rng: random.Random, kind: str):
    order = list(range(len(paras)))
    rng.shuffle(order)
    for k in order:
        for sentence in V.SENTENCE.split(paras[k]):
            if len(sentence.split()) < 6:
                continue
            opened = paras[k][: paras[k].index(sentence)].count('"') % 2 == 1
            made = V.edit_sentence(sentence, kind, rng, opened)
            if made:
                new, edit = made
                out = list(paras)
                out[k] = paras[k].replace(sentence, new, 1)
                return out, Edit(kind, edit.seed_words, edit.original_words)
    return None


def name(paras: list[str], rng: random.Random):
    if script_of(" ".join(paras)) == "latin":
        return _english(paras, rng, "name")
    for k, words in _places(paras, rng):
        for i, w in enumerate(words):
            if i and CYRILLIC_CAPITAL.match(_bare(w)) and not words[i - 1].endswith((".", "»")):
                new = rng.choice([n for n in CYRILLIC_NAMES if n != _bare(w)])
                words[i] = w.replace(_bare(w), new)
                return _with(paras, k, words), Edit("name", new, _bare(w))
    return None


def quote(paras: list[str], rng: random.Random):
    return _english(paras, rng, "quote")


def word(paras: list[str], rng: random.Random):
    return _english(paras, rng, "word")


def number(paras: list[str], rng: random.Random, date: bool = False):
    """Change the first digit of a number (or a year's last digit when `date`)."""
    order = list(range(len(paras)))
    rng.shuffle(order)
    for k in order:
        for m in DIGITS.finditer(paras[k]):
            digits = m.group()
            if date != bool(V.YEAR.match(digits)) or paras[k][m.end():m.end() + 1].isdigit():
                continue
            new = str(int(digits) + 1) if date else str((int(digits[0]) + 1) % 10 or 2) + digits[1:]
            text = paras[k][: m.start()] + new + paras[k][m.end():]
            out = list(paras)
            out[k] = text
            return out, Edit("date" if date else "number", new, digits)
    return None


def date(paras: list[str], rng: random.Random):
    return number(paras, rng, date=True)


def inserted(paras: list[str], rng: random.Random):
    """A sentence the original lacks, inside one of its paragraphs."""
    sentence = INSERTED[script_of(" ".join(paras))]
    candidates = [k for k, p in enumerate(paras) if len(p) > 60]
    if not candidates:
        return None
    k = rng.choice(candidates)
    out = list(paras)
    joiner = "" if script_of(sentence) in ("cjk",) else " "
    out[k] = paras[k] + joiner + sentence
    return out, Edit("insertion", sentence, "")


def _with(paras: list[str], k: int, words: list[str]) -> list[str]:
    out = list(paras)
    out[k] = " ".join(words)
    return out


EDITS = {"modal": modal, "hedge": hedge, "negation": negation, "number": number, "date": date,
         "name": name, "quote": quote, "word": word, "insertion": inserted}
