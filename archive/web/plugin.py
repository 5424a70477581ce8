"""The seedcheck Datasette plugin (registered by the `datasette` entry point).

Pages: `/-/seedcheck` (every seed with its verdict), `/-/seedcheck/seed/<id>` (a seed beside
one capture of its originals), `/-/seedcheck/raw/<record id>` (the archived bytes, fenced by
a Content-Security-Policy), `/-/seedcheck/comparison/<id>` (a redirect to the compare page),
`/-/seedcheck/url?url=…` (one URL's captures and changes over time, `archive.web.timeline`) and
`/-/seedcheck/changes?since=YYYY-MM-DD` (what changed since a date).
This is the only module that imports Datasette; what the pages show is shaped by the plain
functions of `archive.web.pages`. Text from the archive reaches the templates as data and is
escaped by Jinja's autoescape; nothing here marks archived text as safe.
"""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from urllib.parse import unquote

from datasette import hookimpl
from datasette.database import Database, connections
from datasette.utils.asgi import NotFound, Response, asgi_static
from jinja2 import ChoiceLoader, FileSystemLoader

from archive.layout import DataDir
from archive.warc.writer import WarcError
from archive.web import cells, guard, links, payloads, sandbox, tables
from archive.web import pages as review
from archive.web import replay as replaying
from archive.web import report as reports
from archive.web import search as finder
from archive.web import timeline as history
from archive.web.cache import PageCache
from archive.web.guard import handle_exception, prepare_connection, startup  # noqa: F401 hooks
from archive.web.readers import Readers

HERE = Path(__file__).resolve().parent
DATABASE = "seedcheck"
# What no archived page may do when shown: run code, load anything, be sniffed as another type.
RAW_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-DNS-Prefetch-Control": "off",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Cache-Control": "private, max-age=3600",
}
# The archive answers reads only: any other method is refused before Datasette sees it.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Actions of Datasette's write API (1.0): refused whatever the configuration says.
WRITE_ACTIONS = frozenset({
    "insert-row", "delete-row", "update-row", "create-table", "drop-table", "alter-table",
    "upsert-row",
})


def database(datasette):
    """The seedcheck database (`seedcheck.db`), or the first one served."""
    try:
        return datasette.get_database(DATABASE)
    except KeyError:
        return datasette.get_database()


class FreshDatabase(Database):
    """A database file that `seedcheck build` may replace (os.replace) while it is served.

    Datasette keeps one connection per thread, found by the database's name; a connection
    opened for the file that was replaced would go on reading the old one. This one answers
    only with connections it opened itself.
    """

    def __init__(self, ds, path: str, identity: tuple):
        super().__init__(ds, path=path, is_mutable=False)
        self.identity = identity
        self._mine: set[int] = set()

    async def execute_fn(self, fn):
        if self.ds.executor is None:
            return await super().execute_fn(fn)

        def in_thread():
            conn = getattr(connections, self.name, None)
            if conn is None or id(conn) not in self._mine:
                conn = self.connect()
                self.ds._prepare_connection(conn, self.name)
                self._mine.add(id(conn))
                setattr(connections, self.name, conn)
            return fn(conn)

        return await asyncio.get_running_loop().run_in_executor(self.ds.executor, in_thread)


def file_identity(path: str) -> tuple | None:
    """What tells one database file from the one that replaced it at the same path."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


_SWAP = threading.Lock()


def refresh(datasette) -> None:
    """Serve the database file now at the path, if a build replaced the one that was opened."""
    db = database(datasette)
    if db.path is None or db.is_memory:
        return
    identity = file_identity(db.path)
    if identity is None or identity == getattr(db, "identity", None):
        return
    with _SWAP:
        if database(datasette) is not db:
            return                                   # another request swapped it already
        fresh = FreshDatabase(datasette, db.path, identity)
        name, route = db.name, db.route
        datasette.remove_database(name)
        datasette.add_database(fresh, name=name, route=route)


def compare_path(datasette, seed_id: str, record_id: str | None = None) -> str:
    return links.compare_path(datasette.urls, seed_id, record_id)


def _links(datasette) -> review.Links:
    return links.page_links(datasette.urls, database(datasette).name)


def cached(page):
    """One of the plugin's own pages, answered from the page cache while its file is served."""
    async def view(datasette, request):
        db = database(datasette)
        return await PageCache.of(datasette).serve(
            getattr(db, "identity", None), request, lambda: page(datasette, request),
            lambda: database(datasette) is db, Response)
    return view


