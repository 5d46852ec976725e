"""Capacity is never overbooked when people register at the same moment.

On PostgreSQL real concurrent transactions (threads with their own connections,
``tests/concurrency.race``) queue on the event's row lock (``select_for_update`` in
``services._lock``). On SQLite the same calls one after another give the same result.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from tests.community.fixtures import *  # noqa: F403
from tests.community.fixtures import make_event, make_people
from tests.concurrency import needs_postgres, race
from werklandschap.community import services
from werklandschap.community.models import Event, Registration
from werklandschap.community.models import RegistrationStatus as RS

CAPACITY = 3
PEOPLE = 12


def _counts(event) -> tuple[int, int]:
    places = services.places(event)
    return places.confirmed, places.waiting


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_concurrent_registrations_never_exceed_capacity(national):
    needs_postgres()
    for attempt in range(3):
        event = make_event(national, capacity=CAPACITY, title=f"Race {attempt}")
        people = make_people(PEOPLE, prefix=f"race{attempt}-")
        outcomes = race(*[lambda p=p, e=event: services.register(e, p) for p in people])
        assert outcomes == ["ok"] * PEOPLE, outcomes
        assert _counts(event) == (CAPACITY, PEOPLE - CAPACITY)
        # The waiting list has one strict order (no two people listed at the same spot).
        listed = list(
            event.registrations.filter(status=RS.WAITING).values_list("listed_at", flat=True)
        )
        assert len(listed) == PEOPLE - CAPACITY


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_cancellations_and_registrations_at_once_keep_capacity(national):
    """Confirmed people cancel while newcomers register: every freed place goes to exactly
    one person and the event never holds more than its capacity."""
    needs_postgres()
    event = make_event(national, capacity=CAPACITY)
    first = make_people(CAPACITY + 3, prefix="vast-")
    for person in first:
        services.register(event, person)
    newcomers = make_people(6, prefix="nieuw-")
    leaving = list(Registration.objects.filter(event=event, status=RS.CONFIRMED))
    actions = [lambda r=r: services.cancel(r) for r in leaving] + [
        lambda p=p: services.register(event, p) for p in newcomers
    ]
    outcomes = race(*actions)
    assert outcomes == ["ok"] * len(actions), outcomes
    confirmed, waiting = _counts(event)
    assert confirmed == CAPACITY
    assert confirmed + waiting == len(first) - CAPACITY + len(newcomers)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_same_race_overbooks_without_the_row_lock(national, monkeypatch):
    """The control: with ``_lock`` replaced by a plain read (and a pause, as on a busy
    server, so every transaction counts before any commits) the same concurrent
    registrations take more places than there are. So the tests above pass because of
    the lock, not because the threads happened to run one after another."""
    needs_postgres()

    def unlocked(event):
        row = Event.objects.select_related("community").get(pk=event.pk)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.3)")
        return row

    monkeypatch.setattr(services, "_lock", unlocked)
    overbooked = []
    for attempt in range(3):
        event = make_event(national, capacity=1, title=f"Zonder slot {attempt}")
        people = make_people(6, prefix=f"zonderslot{attempt}-")
        race(*[lambda p=p, e=event: services.register(e, p) for p in people])
        overbooked.append(services.places(event).confirmed)
        if overbooked[-1] > 1:
            break
    assert max(overbooked) > 1, overbooked


@pytest.mark.django_db
def test_sequential_registrations_on_any_database_fill_exactly_the_capacity(national):
    event = make_event(national, capacity=CAPACITY)
    for person in make_people(PEOPLE):
        with transaction.atomic():
            services.register(event, person)
    assert _counts(event) == (CAPACITY, PEOPLE - CAPACITY)
