"""Seed documents: plain-text copies of articles, and the manifest naming their originals.

A seed folder holds `*.txt` / `*.md` files and, optionally, `seeds.yml`. Loading never
stops at the first bad file: `load_seeds` returns every good seed plus a list of
`SeedError`s, each naming the file, the line and the problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from archive.seeds import intake

MANIFEST_NAME = "seeds.yml"
SEED_SUFFIXES = (".txt", ".md")
ROLES = ("original", "repost", "quoted")
CONFIDENCES = ("given", "seen", "candidate")

# How far into a seed the header (title, subtitle, byline, date) may reach, in lines.
HEADER_LINES = 12
# Site chrome that some copies carry above the title (NBC News' 2021+ banner, for one).
BANNER_LINE = re.compile(r"^(IE 11 is not supported\b|Skip to (main )?content\b)", re.I)
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
MD_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
MD_HEADING = re.compile(r"^#{1,6}\s+")
BYLINE = re.compile(r"^By\s+(.+)$")
ORIGINAL_URL = re.compile(r"^Original url:\s*<?(\S*?)>?\s*$", re.I)
ANGLE_URL = re.compile(r"^<(\S+)>$")
DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%Y-%m-%d")


class SeedError(Exception):
    """A problem with one seed file or manifest entry, located by file and line."""

    def __init__(self, path: Path | str, line: int | None, problem: str):
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else f"{self.path}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class OriginalUrl:
    url: str
    role: str = "original"
    confidence: str = "given"
    score: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Seed:
    id: str
    path: Path
    sha256: str
    raw: str
    title: str
    subtitle: str | None
    byline: str | None
    date_line: str | None
    date: dt.date | None
    paragraphs: tuple[str, ...]
    raw_paragraphs: tuple[str, ...]
    embedded_urls: tuple[str, ...] = ()
    urls: tuple[OriginalUrl, ...] = ()
    publication: str | None = None
    author: str | None = None
    published: dt.date | None = None

    @property
    def text(self) -> str:
        """The clean body, one paragraph per block."""
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass
class SeedSet:
    seeds: list[Seed] = field(default_factory=list)
    problems: list[SeedError] = field(default_factory=list)

    def get(self, seed_id: str) -> Seed | None:
        return next((s for s in self.seeds if s.id == seed_id), None)


def clean_markup(line: str) -> str:
    """Drop inline Markdown that is not article text: links without targets, bold, italics."""
    line = MD_HEADING.sub("", line)
    line = MD_LINK.sub(r"\1", line)
    line = MD_BOLD.sub(r"\1", line)
    line = MD_ITALIC.sub(r"\1", line)
    return line.strip()


def check_url(url: str) -> str:
    """Return `url` if it is an absolute http(s) URL with a host, else raise ValueError."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"URL {url!r} is not http(s) (scheme {parts.scheme or 'missing'!r})")
    if not parts.hostname or any(c.isspace() for c in url):
        raise ValueError(f"URL {url!r} is malformed (no host, or spaces)")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"URL {url!r} carries a user name or password: not crawled")
    try:
        parts.port  # noqa: B018 - raises on a non-numeric port
    except ValueError as exc:
        raise ValueError(f"URL {url!r} is malformed ({exc})") from None
    return url


def read_text(path: Path) -> str:
    """Read a seed as UTF-8, naming the encoding problem when it is not."""
    data = path.read_bytes()
    if not data.strip():
        raise SeedError(path, 1, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SeedError(path, 1, "file is UTF-16 (byte-order mark); save it as UTF-8")
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data.count(b"\n", 0, offset) + 1
        raise SeedError(path, line, f"binary file: NUL byte at offset {offset}, not a text seed")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.end].hex(" ")
        raise SeedError(
            path, line, f"not valid UTF-8: byte(s) {bad} at offset {exc.start}: {exc.reason}"
        ) from None


def parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_seed(path: Path) -> Seed:
    """Parse one seed file. Raises SeedError for unreadable or unusable files."""
    path = Path(path)
    text = read_text(path)
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line]
    embedded, body_lines = _split_original_urls(path, lines)
    if not body_lines:
        raise SeedError(path, 1, "file has no text besides its URL lines")

    title_at = _title_index(body_lines)
    title = clean_markup(body_lines[title_at][1])
    header_end, subtitle, byline, date_line, date = _header(body_lines, title_at)

    raw_paragraphs = tuple(line for _, line in body_lines[header_end:])
    paragraphs = tuple(p for p in (clean_markup(line) for line in raw_paragraphs) if p)
    return Seed(
        id=path.stem,
        path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        raw=text,
        title=title,
        subtitle=subtitle,
        byline=byline,
        date_line=date_line,
        date=date,
        paragraphs=paragraphs,
        raw_paragraphs=raw_paragraphs,
        embedded_urls=tuple(embedded),
        urls=tuple(OriginalUrl(url, "original", "given") for url in embedded),
        author=byline,
        published=date,
    )


def _title_index(body_lines: list[tuple[int, str]]) -> int:
    """A Markdown heading near the top, else the first line that is not a browser banner."""
    heading = next((i for i, (_, line) in enumerate(body_lines[:HEADER_LINES])
                    if line.startswith("#")), None)
    if heading is not None:
        return heading
    return next((i for i, (_, line) in enumerate(body_lines) if not BANNER_LINE.match(line)), 0)


def _header(body_lines: list[tuple[int, str]], title_at: int
            ) -> tuple[int, str | None, str | None, str | None, dt.date | None]:
    """(end of the header, subtitle, byline, date line, date) from the lines after the title."""
    header_end = title_at + 1
    subtitle = byline = date_line = None
    date = None
    for i in range(title_at + 1, min(len(body_lines), title_at + 1 + 4)):
        line = body_lines[i][1]
        if subtitle is None and byline is None and MD_BOLD.fullmatch(line):
            subtitle = clean_markup(line)
        elif byline is None and (match := BYLINE.match(clean_markup(line))):
            byline = match.group(1).strip()
        elif date is None and (parsed := parse_date(clean_markup(line))):
            date_line, date = line, parsed
        else:
            break
        header_end = i + 1
    return header_end, subtitle, byline, date_line, date


def _split_original_urls(
    path: Path, lines: list[tuple[int, str]]
) -> tuple[list[str], list[tuple[int, str]]]:
    """Take out `Original url: <...>` lines (the URL may sit on the next line)."""
    urls: list[str] = []
    body: list[tuple[int, str]] = []
    expecting = False
    for number, line in lines:
        match = ORIGINAL_URL.match(line)
        if match:
            url, expecting = match.group(1), not match.group(1)
        elif expecting:
            angle = ANGLE_URL.match(line)
            url, expecting = (angle.group(1) if angle else line), False
        else:
            body.append((number, line))
            continue
        if url:
            try:
                urls.append(check_url(url))
            except ValueError as exc:
                raise SeedError(path, number, f"Original url: {exc}") from None
    return urls, body


def seed_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in SEED_SUFFIXES)


def load_seeds(folder: Path | str) -> SeedSet:
    """Load every seed of `folder` with its manifest entries; collect problems, never stop."""
    result = SeedSet()
    result.seeds.extend(iter_seeds(folder, result.problems))
    return result


def iter_seeds(folder: Path | str, problems: list[SeedError]) -> Iterator[Seed]:
    """The seeds of `folder`, one at a time (a build of 100,000 seeds holds one), in file
    order; problems are appended to `problems` as they are met."""
    folder = Path(folder)
    if not folder.is_dir():
        problems.append(SeedError(folder, None, "seeds folder does not exist"))
        return
    entries, manifest_problems = load_manifest(folder / MANIFEST_NAME)
    problems.extend(manifest_problems)
    by_id: dict[str, Path] = {}
    for path in seed_files(folder):
        if (why := intake.refusal(path, folder)) is not None:
            problems.append(SeedError(intake.shown(path), None, why))
            continue
        if path.stem in by_id:
            problems.append(
                SeedError(path, None, f"duplicate seed id {path.stem!r}: also {by_id[path.stem]}")
            )
            continue
        by_id[path.stem] = path
        try:
            seed = parse_seed(path)
        except SeedError as exc:
            problems.append(exc)
            continue
        entry = entries.pop(seed.id, None)
        yield entry.apply(seed) if entry else seed
    for entry in entries.values():
        problems.append(
            SeedError(
                entry.manifest, entry.line, f"entry {entry.file!r} names a file that does not exist"
            )
        )


