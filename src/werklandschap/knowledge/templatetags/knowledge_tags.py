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
