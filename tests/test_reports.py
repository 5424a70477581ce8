"""Pages a reporter can use, cite and share: per-seed reports, citation, differences first, the
seed's own findings, and a served database that follows a rebuild.

Requests go through Datasette's real ASGI app on a real build (tests/browser.py), the reports
also through `seedcheck report` and a real `seedcheck serve`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from archive.seeds.findings import seed_findings
from tests.browser import ARCHIVE_NAME, start_server, stop_server
from tests.published import datasette_of, get

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def ds(seedcheck_data):
    return datasette_of(seedcheck_data.data_dir)



def seedcheck(*args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "seedcheck"), *args], capture_output=True, text=True,
                          timeout=timeout, **kwargs)


# -- per-seed reports ----------------------------------------------------------------------------
def test_seed_report_as_json_holds_verdict_changes_and_evidence(ds, seedcheck_data):
    response = get(ds, f"/-/seedcheck/seed/{seedcheck_data.altered}.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    report = response.json()
    assert report["seed"]["id"] == seedcheck_data.altered
    assert report["comparison"]["verdict"] == "altered"
    pairs = {(c["original_words"], c["seed_words"]) for c in report["changes"]}
    assert set(seedcheck_data.changes) <= pairs
    assert report["changes"][0]["severity"] == "high"     # most serious first
    evidence = report["evidence"]
    assert evidence["warc_file"] and evidence["record_id"] in report["citation"]
    # The compare page answers ?_format=json with the same report, not HTML.
    same = get(ds, f"/-/seedcheck/seed/{seedcheck_data.altered}?_format=json").json()
    assert same == report
    assert get(ds, "/-/seedcheck/seed/no-such-seed.json").status_code == 404


def test_seed_report_as_markdown(ds, seedcheck_data):
    response = get(ds, f"/-/seedcheck/seed/{seedcheck_data.altered}.md")
    assert response.headers["content-type"].startswith("text/markdown")
    text = response.text
    assert text.startswith("# ") and "**Verdict: altered.**" in text
    assert "| high | number | Three | Five |" in text
    assert "## Evidence" in text and "> Seed altered" in text


def test_what_a_padded_seed_adds_is_stored_listed_and_reported(ds):
    """The build keeps a comparison's additions; the page and the reports list where they sit."""
    report = get(ds, "/-/seedcheck/seed/padded.json").json()
    assert report["comparison"]["verdict"] == "padded"
    added = report["additions"]
    assert added and all(a["where"] == "after" and not a["inside"] for a in added)
    assert any("rgomez says" in a["text"] for a in added)
    page = get(ds, "/-/seedcheck/seed/padded").text
    assert 'id="additions"' in page and "rgomez says" in page
    assert "## Added by the seed (not on the original page)" in get(
        ds, "/-/seedcheck/seed/padded.md").text
    faithful = get(ds, "/-/seedcheck/seed/faithful.json").json()
    assert faithful["additions"] == [] and 'id="additions"' not in get(
        ds, "/-/seedcheck/seed/faithful").text


