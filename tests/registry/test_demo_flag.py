"""The demo banner's flag is remembered in the shared cache and forgotten on every park change."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from shapely.geometry import box

from werklandschap.registry.models import Park
from werklandschap.registry.services import (
    DEMO_FLAG_GENERATION,
    DEMO_FLAG_KEY,
    demo_data_present,
)

BANNER = "DEMO – synthetische gegevens"


@pytest.fixture
def remembered():
    cache.set(DEMO_FLAG_GENERATION, uuid.uuid4().hex, None)  # nothing remembered yet
    with override_settings(DEMO_FLAG_CACHE_SECONDS=300):
        yield
    cache.delete(DEMO_FLAG_GENERATION)


def _demo_queries(client) -> tuple[int, str]:
    """The demo-flag queries of a page that asks nothing else about parks (the log-in page)."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("login")).content.decode()
    return sum('"is_demo"' in q["sql"] and "LIMIT 1" in q["sql"] for q in queries), html


def _park(name: str, *, is_demo: bool) -> Park:
    return Park.objects.create(
        name=name, slug=name.lower(), is_demo=is_demo, geometry=box(85000, 447000, 85300, 447300)
    )


def test_the_flag_is_asked_once_then_remembered(client, reference_data, remembered):
    first, html = _demo_queries(client)
    assert first == 1 and BANNER not in html
    again, html = _demo_queries(client)
    assert again == 0 and BANNER not in html


def test_saving_and_deleting_a_park_forget_the_flag(client, reference_data, remembered):
    _demo_queries(client)
    park = _park("Nep", is_demo=True)
    count, html = _demo_queries(client)
    assert count == 1 and BANNER in html
    park.delete()
    count, html = _demo_queries(client)
    assert count == 1 and BANNER not in html
    real = _park("Echt", is_demo=False)
    real.is_demo = True  # a park marked demo afterwards
    real.save()
    assert BANNER in _demo_queries(client)[1]


def test_a_flag_computed_before_the_commit_is_never_used_after_it(
    reference_data, remembered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _park("Nep", is_demo=True)
        # Another connection renders a page meanwhile: it reads the generation and, not
        # seeing the uncommitted park, finds no demo data ...
        stale = f"{DEMO_FLAG_KEY}:{cache.get(DEMO_FLAG_GENERATION, 0)}"
    # ... and writes its answer only after the commit.
    cache.set(stale, False, 300)
    assert demo_data_present() is True


def test_without_remembering_every_page_asks(client, reference_data):
    assert _demo_queries(client)[0] == 1
    assert _demo_queries(client)[0] == 1
