"""The schema of the derived database, as data: every table, its columns and their meanings.

Each table is declared by a docstring: a description, then one `column type meaning` line per
column. `TABLES` is what `archive.db.store` creates and what `metadata()` turns into Datasette's
table and column descriptions (metadata.yml is generated from it). Times are ISO 8601 UTC
strings (`2026-11-21T22:30:01Z`); JSON columns hold JSON text.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

# Bump when a table changes shape or meaning: rows of a previous build are reused only when
# that build has the same schema version.
SCHEMA_VERSION = 6
NOT_COMPARABLE = "not comparable"   # comparisons.verdict of a capture whose text is no article


TYPES = {"str": str, "int": int, "float": float}


@dataclass(frozen=True)
class Column:
    name: str
    type: type
    doc: str


@dataclass(frozen=True)
class Table:
    name: str
    pk: str
    doc: str                                            # what a row is
    columns: tuple[Column, ...]
    fts: tuple[str, ...] = ()                           # columns with full-text search
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, other table, other column)
    indexes: tuple[tuple[str, ...], ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def table(name: str, pk: str, docstring: str, **options: Any) -> Table:
    """A table from its docstring: a description, a blank line, then `column type meaning` lines
    (a meaning may go on over more-indented lines)."""
    description, _, listing = inspect.cleandoc(docstring).partition("\n\n")
    columns: list[list[str]] = []
    for line in listing.splitlines():
        if line.startswith(" "):
            columns[-1][2] += " " + line.strip()
        else:
            column, kind, doc = line.split(None, 2)
            columns.append([column, kind, doc])
    return Table(
        name, pk, " ".join(description.split()),
        tuple(Column(c, TYPES[k], d) for c, k, d in columns), **options,
    )


SEEDS = table("seeds", "id", """
    The seed documents: copies of articles whose faithfulness is checked.

    id                 str   Seed id: the file name without its extension
    file               str   File name of the seed in the seeds folder
    sha256             str   SHA-256 of the seed file's bytes (comparisons are reused while it
                             holds)
    title              str   Title read from the seed (its # heading or first line)
    subtitle           str   Bold subtitle below the title, if any
    byline             str   The `By …` line of the seed, if any
    author             str   Author: from seeds.yml, else the byline
    publication        str   Publication named in seeds.yml
    published          str   Publication date (YYYY-MM-DD): from seeds.yml, else the seed's date
                             line
    word_count         int   Words of the clean body
    body               str   Clean body text, paragraphs separated by blank lines (what is
                             compared)
    raw                str   The seed file's text as written, Markdown included
""",
    fts=("title", "body"))

ORIGINALS = table("originals", "id", """
    Original URLs of each seed (seeds.yml and `Original url:` lines).

    id                 int   Row id
    seed_id            str   The seed
    position           int   Order of the URL in the seed's list (0 first)
    url                str   URL of the original
    role               str   original (first publication), repost (a republication) or quoted
    confidence         str   given (the seed prints it), seen (confirmed) or candidate
                             (inferred)
    score              float Confidence score from seeds.yml, if any
    note               str   Note from seeds.yml
""",
    foreign_keys=(("seed_id", "seeds", "id"),),
    indexes=(("seed_id",), ("url",)))

TEXTS = table("texts", "record_id", """
    Text and metadata extracted from each response record (revisits reuse the text of the record
    they refer to).

    record_id          str   WARC-Record-ID of the response record the text comes from
    kind               str   article, or why not: empty, too-short, not-found, consent, paywall,
                             home-page, pdf, image, binary, broken, too-large
    kind_reason        str   Why the page was labelled so, in one line
    is_article         int   1 when the text is an article (also a PDF whose text is one):
                             compared
    title              str   Title found in the page
    author             str   Author found in the page
    date               str   Publication date found in the page (ISO)
    sitename           str   Site name found in the page
    language           str   Language of the page
    canonical_url      str   Canonical URL declared by the page
    text               str   Main text, paragraphs separated by blank lines
    word_count         int   Words of the main text
    page_text          str   The page's full visible text, one line per block (the comparison's
                             evidence: what the page shows beyond the article text)
    extractor          str   Extractor used (trafilatura)
    extractor_version  str   Extractor name and version: texts are re-extracted when it changes
