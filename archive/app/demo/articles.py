"""The demo site's articles: short, original, invented local news — not real reporting.

Every article is written for seedcheck's demo only. The town, people and figures are made up.
`EDITS` are changes the demo site made after the archive captured a page (the live page now
differs from the archived one); `REMOVED` pages answer 404 live and survive only in the archive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

PUBLICATION = "Demo News (seedcheck demo site)"
HOST = "demo-news.test"


@dataclass(frozen=True)
class Article:
    key: str
    slug: str
    title: str
    standfirst: str
    author: str
    published: dt.date
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"


NIGHT_BUS = Article(
    key="night-bus",
    slug="larkmoor-council-approves-night-bus-trial",
    title="Larkmoor council approves a six-month night bus trial",
    standfirst="Two routes will run until 3 a.m. on Fridays and Saturdays from May.",
    author="Imogen Tarrant",
    published=dt.date(2026, 3, 9),
    paragraphs=(
        "Larkmoor town council voted on Monday evening to fund a six-month trial of night buses, "
        "the first late services the town has had since the old depot on Quarry Lane closed.",
        "Two routes will run until 3 a.m. on Fridays and Saturdays: one from the railway station "
        "to the Fenwick estate, the other along the river road to the hospital and the college.",
        "Councillor Ruth Okafor, who chairs the transport committee, said the vote followed a "
        "survey in which shift workers described walking home for an hour after the last bus.",
        "\"Nurses, cleaners and bar staff keep this town running at night,\" she told the "
        "meeting. \"It is not much to ask that they can get home safely.\"",
        "The trial will cost the council about 180,000 pounds, a third of which is expected to "
        "come back in fares. Operators have until the end of March to submit their bids.",
        "Opposition members supported the plan but asked for passenger numbers to be published "
        "every month, so that the council can decide in the autumn whether to keep the routes.",
    ),
)

HEDGEHOGS = Article(
    key="hedgehogs",
    slug="volunteers-count-hedgehogs-in-garden-survey",
    title="Volunteers count 412 hedgehogs in the annual garden survey",
    standfirst="The tally is the highest since the survey began eleven years ago.",
    author="Dev Ashworth",
    published=dt.date(2026, 3, 11),
    paragraphs=(
        "Volunteers in Larkmoor and the surrounding villages recorded 412 hedgehogs during this "
        "year's garden survey, the highest count since the Larkmoor Wildlife Group began it "
        "eleven years ago.",
        "More than 600 households took part, leaving out shallow dishes of water and checking "
        "footprint tunnels each morning for a fortnight in late February and early March.",
        "Group secretary Alan Pryce said the rise was encouraging but should be read with care, "
        "because more people joined the survey this year than ever before.",
        "\"More eyes means more hedgehogs seen,\" he said. \"What matters is that the share of "
        "gardens with a hedgehog went up too, from one in five to almost one in four.\"",
        "The group credits the hedgehog highways that residents have cut into garden fences: "
        "small gaps, about the size of a compact disc, that let the animals roam between plots.",
        "Results for each street will be posted on the group's noticeboard in the library, and "
        "next year's survey will add a count of garden ponds.",
    ),
)

TELESCOPES = Article(
    key="telescopes",
    slug="library-starts-lending-telescopes",
    title="Larkmoor library starts lending telescopes to members",
    standfirst="Six refurbished telescopes can be borrowed for a week at a time.",
    author="Priya Venkat",
    published=dt.date(2026, 3, 12),
    paragraphs=(
        "Members of Larkmoor library can now borrow a telescope as easily as a novel, after the "
        "library added six refurbished instruments to its lending collection this week.",
        "The telescopes were donated by the Larkmoor Astronomical Society, whose members "
        "cleaned and adjusted them over the winter and fitted each one with a simple finder.",
        "Each comes in a padded case with a red torch, a star chart for the season and a "
        "laminated card explaining how to find the Moon, Jupiter and the Orion Nebula.",
        "Librarian Tomasz Wren said the waiting list passed forty names within two days. "
        "\"People who would never buy a telescope are curious to try one for a week,\" he said.",
        "The society will hold free beginners' evenings on the library's roof terrace on the "
        "first clear Thursday of every month, weather permitting.",
        "Loans last seven days and cannot be renewed while other members are waiting. Late "
        "returns carry the same small fine as any other item.",
    ),
)

FOOTBRIDGE = Article(
    key="footbridge",
    slug="harbour-footbridge-repairs-to-cost-more",
    title="Harbour footbridge repairs will cost 2.4 million pounds",
    standfirst="Engineers found corrosion in the bridge's steel frame during a routine check.",
    author="Callum Reyes",
    published=dt.date(2026, 3, 13),
    paragraphs=(
        "Repairs to Larkmoor's harbour footbridge will cost 2.4 million pounds, nearly twice the "
        "estimate given last year, after engineers found corrosion in the steel frame.",
        "The bridge, which carries about 3,000 people a day between the harbour car park and the "
        "old town, will close for eleven weeks from the start of June.",
        "Harbour master Helen Strand said the corrosion was found during a routine inspection "
        "in January. \"Nobody was ever at risk,\" she said, \"but we cannot put this off.\"",
        "A temporary ferry will carry pedestrians across the harbour mouth every ten minutes "
        "while the work is under way, free of charge to residents and visitors alike.",
        "The county will pay 1.6 million pounds of the bill and the town council the rest, "
        "drawn from a reserve set aside for flood defences.",
        "Traders on the quay have asked for the work to be moved to the autumn, when fewer "
        "visitors come, but the council says the contractor cannot start later than June.",
    ),
)

FERRY = Article(
    key="ferry",
    slug="ferry-timetable-changes-from-april",
    title="Ferry timetable changes from April",
    standfirst="The first crossing of the day moves earlier and an evening sailing is added.",
    author="Nell Harcourt",
    published=dt.date(2026, 3, 16),
    paragraphs=(
        "The Larkmoor to Saltness ferry will run on a new timetable from the first of April, "
        "with an earlier first crossing and an extra evening sailing on weekdays.",
        "The first boat will leave Larkmoor at 6.40 a.m. instead of 7.15 a.m., so that "
        "commuters can reach the Saltness trains before eight o'clock.",
        "The extra sailing leaves Saltness at 8.30 p.m. from Monday to Friday. The operator, "
        "Estuary Crossings, said the change followed complaints from evening college students.",
        "Weekend sailings stay as they are, and fares will not change until at least the "
        "autumn, when the operator's contract with the county comes up for review.",
        "Passengers with season tickets do not need to do anything: their cards will work on "
        "the new sailings from the first day of the timetable.",
    ),
)

ARTICLES: tuple[Article, ...] = (NIGHT_BUS, HEDGEHOGS, TELESCOPES, FOOTBRIDGE, FERRY)

# The footbridge story as the site shows it today: a later update changed the figures.
EDITS: dict[str, Article] = {
    FOOTBRIDGE.key: replace(
        FOOTBRIDGE,
        title="Harbour footbridge repairs will cost 2.7 million pounds",
        paragraphs=(
            "Repairs to Larkmoor's harbour footbridge will cost 2.7 million pounds, more than "
            "twice the estimate given last year, after engineers found corrosion in the frame.",
            *FOOTBRIDGE.paragraphs[1:],
            "Update: this article was changed on 2 April to give the revised cost of the work.",
        ),
    ),
}
# Taken down by the site after the archive captured it.
REMOVED: frozenset[str] = frozenset({TELESCOPES.key})


def live_version(article: Article) -> Article | None:
    """The article as the demo site serves it now; None when the page is gone."""
    if article.key in REMOVED:
        return None
    return EDITS.get(article.key, article)
