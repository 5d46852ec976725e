"""Approval and rejection by the programme team, and what they cause."""

from __future__ import annotations

import pytest
from django.core import mail

from werklandschap.accounts.models import ParkContact, User
from werklandschap.accounts.roles import Role
from werklandschap.partnership import services
from werklandschap.partnership.models import ApplicantCapacity
from werklandschap.partnership.workflow import Actor, Status
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park, ParkHistory
from werklandschap.scans.models import ScanRequest

from .conftest import signup


def approve(client, application, note=""):
    return client.post(f"/aanmelden/beoordelen/{application.pk}/goedkeuren/", {"note": note})


def test_approval_makes_the_park_partner_with_history_contact_and_scan(
    client, confirmed, team, park, on_commit
):
    client.force_login(team)
    with on_commit():
        response = approve(client, confirmed, note="Welkom in de zwerm.")
    assert response.status_code == 302
    assert response["Location"] == "/aanmelden/beoordelen/"

    park.refresh_from_db()
    assert park.swarm_role == SwarmRole.PARTNER
    history = ParkHistory.objects.get(park=park, field="swarm_role")
    assert history.changed_by == team
    assert history.new_value == "Partnerterrein"
    assert f"#{confirmed.pk}" in history.note

    confirmed.refresh_from_db()
    assert confirmed.status == Status.APPROVED
    assert confirmed.decided_by == team and confirmed.decided_at is not None
    event = confirmed.events.last()
    assert (event.to_status, event.by) == (Status.APPROVED, team)
    assert "Nulmeting in de wachtrij" in event.note

    user = User.objects.get(email="sam@parkschieweg.example")
    assert not user.has_usable_password()  # no password stored; a link to set one is sent
    assert user.groups.filter(name=Role.PARK_CONTACT.value).exists()
    contact = ParkContact.objects.get(user=user, park=park)
    assert contact.capacity == ApplicantCapacity.PARK_MANAGEMENT

    scan = ScanRequest.objects.get(park=park)
    assert scan.status == ScanRequest.Status.PENDING and scan.requested_by == team

    (message,) = mail.outbox
    assert message.to == ["sam@parkschieweg.example"]
    assert "is partnerterrein" in message.subject and park.name in message.subject
    assert "Welkom in de zwerm." in message.body
    assert "nulmeting" in message.body
    assert "/account/reset/" in message.body
    assert f"/portaal/{park.slug}/" in message.body  # the dashboard, not the public page


def test_set_password_link_from_the_approval_mail_works(client, confirmed, team, on_commit):
    client.force_login(team)
    with on_commit():
        approve(client, confirmed)
    client.logout()
    link = next(
        line.strip() for line in mail.outbox[0].body.splitlines() if "/account/reset/" in line
    )
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "Groene-daken-2025", "new_password2": "Groene-daken-2025"}
    )
    user = User.objects.get(email="sam@parkschieweg.example")
    assert user.check_password("Groene-daken-2025")


def test_existing_user_is_linked_not_duplicated(client, confirmed, team, users, on_commit):
    existing = users[Role.PROVINCE_OFFICER]
    existing.email = "SAM@parkschieweg.example"
    existing.save()
    client.force_login(team)
    with on_commit():
        approve(client, confirmed)
    assert User.objects.filter(email__iexact="sam@parkschieweg.example").count() == 1
    assert ParkContact.objects.filter(user=existing).exists()
    assert "/account/reset/" not in mail.outbox[0].body  # has a password already: log in


def test_rejection_needs_a_reason_and_mails_it(client, confirmed, team, park, on_commit):
    client.force_login(team)
    empty = client.post(f"/aanmelden/beoordelen/{confirmed.pk}/afwijzen/", {"reason": ""})
    assert empty.status_code == 400
    assert "Geef een reden" in empty.content.decode()
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED

    reason = "Dit is een woonwijk, geen bedrijventerrein."
    with on_commit():
        client.post(f"/aanmelden/beoordelen/{confirmed.pk}/afwijzen/", {"reason": reason})
    confirmed.refresh_from_db()
    assert confirmed.status == Status.REJECTED
    assert confirmed.decision_reason == reason
    (message,) = mail.outbox
    assert reason in message.body and "niet" in message.body
    park.refresh_from_db()
    assert park.swarm_role == SwarmRole.NONE
    assert not ScanRequest.objects.exists()
    assert not ParkContact.objects.filter(user__email="sam@parkschieweg.example").exists()


def test_approving_twice_is_refused(client, confirmed, team, on_commit):
    client.force_login(team)
    with on_commit():
        approve(client, confirmed)
    response = approve(client, confirmed)
    assert response.status_code == 302
    assert response["Location"] == f"/aanmelden/beoordelen/{confirmed.pk}/"
    assert ScanRequest.objects.count() == 1
    assert len(mail.outbox) == 1


def test_ambassador_park_keeps_its_role(confirmed, team, park):
    park.swarm_role = SwarmRole.AMBASSADOR
    park.save()
    services.decide(confirmed, approve=True, by=team)
    park.refresh_from_db()
    assert park.swarm_role == SwarmRole.AMBASSADOR
    assert not ParkHistory.objects.filter(park=park).exists()


def test_approving_a_proposed_park_creates_it(team, boundaries, new_park_outline, on_commit):
    application = services.submit_application(
        signup(
            None,
            proposed_name="Bedrijvenpark Tanthof",
            outline=new_park_outline,
            outline_source="drawn",
        ),
        idempotency_key="6f0e7c8e-0d3b-4e53-9f77-1f6c0b7f1c11",
    ).application
    services.transition(application, Status.CONFIRMED, actor=Actor.APPLICANT)
    with on_commit():
        services.decide(application, approve=True, by=team)
    park = Park.objects.get(name="Bedrijvenpark Tanthof")
    assert park.source == services.PARK_SOURCE
    assert park.municipality.name == "Delft"  # assign_areas from the CBS boundaries
    assert park.swarm_role == SwarmRole.PARTNER
    assert park.geometry.equals_exact(new_park_outline.buffer(0), 0.01) or (
        park.geometry.symmetric_difference(new_park_outline).area < 1
    )
    application.refresh_from_db()
    assert application.park == park
    assert ScanRequest.objects.filter(park=park).exists()
    assert "Bedrijvenpark Tanthof" in mail.outbox[-1].subject


def test_single_company_cannot_be_approved_even_if_stored(confirmed, team):
    type(confirmed).objects.filter(pk=confirmed.pk).update(
        capacity=ApplicantCapacity.SINGLE_COMPANY
    )
    confirmed.refresh_from_db()
    with pytest.raises(services.TransitionError, match="individueel bedrijf"):
        services.decide(confirmed, approve=True, by=team)
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED
    assert not ScanRequest.objects.exists()


def test_capacity_rule_is_one_function():
    assert services.capacity_refusal(ApplicantCapacity.SINGLE_COMPANY)
    for allowed in (
        ApplicantCapacity.PARK_MANAGEMENT,
        ApplicantCapacity.ASSOCIATION,
        ApplicantCapacity.MUNICIPALITY,
        ApplicantCapacity.OWNER,
    ):
        assert services.capacity_refusal(allowed) is None
    assert services.capacity_refusal("bakker") is not None
