"""Labels for material that is clearly not article text: comments, captions, banners, widgets.

Only text that one side has and the other lacks is labelled. A label turns it into padding
(or, in an original, into material a faithful seed may leave out) instead of an alteration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.compare.normalise import ends_sentence

LABELS = ("banner", "caption", "related", "widget", "disclaimer", "comments", "header", "heading")

# Short lines without a full stop, on their own (subheads, captions without a credit).
HEADING_MAX_WORDS = 12
QUESTION_HEADING_MAX_WORDS = 8
# Material before the article's first shared sentence: title, dek, byline, date, credits.
HEADER_MAX_WORDS = 40
HEADER_MAX_PIECES = 3
# The original's standfirst: one of its first this many paragraphs, before the body.
STANDFIRST_PIECES = 2
# Lines of a "You might like" list.
WIDGET_ITEM_MAX_WORDS = 20
# A scrap this short next to labelled material belongs to it ("Times." after a disclaimer).
FRAGMENT_MAX_WORDS = 3
CAPTION_MAX_WORDS = 45

AGENCIES = (r"AFP|Reuters|AP|AP Photo|Getty Images|EPA|EPA-EFE|Shutterstock|Bloomberg|TASS"
            r"|Sputnik|Kremlin\.ru|Xinhua|Alamy|PA|ANSA|Anadolu|Wikimedia Commons|Handout")
# Anchored at the start of the text; the first alternative that matches names the label.
STARTS = {
    "banner": r"IE ?11 is not supported|Skip to (main )?content|For an optimal experience|This "
              r"site (is protected by|uses cookies)|We use cookies|Accept (all )?cookies"
              r"|Advertisement$|Sign up for|Subscribe (now|to|for)|Breaking News Emails"
              r"|Get the latest|Let our news meet your inbox|Download the .* app"
              r"|Enable JavaScript",
    "caption": r"(Above |Top |Main |Featured )?(Photo|Image|Picture|Photograph|Illustration"
               r"|Video)s?( by| credit)?\s*:",
    "related": r"(Related( articles?| stor(y|ies)| content| reading| coverage| posts?)?|Read "
               r"(more|also|next)|See also|More on this( story)?|Also read|Further reading)"
               r"\s*(:|$)",
    "widget": r"(You (might|may) (also )?like|Recommended( for you)?|More (from|stories)|Most "
              r"(read|popular|viewed)|Trending( now)?|Popular (now|posts|stories)|Don't miss"
              r"|What to read next|Sponsored( content| stories)?|Promoted( stories)?"
              r"|Around the web|Share (this|on)\b|Click to Tweet|Tweet this|Follow (us|@)"
              r"|Sign up (for|to)\b|Most (read|shared)|Listen to this)\b",
    "disclaimer": r"The views (and opinions )?expressed|This (article|story|piece|post|column) "
                  r"(was|is|first|originally|has been)|Originally published|All rights reserved"
                  r"|©|Copyright\b|Disclaimer\s*:|This material may not be|Republished (from"
                  r"|with)|Source( article)?\s*:|Original url\s*:|<?https?://\S+>?$"
                  r"|\(?(Additional |Editing and )?(Reporting|Writing|Editing|Research) by\b"
                  r"|Compiled by\b|Edited by\b",
    "comments": r"Leave a (Reply|Comment)|Your email address will not be published|Required "
                r"fields are marked|Post Comment|Log in to Reply|Reply$|Cancel reply|\d+ "
                r"(Comments?|Responses?|Replies)\b|Comments? (are )?closed|Add a comment|Join "
                r"the (discussion|conversation)|Show comments|Load more comments|Sort by (best"
                r"|newest|oldest)|Notify me of|Comments?$",
}
START = re.compile("|".join(f"(?P<{k}>{v})" for k, v in STARTS.items()), re.I)
# Title-page lines: a byline, a date line (case matters here).
HEADER = re.compile(
    r"^(By [A-Z][\w.'-]*( (and )?[A-Z][\w.'-]*){0,4}|(Updated|Published|Posted)\b.{0,40}"
    r"|((Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? )?[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}"
    r"( at .{0,12})?|\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]{2,8} \d{4})$")
CREDIT = re.compile(r"CREDIT\s*:", re.I)
# Credit lines at an article's foot: "Anna Berg contributed to this report."
CONTRIBUTED = re.compile(r"^[\w .,'-]{0,80}\bcontributed( reporting)? to this "
                         r"(report|story|article)"
                         r"|^This (story|article|report) has been (updated|corrected)", re.I)
# List items and table rows are article text, never headings.
TABLE_ROW = re.compile(r"\w \| \w|^\|")
AGENCY_CREDIT = re.compile(rf"(^|[\s/|.(-])({AGENCIES})( via [\w .]+)?\W*$")


@dataclass(frozen=True)
class Piece:
    """A stretch of one side's text: carried by both texts, or found on this side only."""

    text: str
    words: int
    bullet: bool       # its paragraph started with a list bullet
    carried: bool
    whole: bool        # the piece is a whole paragraph


