"""A real HTTP/1.1 server on 127.0.0.1 that serves article pages and misbehaves on purpose.

Byte-level control over what goes on the wire: chunked framing written by hand, gzip bodies,
connections reset mid-body (RST via SO_LINGER 0), responses that stall, bodies delimited by
closing the connection. Any Host is served, so tests crawl `http://news.test:PORT/...` with the
crawler's host mapping (`--resolve news.test:127.0.0.1`).

Fixture `webserver` gives a started `WebServer`; `WebServer()` is also a context manager for
module-scoped fixtures. Routes are a mutable table: `set_page`, `set_responses` (served in turn,
the last one repeating), `redirect`, `remove`. Every request is recorded (`requests`, `count`).
"""

from __future__ import annotations

import gzip
import http.server
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest

from tests.articles import ARTICLES
from tests.pages import encoded, moscow_times_page, nbc_page, telegraph_page, wordpress_page

ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
STALL_SECONDS = 30.0  # longer than any test's download timeout; cut short when the server stops


@dataclass(frozen=True)
class Response:
    """One response as it goes on the wire.

    framing: "length" (Content-Length), "chunked" (hand-written chunks), "close" (no length,
    the connection's end delimits the body), "reset" (full Content-Length, then an RST after
    `cut` bytes), "stall" (full Content-Length, `cut` bytes, then silence).
    """

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    framing: str = "length"
    cut: int = 0
    delay: float = 0.0  # seconds to wait before answering (a slow server)


@dataclass(frozen=True)
class Seen:
    """A request as the server received it."""

    method: str
    target: str  # the request target, query string included
    path: str
    headers: tuple[tuple[str, str], ...]
    at: float = 0.0  # time.monotonic() when it arrived (politeness is measured from it)

    @property
    def host(self) -> str:
        return (dict(self.headers).get("Host") or "").rsplit(":", 1)[0]


@dataclass
class _State:
    routes: dict[str, list[Response]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    in_flight: Counter = field(default_factory=Counter)  # by Host header
    peak: Counter = field(default_factory=Counter)  # most requests in flight at once, by host
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


def article_html(n: int = 0, shape: str = "nbc") -> str:
    """A realistic publisher page (25-35 KB of HTML) for one of the known test articles."""
    article = ARTICLES[n % len(ARTICLES)]
    build = {"nbc": nbc_page, "moscow_times": moscow_times_page, "telegraph": telegraph_page,
             "wordpress": wordpress_page}[shape]
    return build(article)


def _chunked(body: bytes, size: int = 4096) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size])
             for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def marked(html: str, mark: str) -> bytes:
    """`html` made unique by a comment, so each route's payload has its own digest."""
    return html.replace("</body>", f"<!-- {mark} --></body>", 1).encode()


