"""archive.compare.engine: verdicts, changes and scores on a labelled variant set, plus the real seeds."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from archive.app.report import format_report
from archive.compare.best_match import Version, best_match
from archive.compare.engine import COMPARE_VERSION, VERDICTS, Comparison, compare
from archive.compare.normalise import normalise
from archive.compare.severity import classify
from archive.seeds.parse import parse_seed
from tests import variants as V

pytestmark = pytest.mark.timeout(60)

VARIANTS = V.variants()
ROOT = Path(__file__).resolve().parent.parent


def words(text: str) -> Counter:
    return Counter(w.strip(".,;:!?\"()") for w in text.split())


def matches(edit: V.Edit, change) -> bool:
    """The change carries the edit's words on both sides (it may carry neighbours too)."""
    return not (words(edit.seed_words) - words(change.seed_words)) and not (
        words(edit.original_words) - words(change.original_words))


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"{v.article}-{v.name}")
def test_variant_gets_its_verdict_and_exactly_its_edits(variant):
    c = compare(variant.seed, variant.original)
    assert c.verdict == variant.verdict, c.reason
    assert variant.findings <= {f.kind for f in c.findings}, c.findings
    if variant.verdict == "different":
        assert c.coverage < 0.2 and c.changed == []
        return
    for edit in variant.edits:
        found = [ch for ch in c.changed if matches(edit, ch)]
        assert found, f"edit not reported: {edit}; changes: {c.changed}"
        assert (found[0].category, found[0].severity) == (edit.category, edit.severity), found[0]
    extra = [ch for ch in c.changed if not any(matches(e, ch) for e in variant.edits)]
    assert extra == [], f"changes nobody made: {extra}"
    if variant.moved:
        assert any(b.kind == "moved" for b in c.blocks)
        if not variant.edits:
            assert c.coverage == 1.0


def test_the_variant_set_covers_every_verdict_and_edit_kind():
    assert {v.verdict for v in VARIANTS} == set(VERDICTS)
    assert {e.category for v in VARIANTS for e in v.edits} >= {
        "number", "date", "name", "quotation", "negation", "wording", "spelling", "insertion"}
    assert sum(len(v.edits) == 10 for v in VARIANTS) == 8
    assert len({v.article for v in VARIANTS}) == 8


@pytest.mark.parametrize("name", ["typography", "markdown", "pdf"])
def test_normalisation_never_counts_as_a_difference(name):
    steps = {"typography": {"quotes", "dashes", "nfkc", "invisible"}, "markdown": {"markdown"},
             "pdf": {"line_joins"}}[name]
    applied: set[str] = set()
    for variant in (v for v in VARIANTS if v.name == name):
        assert variant.seed != variant.original
        c = compare(variant.seed, variant.original)
        assert (c.verdict, c.coverage, c.added, c.changed) == ("faithful", 1.0, 0.0, []), c.reason
        assert all(b.kind == "identical" for b in c.blocks)
        applied |= set(c.normalisation["seed"])
    assert steps <= applied


def test_normalise_handles_each_step():
    text = ("“Fine,” he said\u00a0— the ﬁrst time.\n\nThe gov-\nernment of\n\nthe day – **bold** "
            "[linked](https://x.test) 1990–2000 in\u00adcome U.S.-led\n\n  • Jon\n\n# Heading")
    paragraphs = [p.text for p in normalise(text).paragraphs]
    assert paragraphs == [
        '"Fine," he said - the first time.',
        "The government of the day - bold linked 1990-2000 income U.S.-led",
        "Jon",
        "Heading",
    ]
    assert normalise(text).paragraphs[2].bullet
    counts = normalise(text).counts
    assert counts["quotes"] == 2 and counts["dashes"] == 3 and counts["line_joins"] == 2
    assert counts["markdown"] == 3 and counts["invisible"] == 1 and counts["bullets"] == 1


def test_a_related_article_line_inside_a_sentence_is_stepped_over():
    text = "Lavrov said that his government\n\nRelated article: Talks Stall\n\nopposed the coup."
    paragraphs = [p.text for p in normalise(text).paragraphs]
    assert paragraphs == ["Lavrov said that his government opposed the coup.",
                          "Related article: Talks Stall"]


