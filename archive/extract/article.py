"""Main text and metadata of a captured page, and what kind of page it is.

`extract(html, url)` parses the page once: it keeps the full visible text (visible.py), fixes the
markup trafilatura loses text on (markup.py: widgets, split bodies, inline links), runs trafilatura
tuned for news pages (precision first, no comments), moves credit lines into `furniture`
(furniture.py) and labels pages that are not an article (soft 404, consent wall, paywall teaser,
front page, too short; pagekind.py) so they are never compared as if they were.
`extract_payload(body, content_type)` takes bytes of any type: it picks the charset, extracts PDF
text with pypdf and labels images and binaries. Neither raises on bad input: a broken page is a
result with `kind="broken"` and a reason.

This is the only module that imports trafilatura and pypdf.
"""

from __future__ import annotations

import io
import logging
import re
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import datetime
from importlib.metadata import version
from typing import TYPE_CHECKING

import trafilatura
from lxml import etree

if TYPE_CHECKING:
    import pypdf

from archive.extract import markup
from archive.extract.charset import decode_html
from archive.extract.furniture import split_furniture
from archive.extract.metadata import Meta, declared, ld_objects
from archive.extract.pagekind import MIN_ARTICLE_WORDS, classify, count_words, page_signals
from archive.extract.visible import visible_text

EXTRACTOR = "trafilatura"
# Bump the last number whenever a change here changes what extraction gives for the same bytes.
EXTRACTOR_VERSION = (f"trafilatura {trafilatura.__version__}; pypdf {version('pypdf')}; "
                     "seedcheck-extract 4")
KINDS = ("article", "empty", "too-short", "not-found", "consent", "paywall", "home-page", "pdf",
         "image", "binary", "broken")
LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Extracted:
    text: str                    # main text, paragraphs separated by "\n\n"
    title: str | None
    author: str | None
    date: str | None             # ISO date
    sitename: str | None
    language: str | None
    canonical_url: str | None
    kind: str                    # one of KINDS
    kind_reason: str | None      # one line: why it was labelled so
    extractor: str = EXTRACTOR
    extractor_version: str = EXTRACTOR_VERSION
    word_count: int = 0          # words; CJK text counted in characters, two to a word
    page_text: str = ""          # the page's full visible text, one line per block
    furniture: tuple[str, ...] = ()  # credit lines, copyright, widget labels taken out of text

    @property
    def is_article(self) -> bool:
        if self.kind == "pdf":
            return self.word_count >= MIN_ARTICLE_WORDS
        return self.kind == "article"


@dataclass(frozen=True)
class ExtractOptions:
    """How trafilatura is run. Precision keeps related boxes, newsletters and captions out."""
    favor_precision: bool = True
    prune_boxes: bool = True         # drop widgets, join split bodies, unwrap inline (markup.py)
    include_tables: bool = True
    # trafilatura's readability/jusText fallback costs a third of the time and changed no page
    # of the corpus's tuning half: a fast pass first, the fallback only to rescue a pass that
    # found almost nothing (fewer words than this).
    # None: always (trafilatura's default, one pass); 0: never.
    fallback_below: int | None = 100
    extensive_date_search: bool = True
    max_chars: int = 8_000_000       # bigger pages are labelled "broken", not parsed
    max_pdf_pages: int = 300


OPTIONS = ExtractOptions()


def labelled(kind: str, reason: str, text: str = "", **meta: str | None) -> Extracted:
    """A result with no (or partial) text and a label saying why."""
    fields = dict.fromkeys(("title", "author", "date", "sitename", "language", "canonical_url"))
    fields.update(meta)
    words = count_words(text)
    return Extracted(text=text, kind=kind, kind_reason=reason, word_count=words, **fields)


def extract(html: str, url: str | None = None, *, options: ExtractOptions = OPTIONS) -> Extracted:
    """Main text and metadata of an HTML page; never raises on bad HTML."""
    try:
        return _extract_html(html, url, options)
    except Exception as exc:  # bad input must become a labelled row, never a crashed build
        LOG.warning("extraction failed for %s: %r", url, exc)
        return labelled("broken", f"extraction failed: {type(exc).__name__}: {exc}"[:300])


def extract_payload(body: bytes, content_type: str | None, charset: str | None = None,
                    url: str | None = None, *, options: ExtractOptions = OPTIONS) -> Extracted:
    """Text and label of a response body of any type (HTML, PDF, image, junk); never raises."""
    try:
        kind, reason = sniff(body, content_type)
        if kind == "pdf":
            return _extract_pdf(body, options)
        if kind != "html":
            return labelled(kind, reason)
        if (content_type or "").lower().startswith("text/plain"):
            text, note = decode_html(body, charset)
            return _plain_text(text, note)
        html, note = decode_html(body, charset)
        result = extract(html, url, options=options)
        if note and result.kind == "article":
            return replace(result, kind_reason=note)
        return result
    except Exception as exc:
        LOG.warning("extraction failed for %s: %r", url, exc)
        return labelled("broken", f"extraction failed: {type(exc).__name__}: {exc}"[:300])


