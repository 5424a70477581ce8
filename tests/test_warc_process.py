"""The WARC writer in its own process (crawler/warc_child.py, crawler/warc_process.py).

The child is driven here through its real stdin/stdout, then inside real crawls: killed
mid-crawl, the crawl stops and nothing claims a record that is not on disk. Both writer modes
crawling the same misbehaving site are compared in tests/test_crawl.py (`site`).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from archive.warc.writer import Exchange, WarcConfig, iter_captures, warc_files
from crawler.warc_child import read_frame, request_frame
from tests import test_crawl
from tests.test_crawl import (
    BIN,
    assert_all_logged_records_readable,
    crawl,
    crawl_command,
    logs,
    read_lines,
    wait_for_lines,
    warcio,
    write_seeds,
)

pytestmark = pytest.mark.timeout(120)


def exchange(n: int) -> Exchange:
    body = f"<html><body><p>Page {n} of the test.</p></body></html>".encode()
    return Exchange(url=f"http://news.test/p/{n}", date=datetime(2026, 12, 5, 9, n, tzinfo=UTC),
                    method="GET", request_headers=[("Host", "news.test")], request_body=b"",
                    protocol="HTTP/1.1", status=200, reason="OK",
                    response_headers=[("Content-Type", "text/html")], body=body,
                    ip_address="127.0.0.1")


class Child:
    """`python -m crawler.warc_child`, spoken to as the crawl does."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "crawler.warc_child"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def ask(self, *request):
        self.process.stdin.write(b"".join(request_frame(*request)))
        self.process.stdin.flush()
        return read_frame(self.process.stdout)

    def end(self) -> int:
        self.process.stdin.close()
        return self.process.wait(timeout=30)


def test_the_child_writes_records_in_order_and_closes_its_files(tmp_path):
    child = Child()
    config = WarcConfig(directory=tmp_path / "warcs", prefix="t")
    assert child.ask("write", exchange(0), None)[0] == "error"     # nothing open yet
    assert child.ask("open", config, None) == ("ok", None)
    ids = []
    for n in range(3):
        status, (written, metadata_id) = child.ask(
            "write", exchange(n), [("note", "metadata")] if n == 2 else None)
        assert status == "ok" and written.record_type == "response"
        ids.append(written.record_id)
    assert metadata_id is not None
    # the same payload again: a revisit of the first, from the child's own dedup index
    again = child.ask("write", exchange(0), None)[1][0]
    assert (again.record_type, again.refers_to) == ("revisit", ids[0])
    status, closed = child.ask("close")
    assert status == "ok" and [p.name for p in closed] == [p.name for p in warc_files(
        tmp_path / "warcs")]
    assert child.end() == 0
    records = [c for path in closed for c in iter_captures(path)]
    assert [c.record_id for c in records if c.record_type == "response"] == ids
    assert warcio("check", *map(str, closed)).returncode == 0


def test_an_unwritable_folder_is_an_error_reply_and_the_child_goes_on(tmp_path):
    (tmp_path / "warcs").write_text("a file where the folder should be")
    child = Child()
    status, message = child.ask("open", WarcConfig(directory=tmp_path / "warcs"), None)
    assert status == "error" and "warcs" in message
    assert child.ask("open", WarcConfig(directory=tmp_path / "other"), None) == ("ok", None)
    assert child.ask("close")[0] == "ok"
    assert child.end() == 0


def test_end_of_input_without_close_leaves_the_file_open_for_recovery(tmp_path):
    child = Child()
    child.ask("open", WarcConfig(directory=tmp_path / "warcs"), None)
    written = child.ask("write", exchange(1), None)[1][0]
    assert child.end() == 0
    (left,) = (tmp_path / "warcs").glob("*.warc.gz.open")
    assert written.record_id in {c.record_id for c in iter_captures(left)}


slow_site = test_crawl.slow_site     # the same fixture: pages slow enough to interrupt a crawl


def writer_children(ancestor: int) -> list[int]:
    """Pids of `crawler.warc_child` processes descending from `ancestor`."""
    parents, found = {}, []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        if b"crawler.warc_child" in command:
            found.append(int(entry.name))

    def descends(pid: int) -> bool:
        while pid > 1:
            if pid == ancestor:
                return True
            pid = parents.get(pid, 0)
        return False

    return [pid for pid in found if descends(pid)]


def test_a_killed_writer_stops_the_crawl_and_resume_fetches_the_rest(slow_site):
    server, seeds, data, paths = slow_site
    process = subprocess.Popen(crawl_command(seeds, data, "-s", "SEEDCHECK_WARC_WRITER=process"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_lines(data / "crawls", 3, process)
        (writer,) = writer_children(process.pid)
        os.kill(writer, signal.SIGKILL)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 1, out + err
    assert "the WARC writer process ended" in err and "(warc_error)" in out
    (log,) = logs(data)
    done = read_lines(log)
    assert len(done) < len(paths)
    recovered = subprocess.run([str(BIN / "seedcheck"), "crawl", "--recover", "--data", str(data)],
                               capture_output=True, text=True, timeout=60)
    assert recovered.returncode == 0, recovered.stderr
    assert_all_logged_records_readable(data)       # every line names a record on disk
    result = crawl(seeds, data, "--resume")
    assert result.returncode == 0, result.stderr
    lines = assert_all_logged_records_readable(data)
    assert sorted(line["url"] for line in lines) == sorted(server.url(p) for p in paths)


def test_an_unknown_writer_mode_is_named(webserver, tmp_path):
    write_seeds(tmp_path / "seeds", [[(webserver.url("/articles/nbc"), "original")]])
    result = crawl(tmp_path / "seeds", tmp_path / "data", SEEDCHECK_WARC_WRITER="threads")
    assert result.returncode == 1
    assert "SEEDCHECK_WARC_WRITER is 'threads': auto, process or inline" in result.stderr
    assert webserver.count("/articles/nbc") == 0


def test_ctrl_c_lets_the_writer_finish_and_close_its_file(slow_site):
    _, seeds, data, _ = slow_site
    process = subprocess.Popen(crawl_command(seeds, data, "-s", "SEEDCHECK_WARC_WRITER=process"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        wait_for_lines(data / "crawls", 3, process)
        (writer,) = writer_children(process.pid)
        os.killpg(process.pid, signal.SIGINT)        # the whole group, as a terminal would
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, out + err
    assert not Path(f"/proc/{writer}").exists()       # ended and reaped by the crawl
    assert_all_logged_records_readable(data)          # closed: no `.open` left


@pytest.mark.parametrize("date", [datetime(2019, 5, 9, 9, 30, 0, 123457, tzinfo=UTC),
                                  datetime(2019, 5, 9, 11, 30, tzinfo=timezone(timedelta(hours=2)))])
def test_an_exchange_crosses_the_pipe_exactly(date):
    sent = replace(exchange(3), date=date, truncated="length", body=bytes(range(256)) * 200)
    frame = b"".join(request_frame("write", sent, [("note", "é")]))
    assert read_frame(io.BytesIO(frame)) == ("write", sent, [("note", "é")])
    assert read_frame(io.BytesIO(frame[:-1])) is None       # a cut frame is the end of input


def test_auto_puts_the_writer_in_a_process_only_beside_a_spare_cpu(monkeypatch):
    from crawler.warc_process import writer_in_process

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert writer_in_process("auto") and writer_in_process("process", 2)
    assert not writer_in_process("auto", 2)        # two frontier workers on two CPUs
    assert not writer_in_process("inline")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not writer_in_process("auto") and writer_in_process("process")