@pytest.mark.parametrize("path", sorted((ROOT / "seeds").glob("*.txt")), ids=lambda p: p.stem[:3])
def test_real_seeds_are_faithful_to_themselves(path):
    seed = parse_seed(path)
    for text in (seed.text, seed.raw):
        c = compare(text, text)
        assert (c.verdict, c.coverage, c.added, c.changed) == ("faithful", 1.0, 0.0, [])
        assert {b.kind for b in c.blocks} == {"identical"}


def test_seed_002_with_its_reader_comments_is_padded():
    seed, article = V.article_part_of_seed_002()
    c = compare(seed, article)
    assert c.verdict == "padded" and c.coverage == 1.0 and c.changed == []
    added = [b for b in c.blocks if b.kind == "added"]
    assert added and {b.boilerplate for b in added} == {"comments"}
    assert c.reason.startswith("padded: adds") and "reader comments" in c.reason
    assert {a.label for a in c.additions} == {"comments"}
    assert all(a.where == "after" and not a.inside for a in c.additions)
    assert sum(b.seed_word_count for b in added) == c.seed_word_count - c.original_word_count


def test_a_reordered_copy_has_full_coverage_and_moved_blocks():
    text = V.WRITTEN["museum"]
    paras = text.split("\n\n")
    c = compare("\n\n".join([paras[0], *paras[3:], *paras[1:3]]), text)
    assert c.coverage == 1.0 and c.added == 0.0 and c.verdict == "faithful"
    moved = [b for b in c.blocks if b.kind == "moved"]
    assert sum(b.seed_word_count for b in moved) == sum(len(p.split()) for p in paras[1:3])
    assert any(f.kind == "moved" for f in c.findings)


def test_reason_names_the_most_serious_change():
    text = V.WRITTEN["harbour"]
    c = compare(text.replace("$48 million", "$4.8 million").replace("oyster beds", "mussel beds"),
                text)
    assert c.verdict == "altered"
    assert c.reason == ('altered: 1 change of meaning: a number; 1 other change of wording; '
                        'first: "$48" -> "$4.8"')
    assert [ch.severity for ch in c.changed] == ["high", "medium"]


def test_excerpt_and_padding_are_both_reported():
    text = V.WRITTEN["glacier"]
    paras = text.split("\n\n")
    seed = "\n\n".join(paras[:4]) + "\n\nLeave a Reply\n\nYour email address will not be published."
    c = compare(seed, text)
    assert c.verdict == "padded"
    assert [f.kind for f in c.findings] == ["excerpt", "padded"]
    assert "at the end" in c.findings[0].detail and c.coverage < 0.6
    assert c.reason.startswith("padded: adds 1 passage (10 words)") and c.reason.endswith(
        "(also excerpt)")


def test_title_lines_are_noted_not_padding():
    text = V.WRITTEN["museum"]
    body = "\n\n".join(text.split("\n\n")[1:])
    c = compare(f"{text.splitlines()[0]}\n\nBy Ilse Marten\n\nMay 18, 2019\n\n{body}", body)
    assert c.verdict == "faithful" and c.coverage == 1.0 and c.changed == []
    assert {b.boilerplate for b in c.blocks if b.kind == "added"} == {"header"}
    assert [f.kind for f in c.findings] == ["faithful", "metadata"]
    assert c.findings[1].detail.startswith("the seed's title lines (not in the original's text)")
    assert '"By Ilse Marten"' in c.findings[1].detail


def test_metadata_is_its_own_finding_never_omitted_body():
    paras = V.WRITTEN["museum"].split("\n\n")
    standfirst = "A painted ceiling nobody knew about is the star of the show."
    original = "\n\n".join([paras[0], standfirst, *paras[1:]])
    seed = "\n\n".join(["City Museum Reopens", *paras[1:]])
    c = compare(seed, original)
    assert c.verdict == "faithful" and c.coverage == 1.0, c.reason
    assert not any(b.kind == "omitted" and not b.boilerplate for b in c.blocks)
    meta = next(f for f in c.findings if f.kind == "metadata")
    assert meta.detail.startswith("title lines differ") and standfirst in meta.detail
    shown = compare("\n\n".join(paras), "\n\n".join(paras[1:]), page_text=original)
    assert "(shown on the page)" in next(f for f in shown.findings if f.kind == "metadata").detail


