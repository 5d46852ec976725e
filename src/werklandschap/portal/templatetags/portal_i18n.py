"""Template filters that write the portal's figures and codes in the page's language.

``{{ value|percent }}`` and ``{{ value|number:1 }}`` use the same function as the
cards, charts and downloads (``lib.numbers``), so a template never formats a figure
its own way; ``{{ unit|unit_gap }}`` puts the language's space between a figure and
its unit; ``{{ role|layer_role }}`` names a data bundle's layer role in words
instead of its code ('landcover', 'pt_stops').
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy

from werklandschap.lib.numbers import format_number, unit_separator
from werklandschap.lib.numbers import percent as locale_percent

register = template.Library()

LAYER_ROLES = {
    "landcover": gettext_lazy("landgebruik"),
    "buildings": gettext_lazy("gebouwen"),
    "nature": gettext_lazy("natuurgebieden"),
    "pt_stops": gettext_lazy("ov-haltes"),
    "solar_panels": gettext_lazy("zonnepanelen"),
    "dsm": gettext_lazy("hoogtemodel (oppervlak)"),
    "dtm": gettext_lazy("hoogtemodel (maaiveld)"),
    "canopy": gettext_lazy("boomkroon"),
    "heat": gettext_lazy("hittekaart"),
    "flood": gettext_lazy("waterdiepte"),
}


@register.filter
def number(value, places: int = 1) -> str:
    """A figure in the page's notation: 1.234,5 / 1,234.5; '–' for none."""
    return format_number(None if value in (None, "") else float(value), int(places))


@register.filter
def percent(value, places: int = 1) -> str:
    """A share with its sign in the page's notation: '14,8 %' / '14.8%'."""
    return locale_percent(None if value in (None, "") else float(value), int(places))


@register.filter
def unit_gap(unit: str | None) -> str:
    """The space between a figure and its unit: none before '%' in English.

    ``<strong>{{ ind.text }}</strong>{{ ind.unit|unit_gap }}{{ ind.unit_display }}``
    """
    return unit_separator(unit)


@register.simple_tag
def csv_format() -> str:
    """How the CSV download writes its numbers, in the page's language (exports.py decides)."""
    from ..exports import csv_dialect

    return csv_dialect().hint


@register.filter
def layer_role(role: str | None) -> str:
    """A bundle layer's role in words; an unknown role as it is."""
    return str(LAYER_ROLES.get(role or "", role or ""))
