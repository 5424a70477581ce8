"""The demo's seeds: copies of the demo articles, each made in one of the ways seedcheck spots.

`COPIES` names each seed, the article it copies and the verdict seedcheck should reach:
faithful, padded (reader comments added), excerpt (truncated), altered (figures, a quote and a
name changed) and different (another story under the same headline). `write_seeds` writes them
with a `seeds.yml` manifest pointing at the demo site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from archive.app.demo.articles import (
    FERRY,
    FOOTBRIDGE,
    HEDGEHOGS,
    NIGHT_BUS,
    PUBLICATION,
    TELESCOPES,
    Article,
)

COMMENTS = (
    "3 Comments",
    "marram_grass says: We had two in our garden every night in March. Lovely to see them back.",
    "P. Lindqvist says: Who counts the ones that get counted twice? Not a word about it.",
    "hedgerow_jo says: Cut our fence gap last summer and it worked within a week.",
    "Leave a Reply",
)
# (archived words, the seed's words): the altered copy's changes to the footbridge story.
ALTERATIONS = (
    ("2.4 million pounds, nearly twice", "4.2 million pounds, nearly four times"),
    ("about 3,000 people a day", "about 30,000 people a day"),
    ("Harbour master Helen Strand", "Harbour master Helen Strang"),
    ("\"Nobody was ever at risk,\" she said, \"but we cannot put this off.\"",
     "\"People were at real risk for months,\" she said, \"and we kept quiet about it.\""),
)
# Another story printed under the ferry story's headline.
OTHER_STORY = (
    "Ferry passengers face a fare rise of twenty per cent after the county agreed a new subsidy "
    "deal with the operator, councillors were told at a stormy meeting on Thursday.",
    "The single adult fare will go up from 2.50 pounds to 3 pounds, and the child fare from "
    "1.20 pounds to 1.50 pounds. Pensioners keep their free travel for now.",
    "Several residents of Saltness said the rise would push them back into their cars for the "
    "long drive round the estuary, which takes forty minutes on a clear day.",
    "The operator said fuel and insurance costs had risen sharply and that without the new "
    "deal it would have had to cancel the winter sailings altogether.",
    "A petition against the rise collected more than eight hundred signatures in a week and "
    "will be handed to the county's transport committee next month.",
)


def _faithful(article: Article) -> list[str]:
    return list(article.paragraphs)


def _padded(article: Article) -> list[str]:
    return [*article.paragraphs, *COMMENTS]


def _excerpt(article: Article) -> list[str]:
    return list(article.paragraphs[:2])


def _altered(article: Article) -> list[str]:
    paragraphs = []
    for paragraph in article.paragraphs:
        for old, new in ALTERATIONS:
            paragraph = paragraph.replace(old, new)
        paragraphs.append(paragraph)
    return paragraphs


def _different(article: Article) -> list[str]:
    return list(OTHER_STORY)


@dataclass(frozen=True)
class Copy:
    seed_id: str
    article: Article
    verdict: str                              # what seedcheck should find
    how: str                                  # one line for people
    body: Callable[[Article], list[str]]

    def text(self) -> str:
        a = self.article
        head = [f"# {a.title}", f"**{a.standfirst}**", f"By {a.author}", f"{a.published:%B %d, %Y}"]
        return "\n\n".join([*head, *self.body(a)]) + "\n"


COPIES: tuple[Copy, ...] = (
    Copy("demo-1-faithful", NIGHT_BUS, "faithful", "a word-for-word copy", _faithful),
    Copy("demo-2-padded", HEDGEHOGS, "padded", "the article plus reader comments", _padded),
    Copy("demo-3-excerpt", TELESCOPES, "excerpt",
         "the first two paragraphs only; the live page is gone, the archive has it", _excerpt),
    Copy("demo-4-altered", FOOTBRIDGE, "altered",
         "figures, a quote and a name changed; the live page was updated since", _altered),
    Copy("demo-5-different", FERRY, "different",
         "another story under the same headline", _different),
)


def write_seeds(folder: Path, url: Callable[[Article], str]) -> list[Path]:
    """Write every copy and `seeds.yml` into `folder`; `url` gives an article's address."""
    folder.mkdir(parents=True, exist_ok=True)
    entries, written = [], []
    for copy in COPIES:
        path = folder / f"{copy.seed_id}.txt"
        path.write_text(copy.text(), encoding="utf-8")
        written.append(path)
        entries.append({
            "file": path.name, "publication": PUBLICATION, "author": copy.article.author,
            "published": copy.article.published,
            "originals": [{"url": url(copy.article), "role": "original", "confidence": "given",
                           "note": f"demo: {copy.how}"}],
        })
    header = ("# seedcheck demo seeds: copies of the demo site's invented articles.\n"
              "# Written by `seedcheck demo`; each note says how the copy was made.\n")
    manifest = folder / "seeds.yml"
    manifest.write_text(header + yaml.safe_dump({"seeds": entries}, sort_keys=False,
                                                allow_unicode=True), encoding="utf-8")
    return [*written, manifest]