def test_to_dict_is_json_ready():
    variant = next(v for v in VARIANTS if v.name == "altered+comments")
    c = compare(variant.seed, variant.original)
    data = json.loads(json.dumps(c.to_dict()))
    assert data["compare_version"] == COMPARE_VERSION and data["verdict"] == c.verdict
    assert len(data["changed"]) == len(c.changed) and len(data["blocks"]) == len(c.blocks)
    assert {"seed_words", "original_words", "severity", "category", "kind"} <= set(
        data["changed"][0])
    assert {"kind", "seed_text", "original_text", "diff", "boilerplate"} <= set(data["blocks"][0])
    assert any(b["boilerplate"] == "comments" for b in data["blocks"])
    assert any(d[0] == "changed" for b in data["blocks"] for d in b["diff"])
    assert data["normalisation"]["profile"].startswith("seedcheck-normalise")


def test_empty_texts_are_different_not_errors():
    text = V.WRITTEN["museum"]
    for seed, original, side in ((text, "", "original"), ("", text, "seed"), ("  ", "\n", "")):
        c = compare(seed, original)
        assert c.verdict == "different" and side in c.reason
        json.dumps(c.to_dict())


@pytest.mark.parametrize("seed,original,expected", [
    (["$20"], ["$2"], ("high", "number")),
    (["$4.8"], ["$48"], ("high", "number")),
    (["May", "4"], ["May", "3"], ("high", "date")),
    (["2018"], ["2019"], ("high", "date")),
    (["is"], ["is", "not"], ("high", "negation")),
    (["splendid"], ["shameful"], ("high", "quotation")),
    (["Medvedev"], ["Putin"], ("high", "name")),
    (["Guaidó"], ["Guaido"], ("low", "spelling")),
    (["defense"], ["defence"], ("low", "spelling")),
    (["hour", "long"], ["hour-long"], ("low", "spelling")),
    (["a"], ["the"], ("low", "wording")),
    (["admires"], ["detests"], ("medium", "wording")),
])
def test_severity_ranks_changes(seed, original, expected):
    def proper(word: str) -> bool:
        return word[0].isupper() and word.lower() not in {"may"}

    quoted = expected[1] == "quotation"
    assert classify(seed, original, quoted, proper) == expected


def test_spelling_never_counts_but_many_small_wording_changes_do():
    text = V.WRITTEN["glacier"]
    typo = text.replace("glaciologists", "glaciollogists").replace("thickness", "thicknness")
    many = typo.replace("photographs", "photogrraphs").replace("drinking", "drinkking").replace(
        "sunlight", "sunnlight")
    for seed in (typo, many):
        c = compare(seed, text)
        assert c.verdict == "faithful" and {ch.category for ch in c.changed} == {"spelling"}
        assert any(f.kind == "minor" for f in c.findings)
    words = text
    for before, after in (("in the previous", "in a previous"), ("of the national", "of a national"),
                          ("on the surface", "on a surface"), ("compared the images", "compared these images"),
                          ("on the glacier", "on a glacier")):
        assert before in words
        words = words.replace(before, after, 1)
    c = compare(words, text)
    assert c.verdict == "altered" and {ch.severity for ch in c.changed} == {"low"}


def versions_of(text: str, edited: str) -> list[Version]:
    url = "https://news.test/story"
    return [
        Version("live-2026", edited, "2026-11-21T10:00:00+00:00", "original", "live", url),
        Version("archive-2019", text, "2019-05-14T08:00:00+00:00", "original", "archive", url),
    ]


def test_best_match_says_the_original_was_edited_later():
    text = V.WRITTEN["harbour"]
    edited = text.replace("5 to 2", "4 to 3").replace("oyster beds", "mussel beds")
    match = best_match(text, versions_of(text, edited))
    assert match.best == "archive-2019" and match.ranking == ["archive-2019", "live-2026"]
    assert match.cause == "original-edited"
    assert "edited later" in match.explanation and "2019-05-14" in match.explanation
    assert match.comparisons["live-2026"].verdict == "altered"


def test_best_match_says_the_seed_was_altered_when_every_version_differs_alike():
    text = V.WRITTEN["harbour"]
    edited = text.replace("5 to 2", "4 to 3")
    seed = text.replace("Tomas Ebright", "Tomas Lindqvist")
    match = best_match(seed, versions_of(text, edited))
    assert match.best == "archive-2019" and match.cause == "seed-altered"
    assert [c.seed_words for c in match.shared_changes] == ["Lindqvist"]
    assert "the seed was altered" in match.explanation
    assert "edited later" in match.explanation     # the live page also changed since


