"""The lines the platform writes into a voucher's history follow the reader's language.

They are stored as text in the language active when the step happened (Dutch
for the demo and the nightly expiry); an English page showed "Toegekend: ...".
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from tests.vouchers.fixtures import *  # noqa: F403
from werklandschap.accounts.roles import Role
from werklandschap.vouchers import services
from werklandschap.vouchers.models import VoucherEvent
from werklandschap.vouchers.workflow import Status

pytestmark = pytest.mark.django_db


def _award_in(language: str, application, team) -> None:
    with translation.override(language):
        services.move(application, Status.IN_ASSESSMENT, by=team)
        services.move(application, Status.AWARDED, by=team)


def test_dutch_system_notes_are_shown_in_english_on_the_english_page(client, application, users):
    team = users[Role.PROGRAMME_TEAM]
    _award_in("nl", application, team)
    notes = " ".join(
        VoucherEvent.objects.filter(application=application).values_list("note", flat=True)
    )
    assert "Aangevraagd in de ronde" in notes and "Toegekend:" in notes  # stored in Dutch

    client.force_login(team)
    english = client.get(f"/en/vouchers/{application.reference}/").content.decode()
    due = application.__class__.objects.get(pk=application.pk).deliverables_due
    assert "Aangevraagd in de ronde" not in english
    assert "Toegekend:" not in english
    assert f"Applied for in round &#x27;{application.round.name}&#x27;." in english
    assert f"Awarded: € 15,000.00; green vision and financing plan due by {due:%-d %B %Y}." in (
        english
    )
    dutch = client.get(f"/vouchers/{application.reference}/").content.decode()
    assert "Toegekend: € 15.000,00; groenvisie en financieringsplan uiterlijk" in dutch


def test_english_system_notes_are_shown_in_dutch_on_the_dutch_page(client, application, users):
    team = users[Role.PROGRAMME_TEAM]
    _award_in("en", application, team)
    notes = " ".join(
        VoucherEvent.objects.filter(application=application).values_list("note", flat=True)
    )
    assert "Awarded: € 15,000.00" in notes  # stored in the actor's language
    client.force_login(team)
    dutch = client.get(f"/vouchers/{application.reference}/").content.decode()
    assert "Toegekend: € 15.000,00; groenvisie en financieringsplan uiterlijk" in dutch
    assert "Awarded: €" not in dutch


def test_an_expiry_is_mailed_in_dutch_and_shown_in_the_reader_language(
    client, application, users, django_capture_on_commit_callbacks
):
    from tests.vouchers.fixtures import force_state

    team, contact = users[Role.PROGRAMME_TEAM], users[Role.PARK_CONTACT]
    contact.email = "contact@example.org"
    contact.save()
    force_state(application, Status.AWARDED)
    application.deliverables_due = dt.date(2026, 3, 1)
    application.save()
    mail.outbox.clear()
    # Run from an English context (a command started with LANGUAGE=en): the mail is Dutch.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.expire_overdue(today=dt.date(2026, 3, 2))
    application.refresh_from_db()
    assert application.status == Status.EXPIRED
    client.force_login(team)
    english = client.get(f"/en/vouchers/{application.reference}/").content.decode()
    assert "Green vision and financing plan not submitted before 1 March 2026." in english
    assert "Award lapses; the money goes back to the round." in english
    assert "niet ingediend" not in english and "Toekenning vervalt" not in english
    dutch = client.get(f"/vouchers/{application.reference}/").content.decode()
    assert "Groenvisie en financieringsplan niet ingediend voor 1 maart 2026." in dutch
    expired = [m for m in mail.outbox if m.to == ["contact@example.org"]]
    assert len(expired) == 1
    assert "niet ingediend voor 1 maart 2026." in expired[0].body
    assert "not submitted" not in expired[0].body


def test_an_award_note_is_recognised_after_its_due_date_moved(client, application, users):
    team = users[Role.PROGRAMME_TEAM]
    _award_in("nl", application, team)
    application.refresh_from_db()
    named = application.deliverables_due
    application.deliverables_due = named - dt.timedelta(days=300)  # as the demo does
    application.save()
    client.force_login(team)
    english = client.get(f"/en/vouchers/{application.reference}/").content.decode()
    assert "Toegekend:" not in english
    assert f"green vision and financing plan due by {named:%-d %B %Y}." in english