# -- what the bytes are ------------------------------------------------------------------------

IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*",
               b"\x00\x00\x01\x00")
BINARY_MAGIC = {b"\x1f\x8b": "gzip data", b"PK\x03\x04": "zip archive", b"7z\xbc\xaf": "7z archive",
                b"\x28\xb5\x2f\xfd": "zstd data", b"\x00asm": "wasm", b"wOF": "web font",
                b"\x00\x01\x00\x00": "font"}
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
CONTROL = bytes(set(range(32)) - {9, 10, 12, 13, 27})


def sniff(body: bytes, content_type: str | None) -> tuple[str, str]:
    """("html" | "pdf" | "image" | "binary" | "empty", reason) from magic bytes, then the header."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if not body.strip():
        return "empty", f"empty body ({len(body)} bytes)"
    head = body[:1024]
    if b"%PDF-" in head:
        return "pdf", "PDF document"
    if mime == "application/pdf":  # an HTML error page served as PDF is read as HTML
        if not head.lstrip().startswith(b"<"):
            return "pdf", "PDF document"
        mime = ""
    if head.startswith(IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image", f"image payload ({mime or 'sniffed'}, {len(body)} bytes)"
    if mime.startswith("image/"):
        return "image", f"image payload ({mime}, {len(body)} bytes)"
    for magic, what in BINARY_MAGIC.items():
        if head.startswith(magic):
            return "binary", f"{what}, not a page ({mime or 'no content type'}, {len(body)} bytes)"
    if mime and not mime.startswith(TEXT_TYPES):
        return "binary", f"not a page: {mime} ({len(body)} bytes)"
    sample = body[:8192]
    if not sample.startswith((b"\xff\xfe", b"\xfe\xff")) and _control_share(sample) > 0.02:
        return "binary", f"binary data, not text ({mime or 'no content type'}, {len(body)} bytes)"
    return "html", "text"


def _control_share(sample: bytes) -> float:
    """Share of control bytes that text never contains: the mark of binary data."""
    return (len(sample) - len(sample.translate(None, CONTROL))) / max(len(sample), 1)


# -- HTML ----------------------------------------------------------------------------------------

def _extract_html(html: str, url: str | None, options: ExtractOptions) -> Extracted:
    if not html.strip():
        return labelled("empty", "empty page")
    if len(html) > options.max_chars:
        return labelled("broken", f"page too large to extract ({len(html):,} characters)")
    if _control_share(html[:8192].encode("utf-8", "replace")) > 0.02:
        return labelled("binary", "binary data, not HTML")
    tree = trafilatura.load_html(html)
    if tree is None:
        return labelled("broken", "not parseable as HTML")
    page_text = visible_text(tree)  # before pruning: the evidence is everything shown
    ld = ld_objects(tree)
    page = page_signals(tree, url, page_text, ld)
    meta = _metadata(tree, url, ld[1], options)
    markup.drop_noise(tree)
    if options.prune_boxes:
        page.removed.extend(markup.drop_widgets(tree, page_text))
        markup.break_runs(tree)
        markup.join_bodies(tree)
    markup.unwrap_inline(tree)
    doc = _trafilatura(tree, url, options, fast=options.fallback_below is not None)
    text = paragraphs(doc.text if doc is not None else "")
    if options.fallback_below and count_words(text) < options.fallback_below:
        rescue = _trafilatura(tree, url, options, fast=False)
        longer = paragraphs(rescue.text if rescue is not None else "")
        text = max(text, longer, key=count_words)
    title = clean_title(meta.title, meta.sitename)
    body, furniture = split_furniture(text.split("\n\n") if text else [], title, page_text)
    text = "\n\n".join(body)
    kind, reason = classify(text, page, url, html)
    return Extracted(text=text, title=title, author=meta.author,
                     date=meta.date, sitename=meta.sitename, language=page.language,
                     canonical_url=page.canonical or None, kind=kind, kind_reason=reason,
                     word_count=count_words(text), page_text=page_text,
                     furniture=tuple(furniture))


def _metadata(tree: etree._Element, url: str | None, objects: list[dict],
              options: ExtractOptions) -> Meta:
    """What the page declares; trafilatura's metadata pass (byline, <title>, dates in the text)
    only for the fields it leaves empty."""
    meta = declared(tree, objects)
    if not meta.complete:
        doc = trafilatura.extract_metadata(deepcopy(tree), url,
                                           extensive=options.extensive_date_search)
        meta.title = meta.title or doc.title
        meta.author = meta.author or doc.author
        meta.date = meta.date or doc.date
        meta.sitename = meta.sitename or doc.sitename
    return meta


def _trafilatura(tree: etree._Element, url: str | None, options: ExtractOptions, *,
                 fast: bool) -> trafilatura.settings.Document | None:
    # deduplicate stays off: its cache is process-wide, so a page's text would depend on the
    # pages extracted before it (a second capture of the same article would lose its body).
    return trafilatura.bare_extraction(
        tree, url=url, favor_precision=options.favor_precision, include_comments=False,
        include_tables=options.include_tables, fast=fast, deduplicate=False,
        with_metadata=False)


def clean_title(title: str | None, sitename: str | None) -> str | None:
    """The headline without the " - Site Name" that <title> and og:title often append."""
    if title and sitename:
        for sep in (" - ", " – ", " — ", " | ", " :: "):
            if title.endswith(sep + sitename) and len(title) > len(sep + sitename):
                return title[: -len(sep + sitename)].strip()
    return title


def paragraphs(text: str) -> str:
    """trafilatura puts blocks on lines; a line is a paragraph, separated by a blank line."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _plain_text(text: str, note: str | None) -> Extracted:
    blocks = re.split(r"\n\s*\n", text)
    body = "\n\n".join(" ".join(block.split()) for block in blocks if block.strip())
    words = count_words(body)
    if words == 0:
        return labelled("empty", "empty text document")
    if words < MIN_ARTICLE_WORDS:
        return replace(labelled("too-short", f"only {words} words of plain text", text=body),
                       page_text=body)
    return Extracted(text=body, title=None, author=None, date=None, sitename=None, language=None,
                     canonical_url=None, kind="article", kind_reason=note, word_count=words,
                     page_text=body)


