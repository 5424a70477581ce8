"""Which charset a page's bytes are in: the HTTP header, then <meta charset>, then detection.

A declared charset is trusted only while the bytes agree with it. Bytes that are valid UTF-8 and
not plain ASCII are UTF-8 whatever the page says (a cp1252 text is almost never valid UTF-8 by
chance, so this only ever undoes mojibake). A declaration the bytes do not decode in falls back to
detection; Latin-script guesses become cp1252, the charset such pages nearly always really use.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))


def codec(label: str | None) -> str | None:
    """Python's name for a charset label, None if unknown. latin-1 labels mean cp1252 (WHATWG)."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def declared(body: bytes, http_charset: str | None) -> list[tuple[str, str]]:
    """(where, codec) of each usable declaration, HTTP first."""
    found = []
    if name := codec(http_charset):
        found.append(("HTTP charset", name))
    meta = META_CHARSET.search(body[:4096])
    if meta and (name := codec(meta.group(1).decode("ascii", "replace"))):
        found.append(("<meta> charset", name))
    return found


def decode_html(body: bytes, http_charset: str | None = None) -> tuple[str, str | None]:
    """(text, note). The note says the declarations were wrong, only when none of them was the
    charset used (a wrong HTTP header with a right <meta> is what browsers cope with daily)."""
    for bom, name in BOMS:
        if body.startswith(bom):
            return body.decode(name, "replace"), None
    if body.isascii():
        return body.decode("ascii"), None
    claims = declared(body, http_charset)
    said = ", ".join(f"{where} {name}" for where, name in claims) or "no charset declared"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:  # valid UTF-8 with non-ASCII bytes is UTF-8 whatever is declared
        wrong = claims and all(name != "utf-8" for _, name in claims)
        return text, f"{said} is wrong: the bytes are UTF-8" if wrong else None
    for _, name in claims:
        try:
            return body.decode(name), None
        except (UnicodeDecodeError, LookupError):
            continue
    name = guess(body)
    return body.decode(name, "replace"), f"{said}: does not decode; decoded as {name}"


def guess(body: bytes) -> str:
    """Detected charset; cp1252 for any Latin-script text (detectors confuse the cp125x family)."""
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    if best is None or not best.encoding:
        return "cp1252"
    name = codec(best.encoding) or "cp1252"
    letters = [c for c in body.decode(name, "replace") if ord(c) > 127 and c.isalpha()]
    latin = sum(unicodedata.name(c, "").startswith("LATIN") for c in letters)
    return "cp1252" if not letters or latin >= len(letters) / 2 else name
