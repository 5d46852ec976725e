"""Compare two saved versions of an entry, field by field, word by word.

The result is data (a list of :class:`FieldDiff` with ``(op, text)`` pieces);
the template escapes every piece and marks insertions with ``<ins>`` and
deletions with ``<del>``, so nothing in an entry's text is ever rendered as HTML.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import CONTENT_FIELDS
from .vocabulary import load_vocabulary

LABELS = {
    "title": _("Titel"),
    "summary": _("Samenvatting"),
    "body": _("Beschrijving"),
    "lessons": _("Geleerde lessen"),
    "kind": _("Soort"),
    "themes": _("Thema's"),
    "directions": _("Oplossingsrichtingen"),
    "scale": _("Schaal"),
    "origin": _("Herkomst"),
    "park_id": _("Bedrijventerrein"),
    "measures": _("Maatregelen"),
    "cost_indication": _("Indicatie van de kosten"),
    "evidence": _("Bewijs"),
    "contact_organisation_id": _("Contactorganisatie"),
    "started_on": _("Gestart op"),
    "finished_on": _("Afgerond op"),
}
_BLOCK = {"kind": "types", "scale": "scales", "origin": "origins", "evidence": "evidence"}
_LIST_BLOCK = {"themes": "themes", "directions": "directions"}
_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class FieldDiff:
    field: str
    label: str
    changed: bool
    pieces: list[tuple[str, str]]  # ("same" | "ins" | "del", text)


def display(field: str, value: Any) -> str:
    """A readable form of one stored value (labels, names) for the comparison."""
    from werklandschap.registry.models import Organisation, Park

    from .search import measure_name

    vocabulary = load_vocabulary()
    if value in (None, "", []):
        return ""
    if field in _BLOCK:
        return vocabulary.label(_BLOCK[field], value)
    if field in _LIST_BLOCK:
        return "; ".join(vocabulary.label(_LIST_BLOCK[field], v) for v in value)
    if field == "measures":
        return "; ".join(measure_name(v) for v in value)
    if field == "park_id":
        park = Park.objects.filter(pk=value).only("name").first()
        return park.name if park else str(value)
    if field == "contact_organisation_id":
        org = Organisation.objects.filter(pk=value).only("name").first()
        return org.name if org else str(value)
    return str(value)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(("del", "".join(old[a1:a2])))
        if b2 > b1:
            pieces.append(("ins", "".join(new[b1:b2])))
    return pieces


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[FieldDiff]:
    """Every content field of two revisions' ``content``, with its word-level changes."""
    rows = []
    for field in CONTENT_FIELDS:
        old, new = display(field, before.get(field)), display(field, after.get(field))
        rows.append(
            FieldDiff(
                field=field,
                label=str(LABELS[field]),
                changed=old != new,
                pieces=word_diff(old, new) if old != new else [("same", new)],
            )
        )
    return rows
