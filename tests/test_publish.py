"""Publishing: Datasette's real ASGI app with the plugin on a real build, and `seedcheck serve`.

Most requests go through Datasette's own ASGI app in this process (so Datasette deprecation
warnings fail the tests); the read-only checks also hit the real `seedcheck serve` process.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from archive.app.serve import (
    PublishError,
    ServeOptions,
    datasette_command,
    metadata_path,
    prepare,
)
from archive.warc.writer import read_capture
from archive.web import pages as review
from tests.browser import start_server, stop_server
from tests.published import call, datasette_of, get

BIN = Path(sys.executable).parent
CSP = "sandbox; default-src 'none'"


@pytest.fixture(scope="module")
def ds(seedcheck_data):
    return datasette_of(seedcheck_data.data_dir)


@pytest.fixture(scope="module")
def db(seedcheck_data):
    conn = sqlite3.connect(f"{(seedcheck_data.data_dir / 'seedcheck.db').as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the command -------------------------------------------------------------------------------
def test_datasette_command_serves_the_database_immutable_with_metadata(tmp_path):
    (tmp_path / "seedcheck.db").write_bytes(b"")
    options = prepare(ServeOptions(data_dir=tmp_path, port=0))
    command = datasette_command(options)
    assert command[:4] == [sys.executable, "-m", "datasette", "serve"]
    assert command[command.index("--immutable") + 1] == str(tmp_path / "seedcheck.db")
    assert command[command.index("--metadata") + 1] == str(metadata_path())
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert 0 < int(command[command.index("--port") + 1]) < 65536   # port 0: a free one chosen
    assert "--create" not in command and "--root" not in command
    assert metadata_path() == Path(__file__).resolve().parent.parent / "metadata.yml"


def test_serve_without_a_database_says_how_to_make_one(tmp_path):
    with pytest.raises(PublishError, match="seedcheck build"):
        prepare(ServeOptions(data_dir=tmp_path / "nothing"))
    result = subprocess.run([str(BIN / "seedcheck"), "serve", "--data", str(tmp_path / "nothing")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{tmp_path / 'nothing' / 'seedcheck.db'}: database not found" in result.stderr


def test_stopping_serve_stops_datasette(seedcheck_data):
    base, process = start_server(seedcheck_data.data_dir)
    with urllib.request.urlopen(base + "/-/seedcheck", timeout=5) as response:
        assert response.status == 200
    stop_server(process)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base + "/-/seedcheck", timeout=5)


# -- the pages ---------------------------------------------------------------------------------
def test_plugin_is_loaded_with_its_hooks(ds):
    plugins = get(ds, "/-/plugins.json").json()
    ours = next(p for p in plugins if p["name"] == "seedcheck")
    assert {"register_routes", "render_cell", "permission_allowed", "asgi_wrapper"} <= set(
        ours["hooks"])


def test_home_page_lists_every_seed(ds, seedcheck_data):
    response = get(ds, "/-/seedcheck")
    assert response.status_code == 200
    for seed_id, verdict in seedcheck_data.verdicts.items():
        assert f'data-seed="{seed_id}" data-verdict="{verdict}"' in response.text


def test_home_page_comes_in_pages_and_counts_every_seed(ds, seedcheck_data, monkeypatch):
    monkeypatch.setattr(review, "PAGE_SIZE", 2)
    seen, path = [], "/-/seedcheck"
    while path:
        response = get(ds, path)
        assert response.status_code == 200
        html = response.text
        seen += [part.split('"')[0] for part in html.split('data-seed="')[1:]]
        assert len(seen) <= len(seedcheck_data.verdicts)
        assert f"of {len(seedcheck_data.verdicts)}" in html
        path = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace(
            "&amp;", "&") if 'rel="next"' in html else None
    assert seen == sorted(seedcheck_data.verdicts)           # every seed once, in id order
    counts = {v: list(seedcheck_data.verdicts.values()).count(v)
              for v in set(seedcheck_data.verdicts.values())}
    assert review.verdict_counts(sqlite3.connect(seedcheck_data.data_dir / "seedcheck.db")) == {
        v: counts[v] for v in (*review.VERDICTS, review.NOT_CHECKED) if v in counts}


def test_index_leads_to_the_seed_list(ds):
    response = get(ds, "/")
    assert 'class="sc-go" href="/-/seedcheck"' in response.text
    assert "/seedcheck" in response.text                     # Datasette's own listing stays


def test_compare_page_of_an_unknown_seed_is_404(ds):
    assert get(ds, "/-/seedcheck/seed/nobody").status_code == 404


def test_compare_page_chooses_a_capture(ds, db, seedcheck_data):
    rows = db.execute("select record_id, best from comparisons where seed_id = ? order by captured_at",
                      [seedcheck_data.altered]).fetchall()
    assert len(rows) == 2
    for row in rows:
        html = get(ds, f"/-/seedcheck/seed/{seedcheck_data.altered}?capture={quote(row['record_id'])}").text
        current = html.split('class="sc-current"', 1)[1].split("</tr>", 1)[0]
        assert f'value="{row["record_id"].replace("<", "&lt;").replace(">", "&gt;")}"' in current
        assert row["record_id"].replace("<", "&lt;").replace(">", "&gt;") in html.split('id="evidence"')[1]
    missing = get(ds, f"/-/seedcheck/seed/{seedcheck_data.altered}?capture=urn:uuid:nope").text
    assert "No capture" in missing


def test_comparison_link_redirects_to_its_compare_page(ds, db):
    row = db.execute("select id, seed_id, record_id from comparisons limit 1").fetchone()
    response = get(ds, f"/-/seedcheck/comparison/{row['id']}")
    assert response.status_code == 302
    assert response.headers["location"] == (
        f"/-/seedcheck/seed/{row['seed_id']}?capture={quote(row['record_id'], safe='')}")
    assert get(ds, "/-/seedcheck/comparison/999999").status_code == 404


def test_table_views_link_seeds_to_their_compare_page_and_show_badges(ds, seedcheck_data):
    html = get(ds, f"/seedcheck/comparisons?seed_id={seedcheck_data.altered}",
               follow_redirects=True).text     # (JSON columns hidden by a redirect)
    assert f'href="/-/seedcheck/seed/{seedcheck_data.altered}?capture=%3Curn%3Auuid%3A' in html
    assert '<span class="sc-badge sc-verdict-altered">altered</span>' in html
    seeds = get(ds, "/seedcheck/seeds").text
    assert f'<a href="/-/seedcheck/seed/{seedcheck_data.altered}">' in seeds
    query = get(ds, "/seedcheck/least_faithful").text
    assert 'href="/-/seedcheck/comparison/' in query


def test_archived_text_is_escaped_everywhere(ds, seedcheck_data):
    html = get(ds, f"/-/seedcheck/seed/{seedcheck_data.hostile}").text
    assert "<img src=x onerror" not in html and "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    table = get(ds, "/seedcheck/texts").text
    assert "<img src=x onerror" not in table


# -- the raw archived payload -------------------------------------------------------------------
def raw_of(db, seed_id: str) -> sqlite3.Row:
    return db.execute("select c.* from captures c join comparisons m on m.record_id = c.record_id "
                      "where m.seed_id = ? and c.record_type = 'response' limit 1", [seed_id]).fetchone()


def test_raw_view_serves_the_warc_payload_fenced(ds, db, seedcheck_data):
    capture = raw_of(db, seedcheck_data.hostile)
    response = get(ds, f"/-/seedcheck/raw/{review.bare_id(capture['record_id'])}")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    archived = read_capture(seedcheck_data.data_dir / "warcs" / capture["warc_file"],
                            capture["warc_offset"])
    assert b"<script>document.title='PWNED'" in archived.body
    assert b"<script" not in response.content and b"Sochi" in response.content   # shown inert
    source = get(ds, f"/-/seedcheck/raw/{review.bare_id(capture['record_id'])}?source=1")
    assert source.content == archived.body                                   # as archived
    assert source.headers["content-type"] == "text/plain; charset=utf-8"
    assert source.headers["content-security-policy"] == CSP
    compare = get(ds, f"/-/seedcheck/seed/{seedcheck_data.hostile}").text
    assert (f'<iframe class="sc-raw" sandbox src="/-/seedcheck/replay/'
            f'{review.bare_id(capture["record_id"])}"') in compare


def test_raw_view_of_a_revisit_serves_the_payload_it_refers_to(ds, db):
    revisit = db.execute("select * from captures where record_type = 'revisit'").fetchone()
    assert revisit is not None, "the test data has a revisit"
    response = get(ds, f"/-/seedcheck/raw/{review.bare_id(revisit['record_id'])}")
    original = get(ds, f"/-/seedcheck/raw/{review.bare_id(revisit['refers_to'])}")
    assert response.status_code == 200 and response.content == original.content
    assert len(response.content) > 1000
    assert response.headers["content-security-policy"] == CSP


def test_raw_view_of_an_unknown_record_is_404(ds):
    assert get(ds, "/-/seedcheck/raw/urn:uuid:00000000-0000-0000-0000-000000000000").status_code == 404


@pytest.mark.parametrize(("content_type", "charset", "served"), [
    ("text/html", "utf-8", "text/html; charset=utf-8"),
    ("text/html", "utf-8\r\nSet-Cookie: x=1", "text/html"),    # header injection refused
    ("image/svg+xml", None, "application/octet-stream"),      # scriptable: a download
    ("application/pdf", None, "application/octet-stream"),
    ("text/javascript", None, "text/plain"),
    (None, None, "application/octet-stream"),
])
def test_raw_content_types(content_type, charset, served):
    assert review.raw_content_type(content_type, charset)[0] == served


# -- read-only -----------------------------------------------------------------------------------
def test_the_database_is_immutable_in_datasette(ds):
    db = ds.get_database("seedcheck")
    assert db.is_mutable is False
    with pytest.raises(AssertionError):
        call(db.execute_write("delete from seeds"))
    response = get(ds, "/seedcheck.json?sql=delete+from+seeds")
    assert response.status_code == 400 and "Statement must be a SELECT" in response.text


def test_write_attempts_on_the_real_server_fail(site):
    db_file = site.data.data_dir / "seedcheck.db"
    before = digest(db_file)
    body = json.dumps({"row": {"id": "x"}, "table": "evil", "rows": [{"id": 1}]}).encode()
    attempts = ["/-/create", "/seedcheck/-/create", "/seedcheck/seeds/-/insert",
                "/seedcheck/seeds/altered/-/delete", "/seedcheck/seeds/-/drop",
                "/seedcheck/least_faithful", "/seedcheck", "/-/seedcheck/seed/altered"]
    for path in attempts:
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            request = urllib.request.Request(site.url + path, data=body, method=method,
                                             headers={"Content-Type": "application/json"})
            with pytest.raises(urllib.error.HTTPError) as failed:
                urllib.request.urlopen(request, timeout=10)
            assert failed.value.code == 405, (method, path, failed.value.code)
            assert failed.value.headers["Allow"] == "GET, HEAD, OPTIONS"
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(site.url + "/seedcheck.json?sql=drop+table+seeds", timeout=10)
    assert failed.value.code == 400
    assert digest(db_file) == before
    with urllib.request.urlopen(site.url + "/seedcheck/seeds.json?_shape=array") as response:
        assert len(json.load(response)) == len(site.data.verdicts)
