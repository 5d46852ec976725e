"""Re-deriving a park's areas counts as a change of the park (cached answers key on it)."""

from __future__ import annotations

from werklandschap.registry.models import Park, Region
from werklandschap.registry.services import reassign_all_parks


def test_a_park_moved_to_another_region_gets_a_new_updated_at(boundaries, park):
    right = park.region
    wrong = Region.objects.exclude(pk=right.pk).first()
    Park.objects.filter(pk=park.pk).update(region=wrong)
    before = Park.objects.get(pk=park.pk).updated_at
    assert reassign_all_parks() >= 1
    moved = Park.objects.get(pk=park.pk)
    assert moved.region == right
    assert moved.updated_at > before
