"""A minimal PDF writer for test fixtures: text blocks laid out in lines and pages, Helvetica.

Written by hand so that tests need no PDF library besides the one under test (pypdf reads it).
Lines are wrapped on spaces; blocks are separated by a larger vertical gap than lines, and a block
that does not fit continues on the next page, splitting sentences the way real PDF exports do.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

PAGE_WIDTH = 595
MARGIN = 50


def _pdf_string(text: str) -> bytes:
    out = bytearray(b"(")
    for byte in text.encode("cp1252", "replace"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b")")


def layout(blocks: Sequence[tuple[int, str]], page_height: int) -> list[list[tuple[int, int, str]]]:
    """(font size, text) blocks -> pages of (size, y, line)."""
    pages: list[list[tuple[int, int, str]]] = [[]]
    y = page_height - MARGIN
    for size, text in blocks:
        width = int((PAGE_WIDTH - 2 * MARGIN) / (0.5 * size))
        for line in textwrap.wrap(text, width) or [""]:
            if y < MARGIN + size:
                pages.append([])
                y = page_height - MARGIN
            pages[-1].append((size, y, line))
            y -= round(size * 1.3)
        y -= round(size * 1.1)  # paragraph spacing
    return pages


def pdf_document(blocks: Sequence[tuple[int, str]], title: str = "", page_height: int = 842) -> bytes:
    """A complete PDF 1.4 file with a correct xref table; page numbers in the footer."""
    pages = layout(blocks, page_height)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title " + _pdf_string(title) + b" /Producer (seedcheck tests) >>",
    ]
    kids = []
    for number, lines in enumerate(pages, 1):
        ops = [b"BT /F1 %d Tf 1 0 0 1 %d %d Tm %s Tj ET" % (size, MARGIN, y, _pdf_string(line))
               for size, y, line in lines]
        ops.append(b"BT /F1 8 Tf 1 0 0 1 %d 20 Tm (%d) Tj ET" % (PAGE_WIDTH // 2, number))
        content = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font "
                       b"<< /F1 3 0 R >> >> /Contents %d 0 R >>" % (PAGE_WIDTH, page_height, len(objects)))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