""",
    fts=("title", "text"),
    foreign_keys=(("record_id", "captures", "record_id"),))

CAPTURES = table("captures", "record_id", """
    One row per WARC response or revisit record: one fetch, live or from a web archive.

    record_id          str   WARC-Record-ID of the response or revisit record
    record_type        str   response, or revisit (identical payload stored in an earlier
                             record)
    url                str   WARC-Target-URI: the page's own URL (for archive captures, the
                             original URL)
    url_key            str   The URL in canonical SURT form (as pywb and CDXJ indexes write
                             it): how a seed's original URL finds its captures
    fetched_url        str   URL whose bytes were fetched: the archive URL for archive captures
    source             str   live (fetched from the site) or archive (from a web archive, or
                             from a file imported with `seedcheck import`)
    archive            str   Name of the web archive, for archive captures
    purpose            str   page (a capture of a page), lookup (a question the crawl asked a
                             web archive: CDX query, TimeGate) or robots (a robots.txt file)
    crawl_id           str   Crawl that fetched it (from the crawl logs)
    captured_at        str   WARC-Date: capture time (for archive captures, the archive's)
    status             int   HTTP status code
    reason             str   HTTP reason phrase
    protocol           str   HTTP protocol (HTTP/1.1, HTTP/2)
    content_type       str   MIME type of the payload, from the HTTP Content-Type
    charset            str   Charset parameter of the HTTP Content-Type
    payload_digest     str   WARC-Payload-Digest (sha1:BASE32) of the entity body
    block_digest       str   WARC-Block-Digest of the record block
    refers_to          str   Revisits: record id of the response holding the payload
    refers_to_url      str   Revisits: WARC-Refers-To-Target-URI
    refers_to_date     str   Revisits: WARC-Refers-To-Date
    text_record_id     str   The `texts` row of this capture: itself, or the record a revisit
                             refers to
    warc_file          str   WARC file name (in data/warcs), or imports/NAME for a file
                             imported into data/imports (NAME.wacz#archive/FILE inside a WACZ)
    warc_offset        int   Byte offset of the record's gzip member in the WARC file
    warc_length        int   Length in bytes of the record's gzip member
    truncated          str   WARC-Truncated: why the body is incomplete (length, time,
                             disconnect…)
    ip_address         str   WARC-IP-Address of the server
    location           str   HTTP Location header (redirects)
""",
    indexes=(("url",), ("url_key",), ("payload_digest",), ("refers_to",), ("warc_file",),
             ("text_record_id",)))

COMPARISONS = table("comparisons", "id", """
    Each seed compared with every capture of its originals (redirects followed to the final
    page).

    id                 int   Row id
    seed_id            str   The seed
    record_id          str   Capture compared: the final page reached from the original URL
    text_record_id     str   The `texts` row compared (differs from record_id for revisits)
    original_id        int   The seed's original URL this capture belongs to
    url                str   The seed's original URL
    final_url          str   URL of the page compared, after redirects
    redirects          str   JSON list of URLs from the original URL to the final one
    role               str   Role of the original URL: original, repost or quoted
    source             str   live or archive
    archive            str   Web archive name, for archive captures
    captured_at        str   Capture time of the page compared
    status             int   HTTP status of the page compared
    kind               str   Kind of the page's text (article, consent, not-found…)
    verdict            str   faithful, excerpt, padded, altered, different, or "not comparable"
    reason             str   The verdict's reason, in one line
    coverage           float Share of the original's words the seed carries, in order (0..1)
    added              float Share of the seed's words not in the original (0..1)
    changed            int   Number of changed spans (listed in `differences`)
    findings           str   JSON list of every finding (a seed can be padded and an excerpt)
    additions          str   JSON list of whole passages the seed adds that the original page does
                             not show: text, words, where (before, inside or after the article's
                             body), inside (flagged when inside the body), label (comments...)
    normalisation      str   JSON: the normalisation profile applied before comparing
    blocks             str   JSON alignment: paragraphs/sentences identical, edited, added,
                             omitted, moved
    best               int   1 for the seed's best-matching capture, else 0
    best_cause         str   On the best row: where the differences come from: none,
                             original-edited, versions-differ, seed-altered, undecided or
                             no-match
    best_reason        str   On the best row: why this capture is the best match, in one line
    seed_sha256        str   SHA-256 of the seed file compared
    extractor_version  str   Extractor version of the text compared
    compare_version    str   Version of the comparison engine
""",
    foreign_keys=(("seed_id", "seeds", "id"), ("record_id", "captures", "record_id"),
                  ("text_record_id", "texts", "record_id"), ("original_id", "originals", "id")),
    indexes=(("seed_id",), ("record_id",), ("text_record_id",), ("url",), ("verdict",)))

DIFFERENCES = table("differences", "id", """
    Changed spans of each comparison, in the seed's order: what the seed says instead of the
    original, ranked by severity.

    id                 int   Row id
    comparison_id      int   The comparison
    position           int   Index of the change in the comparison (0 first, in the seed's order)
    kind               str   changed, added or omitted words of a sentence, or inserted passage
    severity           str   high, medium or low: numbers, dates, quotes, names and negations
                             rank high, spelling and punctuation low
    category           str   number, date, quotation, negation, name, insertion, wording or
                             spelling
    seed_words         str   The seed's words
    original_words     str   The original's words
    detail             str   JSON: the rest the engine says (word positions, block index in
                             comparisons.blocks)
""",
    foreign_keys=(("comparison_id", "comparisons", "id"),),
    indexes=(("comparison_id",),))

FETCH_ERRORS = table("fetch_errors", "id", """
    Fetches that failed, from the crawl logs (DNS, timeouts, robots.txt…).

    id                 int   Row id
    crawl_id           str   The crawl
    time               str   When it failed
    url                str   URL that could not be fetched
    seed_ids           str   JSON list of the seeds that wanted it
    source             str   live or archive
    archive            str   Web archive asked, if any
    error              str   dns, timeout, refused, reset, robots, too-large, scheme or other
    detail             str   Human-readable explanation
    status             int   HTTP status, if a response came
    log_file           str   Crawl log file
    log_line           int   Line in the crawl log
""",
    indexes=(("url",),))

FETCH_ERROR_SEEDS = table("fetch_error_seeds", "id", """
    Which seeds wanted each failed fetch: `fetch_errors.seed_ids` one per row, indexed by seed.

    id                 int   Row id
    fetch_error_id     int   The failed fetch
    seed_id            str   A seed that wanted it
""",
    foreign_keys=(("fetch_error_id", "fetch_errors", "id"),),
    indexes=(("seed_id",),))

CRAWLS = table("crawls", "id", """
    Every line of every crawl log: what each crawl did with each URL.

    id                 int   Row id
    crawl_id           str   The crawl (UTC start time, YYYYMMDDTHHMMSSZ)
    log_file           str   Crawl log file (in data/crawls)
    log_line           int   Line in the crawl log
    time               str   When the URL was done
    url                str   URL asked for
    seed_ids           str   JSON list of the seeds that wanted it
    roles              str   JSON list of its roles (original, repost, quoted)
    outcome            str   fetched or failed
    source             str   live or archive
    archive            str   Web archive used, if any
    reason             str   Why the archive was used
    final_url          str   URL reached after redirects
    status             int   HTTP status of the final response
    record_id          str   WARC record of the final response
    warc_file          str   WARC file holding it
    redirects          str   JSON list of every hop's URL, in order
    error              str   Failure class, when it failed
    detail             str   Human-readable explanation
""",
    indexes=(("url",), ("record_id",), ("warc_file",)))

WARC_METADATA = table("warc_metadata", "record_id", """
    WARC metadata records (for example the archive a capture came from).

    record_id          str   WARC-Record-ID of the metadata record
    concurrent_to      str   The record it describes (WARC-Concurrent-To)
    url                str   WARC-Target-URI
    captured_at        str   WARC-Date
    fields             str   JSON list of [name, value] pairs of its warc-fields
    warc_file          str   WARC file name
    warc_offset        int   Byte offset of the record
""",
    indexes=(("concurrent_to",),))

WARC_FILES = table("warc_files", "name", """
    The WARC files read by the build, and what was wrong with any.

    name               str   File name in data/warcs
    size               int   Size in bytes
    fingerprint        str   SHA-256 of its size, first and last 64 KiB (a changed file is
                             re-read)
    records            int   Response, revisit and metadata records read
    status             str   ok, damaged (records after a bad one skipped), not-warc, open
                             (skipped)
    problem            str   What was wrong, with the byte offset
""")

BUILDS = table("builds", "id", """
    This build of the database: when, with which versions, what it did.

    id                 int   Row id
    started_at         str   Build start (UTC)
    finished_at        str   Build end (UTC)
    seedcheck_version  str   seedcheck version
    schema_version     int   Version of this schema
    extractor_version  str   Extractor version
    compare_version    str   Comparison engine version
    warc_files         int   WARC files read
    records            int   Records (captures) in the database
    extracted          int   Texts extracted by this build
    reused_texts       int   Texts reused from the previous database
    compared           int   Comparisons computed by this build
    reused_comparisons int   Comparisons reused from the previous database
    problems           int   Problems reported (see build_problems)
    verdicts           str   JSON object: how many seeds have each verdict (of their best
                             match; unchecked: none), for the home page
    inputs             str   Digest of the seeds, crawl logs, WARC files and versions it was
                             built from: a build with the same inputs keeps this database
""")

BUILD_PROBLEMS = table("build_problems", "id", """
    Everything the build could not read: damaged WARCs, torn log lines, bad seeds.

    id                 int   Row id
    file               str   File concerned
    line               int   Line, for text files
    offset             int   Byte offset, for WARC files
    problem            str   What was wrong and what the build did about it
""")

CHANGES = table("changes", "id", """
    Change history of every URL: each time its text changed, it went away, moved or came back,
    found by comparing consecutive captures and failed fetches of the URL in time order.

    id                 int   Row id
    url                str   The URL (WARC-Target-URI)
    kind               str   changed (its text differs), moved (it now redirects, or elsewhere),
                             gone (404 or 410), failed (the fetch failed, or another error
                             status), back (a page again after a redirect or an error)
    captured_at        str   When the new state was seen (capture time, or time of the failed
                             fetch)
    record_id          str   Capture of the new state (none for a failed fetch)
    crawl_id           str   Crawl that saw the new state
    status             int   HTTP status of the new capture
    location           str   Moved: the absolute URL it redirects to
    error              str   Failed: the failure class and detail from the crawl log
    previous_at        str   When the previous state was seen
    previous_record_id str   Capture of the previous state
    previous_crawl_id  str   Crawl that saw the previous state
    previous_status    int   HTTP status of the previous capture
    text_record_id     str   The `texts` row of the new page (changed, back)
    previous_text_record_id str The `texts` row of the last page before it (the text compared)
    words_added        int   Words of the new text that are not in the last page text
    words_removed      int   Words of the last page text that are not in the new text
    diff               str   JSON list of changed spans, each {"removed": words, "added":
                             words} (at most 20, 40 words a side)
    verdicts           str   JSON list, per seed of this URL: {"seed_id", "before", "after"}:
                             its verdict against the previous and the new capture
    seed_ids           str   JSON list of the seeds concerned
    verdict_changed    int   1 when the verdict of a seed differs between the two captures
""",
    foreign_keys=(("record_id", "captures", "record_id"),),
    indexes=(("url",), ("captured_at",), ("kind",)))

TABLES: tuple[Table, ...] = (
    SEEDS, ORIGINALS, CAPTURES, TEXTS, COMPARISONS, DIFFERENCES, FETCH_ERRORS, FETCH_ERROR_SEEDS,
    CRAWLS,
    WARC_METADATA, WARC_FILES, BUILDS, BUILD_PROBLEMS, CHANGES,
)
BY_NAME = {t.name: t for t in TABLES}

# captures and texts point at each other; sqlite-utils needs both tables before this one exists.
LATE_FOREIGN_KEYS = (("captures", "text_record_id", "texts", "record_id"),)


def metadata() -> dict[str, Any]:
    """Datasette metadata (titles, descriptions, column docs) for every table of the schema."""
    return {
        "tables": {
            t.name: {"description": t.doc, "columns": {c.name: c.doc for c in t.columns}}
            for t in TABLES
        }
    }
