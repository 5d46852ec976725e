"""Cleaning of names people type in or files bring along.

A name is shown on maps, in lists, e-mails and spreadsheets. Invisible
characters in it do harm without being seen: bidirectional overrides
(U+202A-U+202E, U+2066-U+2069) make "Parkweg‮txt.exe" read differently from
what it is, zero-width characters (U+200B-U+200D, U+2060, U+FEFF) make two
names that look the same compare unequal and slip past duplicate checks. None
of them belongs in the name of a park, an organisation or a person.
"""

from __future__ import annotations

import unicodedata

# Removed outright: every "format" character (Unicode category Cf). That is
# the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069),
# the marks U+200E/U+200F/U+061C, the zero-width space, (non-)joiner and word
# joiner (U+200B-U+200D, U+2060-U+2064), the byte-order mark U+FEFF, the soft
# hyphen U+00AD and the tag characters. Taking the whole category rather than
# a hand-made list keeps characters added to it in later Unicode versions out
# as well.
_REMOVED_CATEGORIES = {"Cf"}
# Turned into a space (then collapsed): control characters such as tab and
# newline, and the line/paragraph separators.
_SPACE_CATEGORIES = {"Cc", "Zl", "Zp"}


def clean_name(value: str | None) -> str:
    """``value`` without invisible format and control characters, single-spaced.

    Normalised to NFC (so "é" typed as e + combining accent equals "é"),
    invisible characters removed, whitespace runs collapsed to one space and
    the ends trimmed. Visible characters, accents included, are kept as typed.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in _REMOVED_CATEGORIES:
            continue
        kept.append(" " if category in _SPACE_CATEGORIES else char)
    return " ".join("".join(kept).split())
