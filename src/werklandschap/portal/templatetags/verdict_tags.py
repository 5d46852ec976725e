"""Template filters over the portal's one source of verdicts (``portal/verdicts.py``).

The dashboard and the PDF report decide with the same filters whether a comparison
group is large enough to show its median or a 'better than x%' figure.
"""

from __future__ import annotations

from typing import Any

from django import template

from .. import verdicts

register = template.Library()


@register.filter
def rankable(group: Any) -> bool:
    """``{% if g|rankable %}``: the group is large enough for 'beter dan x%'."""
    return verdicts.can_rank(group)


@register.filter
def shows_distribution(group: Any) -> bool:
    """``{% if g|shows_distribution %}``: the group is large enough for its median."""
    return verdicts.shows_distribution(group.stats.n)


@register.simple_tag
def verdict_minimum(name: str) -> int:
    """``{% verdict_minimum "distribution" %}``: a minimum group size for explanations."""
    return verdicts.minimums()[name]
