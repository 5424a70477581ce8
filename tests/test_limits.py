"""archive.web.limits and archive.web.readers on a real `seedcheck serve`: what a visitor's
query may cost, and the seedcheck pages answering while slow queries hold Datasette.

Arbitrary SQL is off by default; with `--sql` every query is bounded in time (Datasette),
value length (SQLite) and result bytes (the row budget). The server's peak memory is read
from the kernel (VmHWM) after the heaviest queries it allows.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from tests.browser import start_server, stop_server
from tests.memory import tree_peak

LIMIT_MB = 500
# A query that would run for ever: only the time limit stops it.
FOREVER = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
# A long text repeated a thousand times: 1000 rows of 2 MB, 2 GB if nothing stopped it.
REPEATED = ("with recursive c(x) as (select 1 union all select x + 1 from c where x < 1000) "
            "select x, (select group_concat(body, ' ') from (select body from seeds, "
            "(select 1 from c limit 40))) from c")


def get(url: str, timeout: float = 60) -> tuple[int, str, float]:
    """(status, body, seconds) of a GET, whatever the status."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started


def sql(base: str, query: str) -> tuple[int, str, float]:
    return get(f"{base}/seedcheck.json?sql={quote(query)}&_shape=array")


@pytest.fixture(scope="module")
def sql_site(seedcheck_data):
    base, process = start_server(seedcheck_data.data_dir, extra=("--sql",))
    yield base, process
    stop_server(process)


def test_arbitrary_sql_is_off_by_default(site):
    status, _, _ = sql(site.url, "select 1")
    assert status == 403
    status, body, _ = get(f"{site.url}/seedcheck/least_faithful.json?_shape=array")
    assert status == 200 and json.loads(body)           # canned queries still answer


@pytest.mark.parametrize("query", ["select zeroblob(300000000)", "select zeroblob(1e9)",
                                   "select length(randomblob(500000000))",
                                   "select replace(hex(zeroblob(5000000)), '00', 'xxxxxxxxxx')"])
def test_huge_values_are_refused_by_sqlite(sql_site, query):
    base, process = sql_site
    status, body, seconds = sql(base, query)
    assert status == 400 and "string or blob too big" in body and seconds < 20
    assert tree_peak(process.pid) < LIMIT_MB


def test_a_result_too_large_is_refused_and_a_endless_query_stopped(sql_site):
    base, process = sql_site
    status, body, _ = sql(base, REPEATED)
    assert status == 400 and "query result over 32 MB" in body, body[:300]
    status, body, seconds = sql(base, FOREVER)
    assert status == 400 and "interrupted" in body.lower() and seconds < 20
    status, body, _ = sql(base, "select count(*) as n from seeds")
    assert status == 200 and json.loads(body)[0]["n"] > 0
    assert tree_peak(process.pid) < LIMIT_MB


def test_the_pages_answer_while_six_clients_hold_every_sql_thread(sql_site):
    base, process = sql_site
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            sql(base, FOREVER if threading.get_ident() % 2 else REPEATED)

    clients = [threading.Thread(target=hammer, daemon=True) for _ in range(6)]
    for client in clients:
        client.start()
    time.sleep(1.5)
    try:
        times = []
        for _ in range(15):
            status, body, seconds = get(f"{base}/-/seedcheck")
            assert status == 200 and "sc-badge" in body
            times.append(seconds)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=30)
    times.sort()
    assert times[len(times) // 2] < 1.0, times          # a loose guard; bench/serve.py measures
    assert tree_peak(process.pid) < LIMIT_MB


def test_odd_answers_are_404_and_400_and_no_path_is_shown(site):
    for path in ("/-/seedcheck/comparison/99999999999999999999999",
                 "/-/seedcheck/comparison/9223372036854775808", "/-/seedcheck/comparison/12345"):
        assert get(site.url + path)[0] == 404, path
    assert get(site.url + "/seedcheck/seeds?_sort=nonexistent")[0] == 400
    assert get(site.url + "/seedcheck/comparisons?_sort_desc=nonexistent")[0] == 400
    status, body, _ = get(site.url + "/-/databases.json")
    assert status == 200 and json.loads(body)[0]["file"] == "seedcheck.db"
    data_dir = str(site.data.data_dir)
    assert data_dir not in body and data_dir.replace("/", "\\/") not in body
    status, body, _ = get(site.url + "/-/databases")
    assert status == 200 and data_dir not in body
