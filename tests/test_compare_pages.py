"""archive.compare end to end: publisher-shaped pages of the held-out evaluation articles, served by
tests/webserver.py, crawled and built by the real `seedcheck`, compared with seeds of known verdict."""

from __future__ import annotations

import pytest

from tests.eval import endtoend, pages
from tests.eval import pairs as eval_pairs

pytestmark = pytest.mark.timeout(600)


def test_pages_have_the_shapes_that_trip_extractors():
    html = {key: pages.page_html(key) for key in eval_pairs.texts()}
    assert sum('class="article-body article-body--continued"' in h for h in html.values()) >= 5
    assert sum('<span class="link">' in h for h in html.values()) >= 5
    assert sum("Click To Tweet" in h for h in html.values()) >= 5
    assert any("<table>" in h for h in html.values()) and any("<ul><li>" in h for h in html.values())
    assert {h.split('lang="')[1][:2] for h in html.values()} >= {"en", "ru", "ar", "zh", "ko"}


def test_held_out_pages_crawled_built_and_compared(tmp_path):
    results = endtoend.run(eval_pairs.split()["heldout"], tmp_path)
    found = endtoend.figures(results)
    wrong = [f"{c.name}: {r}" for c, v, r in results if v != c.verdict]
    assert found["seeds"] >= 100
    assert found["right"] >= 0.97, wrong
    assert found["faithful_called_altered"] <= 0.005, wrong
    assert found["unchecked"] <= 0.01, wrong
