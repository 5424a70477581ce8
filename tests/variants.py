"""A labelled evaluation set for `archive.compare.engine`: article texts and variants with known edits.

Each `Variant` is a (seed, original) pair made from one article by a known transformation, with
the verdict a correct comparison gives and the exact list of word edits it must report (and no
others). Articles are the bodies of the five real seeds (seed 002 without its reader comments)
plus three texts written for these tests. Used by `tests/test_compare.py` and `bench/compare.py`.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from archive.seeds.parse import parse_seed

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@dataclass(frozen=True)
class Edit:
    seed_words: str          # the words as the seed has them ("" when the seed drops them)
    original_words: str      # the words as the original has them ("" when the seed adds them)
    category: str            # the category a correct comparison gives the change
    severity: str


@dataclass(frozen=True)
class Variant:
    article: str             # key of the article it was made from
    name: str                # the transformation
    seed: str
    original: str
    verdict: str
    edits: tuple[Edit, ...] = ()
    findings: frozenset[str] = field(default_factory=frozenset)  # finding kinds expected
    moved: bool = False      # the seed moves passages: coverage 1.0 with moved blocks


WRITTEN = {
    "harbour": """Harbour Board Approves Dredging Plan Despite Objections

The Millbrook Harbour Board voted 5 to 2 on Tuesday to approve a $48 million dredging plan, ending a dispute that had stalled work on the eastern quay for almost three years.

Board chair Helena Voss said the vote was "the only responsible choice" for a port that lost 14 container calls last winter because ships could not reach the berths at low tide.

Opponents argued that the plan ignores the oyster beds north of the channel. "Nobody has shown us that the silt will stay where the engineers say it will," said Tomas Ebright, who speaks for the Millbrook Shellfish Cooperative.

The cooperative says its 62 members harvest about 900 tonnes of oysters a year, most of it sold to restaurants in the capital.

Under the approved plan, dredging will run from October to March, when the oysters are least active, and the contractor must stop work if turbidity readings exceed 25 units for more than six hours.

Engineers from the firm Caldera Marine told the board that a silt curtain would keep most of the sediment within 300 metres of the dredger. Board member Arjun Pell was not convinced. "A curtain is a promise, not a wall," he said before voting against.

The harbour expects the deeper channel to attract larger ships and to add roughly 120 jobs at the quay by 2027.

The cooperative has 30 days to appeal the decision to the regional environment court, and Ebright said it would decide next week whether to do so.""",
    "glacier": """Survey Finds Alpine Glacier Thinning Faster Than Expected

A team of glaciologists from the University of Innsdal has found that the Ferner glacier lost an average of 1.8 metres of thickness a year between 2015 and 2023, nearly twice the rate measured in the previous decade.

The researchers flew drones over the glacier every September and compared the images with aerial photographs taken since 1953. Their study appears this week in the Journal of Mountain Hydrology.

"We expected a loss, but not one this steep," said lead author Marta Kessler. "The lower tongue is now so thin that it no longer protects the ice above it from warm air moving up the valley."

The glacier feeds the Salm river, which supplies drinking water to about 40,000 people in three towns. Water managers said the supply was not at risk this year but warned that late-summer flows could fall sharply within two decades.

Kessler's team also found dark dust from distant wildfires on the surface, which makes the ice absorb more sunlight. The dust alone may explain a fifth of the extra melting, the study says.

Not everyone agrees on the cause. Climatologist Peter Arndt of the national weather service said the record warm summers of 2019 and 2022 had done most of the damage, and that a few cool years could slow the loss.

The team plans to install two weather stations on the glacier next spring and will publish its measurements online every month.""",
    "museum": """City Museum Reopens After Four-Year Restoration

The Rowan Street Museum reopened to the public on Saturday after a four-year restoration that cost 31 million euros and uncovered a painted ceiling nobody knew was there.

Workers found the ceiling in 2021 when they removed a layer of plaster in the east gallery. Conservators spent 18 months cleaning it and now believe it was painted around 1780 by an unknown artist from the workshop of Giovanni Ferro.

"It was like opening a letter that had waited two centuries to be read," said the museum's director, Ilse Brandt, as the first visitors queued outside.

The restored building has new climate controls, a lift to every floor and a learning centre for schools. Entry remains free for children under 16, but adult tickets rise from 8 to 12 euros.

Some residents criticised the price rise. "A museum that belongs to the city should not charge the people who paid for it," said Karel Dunst, a retired teacher who has visited since he was a boy.

