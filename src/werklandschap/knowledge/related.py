"""Published entries for other pages: a measure's page and a park's largest gaps.

Small, bounded reads (published entries' classification columns only), used by
the inclusion tags in ``templatetags/knowledge_tags.py`` so the measures and
portal apps only include a template.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Entry
from .workflow import Status

_EVIDENCE_ORDER = {"proven": 0, "pilot": 1, "idea": 2}


def _published_rows() -> list[dict]:
    return list(
        Entry.objects.filter(status=Status.PUBLISHED).values(
            "id", "measures", "themes", "evidence", "published_at"
        )
    )


def _entries(ids: list[int]) -> list[Entry]:
    found = Entry.objects.select_related("contact_organisation", "park").in_bulk(ids)
    return [found[i] for i in ids if i in found]


def for_measure(key: str, limit: int = 6) -> list[Entry]:
    """Published entries that apply the catalogue measure ``key``: proven practice first."""
    rows = [r for r in _published_rows() if key in (r["measures"] or [])]
    rows.sort(key=lambda r: (_EVIDENCE_ORDER.get(r["evidence"], 9), -r["id"]))
    return _entries([r["id"] for r in rows[:limit]])


def themes_of_gaps(gap_keys: Iterable[str]) -> list[str]:
    """The themes of the indicators a park lags on, in the gaps' order, without repeats."""
    from werklandschap.scanengine.catalog import INDICATORS

    themes: list[str] = []
    for key in gap_keys:
        indicator = INDICATORS.get(key)
        if indicator is not None and indicator.theme not in themes:
            themes.append(indicator.theme)
    return themes


def for_themes(themes: list[str], limit: int = 4) -> list[Entry]:
    """Published entries on the given themes: the first (largest) gap's theme weighs most,
    then more matching themes, then proven practice first."""
    if not themes:
        return []
    weight = {theme: len(themes) - i for i, theme in enumerate(themes)}
    scored = []
    for row in _published_rows():
        score = sum(weight.get(t, 0) for t in row["themes"] or [])
        if score:
            scored.append((-score, _EVIDENCE_ORDER.get(row["evidence"], 9), -row["id"], row["id"]))
    scored.sort()
    return _entries([s[-1] for s in scored[:limit]])


def for_measures(keys: Iterable[str], limit: int = 5) -> list[Entry]:
    """Published entries applying any of the catalogue measures ``keys`` (a toolbox step's):
    more shared measures first, then proven practice first."""
    wanted = set(keys)
    if not wanted:
        return []
    scored = []
    for row in _published_rows():
        shared = len(wanted & set(row["measures"] or []))
        if shared:
            scored.append((-shared, _EVIDENCE_ORDER.get(row["evidence"], 9), -row["id"], row["id"]))
    scored.sort()
    return _entries([s[-1] for s in scored[:limit]])
