"""Datasette's table pages read well: JSON columns hidden and folded, a search page with snippets
that lead to compare pages, look-ups apart from captures, descriptions proofread.

Through Datasette's real ASGI app on a real build, and a real Chromium for the height of a page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.warc.lookups import purpose
from archive.web.search import fts_query, segments
from tests.published import datasette_of, get

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def ds(seedcheck_data):
    return datasette_of(seedcheck_data.data_dir)



def test_json_columns_are_hidden_on_table_pages(ds):
    response = get(ds, "/seedcheck/comparisons")
    assert response.status_code == 302
    target = response.headers["location"]
    for column in ("blocks", "findings", "normalisation", "redirects"):
        assert f"_nocol={column}" in target
    assert get(ds, target).status_code == 200
    # Filters survive; a visitor's own choice of columns, JSON and row pages are left alone.
    filtered = get(ds, "/seedcheck/comparisons?verdict=altered").headers["location"]
    assert filtered.startswith("/seedcheck/comparisons?verdict=altered&_nocol=")
    assert get(ds, "/seedcheck/comparisons?_col=blocks").status_code == 200
    assert get(ds, "/seedcheck/comparisons.json").status_code == 200
    assert get(ds, "/seedcheck/seeds").status_code == 200          # no JSON column there


def test_shown_json_is_folded_into_a_summary(ds):
    html = get(ds, "/seedcheck/comparisons/1").text
    assert '<details class="sc-json"><summary>JSON: ' in html
    assert re.search(r"<summary>JSON: \d+ items?</summary><pre>\[", html)


def test_ten_comparison_rows_fit_in_a_few_screens(site, page):
    page.goto(f"{site.url}/seedcheck/comparisons?_size=10")
    height = page.locator("table.rows-and-columns").bounding_box()["height"]
    assert height < 600, height                 # one line a row, the whole text on its row page


def test_search_finds_seeds_and_texts_with_snippets_and_compare_links(ds, seedcheck_data):
    html = get(ds, "/-/seedcheck/search?q=Rebecca+Hall").text
    seeds = html[html.index('id="seed-hits"'):html.index('id="text-hits"')]
    assert f'href="/-/seedcheck/seed/{seedcheck_data.altered}"' in seeds
    assert '<mark class="sc-hit">Hall</mark>' in seeds
    texts = get(ds, "/-/seedcheck/search?q=Sochi").text
    hits = texts[texts.index('id="text-hits"'):]
    assert '<mark class="sc-hit">Sochi</mark>' in hits
    assert f'href="/-/seedcheck/seed/{seedcheck_data.hostile}?capture=' in hits
    # Typed operators and quotes are words, never an FTS syntax error; markup stays text.
    odd = get(ds, '/-/seedcheck/search?q=%22NEAR(AND+%3Cscript%3E')
    main = odd.text.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert odd.status_code == 200 and "<script>" not in main and "&lt;script&gt;" in main


def test_fts_query_and_snippet_segments():
    assert fts_query('Putin "AND" -Maduro*') == '"Putin" "AND" "Maduro"'
    assert fts_query("  ") is None
    assert segments("a \x02b\x03 c") == [("a ", False), ("b", True), (" c", False)]


@pytest.mark.parametrize(("url", "source", "expected"), [
    ("https://web.archive.org/cdx/search/cdx?url=https%3A%2F%2Fa.test%2F&output=json", "live",
     "lookup"),
    ("http://127.0.0.1:8080/demo-archive/cdx?url=http%3A%2F%2Fa.test%2F", "live", "lookup"),
    ("https://web.archive.org/web/timegate/https://a.test/x", "live", "lookup"),
    ("https://web.archive.org/web/https://a.test/x", "live", "lookup"),
    ("https://a.test/robots.txt", "live", "robots"),
    ("https://a.test/2019/05/05/story/", "live", "page"),
    ("https://a.test/cdx", "live", "page"),
    ("https://a.test/story", "archive", "page"),
])
def test_purpose_tells_lookups_from_pages(url, source, expected):
    assert purpose(url, source) == expected


def test_table_descriptions_are_proofread():
    text = (ROOT / "metadata.yml").read_text()
    assert not re.findall(r"\w\"s\b", text), "a quote where an apostrophe belongs"