def default_routes() -> dict[str, list[Response]]:
    """The built-in cases: good pages and every kind of misbehaviour the crawler must survive."""
    base = article_html(0)
    text = ("Content-Type", "text/plain; charset=utf-8")
    routes = {
        "/robots.txt": [Response(body=ROBOTS_TXT, headers=(text,))],
        "/chain/start": [Response(301, b"moved", (text, ("Location", "/chain/middle")))],
        "/chain/middle": [Response(302, b"found", (text, ("Location", "/chain/end")))],
        "/chain/end": [Response(body=marked(base, "chain end"))],
        "/status/404": [Response(404, b"<html><body><h1>Not Found</h1></body></html>")],
        "/status/410": [Response(410, b"<html><body><h1>Gone</h1></body></html>")],
        "/flaky": [Response(500, b"<html><body>Internal Server Error</body></html>"),
                   Response(body=marked(base, "flaky"))],
        "/busy": [Response(429, b"slow down", (text, ("Retry-After", "1"))),
                  Response(body=marked(base, "busy"))],
        "/stall": [Response(body=marked(base, "stall"), framing="stall", cut=1000)],
        "/reset": [Response(body=marked(base, "reset"), framing="reset", cut=5000)],
        "/gzip": [Response(body=gzip.compress(marked(base, "gzip"), mtime=0), headers=(
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
            ("Vary", "Accept-Encoding")))],
        "/chunked": [Response(body=marked(base, "chunked"), framing="chunked")],
        "/close-delimited": [Response(body=marked(base, "close"), framing="close")],
        "/charset": [Response(body=encoded(article_html(1, "wordpress"), "cp1252", "utf-8"))],
        "/cookies": [Response(body=marked(base, "cookies"), headers=(
            ("Content-Type", "text/html; charset=utf-8"),
            ("Set-Cookie", "session=abc123; Path=/; HttpOnly"),
            ("Set-Cookie", "consent=yes; Path=/; Max-Age=3600")))],
        "/search": [Response(body=article_html(2, "telegraph").encode())],
        "/private/secret": [Response(body=marked(base, "private"))],
        "/big": [Response(body=marked(base, "big") * 12)],
        "/big-chunked": [Response(body=marked(base, "big chunked") * 12, framing="chunked")],
        "/to-ftp": [Response(302, b"", (text, ("Location", "ftp://files.test/article.txt")))],
    }
    for i, shape in enumerate(("moscow_times", "nbc", "telegraph", "wordpress")):
        routes[f"/articles/{shape}"] = [Response(body=article_html(i, shape).encode())]
    return routes


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "seedcheck-testserver/1"
    state: _State  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        state = self.state
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        with state.lock:
            number = state.counts[path]
            state.counts[path] += 1
            state.in_flight[host] += 1
            state.peak[host] = max(state.peak[host], state.in_flight[host])
            state.requests.append(Seen(self.command, self.path, path, tuple(self.headers.items()),
                                       time.monotonic()))
            answers = state.routes.get(self.path) or state.routes.get(path)
        if not answers:
            answers = [Response(404, b"<html><body>No such page</body></html>")]
        response = answers[min(number, len(answers) - 1)]
        try:
            if response.delay and state.stopping.wait(response.delay):
                self.close_connection = True
                return
            self._write(response, send_body)
        finally:
            with state.lock:
                state.in_flight[host] -= 1

    def _write(self, r: Response, send_body: bool) -> None:
        reason = HTTPStatus(r.status).phrase if r.status in HTTPStatus._value2member_map_ else "X"
        head = [f"HTTP/1.1 {r.status} {reason}", *(f"{k}: {v}" for k, v in r.headers)]
        if r.framing == "chunked":
            head.append("Transfer-Encoding: chunked")
        elif r.framing == "close":
            head.append("Connection: close")
            self.close_connection = True
        else:
            head.append(f"Content-Length: {len(r.body)}")
        wire = "\r\n".join(head).encode("latin-1") + b"\r\n\r\n"
        body = _chunked(r.body) if r.framing == "chunked" else r.body
        if not send_body:
            self.wfile.write(wire)
        elif r.framing in ("reset", "stall"):
            self.wfile.write(wire + r.body[: r.cut])
            self.wfile.flush()
            if r.framing == "stall":
                self.state.stopping.wait(STALL_SECONDS)
            # SO_LINGER 0: closing sends an RST instead of a FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
        else:
            self.wfile.write(wire + body)


class WebServer:
    """The test server: `.port`, `.url(path, host)`, a route table and a request log."""

    def __init__(self, routes: dict[str, list[Response]] | None = None):
        self._state = _State(routes=default_routes() if routes is None else dict(routes))
        handler = type("Handler", (_Handler,), {"state": self._state})
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> WebServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._state.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str, host: str = "news.test") -> str:
        return f"http://{host}:{self.port}{path}"

    # The route table.
    def set_page(self, path: str, body: bytes | str, status: int = 200,
                 headers: Sequence[tuple[str, str]] | None = None, *, framing: str = "length",
                 delay: float = 0.0) -> None:
        """Serve `body` at `path` (a path, or a path with its query string to match exactly)."""
        data = body.encode() if isinstance(body, str) else body
        heads = tuple(headers) if headers is not None else Response.headers
        self.set_responses(path, [Response(status, data, heads, framing, delay=delay)])

    def set_responses(self, path: str, responses: Sequence[Response]) -> None:
        """Serve these responses to successive requests of `path`; the last one repeats."""
        with self._state.lock:
            self._state.routes[path] = list(responses)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.set_page(path, b"", status, [("Location", to), ("Content-Type", "text/plain")])

    def remove(self, path: str) -> None:
        with self._state.lock:
            self._state.routes.pop(path, None)

    def body(self, path: str) -> bytes:
        """The bytes the first response of `path` puts on the wire as its entity body."""
        with self._state.lock:
            return self._state.routes[path][0].body

    # What was asked.
    @property
    def requests(self) -> list[Seen]:
        with self._state.lock:
            return list(self._state.requests)

    def count(self, path: str) -> int:
        with self._state.lock:
            return self._state.counts[path]

    def peak_in_flight(self, host: str = "news.test") -> int:
        """The most requests to `host` the server was answering at the same time."""
        with self._state.lock:
            return self._state.peak[host]

    def reset_counts(self) -> None:
        with self._state.lock:
            self._state.counts.clear()
            self._state.requests.clear()
            self._state.peak.clear()


@pytest.fixture
def webserver() -> Iterator[WebServer]:
    with WebServer() as server:
        yield server