Brandt said the higher price would fund longer opening hours and that residents would get one free day every month.

The museum expects 250,000 visitors in its first year, about 60,000 more than before it closed. A special exhibition on the painted ceiling runs until the end of January.""",
}

COMMENTS = (
    ("Jon", "This is the first honest report on the subject I have read all week."),
    ("mwildfire", "I doubt the numbers. Who paid for this study anyway?"),
    ("dhinds", "The people affected were never asked. That says everything."),
    ("George Evans", "Same story every year... nothing changes until it is too late."),
)
NAMES = ("Ortega", "Lindqvist", "Okafor", "Medvedeva", "Castellano", "Haugland", "Petrakis")
WORDS = ("reluctantly", "spectacular", "questionable", "unnoticed", "improbable", "overdue",
         "controversial", "astonishing", "hesitant", "unprecedented")
QUOTE_WORDS = ("reckless", "admirable", "pointless", "remarkable", "shameful", "splendid")
def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


FUNCTION = _set(
    "the a an and or but of to in on at for with from by as is was were are be been has had "
    "have that this which who it its their there than then not no into over about could would "
    "might may will shall should can must some around nearly almost partly fairly")
NEGATABLE = re.compile(r"(?<= )(is|was|were|are|will|would|could|can|has|had|should) (?=[a-z])")
DROPPABLE_NOT = re.compile(r"(?<= )(is|was|were|are|does|did|do|could|would|will) not (?=[a-z])")
YEAR = re.compile(r"^(1[5-9]|20)\d\d$")
SENTENCE = re.compile(r"(?:(?<=[.!?][\"”’'])|(?<=[.!?]))\s+(?=[\"“A-Z])")


def articles() -> dict[str, str]:
    """Article texts by key: the five seeds' bodies (002 without comments) and WRITTEN."""
    found: dict[str, str] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        seed = parse_seed(path)
        paragraphs = list(seed.paragraphs)
        comments = next((k for k, p in enumerate(paragraphs) if p.startswith("•")), None)
        body = paragraphs[:comments] if comments is not None else paragraphs
        found[path.stem[:3]] = "\n\n".join([seed.title, *body])
    found.update(WRITTEN)
    return found


def article_part_of_seed_002() -> tuple[str, str]:
    """(the whole seed 002 body with its reader comments, its article part)."""
    seed = parse_seed(next(SEEDS.glob("002_*.txt")))
    paragraphs = list(seed.paragraphs)
    comments = next(k for k, p in enumerate(paragraphs) if p.startswith("•"))
    return seed.text, "\n\n".join(paragraphs[:comments])


