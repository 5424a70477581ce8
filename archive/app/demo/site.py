"""The demo site: a tiny HTTP server on 127.0.0.1 serving the demo articles as news pages.

It answers for any Host, so the crawl reaches it as `http://demo-news.test:PORT/…` through
`--resolve demo-news.test:127.0.0.1`. Every page carries a banner saying it is a demo.
"""

from __future__ import annotations

import html
import http.server
import threading
from collections.abc import Callable
from types import TracebackType

from archive.app.demo.articles import ARTICLES, HOST, PUBLICATION, Article, live_version

BANNER = "seedcheck demo site — not a real publication"
ROBOTS = b"User-agent: *\nAllow: /\n"


def article_page(article: Article, url: str) -> str:
    """A news-site page: banner and navigation around one article, with its metadata."""
    e = html.escape
    body = "\n".join(f"      <p>{e(p)}</p>" for p in article.paragraphs)
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{e(article.title)} | {e(PUBLICATION)}</title>
  <link rel="canonical" href="{e(url)}">
  <meta property="og:title" content="{e(article.title)}">
  <meta property="og:site_name" content="{e(PUBLICATION)}">
  <meta property="og:type" content="article">
  <meta name="author" content="{e(article.author)}">
  <meta property="article:published_time" content="{article.published.isoformat()}">
  <meta name="robots" content="noindex">
</head>
<body>
  <header>
    <div class="demo-banner"><strong>{e(BANNER)}</strong></div>
    <nav><a href="/">Home</a> · <a href="/">Town</a> · <a href="/">Transport</a></nav>
  </header>
  <main>
    <article>
      <h1>{e(article.title)}</h1>
      <p class="standfirst"><em>{e(article.standfirst)}</em></p>
      <p class="byline">By <span class="author">{e(article.author)}</span>,
        <time datetime="{article.published.isoformat()}">{article.published:%B %d, %Y}</time></p>
{body}
    </article>
  </main>
  <footer><p>{e(BANNER)}. Invented stories written for seedcheck's demo.</p></footer>
</body>
</html>
"""


def home_page(articles: list[Article]) -> str:
    items = "\n".join(f'    <li><a href="{a.path}">{html.escape(a.title)}</a></li>'
                      for a in articles)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(PUBLICATION)}</title></head><body>"
            f"<header><strong>{html.escape(BANNER)}</strong></header>\n<ul>\n{items}\n</ul>"
            "</body></html>\n")


class DemoSite:
    """The demo site's server; a context manager. `url(article)` is where an article lives."""

    def __init__(self, port: int = 0, pages: Callable[[Article], Article | None] = live_version):
        self.pages = pages
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread: threading.Thread | None = None

    def url(self, article: Article) -> str:
        return f"http://{HOST}:{self.port}{article.path}"

    def routes(self) -> dict[str, bytes]:
        found = {a.path: (self.pages(a), a) for a in ARTICLES}
        routes = {path: article_page(live, self.url(a)).encode()
                  for path, (live, a) in found.items() if live is not None}
        routes["/"] = home_page([live for live, _ in found.values() if live]).encode()
        routes["/robots.txt"] = ROBOTS
        return routes

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            server_version = "demo-news/1"

            def do_GET(self) -> None:
                body = site.routes().get(self.path.split("?")[0])
                status = 200 if body is not None else 404
                body = body if body is not None else b"<!doctype html><h1>Page not found</h1>"
                kind = "text/plain" if self.path == "/robots.txt" else "text/html"
                self.send_response(status)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass  # the crawl log says what was fetched

        return Handler

    def start(self) -> DemoSite:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                       name="demo-site")
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.thread is not None:
            self.server.shutdown()
            self.thread.join(timeout=5)
            self.thread = None
        self.server.server_close()

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()
