"""Business rules of the registry: status changes with history, areas from geometry."""

from __future__ import annotations

import logging
import time
from collections.abc import Container
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.text import slugify
from shapely.geometry.base import BaseGeometry

from .models import Municipality, Park, ParkHistory

logger = logging.getLogger(__name__)

# The fields whose every change is kept as history (issue 2: role and phase;
# the organisation degree is a programme indicator too).
TRACKED_FIELDS = ("swarm_role", "phase", "organisation_degree")


DEMO_FLAG_KEY = "registry:demo-data-present"
# Bumped whenever a park is saved or deleted, and again after the commit: a flag is kept
# under the generation read before its query, so a page that read the parks just before
# a commit can never keep its answer under the generation that follows it.
DEMO_FLAG_GENERATION = "registry:demo-data-generation"


def demo_data_present() -> bool:
    """Whether any synthetic demo park exists: every page then carries the demo banner.

    Asked on every page, so remembered in the shared cache (``DEMO_FLAG_CACHE_SECONDS``)
    under the current generation; ``forget_demo_flag`` starts a new one whenever a park
    is saved or deleted.
    """
    seconds = settings.DEMO_FLAG_CACHE_SECONDS
    if seconds <= 0:
        return Park.objects.filter(is_demo=True).exists()
    key = f"{DEMO_FLAG_KEY}:{cache.get(DEMO_FLAG_GENERATION, 0)}"
    found = cache.get(key)
    if found is None:
        found = Park.objects.filter(is_demo=True).exists()
        cache.set(key, found, seconds)
    return found


def _new_demo_generation() -> None:
    cache.set(DEMO_FLAG_GENERATION, time.time_ns(), None)


def forget_demo_flag(**kwargs) -> None:
    """Receiver of a park's save and delete: a new generation now and after the commit."""
    _new_demo_generation()
    transaction.on_commit(_new_demo_generation)


def _display(park: Park, field: str, value) -> str:
    if value is None or value == "":
        return ""
    choices = dict(Park._meta.get_field(field).choices or [])
    return str(choices.get(value, value))


@transaction.atomic
def change_park_status(park: Park, *, by=None, note: str = "", **changes) -> list[ParkHistory]:
    """Change tracked fields of ``park`` and record each change (who, when, old, new).

    This is the one way a role, phase or organisation degree changes; the
    admin, the park page and the sign-up approval all call it, so history is
    never skipped. Returns the history rows written (none if nothing changed).
    """
    unknown = set(changes) - set(TRACKED_FIELDS)
    if unknown:
        raise ValueError(f"Not a tracked park field: {', '.join(sorted(unknown))}")
    park = Park.objects.select_for_update().get(pk=park.pk)
    written = []
    for field, new in changes.items():
        old = getattr(park, field)
        if old == new:
            continue
        setattr(park, field, new)
        written.append(
            ParkHistory(
                park=park,
                field=field,
                old_value=_display(park, field, old),
                new_value=_display(park, field, new),
                changed_by=by,
                note=note[:300],
            )
        )
    if written:
        park.save(update_fields=[*changes.keys(), "updated_at"])
        ParkHistory.objects.bulk_create(written)
        logger.info("park %s changed %s by %s", park.pk, ", ".join(changes), by or "system")
    return written


@dataclass(frozen=True)
class AreaAssignment:
    municipality: Municipality | None
    share: float  # share of the park's area inside that municipality


def municipality_for(geometry: BaseGeometry) -> AreaAssignment:
    """The municipality holding most of the park's area, from the loaded boundaries."""
    best, best_area = None, 0.0
    candidates = Municipality.objects.exclude(geometry=None).intersecting_bbox(geometry.bounds)
    for municipality in candidates:
        area = municipality.geometry.intersection(geometry).area
        if area > best_area:
            best, best_area = municipality, area
    share = best_area / geometry.area if geometry.area else 0.0
    return AreaAssignment(best, share)


def assign_areas(park: Park) -> bool:
    """Set municipality, province and region from the geometry when boundaries allow.

    Where no boundaries are loaded (or the park lies in none) the existing,
    manually set values are kept. Returns True when areas were derived.
    """
    if park.geometry is None or park.geometry.is_empty:
        return False
    found = municipality_for(park.geometry)
    if found.municipality is None:
        park.areas_from_geometry = False
        return False
    park.municipality = found.municipality
    park.province = found.municipality.province
    park.region = found.municipality.region
    park.areas_from_geometry = True
    return True


def unique_park_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A URL slug for a park name, numbered when the name is already used."""
    base = slugify(name)[:200] or "terrein"
    slug, n = base, 2
    qs = Park.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def reassign_all_parks() -> int:
    """Re-derive areas of every park with a geometry (after new boundaries are loaded)."""
    count = 0
    for park in Park.objects.exclude(geometry=None).iterator(chunk_size=200):
        if assign_areas(park):
            # updated_at too: cached park answers and dashboards key on it (a moved park).
            park.save(
                update_fields=[
                    "municipality",
                    "province",
                    "region",
                    "areas_from_geometry",
                    "updated_at",
                ]
            )
            count += 1
    return count


# --------------------------------------------------------------------------- same park

# Two outlines describe the same park when they overlap at least this much
# (intersection over union). 0.5 accepts a redrawn or generalised outline of
# the same park, and never matches a neighbouring park, which shares at most a
# border.
MATCH_MIN_IOU = 0.5


def outline_overlap(a: BaseGeometry, b: BaseGeometry) -> float:
    """Intersection over union of two outlines (0 for two empty ones)."""
    union = a.union(b).area
    return a.intersection(b).area / union if union else 0.0


def park_matching_outline(
    geometry: BaseGeometry,
    *,
    exclude_scheme: str | None = None,
    skip: Container[int] = (),
) -> tuple[Park | None, float]:
    """The registry park ``geometry`` describes, if one overlaps it strongly enough.

    The one "same park" rule, used by the park import and by the sign-up (it
    had been written twice and drifted). Demo parks are never matched: a real
    park imported or signed up must not be absorbed by synthetic data, which
    ``demo --reset`` deletes with everything attached to it; a demo park can
    still be chosen by name in the sign-up. ``exclude_scheme`` leaves out
    parks that carry an id of that register (by that register they are another
    park); ``skip`` leaves out parks already matched in the same import.
    Returns the park (or None) and the best overlap found.
    """
    candidates = Park.objects.filter(is_demo=False).exclude(geometry=None)
    if exclude_scheme is not None:
        candidates = candidates.exclude(identifiers__scheme=exclude_scheme)
    best, best_iou = None, 0.0
    for park in candidates.intersecting_bbox(geometry.bounds):
        if park.pk in skip:
            continue
        iou = outline_overlap(park.geometry, geometry)
        if iou > best_iou:
            best, best_iou = park, iou
    return (best, best_iou) if best_iou >= MATCH_MIN_IOU else (None, best_iou)
