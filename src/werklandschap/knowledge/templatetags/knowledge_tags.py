"""Labels of the Innovation database's classifications in templates (active language)."""

from __future__ import annotations

from django import template

from ..vocabulary import load_vocabulary
from ..workflow import TABLE

register = template.Library()


@register.filter
def kn_label(key: str, block: str) -> str:
    """``{{ entry.kind|kn_label:"types" }}``"""
    return load_vocabulary().label(block, key)


@register.filter
def kn_labels(keys: list[str], block: str) -> list[str]:
    """``{% for t in entry.themes|kn_labels:"themes" %}``"""
    vocabulary = load_vocabulary()
    return [vocabulary.label(block, k) for k in keys or []]


@register.filter
def kn_status(status: str) -> str:
    return TABLE.label(status)


@register.inclusion_tag("knowledge/_related.html")
def innovations_for_measure(key: str) -> dict:
    """``{% innovations_for_measure measure.key %}`` on a measure's page in the catalogue."""
    from ..related import for_measure
    from ..search import search_url

    return {
        "entries": for_measure(key),
        "title_kind": "measure",
        "more_url": search_url("", {"maatregel": key}),
    }


@register.inclusion_tag("knowledge/_related.html")
def innovations_for_gaps(gaps) -> dict:
    """``{% innovations_for_gaps summary.gaps %}`` on a park's dashboard: practice on the
    themes of the park's largest gaps."""
    from ..related import for_themes, themes_of_gaps
    from ..search import search_url

    themes = themes_of_gaps(g.key for g in gaps or [])
    return {
        "entries": for_themes(themes),
        "title_kind": "gaps",
        "extra_class": "park-summary__block",
        "tag": "div",  # a block of the summary <section>, like its neighbours
        "heading": "h3",
        "themes": [load_vocabulary().label("themes", t) for t in themes],
        "more_url": search_url("", {"thema": themes[0]}) if themes else "",
    }
