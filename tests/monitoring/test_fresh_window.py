"""Under load the dashboard's fingerprint is remembered a few seconds (DATA_FRESH_SECONDS);
a warm visit then reads no figures and runs no query of its own."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from werklandschap.accounts.roles import Role
from werklandschap.lib import freshness
from werklandschap.monitoring import figures
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.services import change_park_status

pytestmark = pytest.mark.django_db

KPI = '<span class="monitor-kpis__value">{}</span> <span class="monitor-kpis__label">'


@pytest.fixture
def fresh_window():
    cache.clear()
    with override_settings(
        MONITORING_CACHE_SECONDS=60, DATA_FRESH_SECONDS=10, DEMO_FLAG_CACHE_SECONDS=60
    ):
        yield
    cache.clear()


def _state_key(scope: figures.Scope) -> str:
    return f"{freshness.PREFIX}monitoring:{scope.key}:{translation.get_language()}"


def test_a_change_shows_once_the_remembered_fingerprint_lapses(client, users, park, fresh_window):
    client.force_login(users[Role.PROGRAMME_TEAM])
    url = reverse("monitoring:programme")
    assert KPI.format(0) in client.get(url).content.decode()
    change_park_status(park, swarm_role=SwarmRole.PARTNER)
    # Within the window the page may still show the figures of just before the change ...
    assert KPI.format(0) in client.get(url).content.decode()
    # ... and once it has passed (the entry expired), the change.
    with translation.override("nl"):
        cache.delete(_state_key(figures.Scope.programme()))
    assert KPI.format(1) in client.get(url).content.decode()


def test_a_warm_visit_asks_the_database_nothing_about_the_figures(
    client, users, park, fresh_window
):
    client.force_login(users[Role.PROGRAMME_TEAM])
    url = reverse("monitoring:programme")
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        html = client.get(url).content.decode()
    tables = " ".join(q["sql"] for q in warm.captured_queries)
    assert "Programmadashboard" in html
    # Only who is asking: the user and their groups (the session and the demo flag come
    # from the cache).
    assert len(warm) == 2, tables
    assert "registry_park" not in tables and "django_session" not in tables


def test_the_window_is_per_scope_and_language(park, fresh_window):
    scope = figures.Scope.programme()
    with translation.override("nl"):
        dutch = figures.current_fingerprint(scope)
    with translation.override("en"):
        english = figures.current_fingerprint(scope)
        assert cache.get(_state_key(scope)) == english
    assert dutch != english


def test_a_warm_province_visit_reads_no_outline(client, users, park, fresh_window):
    from django.utils.text import slugify

    client.force_login(users[Role.PROGRAMME_TEAM])
    url = reverse("monitoring:province", kwargs={"province": slugify(park.province.name)})
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in warm.captured_queries]
    # The user, their groups and the provinces to match the slug: never an outline.
    assert len(sql) == 3, sql
    assert not any('"geometry"' in q for q in sql)


def test_figures_computed_in_the_window_are_kept_under_the_state_they_show(
    client, users, park, fresh_window
):
    scope = figures.Scope.programme()
    client.force_login(users[Role.PROGRAMME_TEAM])
    url = reverse("monitoring:programme")
    client.get(url)
    with translation.override("nl"):
        before = cache.get(_state_key(scope))
        cache.delete(figures.CACHE_PREFIX + before)  # the figures expired meanwhile
        change_park_status(park, swarm_role=SwarmRole.PARTNER)
        html = client.get(url).content.decode()
        after = figures.fingerprint(scope)
    assert KPI.format(1) in html  # computed from the data as it is now ...
    assert after != before
    assert cache.get(figures.CACHE_PREFIX + after) is not None  # ... and kept under its state
    assert cache.get(figures.CACHE_PREFIX + before) is None
