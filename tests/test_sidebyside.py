"""The side-by-side rows (archive.web.sidebyside) made from real comparisons (archive.compare.engine)."""

from archive.compare.engine import compare
from archive.web.sidebyside import BREAK, Segment, marked, rows_of

ORIGINAL = ("The ministers met on Monday in Finland. They spoke for more than an hour.\n\n"
            "Nobody said what was agreed.")


def blocks(seed: str, original: str = ORIGINAL) -> list[dict]:
    return compare(seed, original).to_dict()["blocks"]


def text(segments: list[Segment]) -> str:
    return "".join("\n\n" if s.cls == BREAK else s.text for s in segments)


def marks(segments: list[Segment], cls: str) -> list[str]:
    return [s.text for s in segments if s.cls == cls]


def test_changed_words_are_marked_in_the_sentence_as_written():
    seed = ORIGINAL.replace("more than", "less than").replace("Monday", "Tuesday")
    rows = rows_of(blocks(seed), seed, ORIGINAL)
    edited = [r for r in rows if r.kind == "edited"]
    assert edited
    seed_marks = [m for r in edited for m in marks(r.seed, "changed")]
    original_marks = [m for r in edited for m in marks(r.original, "changed")]
    assert "less" in seed_marks and "Tuesday" in seed_marks
    assert "more" in original_marks and "Monday" in original_marks
    # Punctuation and unchanged words stay as written, unmarked.
    assert any(text(r.seed).endswith("in Finland.") or "hour." in text(r.seed) for r in edited)
    assert "Finland" not in " ".join(seed_marks + original_marks)


def test_added_and_omitted_material_is_marked_whole():
    seed = "The ministers met on Monday in Finland. They spoke for more than an hour.\n\nSubscribe now!"
    rows = rows_of(blocks(seed), seed, ORIGINAL)
    kinds = {r.kind for r in rows}
    assert {"added", "omitted"} <= kinds
    added = next(r for r in rows if r.kind == "added")
    omitted = next(r for r in rows if r.kind == "omitted")
    assert marks(added.seed, "added") == ["Subscribe now!"] and added.original == []
    assert marks(omitted.original, "omitted") == ["Nobody said what was agreed."]


def test_words_that_do_not_fit_the_text_fall_back_to_the_diff():
    diff = [["equal", "a b", "a b"], ["changed", "c", "d"]]
    segments = marked("completely different text", diff, 1, {"equal": None, "changed": "changed"})
    assert segments == [Segment("a b ", None), Segment("c", "changed")]


def test_without_blocks_the_texts_are_shown_paragraph_by_paragraph():
    rows = rows_of([], "one\n\ntwo\n\nthree", "uno\n\ndos")
    assert [(text(r.seed), text(r.original), r.kind) for r in rows] == [
        ("one", "uno", "unaligned"), ("two", "dos", "unaligned"), ("three", "", "unaligned")]