# -- hooks --------------------------------------------------------------------------------------
@hookimpl
def prepare_jinja2_environment(env, datasette):
    # Python 3.11 cannot locate templates beside a plugin *module*, so add them here; ours come
    # first so that index.html (the landing page) leads to the seed list.
    env.loader = ChoiceLoader([FileSystemLoader(str(HERE / "templates")), env.loader])


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/seedcheck/static/seedcheck.css")]


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        gate = guard.SqlGate()

        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"] not in READ_METHODS:
                refusal = Response.text("405: this archive is read-only", status=405,
                                        headers={"Allow": ", ".join(sorted(READ_METHODS))})
                await refusal.asgi_send(send)
                return
            if scope["type"] == "http":
                refresh(datasette)
                target = _without_json(datasette, scope)
                if target:
                    await Response.redirect(target).asgi_send(send)
                    return
            await gate(app, scope, receive, send)
        return read_only
    return wrap


def _without_json(datasette, scope) -> str | None:
    """A table page asked for with no choice of columns: the same page, JSON columns hidden."""
    if scope["method"] != "GET":
        return None
    prefix = datasette.urls.database(database(datasette).name) + "/"
    return tables.json_hidden(scope.get("path") or "", prefix,
                              scope.get("query_string", b"").decode("latin-1"))


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/-/seedcheck"), "label": "Seeds and their originals"},
            {"href": datasette.urls.path("/-/seedcheck/search"), "label": "Search"}]


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    if action in WRITE_ACTIONS:
        return False
    return None


@hookimpl
def register_routes():
    return [
        (r"^/-/seedcheck$", cached(home)),
        (r"^/-/seedcheck/seed/(?P<seed_id>[^/]+)\.(?P<format>json|md)$", cached(seed_report)),
        (r"^/-/seedcheck/seed/(?P<seed_id>[^/]+)$", cached(compare)),
        (r"^/-/seedcheck/comparison/(?P<comparison_id>[0-9]{1,18})$", comparison),
        (r"^/-/seedcheck/raw/(?P<record_id>[^/]+)$", raw),
        (r"^/-/seedcheck/replay/(?P<record_id>[^/]+)$", replay),
        (r"^/-/seedcheck/asset/(?P<record_id>[^/]+)$", asset),
        (r"^/-/seedcheck/url$", cached(url_history)),
        (r"^/-/seedcheck/changes$", cached(changes)),
        (r"^/-/seedcheck/search$", cached(search)),
        (r"^/-/seedcheck/static/(?P<path>.*)$", asgi_static(HERE / "static")),
        (r"^/-/databases(?P<format>\.json)?$", guard.databases),
    ]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Verdicts as badges; seed ids and comparison ids as links to the compare page."""
    return cells.cell(
        row, value, column, table,
        compare=lambda seed_id, record_id=None: compare_path(datasette, seed_id, record_id),
        comparison=lambda number: datasette.urls.path(f"/-/seedcheck/comparison/{number}"))


# -- pages ---------------------------------------------------------------------------------------
async def home(datasette, request):
    db = database(datasette)
    after = request.args.get("after") or ""
    page = await Readers.of(db).run(lambda conn: review.home(conn, _links(datasette), after))
    return Response.html(await datasette.render_template(
        "seedcheck_home.html", {"page": page, "database": db.name}, request=request))


async def compare(datasette, request):
    db = database(datasette)
    seed_id = unquote(request.url_vars["seed_id"])     # routes match the raw path
    record_id = request.args.get("capture") or None
    if request.args.get("_format") in ("json", "md"):
        return await _report(datasette, request, request.args["_format"])
    view = request.args.get("view") or "changes"
    page = await Readers.of(db).run(
        lambda conn: review.compare(conn, seed_id, record_id, _links(datasette), view))
    if page is None:
        raise NotFound(f"No seed {seed_id!r}")
    page.update(links.compare_extras(datasette.urls, seed_id, record_id))
    return Response.html(await datasette.render_template(
        "seedcheck_compare.html", {"page": page, "database": db.name}, request=request))


async def seed_report(datasette, request):
    """A seed's report as JSON or Markdown (`/-/seedcheck/seed/ID.json`, `.md`)."""
    return await _report(datasette, request, request.url_vars["format"])


async def _report(datasette, request, format: str):
    db = database(datasette)
    seed_id = unquote(request.url_vars["seed_id"])     # routes match the raw path
    record_id = request.args.get("capture") or None
    found = await Readers.of(db).run(
        lambda conn: reports.seed_report(conn, seed_id, _links(datasette), record_id))
    if found is None:
        raise NotFound(f"No seed {seed_id!r}")
    if format == "json":
        return Response.json(found)
    return Response(reports.to_markdown(found), content_type="text/markdown; charset=utf-8")


async def comparison(datasette, request):
    number = int(request.url_vars["comparison_id"])       # at most 18 digits: an SQLite integer
    found = await Readers.of(database(datasette)).run(lambda conn: conn.execute(
        "select seed_id, record_id from comparisons where id = ?", [number]).fetchone())
    if found is None:
        raise NotFound(f"No comparison {number}")
    return Response.redirect(compare_path(datasette, found["seed_id"], found["record_id"]))