def test_best_match_with_one_version_or_none_that_fits():
    text = V.WRITTEN["museum"]
    seed = text.replace("31 million", "13 million")
    single = best_match(seed, [Version("a", text)])
    assert single.cause == "undecided" and single.best == "a"
    unrelated = best_match(V.WRITTEN["glacier"], [Version("a", text)])
    assert unrelated.cause == "no-match"
    assert best_match(text, []).cause == "no-match"


def test_best_match_takes_database_rows_and_prefers_the_original_role():
    text = V.WRITTEN["museum"]
    rows = [
        {"id": 7, "text": text + "\n\nLeave a Reply", "role": "repost", "source": "live",
         "captured_at": "2019-05-16T00:00:00", "url": "https://repost.test/a"},
        {"id": 3, "text": text, "role": "original", "source": "archive",
         "captured_at": "2019-05-15T00:00:00", "url": "https://museum.test/a"},
    ]
    match = best_match(text, rows)
    assert (match.id, match.best) == (3, 3) and match.cause == "none"
    assert match.reason == match.explanation and "matches the original" in match.reason
    json.dumps(match.to_dict())


def test_format_report_renders_seed_report_entries():
    text = V.WRITTEN["harbour"]
    altered = compare(text.replace("Tomas Ebright", "Tomas Hale"), text).to_dict()
    padded = compare(text + "\n\n3 Comments\n\n• Jon\n\nNice.", text).to_dict()
    differences = [{**{k: c[k] for k in ("kind", "severity", "category", "seed_words",
                                         "original_words")}, "detail": {"seed_position": 1}}
                   for c in altered["changed"]]
    report = [
        {"id": "001", "best": 11, "comparisons": [
            {**altered, "id": 11, "seed_id": "001", "url": "https://harbour.test/a",
             "source": "live", "captured_at": "2026-11-21T10:00:00", "changed": 1,
             "differences": differences}]},
        {"id": "002", "best": None, "comparisons": [
            {**padded, "id": 12, "seed_id": "002", "url": "https://harbour.test/a",
             "source": "archive", "captured_at": "2019-05-14T00:00:00", "changed": 0,
             "differences": []}]},
        {"id": "003", "best": None, "comparisons": []},
    ]
    table = format_report(report)
    lines = table.splitlines()
    assert lines[0].startswith("seed") and "verdict" in lines[0] and "top changes" in lines[0]
    row = next(line for line in lines if line.startswith("001"))
    assert "altered" in row and "harbour.test/a (live, 2026-11-21)" in row
    assert 'name: "Ebright" → "Hale"' in row
    assert any(line.startswith("002") and "padded" in line for line in lines)
    assert any(line.startswith("003") for line in lines)
    assert lines[-1].startswith("3 seed(s): ") and "1 altered" in lines[-1]


def test_format_report_renders_flat_rows():
    text = V.WRITTEN["museum"]
    good = {**compare(text, text).to_dict(), "seed_id": "x", "url": "https://m.test/1"}
    worse = {**compare(text.replace("31 million", "13 million"), text).to_dict(),
             "seed_id": "x", "url": "https://m.test/2"}
    table = format_report([worse, good], reasons=False)
    assert "m.test/1" in table and "m.test/2" not in table and "faithful" in table


def test_a_huge_stretch_without_shared_sentences_is_left_unaligned(monkeypatch):
    from archive.compare import align as alignment

    text = V.WRITTEN["glacier"]
    seed = text.replace("glaciologists", "researchers").replace("1.8 metres", "2 metres")
    assert compare(seed, text).coverage > 0.9
    monkeypatch.setattr(alignment, "GAP_MAX_CELLS", 10)  # as if every stretch were enormous
    c = compare(seed, text)
    assert c.verdict == "altered" and 0.5 < c.coverage < 0.95
    assert {b.kind for b in c.blocks} == {"identical", "added", "omitted"}


