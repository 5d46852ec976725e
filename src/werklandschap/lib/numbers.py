"""Numbers as the reader's language writes them, for pages, charts, e-mails and files.

One function, so a card, a chart label, a table cell and a download never write the
same figure two ways ("102.7 ha" beside "14,8 %" on one page was the bug this ends).
The separators are Django's locale formats (the ones ``floatformat`` and ``localize``
use in templates): Dutch 1.234,5 and English 1,234.5. Rounding is half up, like
``floatformat``, so a chart and a card never show 42 and 43 for the same 42.5.

Percentages follow each language's convention: Dutch puts a (no-break) space before
the sign ("14,8 %"), English none ("14.8%"). Other units always follow a no-break
space ("6.415 m³", "6,415 m³").
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import get_format
from django.utils.translation import get_language

NBSP = "\u00a0"
DASH = "–"  # a figure that is not there: never a zero


def language(lang: str | None = None) -> str:
    """The language a number is written in: ``lang``, else the active one, else the site's."""
    return (lang or get_language() or settings.LANGUAGE_CODE).lower()


def decimal_separator(lang: str | None = None) -> str:
    """The language's decimal sign: ',' (Dutch), '.' (English)."""
    return str(get_format("DECIMAL_SEPARATOR", language(lang)))


def format_number(
    value: float | int | Decimal | None,
    places: int = 1,
    *,
    lang: str | None = None,
    grouping: bool = True,
) -> str:
    """``value`` with ``places`` decimals in the language's notation; '–' for no value.

    ``grouping``: thousands separators (off for a value typed back into a form).
    """
    if value is None:
        return DASH
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return DASH
    rounded = Decimal(repr(number)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}" if grouping else f"{rounded:.{places}f}"
    if text.startswith("-") and rounded == 0:
        text = text[1:]  # no "-0,0"
    thousands_sep = str(get_format("THOUSAND_SEPARATOR", language(lang)))
    return (
        text.replace(",", "\x00")
        .replace(".", decimal_separator(lang))
        .replace("\x00", thousands_sep)
    )


def unit_separator(unit: str | None, *, lang: str | None = None) -> str:
    """What goes between a number and its unit: nothing before '%' in English, else a
    no-break space (for templates that style the unit apart from the number)."""
    if not unit:
        return ""
    if unit == "%" and language(lang).startswith("en"):
        return ""
    return NBSP


def join_unit(text: str, unit: str | None, *, lang: str | None = None) -> str:
    """A formatted number and its unit: '14,8 %' (Dutch), '14.8%' (English), '12 m²'."""
    if not unit or text == DASH:
        return text
    return f"{text}{unit_separator(unit, lang=lang)}{unit}"


def percent(value: float | None, places: int = 1, *, lang: str | None = None) -> str:
    """A share in the language's notation, sign included: '14,8 %' / '14.8%'."""
    return join_unit(format_number(value, places, lang=lang), "%", lang=lang)
