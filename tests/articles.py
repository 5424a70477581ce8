"""Known articles for the publisher-shaped test pages of `tests.pages`.

The texts are written for these tests (no seed is copied). They carry the characters that make
charsets and quote normalisation matter: curly quotes, dashes, accented names.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class Comment:
    author: str
    text: str
    when: str = "May 16, 2019 at 9:41 am"


@dataclass(frozen=True)
class Article:
    title: str
    subtitle: str                    # dek / standfirst
    author: str
    published: datetime              # aware, UTC
    paragraphs: tuple[str, ...]
    slug: str
    section: str = "News"
    subheads: tuple[tuple[int, str], ...] = ()  # (index of the paragraph it precedes, text)
    quoted: frozenset[int] = frozenset()        # paragraphs a blog renders as blockquotes
    related: tuple[tuple[int, str], ...] = ()   # in-body related-article boxes (after index, title)
    caption: str = "Supporters at a rally in Caracas."
    credit: str = "Carlos Ramírez / Reuters"
    comments: tuple[Comment, ...] = field(default=())

    @property
    def date_iso(self) -> str:
        return self.published.date().isoformat()

    @property
    def number(self) -> int:
        """A stable article id for URLs (MT's a65487, NBC's n1002171)."""
        return 65000 + zlib.crc32(self.slug.encode()) % 1000

    def blocks(self) -> list[str]:
        """The body as an extractor should return it: subheads and paragraphs, in order."""
        heads = dict(self.subheads)
        out: list[str] = []
        for i, paragraph in enumerate(self.paragraphs):
            if i in heads:
                out.append(heads[i])
            out.append(paragraph)
        return out

    @property
    def words(self) -> int:
        return sum(len(b.split()) for b in self.blocks())


COMMENTS = (
    Comment("rgomez", "This is exactly what everyone predicted back in January. Nobody listened."),
    Comment("Marta V.", "Interesting piece, but the author skips over the oil contracts entirely. "
            "Follow the money and the whole Sochi meeting makes more sense."),
    Comment("old_sailor", "Another deal made over the heads of the people who actually live there."),
    Comment("J. Pizarro", "Reply to Marta: the contracts were renegotiated in 2017, it’s all public."),
)

OPINION = Article(
    title="Moscow Will Trade Caracas for a Seat at the Table",
    subtitle="A meeting of foreign ministers in Finland could decide more than anyone admits.",
    author="Irina Sokolova",
    published=datetime(2019, 5, 5, 9, 30, tzinfo=UTC),
    slug="moscow-will-trade-caracas-for-a-seat-at-the-table",
    section="Opinion",
    related=((2, "Kremlin Says It Is Not Meddling in Venezuela’s Crisis"),
             (6, "Foreign Ministers to Talk Venezuela by Phone – Aides")),
    caption="",
    credit="Kremlin.ru",
    paragraphs=(
        "When the two foreign ministers sit down in Rovaniemi this week, the official agenda will "
        "list the Arctic, arms control and a dozen smaller files. The real subject, as both delegations "
        "privately concede, is Venezuela — and what price Moscow would accept to step back from it.",
        "For months the Kremlin has described its support for Nicolás Maduro as a matter of principle: "
        "sovereignty, non-interference and the sanctity of elected governments. Principles, however, "
        "have a way of becoming negotiable once the cost of holding them rises above the value of what "
        "they protect.",
        "That cost has been rising fast. Russian state companies hold loans that Caracas cannot repay, "
        "oil fields that produce a fraction of what they promised and a reputation for backing a leader "
        "whose own generals are said to be weighing their options. A quiet exit would suit many in Moscow.",
        "The difficulty is that nobody in the Kremlin wants the exit to look like a retreat. “We do not "
        "abandon partners,” a senior diplomat told me last month, before adding, with a smile, that "
        "partners sometimes abandon themselves.",
        "What would a deal look like? It would not be written down. It would most likely involve "
        "guarantees for Russian assets, a role for Moscow in any transition talks and a tacit "
        "understanding that Washington would tone down its rhetoric about Russian mercenaries.",
        "Washington, for its part, has signalled that it is willing to listen. The president’s phone "
        "call with his Russian counterpart on Friday was described by both sides as “very positive”, a "
        "phrase that in diplomatic language means that nobody hung up.",
        "Skeptics point out that the Kremlin has made such noises before, in Syria and in Ukraine, only "
        "to raise its demands once talks began. They are right to be cautious. But Venezuela is far "
        "from Russia’s borders, and its strategic value to Moscow has always been more symbolic than real.",
        "The opposition leader Juan Guaidó has so far refused to offer Moscow anything in public. In "
        "private, his envoys have reportedly promised to honour contracts signed before January, a "
        "promise that would cost little and could buy a great deal.",
        "None of this means that Maduro will be gone by the summer. It means only that the conversation "
        "has changed: from whether Russia will defend him to how much it would want for not doing so.",
        "If the ministers leave Finland talking about “shared interests in stability”, watch the oil "
        "contracts. That is where the answer to the Venezuelan question will be written.",
    ),
)

ANALYSIS = Article(
    title="Can Washington, Moscow and Havana find a way out of Venezuela’s impasse?",
    subtitle="Analysis: The three capitals are talking more than at any time this year. "
             "Whether that helps Venezuelans is another matter.",
    author="Daniel Ortega Ruiz",
    published=datetime(2019, 5, 7, 14, 5, tzinfo=UTC),
    slug="analysis-can-washington-moscow-havana-find-way-out-venezuela-impasse",
    section="Latino",
    subheads=((3, "A change of tone?"), (7, "Havana’s leverage")),
    caption="Protesters march along a highway in Caracas on May 4, 2019.",
    credit="Ana Lucía Pérez / AFP - Getty Images",
    paragraphs=(
        "MIAMI — Three weeks after a failed uprising in Caracas, the governments with the most "
        "influence over Venezuela are talking to each other more often than at any point since the "
        "crisis began in January.",
        "The foreign ministers of the United States and Russia met on Monday in Finland. On Friday the "
        "two presidents spoke by phone for more than an hour. And Cuban officials, long cast as "
        "Maduro’s closest protectors, have hinted that they are open to “dialogue without conditions.”",
        "Whether any of this brings a solution closer is far from clear, analysts say.",
        "For most of the year, the administration has insisted that Maduro must go and that “all "
        "options are on the table,” a phrase widely read as a hint of military force.",
        "In recent days, however, officials have stressed diplomacy. “We are talking to everyone who "
        "can help,” one State Department official said on Tuesday, speaking on condition of anonymity.",
        "“The tone has shifted, but the goal has not,” said Rebecca Hale, a Latin America specialist at "
        "a Washington research institute. “They still want a transition. They just want it to cost less.”",
        "Critics on both ends of the spectrum are unconvinced. Some hawks fear that Moscow will use the "
        "talks to buy time; some doves fear that the talks are cover for tougher sanctions.",
        "Cuba, which has thousands of doctors and security advisers in Venezuela, is the actor whose "
        "role is hardest to measure.",
        "“Havana knows Caracas better than anyone,” said Tomás Echeverría, a former diplomat now "
        "teaching in Miami. “If there is a quiet deal, it will go through Cuba, not through Moscow.”",
        "The White House has tightened restrictions on travel and remittances to the island, a move "
        "that Cuban officials called “economic aggression” and that some analysts say reduces the "
        "incentive for Havana to help.",
        "For Venezuelans queuing for water and medicine, the diplomacy feels remote. “They talk and "
        "talk,” said Luisa Márquez, a nurse in Maracaibo, “and the lights still go out every night.”",
    ),
)

NEWS = Article(
    title="US and Russia to discuss Venezuela as reports say Kremlin is cooling on Maduro",
    subtitle="Talks in Sochi come as diplomats suggest Moscow no longer sees the Venezuelan "
             "leader as indispensable.",
    author="Harriet Collins",
    published=datetime(2019, 5, 14, 11, 20, tzinfo=UTC),
    slug="us-russia-discuss-venezuela-reports-kremlin-cooling-maduro",
    quoted=frozenset({3, 4}),
    caption="Opposition supporters at a rally in Caracas on May 11.",
    credit="AFP",
    paragraphs=(
        "The fate of Venezuela’s embattled president will be weighed up today when the US secretary "
        "of state meets Vladimir Putin in the Black Sea resort of Sochi.",
        "The meeting follows a phone call between the two presidents earlier this month in which, "
        "according to officials in both capitals, Venezuela took up more time than any other subject.",
        "Russian commentators have begun to suggest that the Kremlin’s commitment to Nicolás Maduro "
        "is less firm than its public statements imply.",
        "“Moscow has never said it would defend Maduro at any cost,” wrote one columnist in a "
        "Russian newspaper last week. “It has said it would defend its interests. Those are not the "
        "same thing.”",
        "“The question is not whether Russia leaves, but what it takes with it when it does,” the "
        "columnist added.",
        "The White House declined to comment on the reports. A spokeswoman said only that the "
        "administration “continues to call on all parties to respect the will of the Venezuelan people.”",
        "A State Department official travelling with the delegation said the talks would be "
        "“frank”, a word that usually signals deep disagreement.",
        "Mr Guaidó, who is recognised as interim president by more than 50 countries, has struggled "
        "to keep up momentum since a call for a military uprising on April 30 failed to win over "
        "the armed forces.",
        "Speaking at a rally in Caracas on Saturday, he urged supporters not to lose heart. “Every "
        "day that passes, the regime is weaker,” he said, to cheers from a crowd that was noticeably "
        "smaller than those of January.",
        "Analysts in Moscow cautioned against reading too much into the Sochi meeting. Russia, they "
        "noted, has invested billions in Venezuelan oil and will not walk away without guarantees.",
        "“Nobody gives up a card like this for nothing,” said one. “But everybody is willing to "
        "hear an offer.” Any agreement is expected to require further cooperation from Moscow.",
    ),
    comments=COMMENTS,
)

ARTICLES: tuple[Article, ...] = (OPINION, ANALYSIS, NEWS)

GDPR = Article(
    title="Regulator fines publisher over cookie consent banners",
    subtitle="The decision could change how news sites ask readers for permission to track them.",
    author="Harriet Collins",
    published=datetime(2019, 5, 20, 8, 0, tzinfo=UTC),
    slug="regulator-fines-publisher-over-cookie-consent-banners",
    paragraphs=(
        "A European privacy regulator has fined a large news publisher for the way its cookie "
        "banner asked readers for consent, in a decision that lawyers say will force many sites to "
        "redesign their pages.",
        "The regulator found that the banner made it easy to accept all cookies but hid the option "
        "to refuse behind several screens, so that consent was not freely given.",
        "The publisher said it would appeal. It argued that advertising partners require a single "
        "consent screen and that readers who object can change their preferences at any time.",
        "Privacy campaigners welcomed the decision. “Personal data is not the price of reading the "
        "news,” one said.",
    ),
)