def test_five_thousand_word_articles_compare_whole():
    """Long texts are compared whole (speed is bench/compare.py's to measure, not a test's)."""
    texts = V.articles()
    article = "\n\n".join(texts[k] for k in ("000", "001", "002", "003", "004"))
    other = "\n\n".join([texts[k] for k in ("harbour", "glacier", "museum")] * 4)
    seed, _ = V.altered(article.split("\n\n"), ["word", "number", "name"] * 3, V.random.Random(1))
    for a, b, verdict in ((seed, article, "altered"), (other, article, "different")):
        c: Comparison = compare(a, b)
        assert c.original_word_count > 4500
        assert c.verdict == verdict


# -- the held-out evaluation (tests/eval: split by article text before any tuning) -------------

def test_the_evaluation_set_is_split_once_by_article_text():
    from tests.eval import pairs as eval_pairs

    halves = eval_pairs.split()
    assert not set(halves["tuning"]) & set(halves["heldout"])
    assert set(halves["tuning"]) | set(halves["heldout"]) == set(eval_pairs.texts())
    assert len(eval_pairs.texts()) >= 30 and len(eval_pairs.pairs()) >= 1500
    for half in halves:
        kinds = {p.kind for p in eval_pairs.pairs(half)}
        assert kinds == set(eval_pairs.KINDS)


def test_held_out_accuracy_and_every_planted_change_located():
    """Floors on the held-out half; bench/compare.py prints the table per kind."""
    from tests.eval import pairs as eval_pairs
    from tests.eval import score

    pairs = eval_pairs.pairs("heldout")
    right = naive = 0
    by_kind: Counter = Counter()
    wrong = []
    for pair in pairs:
        c = compare(pair.seed, pair.original, page_text=pair.page)
        ok = score.right(pair, c)
        right += ok
        by_kind[pair.kind] += ok
        naive += score.naive(pair.seed, pair.original) == pair.verdict
        if not ok:
            wrong.append(f"{pair.article} {pair.name}: {c.reason}")
    assert right / len(pairs) >= 0.95, wrong[:20]
    assert right / len(pairs) > naive / len(pairs) + 0.15
    totals = Counter(p.kind for p in pairs)
    for kind, n in totals.items():
        assert by_kind[kind] / n >= 0.85, (kind, wrong[:20])


# -- evidence from the whole page, additions, replaced passages, scripts ------------------------

GLACIER = V.paragraphs_of(V.WRITTEN["glacier"])


def test_a_sentence_the_page_shows_but_the_extraction_lost_is_not_the_seeds():
    seed = "\n\n".join(GLACIER)
    lost = "Their study appears this week in the Journal of Mountain Hydrology."
    original = seed.replace(" " + lost, "")
    page = "Menu\nSearch\n" + seed + "\nShare this article\n© 2024 Test News"
    without = compare(seed, original)
    assert without.verdict == "altered" and without.changed[0].kind == "inserted"
    c = compare(seed, original, page_text=page)
    assert c.verdict == "faithful" and c.changed == [] and c.additions == [] and c.added == 0
    assert any(f.kind == "extraction" for f in c.findings)
    assert any(b.boilerplate == "page" for b in c.blocks)


def test_reader_comments_stay_padding_even_when_the_page_shows_them():
    seed = "\n\n".join([*GLACIER, "3 Comments", "• Jon", "Fine reporting, thank you.", "Reply"])
    c = compare(seed, "\n\n".join(GLACIER), page_text=seed)
    assert c.verdict == "padded" and {a.label for a in c.additions} == {"comments"}


def test_furniture_the_seed_leaves_out_is_never_an_omission():
    original = "\n\n".join([*GLACIER[:3], "Share this article", *GLACIER[3:],
                            "(Reporting by Anna Berg; Editing by Tom Hill)",
                            "Olu Adeyemi contributed to this report."])
    glued = original.replace("the previous decade.", "the previous decade.Click To Tweet")
    for text in (original, glued):
        c = compare("\n\n".join(GLACIER), text)
        assert (c.verdict, c.changed) == ("faithful", []) and c.coverage > 0.98, c.reason


def test_commentary_around_quoted_paragraphs_is_padded_and_located():
    seed = "\n\n".join([GLACIER[0], "I have followed this glacier for years.", GLACIER[2],
                        "Read that again: nearly twice the rate.", GLACIER[4],
                        "Make of it what you will."])
    c = compare(seed, V.WRITTEN["glacier"])
    assert c.verdict == "padded" and c.changed == []
    assert [a.where for a in c.additions] == ["before", "inside", "after"]
    assert [a.inside for a in c.additions] == [False, True, False]
    assert {f.kind for f in c.findings} >= {"padded", "excerpt"}


