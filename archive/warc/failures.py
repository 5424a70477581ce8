"""Failed fetches in words a person understands, with what to do next.

The crawl log (and the `fetch_errors` table built from it) names each failure by a short kind:
dns, timeout, refused, reset, robots, too-large, scheme, other. `meaning` says what a kind means
for the page and `explain_crawl` reads a whole crawl's log lines: when nothing at all could be
fetched, live or from a web archive, it says so plainly, guesses why (no internet, a firewall)
and gives the next step. The terminal (`seedcheck crawl`, `run`) and the pages both use it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

# What each kind of failure means for the reader, in one line.
MEANINGS = {
    "dns": "the site's name could not be looked up (the site is gone, or this computer had no "
           "internet connection)",
    "timeout": "the site did not answer in time",
    "refused": "the site refused the connection",
    "reset": "the connection was cut off",
    "robots": "the site's robots.txt asks crawlers not to fetch this page",
    "too-large": "the page is larger than the crawl's size limit",
    "scheme": "the address is not a web address (http or https)",
    "other": "the fetch failed",
}
# Kinds that say the network, not the site, is the likely cause when every fetch has one.
NETWORK = frozenset({"dns", "timeout", "refused", "reset"})
NOTHING_FETCHED = 3                     # exit status of a crawl or run in which every fetch failed
NEXT_STEP = ("Next: check this computer's internet connection (can a browser open "
             "https://web.archive.org/ ?), then run the same command again. "
             "`seedcheck demo` shows the whole flow without internet.")


@dataclass(frozen=True)
class CrawlFailure:
    """A crawl in which nothing could be fetched, live or from an archive."""

    urls: int
    hosts: tuple[str, ...]
    archives: tuple[str, ...]            # web archives asked, none of which answered
    kinds: dict[str, int]                # failures by kind, live fetches and archive lookups
    offline: bool                        # every failure is a network failure

    def lines(self) -> list[str]:
        """The explanation, for a terminal or a page."""
        asked = f", nor did the web archive{'s' if len(self.archives) != 1 else ''} asked " \
                f"({', '.join(self.archives)})" if self.archives else ""
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.kinds.items()))
        lines = [f"Nothing could be fetched: none of the {self.urls} URL(s) on "
                 f"{len(self.hosts)} site(s) answered{asked} ({kinds})."]
        if self.offline:
            lines.append("Every site failed the same way, the archives too: this computer "
                         "most likely had no internet connection (or a firewall or proxy "
                         "blocked it). The seeds are unchecked, not unfaithful.")
        else:
            lines += [f"  {kind}: {meaning(kind)}" for kind in sorted(self.kinds)]
        lines.append(NEXT_STEP)
        return lines


def meaning(error: str | None, detail: str | None = None) -> str:
    """One failure in plain words: what it means, then the crawler's own detail if any."""
    said = MEANINGS.get(error or "other", MEANINGS["other"])
    return f"{said} ({detail})" if detail else said


def explain_crawl(lines: Iterable[Mapping]) -> CrawlFailure | None:
    """A CrawlFailure when no line of a crawl log fetched anything; None when something came."""
    urls, hosts, archives, kinds = 0, set(), set(), Counter()
    for line in lines:
        urls += 1
        if line.get("outcome") == "fetched":
            return None
        hosts.add(urlsplit(str(line.get("url") or "")).hostname or "?")
        kinds[_kind(line.get("error"))] += 1
        for entry in line.get("archived") or ():
            if entry.get("record_id"):
                return None
            archives.add(str(entry.get("archive") or "?"))
            kinds[_kind(entry.get("error"))] += 1
    if not urls:
        return None
    return CrawlFailure(urls=urls, hosts=tuple(sorted(hosts)), archives=tuple(sorted(archives)),
                        kinds=dict(kinds), offline=set(kinds) <= NETWORK)


def _kind(error: object) -> str:
    """A failure's kind; an archive lookup's free-text error counts as `other`."""
    return error if isinstance(error, str) and error in MEANINGS else "other"