def paragraphs_of(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def variants(texts: dict[str, str] | None = None) -> list[Variant]:
    texts = texts or articles()
    keys = sorted(texts)
    out: list[Variant] = []
    for n, key in enumerate(keys):
        other = texts[keys[(n + 1) % len(keys)]]
        out.extend(variants_of(key, texts[key], other))
    return out


def variants_of(key: str, text: str, other: str) -> list[Variant]:
    rng = random.Random(zlib.crc32(key.encode()))
    paras = paragraphs_of(text)
    half = paras[: max(2, len(paras) * 11 // 20)]
    v = [
        Variant(key, "identical", text, text, "faithful"),
        Variant(key, "comments", text + "\n\n" + comment_section(rng), text, "padded",
                findings=frozenset({"padded"})),
        Variant(key, "comment-form", text + "\n\nLeave a Reply\n\nYour email address will not be "
                "published. Required fields are marked *", text, "padded"),
        Variant(key, "widgets", with_widgets(paras), text, "padded"),
        Variant(key, "truncated", "\n\n".join(half), text, "excerpt",
                findings=frozenset({"excerpt"})),
        Variant(key, "truncated+comments", "\n\n".join(half) + "\n\n" + comment_section(rng),
                text, "padded", findings=frozenset({"excerpt", "padded"})),
        Variant(key, "reordered", reordered(paras), text, "faithful", moved=True),
        Variant(key, "different", "\n\n".join([paras[0], *paragraphs_of(other)[1:]]), text,
                "different"),
        Variant(key, "markdown", markdown(paras, rng), text, "faithful"),
        Variant(key, "pdf", pdf_lines(paras, rng), text, "faithful"),
        Variant(key, "typography", typography(text, rng), text, "faithful"),
    ]
    for name, kinds in (
        ("altered-1-word", ["word"]), ("altered-1-number", ["number"]),
        ("altered-1-name", ["name"]), ("altered-1-quote", ["quote"]),
        ("altered-1-negation", ["negation"]), ("altered-3", ["number", "name", "word"]),
        ("altered-10", ["word", "number", "name", "quote", "negation"] * 2),
    ):
        seed, edits = altered(paras, kinds, rng)
        if len(edits) == len(kinds):
            v.append(Variant(key, name, seed, text, "altered", tuple(edits)))
    seed, edits = misspelt(paras, 2, rng)
    v.append(Variant(key, "spelling-2", seed, text, "faithful", tuple(edits)))
    seed, edits = altered(paras, ["number", "quote", "word"], rng)
    v.append(Variant(key, "altered+comments", seed + "\n\n" + comment_section(rng), text,
                     "altered", tuple(edits), findings=frozenset({"altered", "padded"})))
    moved = reordered(paras).split("\n\n")
    seed, edits = altered(moved, ["word"], rng, only=len(moved) - 1)
    if edits:
        v.append(Variant(key, "moved+altered", seed, text, "altered", tuple(edits), moved=True))
    seed, edits = inserted(paras, rng)
    v.append(Variant(key, "inserted-sentence", seed, text, "altered", tuple(edits)))
    middle = len(paras) // 2
    v.append(Variant(key, "dropped-middle", "\n\n".join(paras[:middle] + paras[middle + 1 :]),
                     text, "excerpt", findings=frozenset({"excerpt"})))
    v.append(Variant(key, "original-padded", text, with_widgets(paras) + "\n\n"
                     + comment_section(rng), "faithful"))
    for n in range(2):
        v.append(combined(key, text, random.Random(zlib.crc32(f"{key}-{n}".encode()))))
    return v


def combined(key: str, text: str, rng: random.Random) -> Variant:
    """Three edits, then layout noise picked at random: PDF lines or Markdown, typography,
    reader comments. Only the edits may be reported."""
    kinds = rng.sample(["word", "number", "name", "quote", "negation"], 3)
    seed, edits = altered(paragraphs_of(text), kinds, rng)
    layers = []
    if rng.random() < 0.5:
        seed, layers = pdf_lines(seed.split("\n\n"), rng), ["pdf"]
    else:
        seed, layers = markdown(seed.split("\n\n"), rng), ["markdown"]
    if rng.random() < 0.5:
        seed, layers = typography(seed, rng), [*layers, "typography"]
    findings = {"altered"}
    if rng.random() < 0.5:
        seed, layers = seed + "\n\n" + comment_section(rng), [*layers, "comments"]
        findings.add("padded")
    verdict = "altered" if edits else "padded" if "comments" in layers else "faithful"
    return Variant(key, "combined:" + "+".join(layers), seed, text, verdict, tuple(edits),
                   findings=frozenset(findings) if edits else frozenset())


INSERTED = "Officials later denied that any agreement of that kind had ever been reached."


def inserted(paras: list[str], rng: random.Random):
    """A sentence the original lacks, inside a paragraph: an insertion."""
    paras = list(paras)
    spans = sentences_of(paras)
    p, _, end = spans[len(spans) // 2]
    paras[p] = paras[p][:end] + " " + INSERTED + paras[p][end:]
    words = INSERTED.rstrip(".")
    return "\n\n".join(paras), [Edit(words, "", "insertion", "high")]


def comment_section(rng: random.Random) -> str:
    picked = rng.sample(COMMENTS, 3)
    lines = [f"{len(picked)} Comments"]
    for author, said in picked:
        lines += [f"  • {author}", f"    {said}", "Reply"]
    lines += ["Leave a Reply", "Your email address will not be published. Required fields are "
              "marked *"]
    return "\n\n".join(lines)


def with_widgets(paras: list[str]) -> str:
    out = ["IE 11 is not supported. For an optimal experience visit our site on another browser."]
    for k, p in enumerate(paras):
        out.append(p)
        if k == 1:
            out.append("Protesters gather outside the ministry on Monday CREDIT: AFP")
        if k == 3:
            out.append("Related article: Officials Trade Accusations Over Stalled Talks")
    out += ["You Might Like", "Ten Photos From a Week of Protests", "Why the Vote Was Delayed Again",
            "The Numbers Behind the Budget"]
    return "\n\n".join(out)


def reordered(paras: list[str]) -> str:
    body: list[str] = []
    for p in paras:  # a paragraph broken mid-sentence (PDF) moves as one
        if body and p[:1].islower() and body[-1][-1:] not in ".!?\"”:":
            body[-1] += " " + p
        else:
            body.append(p)
    if len(body) >= 6:
        body[2], body[4] = body[4], body[2]
        body.append(body.pop(1))
    else:
        body = [body[0], *body[2:], body[1]]
    return "\n\n".join(body)


def markdown(paras: list[str], rng: random.Random) -> str:
    out = ["# " + paras[0]]
    for p in paras[1:]:
        words = p.split(" ")
        for _ in range(2):
            k = rng.randrange(len(words))
            if re.fullmatch(r"[A-Za-z]{4,}", words[k]):
                words[k] = f"[{words[k]}](#)" if rng.random() < 0.6 else f"**{words[k]}**"
        if len(words) > 6 and re.fullmatch(r"[A-Za-z]+", words[1]):
            words[1] = f"*{words[1]}*"
        out.append(" ".join(words))
    return "\n\n".join(out)


def pdf_lines(paras: list[str], rng: random.Random, width: int = 64) -> str:
    """Hard-wrapped lines, words hyphenated at line ends, page breaks in mid-sentence."""
    lines: list[str] = []
    for p in paras:
        line = ""
        for word in p.split(" "):
            if line and len(line) + 1 + len(word) > width:
                if re.fullmatch(r"[a-z]{9,}", word) and rng.random() < 0.5:
                    cut = len(word) // 2
                    lines.append(f"{line} {word[:cut]}-")
                    line = word[cut:]
                    continue
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        lines.append("")
    for k in range(len(lines) - 1, 0, -1):
        if k % 23 == 0 and lines[k] and lines[k - 1]:
            lines.insert(k, "")
    return "\n".join(lines)


def typography(text: str, rng: random.Random) -> str:
    """Only what normalisation removes: quotes, dashes, spaces, soft hyphens, ligatures."""
    out, opening = [], True
    for c in text:
        if c == '"':
            out.append("“" if opening else "”")
            opening = not opening
        elif c in "“”":
            out.append('"')
        elif c == "'":
            out.append("’")
        elif c == "’":
            out.append("'")
        else:
            out.append(c)
    text = "".join(out).replace(" — ", " -- ").replace(" – ", " — ").replace(" - ", " – ")
    words = text.split(" ")
    for k in range(0, len(words), 7):
        w = words[k]
        if re.fullmatch(r"[a-z]{8,}", w):
            words[k] = w[:4] + "\u00ad" + w[4:]
        elif "fi" in w and rng.random() < 0.7:
            words[k] = w.replace("fi", "\ufb01", 1)
    joined = ""
    for k, w in enumerate(words):
        joined += ("\u00a0" if k % 11 == 5 else " ") + w if k else w
    return joined


def sentences_of(paras: list[str]) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) character spans of sentences with at least 8 words."""
    spans = []
    for k, p in enumerate(paras[1:], 1):
        start = 0
        for m in [*SENTENCE.finditer(p), None]:
            end = m.start() if m else len(p)
            if len(p[start:end].split()) >= 8:
                spans.append((k, start, end))
            start = m.end() if m else end
    return spans


def altered(paras: list[str], kinds: list[str], rng: random.Random, only: int | None = None):
    """Change one word in each of len(kinds) different sentences; return (seed, edits).

    A kind no sentence allows (no quotation left, say) falls back to a changed word."""
    paras = list(paras)
    spans = [s for s in sentences_of(paras) if only is None or s[0] == only]
    rng.shuffle(spans)
    edits: list[Edit] = []
    used: list[tuple[int, int]] = []
    for kind in kinds:
        for attempt in (kind, "word"):
            made = _edit_one(paras, spans, used, attempt, rng)
            if made:
                edits.append(made)
                break
    return "\n\n".join(paras), edits


def _edit_one(paras, spans, used, kind, rng) -> Edit | None:
    """Edit one unused sentence, far from the others, in place (paras, spans, used)."""
    for n, (p, start, end) in enumerate(spans):
        if any(q == p and abs(s - start) < 40 for q, s in used):
            continue
        opened = len(re.findall(r"[\"“”]", paras[p][:start])) % 2 == 1
        made = edit_sentence(paras[p][start:end], kind, rng, opened)
        if made:
            new, edit = made
            used.append((p, start))
            delta = len(new) - (end - start)
            paras[p] = paras[p][:start] + new + paras[p][end:]
            # Later sentences of this paragraph shift by the edit's change of length.
            spans[:] = [(q, s + delta if q == p and s > start else s,
                         e + delta if q == p and s > start else e) for q, s, e in spans]
            spans[n] = (p, start, start + len(new))
            return edit
    return None


def edit_sentence(sentence: str, kind: str, rng: random.Random, opened: bool = False):
    words = sentence.split(" ")
    inside = quoted_flags(words, opened)
    order = list(range(1, len(words)))
    rng.shuffle(order)
    if kind == "negation":
        nots_quoted = any(inside[k] for k in range(len(words)) if words[k] == "not")
        if (m := DROPPABLE_NOT.search(sentence)) and not nots_quoted:
            return (sentence[: m.start()] + m.group(1) + " " + sentence[m.end():],
                    Edit("", "not", "negation", "high"))
        if (m := NEGATABLE.search(sentence)) and not inside[sentence[: m.start()].count(" ")]:
            return (sentence[: m.end(1)] + " not" + sentence[m.end(1):],
                    Edit("not", "", "negation", "high"))
        return None
    for k in order:
        bare = words[k].strip(".,;:!?()\"“”'’")
        if words[k] != bare and not re.fullmatch(r"[\"“]?[\w$,.%]+[.,;:!?\"”]*", words[k]):
            continue
        made = replacement(kind, bare, inside[k], words, k, rng)
        if made:
            new, category = made
            words[k] = words[k].replace(bare, new, 1)
            return " ".join(words), Edit(new, bare, category, "high" if kind != "word" else
                                          "medium")
    return None


def replacement(kind: str, bare: str, quoted: bool, words: list[str], k: int, rng):
    if kind == "number" and re.fullmatch(r"\$?\d+", bare) and not quoted:
        digits = bare.lstrip("$")
        if YEAR.match(digits):
            return bare.replace(digits, str(int(digits) + 1)), "date"
        if k and words[k - 1].strip(",.").lower() in MONTHS:
            return None
        first = int(digits[0])
        new_first = (first + 1) % 10 or 2
        return bare.replace(digits, str(new_first) + digits[1:], 1), "number"
    if kind == "name" and re.fullmatch(r"[A-Z][a-z]{3,}", bare) and not quoted:
        if bare.lower() in MONTHS or words[k - 1].endswith((".", "!", "?", ":")):
            return None
        return rng.choice([n for n in NAMES if n != bare]), "name"
    if kind == "quote" and quoted and re.fullmatch(r"[a-z]{4,}", bare) and bare not in FUNCTION:
        return rng.choice([w for w in QUOTE_WORDS if w != bare]), "quotation"
    if (kind == "word" and not quoted and re.fullmatch(r"[a-z]{5,}", bare)
            and bare not in FUNCTION | MONTHS | NUMBER_WORDS | NEGATIONS):
        return rng.choice([w for w in WORDS if w != bare]), "wording"
    return None


MONTHS = _set("january february march april may june july august september october november "
              "december")
NEGATIONS = _set("not no never nor none nobody nothing neither without cannot nowhere")
NUMBER_WORDS = _set("one two three four five six seven eight nine ten twenty hundred thousand "
                    "million billion first second third half dozen")


def quoted_flags(words: list[str], inside: bool = False) -> list[bool]:
    flags = []
    for w in words:
        opens = w.startswith(('"', "“"))
        if opens:
            inside = True
        flags.append(inside)
        if w.rstrip(".,;:!?").endswith(('"', "”")) and (not opens or len(w) > 1):
            inside = False
    return flags


def misspelt(paras: list[str], count: int, rng: random.Random):
    """Double one inner letter of `count` lowercase words: low-severity spelling changes."""
    paras = list(paras)
    edits: list[Edit] = []
    candidates = [(p, k) for p in range(1, len(paras))
                  for k, w in enumerate(paras[p].split(" ")) if re.fullmatch(r"[a-z]{7,}", w)]
    rng.shuffle(candidates)
    seen_paras: set[int] = set()
    for p, k in candidates:
        if len(edits) == count or p in seen_paras:
            continue
        words = paras[p].split(" ")
        w = words[k]
        words[k] = w[:3] + w[3] + w[3:]
        paras[p] = " ".join(words)
        seen_paras.add(p)
        edits.append(Edit(words[k], w, "spelling", "low"))
    return "\n\n".join(paras), edits
