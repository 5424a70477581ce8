"""Bounds at fetch time (crawler/middlewares.py UrlBound, crawler/extensions.py): a 292 KB
header block, a seed's 100 KB URL and a redirect to a 12 KB one are refused and logged, so
that every record a crawl writes stays readable by warcio and by FastWARC. A real crawl
against the test server.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import subprocess
import sys
import threading
from pathlib import Path

from fastwarc.warc import ArchiveIterator as FastIterator
from warcio.archiveiterator import ArchiveIterator

from archive.warc.crawllog import read_lines
from archive.warc.writer import warc_files
from tests.test_crawl import crawl, logs, write_seeds
from tests.webserver import WebServer, article_html

BIN = Path(sys.executable).parent


def test_huge_headers_and_urls_are_refused_and_every_record_stays_readable(tmp_path):
    with WebServer() as server:
        base = f"http://news.test:{server.port}"
        server.set_page("/fat-headers", article_html(0), headers=[
            ("Content-Type", "text/html; charset=utf-8"),
            *((f"X-Filler-{n}", "v" * 1000) for n in range(292))])
        server.redirect("/to-long", "/long/" + "u" * 12_000)
        server.set_page("/fine", article_html(1))
        seeds = tmp_path / "seeds"
        huge = f"{base}/long/" + "w" * 100_000
        write_seeds(seeds, [[(f"{base}/fat-headers", "original")], [(f"{base}/to-long", "original")],
                            [(f"{base}/fine", "original")], [(huge, "original")]])
        result = crawl(seeds, tmp_path / "data")
        long_requests = [r for r in server.requests if r.path.startswith("/long/")]
    assert result.returncode == 0, result.stderr
    assert long_requests == []                                   # never fetched
    lines = {line["url"].removeprefix(base): line for log in logs(tmp_path / "data")
             for line in read_lines(log)}
    fat, long, fine = lines["/fat-headers"], lines["/to-long"], lines["/fine"]
    huge = lines["/long/" + "w" * 100_000]
    assert (fat["outcome"], fat["error"]) == ("failed", "other")
    assert "response header block of" in fat["detail"] and "24,576-byte limit" in fat["detail"]
    assert (long["outcome"], long["error"]) == ("failed", "other"), long["detail"]
    assert "URL of 12," in long["detail"] and "8,192-character limit" in long["detail"]
    assert (huge["outcome"], huge["error"]) == ("failed", "other")
    assert "URL of 100," in huge["detail"] and "not fetched" in huge["detail"]
    assert fine["outcome"] == "fetched"
    responses = 0
    for path in warc_files(tmp_path / "data" / "warcs"):
        with path.open("rb") as fh:
            kinds = [record.rec_type for record in ArchiveIterator(fh)]
        with path.open("rb") as fh:
            assert len(list(FastIterator(fh, parse_http=True))) == len(kinds), path.name
        responses += kinds.count("response")
    assert responses >= 2                                        # /fine, /to-long's 302


def test_an_ipv6_literal_is_fetched_and_credentials_are_refused(tmp_path):
    class Six(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = article_html(2).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = Six(("::1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        seeds = tmp_path / "seeds"
        six = f"http://[::1]:{server.server_address[1]}/six"
        write_seeds(seeds, [[(six, "original")],
                            [("http://user:secret@news.test/private", "original")]])
        listed = subprocess.run([str(BIN / "seedcheck"), "seeds", "--seeds", str(seeds)],
                                capture_output=True, text=True, timeout=60)
        result = crawl(seeds, tmp_path / "data")
    finally:
        server.shutdown()
    assert listed.returncode == 1
    assert "carries a user name or password: not crawled" in listed.stderr
    assert result.returncode == 0, result.stderr
    lines = [line for log in logs(tmp_path / "data") for line in read_lines(log)]
    assert [(line["url"], line["outcome"], line["status"]) for line in lines] == [(six, "fetched", 200)]


def raw_reply_crawl(tmp_path, reply: bytes) -> dict:
    """The crawl-log line of one URL served by a socket that sends `reply` to every request."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def answer() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            conn.recv(65536)
            with contextlib.suppress(OSError):   # the crawler may hang up first
                conn.sendall(reply)
            conn.close()

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        seeds = tmp_path / "seeds"
        url = f"http://news.test:{listener.getsockname()[1]}/odd"
        write_seeds(seeds, [[(url, "original")]])
        result = crawl(seeds, tmp_path / "data")
    finally:
        stop.set()
        thread.join()
        listener.close()
    assert "Traceback" not in result.stderr
    (line,) = [line for log in logs(tmp_path / "data") for line in read_lines(log)]
    return line


def test_a_reply_that_is_no_http_is_not_called_a_reset(tmp_path):
    """A server answering with an invalid status line: `other`, saying so (not `reset`)."""
    line = raw_reply_crawl(tmp_path, b"HTTP/1.1 banana split\r\nContent-Length: 2\r\n\r\nhi")
    assert (line["outcome"], line["error"]) == ("failed", "other"), line["detail"]
    assert line["detail"].startswith("not a valid HTTP response: ")


def test_a_one_megabyte_header_is_not_called_a_reset(tmp_path):
    """Twisted hangs up on a header line over 16 KB: `other`, saying what may have happened."""
    big = b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (1 << 20) + b"\r\nContent-Length: 2\r\n\r\nok"
    line = raw_reply_crawl(tmp_path, big)
    assert (line["outcome"], line["error"]) == ("failed", "other"), line["detail"]
    assert "16 KB" in line["detail"] and "closed before the response headers ended" in line["detail"]