def pattern_label(piece: Piece) -> str | None:
    """The label the piece's own words give it. (Cheap tests guard the costlier patterns: this
    runs on every sentence one side lacks.)"""
    text = piece.text
    if match := START.match(text):
        return match.lastgroup
    if ":" in text and CREDIT.search(text):
        return "caption"
    if ("ontributed" in text or text.startswith("This ")) and CONTRIBUTED.match(text):
        return "disclaimer"
    if HEADER.match(text):
        return "header"
    short = piece.words <= CAPTION_MAX_WORDS and not ends_sentence(text)
    if short and AGENCY_CREDIT.search(text):
        return "caption"
    if piece.whole and not piece.bullet and not ("|" in text and TABLE_ROW.search(text)) and (
        (piece.words <= HEADING_MAX_WORDS and not ends_sentence(text))
        or (piece.words <= QUESTION_HEADING_MAX_WORDS and text.rstrip("\"')").endswith("?"))
    ):
        return "heading"
    return None


def label(pieces: list[Piece], seed_side: bool = True) -> list[str | None]:
    """A label (or None) for every piece; carried pieces are never labelled.

    On the seed's side a bulleted paragraph after the article's end starts reader comments; on
    the original's side (an extractor's text) bullets are list items, article text."""
    labels = [None if p.carried else pattern_label(p) for p in pieces]
    carried = [k for k, p in enumerate(pieces) if p.carried]
    trailing = carried[-1] + 1 if carried else len(pieces)
    _comments(pieces, labels, trailing if seed_side else len(pieces) + 1)
    if seed_side:  # a short line after the article's end is no subhead: it is added text
        labels[trailing:] = [None if x == "heading" else x for x in labels[trailing:]]
    if carried:
        _header(pieces, labels, carried[0], seed_side)
    _widget_lists(pieces, labels)
    _fragments(pieces, labels)
    return labels


def _comments(pieces: list[Piece], labels: list, trailing: int) -> None:
    """A comment mark ("3 Comments", "Reply", "Leave a Reply") starts a comment section that
    runs to the next shared sentence. After the article's last shared sentence (`trailing`),
    a bulleted paragraph is a comment mark too."""
    begun = False
    for k, piece in enumerate(pieces):
        if piece.carried:
            begun = False
            continue
        if labels[k] == "comments" or (k >= trailing and piece.bullet):
            begun = True
        if begun and labels[k] in (None, "heading"):
            labels[k] = "comments"


def _header(pieces: list[Piece], labels: list, first_carried: int, seed_side: bool) -> None:
    """Title lines before the article's first shared sentence: a headline or a standfirst
    without a full stop (a byline or a date line already matched `HEADER`). In the original's
    text, the first paragraph before the body may also be its standfirst: a seed keeps its own
    title and standfirst apart from its body, so they are metadata, never omitted body."""
    for k in range(min(first_carried, HEADER_MAX_PIECES)):
        if labels[k] not in (None, "heading") or pieces[k].words > HEADER_MAX_WORDS:
            continue
        if not ends_sentence(pieces[k].text) or (not seed_side and k < STANDFIRST_PIECES
                                                 and pieces[k].whole):
            labels[k] = "header"


def _widget_lists(pieces: list[Piece], labels: list) -> None:
    inside = False
    for k, piece in enumerate(pieces):
        if labels[k] == "widget":
            inside = True
        elif (inside and not piece.carried and labels[k] in (None, "heading")
              and piece.words <= WIDGET_ITEM_MAX_WORDS):
            labels[k] = "widget"
        else:
            inside = False


def _fragments(pieces: list[Piece], labels: list) -> None:
    for k, piece in enumerate(pieces):
        if labels[k] is None and not piece.carried and piece.words <= FRAGMENT_MAX_WORDS:
            neighbours = [labels[n] for n in (k - 1, k + 1) if 0 <= n < len(pieces)]
            found = next((n for n in neighbours if n), None)
            if found:
                labels[k] = found