async def _payload(db, record_id: str):
    """The capture holding a record's payload, or the Response that says why there is none."""
    where = await Readers.of(db).run(lambda conn: review.payload_location(conn, record_id))
    if where is None:
        raise NotFound(f"No capture {record_id}")
    # The file name comes from the WARCs themselves; only a name inside DATA/warcs (or
    # DATA/imports, for files `seedcheck import` kept) is read.
    data = DataDir.configured(db.ds.plugin_config("seedcheck"))
    try:
        capture = await asyncio.to_thread(payloads.read, where, data)
    except (OSError, WarcError) as exc:
        return Response.text(f"Cannot read {where.warc_file} at offset {where.warc_offset}: {exc}",
                             status=500, headers=RAW_HEADERS)
    if capture.body_problem:
        return Response.text(f"Not shown: the {capture.body_problem}", status=413,
                             headers=RAW_HEADERS)
    return capture


async def raw(datasette, request):
    """The archived payload of a capture, as the site sent it, unable to run or load anything."""
    capture = await _payload(database(datasette), review.full_id(request.url_vars["record_id"]))
    if isinstance(capture, Response):
        return capture
    content_type, extra = review.raw_content_type(capture.content_type, capture.charset)
    body, content_type = await asyncio.to_thread(      # HTML: inert, or its source as text
        sandbox.shown, capture.body, capture.charset, content_type, "source" in request.args)
    return Response(body, headers={**RAW_HEADERS, **extra}, content_type=content_type)


async def replay(datasette, request):
    """An archived HTML page with its archived stylesheets and images, fenced (REPLAY_CSP)."""
    record_id = review.full_id(request.url_vars["record_id"])
    capture = await _payload(database(datasette), record_id)
    if isinstance(capture, Response):
        return capture
    content_type, extra = review.raw_content_type(capture.content_type, capture.charset)
    if not content_type.startswith(("text/html", "application/xhtml")) \
            or len(capture.body) > sandbox.MAX_HTML:
        body, content_type = sandbox.shown(capture.body, capture.charset, content_type, False)
        return Response(body, headers={**RAW_HEADERS, **extra}, content_type=content_type)
    body = await asyncio.to_thread(replaying.replay_html, capture.body, capture.charset,
                                   capture.target_uri, links.asset_href(datasette.urls, record_id),
                                   links.asset_prefix(datasette.urls))
    return Response(body, headers={**RAW_HEADERS, "Content-Security-Policy": replaying.REPLAY_CSP},
                    content_type="text/html; charset=utf-8")


async def asset(datasette, request):
    """A stylesheet, image or font of a replayed page: the capture nearest the page's time."""
    db = database(datasette)
    page_id = review.full_id(request.url_vars["record_id"])
    url = request.args.get("url") or ""
    record_id = await Readers.of(db).run(lambda conn: replaying.nearest_asset(conn, url, page_id))
    if not record_id:
        raise NotFound(f"Not archived: {url}")
    capture = await _payload(db, record_id)
    if isinstance(capture, Response):
        return capture
    mime = (capture.content_type or "").lower()
    if mime not in replaying.ASSET_TYPES:
        raise NotFound(f"Not a stylesheet, image or font: {url} ({mime or 'no type'})")
    body = capture.body
    if mime == "text/css":
        css = body.decode(capture.charset or "utf-8", errors="replace")
        body = replaying.replay_css(css, url, links.asset_href(datasette.urls, page_id),
                                    links.asset_prefix(datasette.urls)).encode()
        mime = "text/css; charset=utf-8"
    # The replayed page is sandboxed, so its origin is opaque: same-origin would refuse it.
    return Response(body, headers={**RAW_HEADERS, "Cross-Origin-Resource-Policy": "cross-origin"},
                    content_type=mime)


async def url_history(datasette, request):
    """One URL's captures, failed fetches and changes over time (`?url=`)."""
    db = database(datasette)
    url = request.args.get("url") or ""
    if not url:
        raise NotFound("Give the URL: /-/seedcheck/url?url=…")
    page = await Readers.of(db).run(
        lambda conn: history.timeline(conn, url, links.history_links(datasette.urls, db.name)))
    return Response.html(await datasette.render_template(
        "seedcheck_url.html", {"page": page, "database": db.name}, request=request),
        status=200 if page["known"] else 404)


async def changes(datasette, request):
    """What changed since a date (`?since=YYYY-MM-DD`; none: every change)."""
    db = database(datasette)
    since = request.args.get("since") or ""
    found = links.history_links(datasette.urls, db.name)
    page = await Readers.of(db).run(lambda conn: history.changes_since(conn, since, found))
    return Response.html(await datasette.render_template(
        "seedcheck_changes.html", {"page": page, "database": db.name}, request=request))


async def search(datasette, request):
    """Seeds and archived texts with the words of `?q=`, each with its snippet."""
    db = database(datasette)
    text = request.args.get("q") or ""
    page = await Readers.of(db).run(lambda conn: finder.search(conn, text, _links(datasette)))
    return Response.html(await datasette.render_template(
        "seedcheck_search.html", {"page": page, "database": db.name}, request=request))