def test_a_passage_replaced_at_the_same_place_is_one_change():
    other = V.paragraphs_of(V.WRITTEN["museum"])[3]
    seed = "\n\n".join([*GLACIER[:3], other, *GLACIER[4:]])
    c = compare(seed, V.WRITTEN["glacier"])
    assert c.verdict == "altered" and [ch.kind for ch in c.changed] == ["replaced"]
    assert c.changed[0].original_words == GLACIER[3] and c.additions == []
    assert c.reason.startswith("altered: 1 change of meaning: a replaced passage")
    interleaved = compare("\n\n".join([*GLACIER[:3], other, *GLACIER[3:]]), V.WRITTEN["glacier"])
    assert interleaved.verdict == "padded" and interleaved.additions[0].inside


@pytest.mark.parametrize("before,after", [("could fall", "would fall"), ("may explain", "will explain"),
                                          ("could slow", "will slow")])
def test_modals_and_hedges_are_changes_of_meaning(before, after):
    c = compare(V.WRITTEN["glacier"].replace(before, after), V.WRITTEN["glacier"])
    assert c.verdict == "altered" and [(ch.category, ch.severity) for ch in c.changed] == [
        ("modal", "high")]
    assert "a modal or hedge" in c.reason


def test_reason_counts_agree_with_the_changes_and_never_double_quotes():
    text = V.WRITTEN["harbour"]
    seed = (text.replace("$48 million", "$58 million").replace('"the only responsible choice"',
            '"the only possible choice"').replace("Tomas Ebright", "Tomas Ortega"))
    c = compare(seed, text)
    assert c.reason.startswith("altered: 3 changes of meaning: a number, a quote, a name")
    assert len(c.changed) == 3 and '""' not in c.reason


def test_words_are_counted_in_every_script():
    from archive.compare.words import count

    japanese = "北浜市の伝統行事「海神祭」が今月十五日から三日間開催された。" * 20
    assert count(japanese) > 500
    assert count("Центральная библиотека Новогорска вновь открылась.") == 5
    assert count("افتتحت السلطات يوم الأحد محطة جديدة") == 6


def test_lists_and_tables_are_article_text():
    rows = ["Party | Votes | Seats", "Liberals | 412,300 | 38", "Greens | 251,700 | 23",
            "Others | 124,600 | 0"]
    items = ["- Turn the thermostat down", "- Bleed radiators", "- Close curtains at dusk"]
    original = "\n\n".join([GLACIER[1], *rows, GLACIER[2], *items])
    dropped = "\n\n".join([GLACIER[1], *rows[:2], GLACIER[2], items[0]])
    c = compare(dropped, original)
    assert c.verdict == "excerpt", c.reason
    assert not any(b.boilerplate for b in c.blocks if b.kind == "omitted")
    restyled = "\n\n".join([GLACIER[1], *(f"| {r} |" for r in rows), GLACIER[2],
                            *(f"• {i[2:]}" for i in items)])
    assert compare(restyled, original).verdict == "faithful"


def test_an_excerpt_cut_mid_sentence_is_an_excerpt():
    cut = " ".join(GLACIER[3].split()[:12]) + "…"
    c = compare("\n\n".join([*GLACIER[:3], cut]), V.WRITTEN["glacier"])
    assert c.verdict == "excerpt" and c.changed == [], c.reason


def test_number_formatting_is_not_a_change():
    formatted = compare("The fund lost 1200 euros, about 10% of its value.",
                        "The fund lost 1,200 euros, about 10 per cent of its value.")
    assert formatted.verdict == "faithful" and {ch.category for ch in formatted.changed} == {
        "spelling"}


def test_a_pull_quote_the_original_repeats_is_not_an_omission():
    pull = GLACIER[3].split(". ")[0] + "."
    original = "\n\n".join([*GLACIER[:2], pull, *GLACIER[2:]])
    c = compare("\n\n".join(GLACIER), original)
    assert (c.verdict, c.coverage, c.changed) == ("faithful", 1.0, []), c.reason
    assert any(b.boilerplate == "pull-quote" for b in c.blocks)