def test_seedcheck_report_prints_each_format(seedcheck_data):
    data = str(seedcheck_data.data_dir)
    md = seedcheck("report", seedcheck_data.altered, "--data", data)
    assert md.returncode == 0, md.stderr
    assert "**Verdict: altered.**" in md.stdout
    as_json = json.loads(seedcheck("report", "padded", "--data", data, "--format", "json").stdout)
    assert as_json["comparison"]["verdict"] == "padded"
    html = seedcheck("report", seedcheck_data.hostile, "--data", data, "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "default-src 'none'" in html
    # Archived text that looks like markup stays text in the standalone page too.
    assert "<script>" not in html.split("</style>", 1)[1]
    missing = seedcheck("report", "nobody", "--data", data)
    assert missing.returncode == 1 and "no seed 'nobody'" in missing.stderr


# -- citation and evidence -----------------------------------------------------------------------
def test_compare_page_gives_a_citation_line_and_a_memento_link(ds, seedcheck_data):
    html = get(ds, f"/-/seedcheck/seed/{seedcheck_data.altered}").text
    report = get(ds, f"/-/seedcheck/seed/{seedcheck_data.altered}.json").json()
    evidence = report["evidence"]
    assert evidence["source"] == "archive" and evidence["archive"] == ARCHIVE_NAME
    assert evidence["memento"].startswith("https://web.archive.test/web/")
    assert f'id="sc-memento">{evidence["memento"]}</a>' in html
    cite = report["citation"]
    for part in (evidence["url"], evidence["captured_at"], ARCHIVE_NAME, evidence["memento"],
                 evidence["warc_file"], evidence["payload_digest"]):
        assert part in cite
    assert '<figure class="sc-cite" id="citation">' in html
    # The IP address of an archived capture is the archive's, and the page says so.
    assert "the web archive's server, not the original site's" in html


# -- differences first ---------------------------------------------------------------------------
def test_identical_passages_are_folded_and_changes_numbered(ds, seedcheck_data):
    html = get(ds, f"/-/seedcheck/seed/{seedcheck_data.altered}").text
    assert '<details class="sc-same"' in html
    assert 'id="change-1"' in html and 'href="#change-2"' in html and "↓ next change" in html
    assert "↑ previous change" in html
    whole = get(ds, f"/-/seedcheck/seed/{seedcheck_data.altered}?view=all").text
    assert '<details class="sc-same"' not in whole and 'id="change-1"' in whole


# -- the seed's own findings ---------------------------------------------------------------------
def test_seed_findings_are_shown_on_the_page(ds):
    html = get(ds, "/-/seedcheck/seed/padded").text
    section = html[html.index('id="in-the-seed"'):]
    assert 'data-kind="appended"' in section and "Leave a Reply" in section


def test_seed_findings_read_comments_banners_dates_and_stripped_links():
    raw = "\n\n".join([
        "IE 11 is not supported. For an optimal experience visit our site on another browser.",
        "# Ministers meet on Tuesday", "By [Ann Writer](#)", "May 7, 2019",
        "The talks, first planned for June 30, 2019, will now take place in [Sochi](#).",
        "Leave a Reply", "Your email address will not be published.",
        "rgomez says: Great piece."])
    found = {f.kind: f for f in seed_findings(raw, "2019-05-07",
                                              ["https://news.test/2019/05/09/ministers/"])}
    assert set(found) == {"banner", "appended", "date", "links"}
    assert found["banner"].where == "paragraph 1" and "2019-05-07" in found["banner"].summary
    assert found["appended"].where == "paragraphs 6–8"
    assert "2 link(s) stripped" in found["links"].summary
    dates = [f for f in seed_findings(raw, "2019-05-07") if f.kind == "date"]
    assert dates and "2019-06-30" in dates[0].summary
    # A clean copy dated like its text has nothing to say about itself.
    assert seed_findings("# Title\n\nMay 7, 2019\n\nOne paragraph on May 6, 2019.", "2019-05-07") == []


# -- a served database follows a rebuild ---------------------------------------------------------
def test_serve_shows_a_rebuilt_database_without_a_restart(seedcheck_data, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(seedcheck_data.data_dir / "seedcheck.db", data / "seedcheck.db")
    base, process = start_server(data)
    try:
        def home() -> str:
            with urllib.request.urlopen(base + "/-/seedcheck", timeout=10) as response:
                return response.read().decode()

        assert "Renamed by a rebuild" not in home()
        fresh = tmp_path / "new.db"
        shutil.copy(data / "seedcheck.db", fresh)
        with sqlite3.connect(fresh) as conn:
            conn.execute("update seeds set title = 'Renamed by a rebuild' where id = 'padded'")
        os.replace(fresh, data / "seedcheck.db")            # as `seedcheck build` swaps it in
        assert "Renamed by a rebuild" in home()
        table = base + "/seedcheck/seeds.json?_shape=array&id=padded"
        with urllib.request.urlopen(table, timeout=10) as response:
            assert json.load(response)[0]["title"] == "Renamed by a rebuild"
    finally:
        stop_server(process)
