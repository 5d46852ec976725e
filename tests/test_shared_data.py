"""The shared-data fixtures of tests/conftest.py give what the loaders give.

Reference data and boundaries are loaded once per test database and then
hidden or shown per test; these tests check that every view a test can ask
for equals what running the commands inside the test would give, also after
a transactional test has flushed the tables.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests import conftest
from werklandschap.registry.models import Municipality, Park, Province, Region


def _shared_models():
    assert conftest._shared is not None and conftest._shared.tables
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in conftest._shared.tables
    ]


def _snapshot() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in _shared_models()
    }


def test_the_loaders_wrote_the_reference_tables(reference_data):
    written = set(_shared_models())
    assert {Province, Municipality, Region} <= written
    assert Park not in written  # there were no parks to reassign


def test_without_reference_data_the_tables_are_empty(db):
    for model in _shared_models():
        assert not model._base_manager.exists(), model


def test_reference_data_asked_for_late_is_loaded_in_the_test(db, request):
    request.getfixturevalue("boundaries")  # after the tables were emptied for this test
    assert request.node.nodeid in conftest._shared.fallbacks
    assert Region.objects.count() == 30
    assert Municipality.objects.exclude(geometry=None).count() == 342


def test_reference_data_is_what_load_reference_gives(reference_data, request):
    assert request.node.nodeid not in conftest._shared.fallbacks  # the fast path
    before = _snapshot()
    assert before["registry.Region"]
    assert not Province.objects.exclude(geometry=None).exists()
    assert not Municipality.objects.exclude(minx=None).exists()
    call_command("load_reference", verbosity=0)  # an upsert: changes nothing if equal
    assert _snapshot() == before


def test_boundaries_are_what_load_boundaries_gives(boundaries, request):
    assert request.node.nodeid not in conftest._shared.fallbacks  # the fast path
    before = _snapshot()
    assert Municipality.objects.exclude(geometry=None).count() == 342
    call_command("load_boundaries", verbosity=0)
    assert _snapshot() == before


def test_park_made_before_boundaries_gets_its_areas(park, boundaries):
    park.refresh_from_db()
    assert park.areas_from_geometry
    assert park.municipality.code == "GM0503"  # Delft


# pytest-django runs transactional tests after all others, in file order: the
# second one below follows the flush at the end of the first.
@pytest.mark.django_db(transaction=True)
def test_transactional_test_sees_reference_data_and_may_commit(reference_data, request):
    assert request.node.nodeid not in conftest._shared.fallbacks
    assert Region.objects.count() == 30
    assert not connection.in_atomic_block
    Region.objects.filter(name="Twente").update(name="Twente (gewijzigd)")  # committed


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_data_is_loaded_again_before_the_test(reference_data, request):
    assert request.node.nodeid not in conftest._shared.fallbacks
    assert Region.objects.filter(name="Twente").exists()
    assert not Province.objects.exclude(geometry=None).exists()
