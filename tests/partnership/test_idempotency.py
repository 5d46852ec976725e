"""Repeated and concurrent posts of the same form make one application and one e-mail."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from tests.partnership.conftest import SIGNUP_URL, drawn, form_data
from werklandschap.partnership.models import ApplicationEvent, PartnerApplication


def test_same_form_posted_twice_makes_one_application(client, park, on_commit):
    data = form_data(park)
    with on_commit():
        first = client.post(SIGNUP_URL, data)
        second = client.post(SIGNUP_URL, data)
    assert first.status_code == second.status_code == 302
    assert PartnerApplication.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1
    assert len(mail.outbox) == 1


def test_two_forms_by_two_people_make_two_joined_applications(client, park, on_commit):
    with on_commit():
        client.post(SIGNUP_URL, form_data(park))
        client.post(SIGNUP_URL, form_data(park, contact_email="ander@example.org"))
    first, second = PartnerApplication.objects.order_by("pk")
    assert second.joined_to == first


def _in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["existing park", "new park"])
def test_concurrent_posts_of_the_same_form_make_one_application(
    reference_data, park, new_park_outline, kind
):
    """Four simultaneous posts of one form: the unique key and the IntegrityError path.

    Needs a database with real concurrent writers: PostgreSQL (scripts/test runs
    the suite on it too) or a file SQLite. The in-memory SQLite test database
    shares one cache between threads and answers "table is locked" at once
    instead of waiting, which says nothing about the code under test.
    """
    if _in_memory_sqlite():
        pytest.skip("in-memory SQLite cannot run concurrent writers; runs on PostgreSQL")
    if kind == "existing park":
        data = form_data(park)
    else:  # no park row to lock: the unique key and IntegrityError decide
        data = form_data(None, proposed_name="Tanthof", outline_drawn=drawn(new_park_outline))
    barrier = threading.Barrier(4)
    statuses, errors = [], []

    def post() -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(Client().post(SIGNUP_URL, data).status_code)
        except Exception as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert statuses == [302, 302, 302, 302]
    assert PartnerApplication.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1
    assert len(mail.outbox) == 1
