"""A disk that fills up, as the kernel makes it: every write past a file-size limit fails
(RLIMIT_FSIZE, SIGXFSZ ignored: `OSError: File too large`, what ENOSPC looks like to the
code). A real crawl against the test server stops at its first failed write with one line
saying what and where, no traceback; everything archived before it stays readable.
"""

from __future__ import annotations

import resource
import signal
import subprocess
from pathlib import Path

from archive.warc.crawllog import read_lines
from archive.warc.writer import iter_captures, warc_files
from tests.test_crawl import crawl_command, write_seeds
from tests.webserver import WebServer, article_html


def crawl_on_a_full_disk(tmp_path: Path, limit: int) -> subprocess.CompletedProcess:
    def full() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    with WebServer() as server:
        for n in range(12):
            server.set_page(f"/p{n}", article_html(n % 3).replace("</body>", f"<!-- {n} --></body>"))
        write_seeds(tmp_path / "seeds", [[(f"http://news.test:{server.port}/p{n}", "original")]
                                         for n in range(12)])
        (tmp_path / "data").mkdir()
        return subprocess.run(crawl_command(tmp_path / "seeds", tmp_path / "data"),
                              capture_output=True, text=True, timeout=120, preexec_fn=full)


def test_a_crawl_started_on_a_full_disk_says_so_in_one_line(tmp_path):
    result = crawl_on_a_full_disk(tmp_path, 0)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert line == (f"Error: {tmp_path / 'data'}: File too large: stopped at the first write "
                    "that failed; free some space and run the command again")


def test_a_disk_filling_during_a_crawl_stops_it_cleanly(tmp_path):
    result = crawl_on_a_full_disk(tmp_path, 20_000)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert len(errors) == 1 and "File too large" in errors[0] and ".warc.gz" in errors[0]
    archived = [c for path in warc_files(tmp_path / "data" / "warcs") for c in iter_captures(path)]
    assert archived and all(c.status == 200 for c in archived)


def test_resume_after_a_full_disk_fetches_and_archives_what_was_not_kept(tmp_path):
    """A URL fetched but not archived gets no crawl-log line, so `--resume` asks for it again."""
    def full() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    seeds, data = tmp_path / "seeds", tmp_path / "data"
    with WebServer() as server:
        for n in range(12):
            server.set_page(f"/p{n}", article_html(n % 3).replace("</body>", f"<!-- {n} --></body>"))
        urls = [f"http://news.test:{server.port}/p{n}" for n in range(12)]
        write_seeds(seeds, [[(url, "original")] for url in urls])
        data.mkdir()
        stopped = subprocess.run(crawl_command(seeds, data), capture_output=True, text=True,
                                 timeout=120, preexec_fn=full)
        assert stopped.returncode == 1
        (log,) = sorted((data / "crawls").glob("*.jsonl"))
        before = read_lines(log)
        assert len(before) < len(urls)
        assert not any("not archived" in (line.get("detail") or "") for line in before)
        resumed = subprocess.run([*crawl_command(seeds, data), "--resume"],
                                 capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    lines = read_lines(log)
    assert sorted(line["url"] for line in lines) == sorted(urls)   # one line each, none twice
    assert all(line["outcome"] == "fetched" for line in lines), [
        (line["url"], line.get("detail")) for line in lines if line["outcome"] != "fetched"]
    archived = {c.target_uri for path in warc_files(data / "warcs") for c in iter_captures(path)}
    assert set(urls) <= archived
