"""What Dutch left on an English page looks like, for the browser test of the English pages.

Three signs, none of which the demo's own content (Dutch titles and texts that
people wrote) sets off:

* a Dutch interface text: any msgid of the catalogue whose English differs,
  cut at its placeholders into literal pieces of at least ``MIN_PIECE``
  characters with a space in them (a piece that long is not a name or a
  single word a park's description might share);
* a date written the Dutch way (``2 juni 2027``, ``maandag``);
* an amount written the Dutch way (``€ 15.000,00``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import polib

import werklandschap

CATALOGUE = Path(werklandschap.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
MIN_PIECE = 18
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{[^}]*\}")
DUTCH_DATE = re.compile(
    r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
    r"november|december)\b|\b(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\b"
)
DUTCH_AMOUNT = re.compile(r"€\s?\d{1,3}(\.\d{3})+,\d{2}\b")


@cache
def dutch_pieces() -> frozenset[str]:
    """Literal pieces of the Dutch interface texts that English pages must not contain."""
    pieces = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or not entry.msgstr or entry.msgstr == entry.msgid:
            continue
        for piece in PLACEHOLDER.split(entry.msgid):
            piece = " ".join(piece.split()).strip(" .,:;'\"‘’“”()—–-")
            english = " ".join(entry.msgstr.split())
            if len(piece) >= MIN_PIECE and " " in piece and piece not in english:
                pieces.add(piece)
    return frozenset(pieces)


def dutch_in(text: str) -> list[str]:
    """The Dutch interface texts, dates and amounts found in ``text`` (a page's text)."""
    flat = " ".join(text.split())
    found = sorted(p for p in dutch_pieces() if p in flat)
    found += [m.group(0) for m in DUTCH_DATE.finditer(flat)]
    found += [m.group(0) for m in DUTCH_AMOUNT.finditer(flat)]
    return found