@dataclass(frozen=True)
class ManifestEntry:
    """What `seeds.yml` says of one seed file."""

    manifest: Path
    line: int
    file: str
    urls: tuple[OriginalUrl, ...] = ()
    publication: str | None = None
    author: str | None = None
    published: dt.date | None = None

    def apply(self, seed: Seed) -> Seed:
        """The seed with the manifest's facts; URLs the text prints stay, marked `given`."""
        listed = {u.url for u in self.urls}
        urls = self.urls + tuple(u for u in seed.urls if u.url not in listed)
        return replace(
            seed,
            urls=urls,
            publication=self.publication or seed.publication,
            author=self.author or seed.author,
            published=self.published or seed.published,
        )


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line each mapping starts on, as `__line__`."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def load_manifest(path: Path) -> tuple[dict[str, ManifestEntry], list[SeedError]]:
    """Read `seeds.yml`: entries by seed id, and the problems of the bad ones."""
    if not path.exists():
        return {}, []
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return {}, [SeedError(path, line, f"malformed YAML: {exc.problem or exc}")]
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return {}, [SeedError(path, None, f"malformed YAML: {exc}")]
    if doc is None:
        return {}, []
    if not isinstance(doc, dict) or not isinstance(doc.get("seeds", []), list):
        return {}, [SeedError(path, 1, "manifest must be a mapping with a `seeds:` list")]

    entries: dict[str, ManifestEntry] = {}
    problems: list[SeedError] = []
    for item in doc.get("seeds") or []:
        try:
            entry = _entry(path, item)
        except SeedError as exc:
            problems.append(exc)
            continue
        seed_id = Path(entry.file).stem
        if seed_id in entries:
            first = entries[seed_id].line
            problem = f"duplicate seed id {seed_id!r} (first at line {first})"
            problems.append(SeedError(path, entry.line, problem))
            continue
        entries[seed_id] = entry
    return entries, problems


def _entry(path: Path, item: object) -> ManifestEntry:
    if not isinstance(item, dict) or not item.get("file"):
        line = item.get("__line__") if isinstance(item, dict) else None
        raise SeedError(path, line, "each entry needs a `file:` naming a seed file")
    line = item["__line__"]
    urls = tuple(_original(path, u, line) for u in item.get("originals") or [])
    published = item.get("published")
    if published is not None and not isinstance(published, dt.date):
        raise SeedError(path, line, f"published {published!r} is not a date (YYYY-MM-DD)")
    return ManifestEntry(
        manifest=path,
        line=line,
        file=str(item["file"]),
        urls=urls,
        publication=item.get("publication"),
        author=item.get("author"),
        published=published,
    )


def _original(path: Path, item: object, entry_line: int) -> OriginalUrl:
    line = item.get("__line__", entry_line) if isinstance(item, dict) else entry_line
    if not isinstance(item, dict) or "url" not in item:
        raise SeedError(path, line, "each original needs a `url:`")
    try:
        url = check_url(str(item["url"]))
    except ValueError as exc:
        raise SeedError(path, line, str(exc)) from None
    role = item.get("role", "original")
    confidence = item.get("confidence", "candidate")
    if role not in ROLES:
        raise SeedError(path, line, f"role {role!r} is not one of {', '.join(ROLES)}")
    if confidence not in CONFIDENCES:
        raise SeedError(
            path, line, f"confidence {confidence!r} is not one of {', '.join(CONFIDENCES)}"
        )
    return OriginalUrl(url, role, confidence, item.get("score"), item.get("note"))