# -- PDF -----------------------------------------------------------------------------------------

PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)
SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")


def _extract_pdf(body: bytes, options: ExtractOptions) -> Extracted:
    import pypdf  # here, not at the top: most builds meet no PDF, and it costs 75 ms to import

    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [pdf_blocks(page) for page in reader.pages[: options.max_pdf_pages]]
        info = reader.metadata or {}
    except Exception as exc:  # pypdf raises many kinds on damaged files
        return labelled("broken", f"PDF unreadable: {type(exc).__name__}: {exc}"[:300])
    blocks = join_pages(pages)
    text = "\n\n".join(blocks)
    words = count_words(text)
    author = next((m.group(1) for b in blocks[:8] if (m := re.match(r"By (.{3,80})$", b))), None)
    title = str(info.get("/Title") or "").strip() or (blocks[0] if blocks else None)
    if words == 0:
        reason = f"PDF of {len(pages)} pages with no extractable text (scanned images?)"
    elif words < MIN_ARTICLE_WORDS:
        reason = f"PDF of {len(pages)} pages, only {words} words: not an article"
    else:
        reason = f"PDF of {len(pages)} pages"
    author = author or str(info.get("/Author") or "").strip() or None
    return Extracted(text=text, title=title, author=author,
                     date=_pdf_date(blocks[:8]), sitename=None, language=None, canonical_url=None,
                     kind="pdf", kind_reason=reason, word_count=words, page_text=text)


def pdf_blocks(page: pypdf.PageObject) -> list[str]:
    """The page's paragraphs: layout mode leaves a blank line where the vertical gap is wide."""
    try:
        raw = page.extract_text(extraction_mode="layout")
    except Exception:  # layout mode trips on some fonts; plain mode has no paragraph gaps
        try:
            raw = page.extract_text()
        except Exception:  # one damaged page must not cost the others
            return []
    blocks = []
    for chunk in re.split(r"\n\s*\n", raw):
        lines = [" ".join(line.split()) for line in chunk.splitlines() if line.strip()]
        if lines:
            blocks.append(_join_lines(lines))
    while blocks and PAGE_NUMBER.match(blocks[-1]):
        blocks.pop()
    while blocks and PAGE_NUMBER.match(blocks[0]):
        blocks.pop(0)
    return blocks


def _join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        out += line if out.endswith("-") else " " + line  # keep "U.S.-" + "led" whole
    return out


def join_pages(pages: list[list[str]]) -> list[str]:
    """Paragraphs of the document; one that a page break cut mid-sentence is joined again."""
    out: list[str] = []
    for blocks in pages:
        blocks = list(blocks)
        if out and blocks and (not SENTENCE_END.search(out[-1]) or blocks[0][:1].islower()):
            out[-1] = _join_lines([out[-1], blocks.pop(0)])
        out.extend(blocks)
    return out


def _pdf_date(blocks: list[str]) -> str | None:
    for block in blocks:
        for fmt in ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(block.strip(), fmt).date().isoformat()
            except ValueError:
                continue
    return None
