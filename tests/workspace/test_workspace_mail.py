"""Scan-ready mails to a park's contacts, and inviting a colleague (issue 16).

The scan-ready mail hangs on ``scans.services.ingest_results``, the one place
where every scan result is stored (the queue worker and ``scan --all``), and is
sent only after that transaction commits.
"""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from werklandschap.accounts.models import ParkContact, User
from werklandschap.accounts.roles import Role
from werklandschap.scans.models import ScanRun
from werklandschap.scans.services import ingest_results
from werklandschap.workspace.language import remember_language
from werklandschap.workspace.models import Invitation

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def _contact(park, username, email) -> User:
    user = make_user(Role.PARK_CONTACT, username)
    user.email = email
    user.save()
    ParkContact.objects.create(user=user, park=park, capacity=ParkContact.Capacity.ASSOCIATION)
    return user


def _run_with_results(tmp_path, *rows) -> ScanRun:
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return ScanRun.objects.create(bundle_name="test", engine_version="test", results_path=str(path))


def _ok(park) -> dict:
    return {"park_id": str(park.pk), "status": "ok", "indicators": {}, "scores": {}}


@pytest.fixture
def contacts(users, park, other_park):
    first = users[Role.PARK_CONTACT]
    first.email = "eerste@schieweg.example"
    first.save()
    second = _contact(park, "tweede", "tweede@schieweg.example")
    elsewhere = _contact(other_park, "elders", "elders@dehurk.example")
    return first, second, elsewhere


def test_scan_ready_mail_goes_to_the_parks_contacts_only_after_commit(
    tmp_path, park, other_park, contacts, django_capture_on_commit_callbacks
):
    run = _run_with_results(tmp_path, _ok(park))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert ingest_results(run) == 1
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "eerste@schieweg.example",
        "tweede@schieweg.example",
    ]
    assert all(len(m.to) == 1 for m in mail.outbox)  # one mail per contact
    message = mail.outbox[0]
    assert park.name in message.subject and "klaar" in message.subject
    assert f"http://127.0.0.1:8000/portaal/{park.slug}/" in message.body
    assert other_park.name not in message.body


def test_no_mail_when_the_storing_transaction_rolls_back(
    tmp_path, park, contacts, django_capture_on_commit_callbacks
):
    run = _run_with_results(tmp_path, _ok(park))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ingest_results(run)
        raise RuntimeError("rolled back")
    assert mail.outbox == []


def test_no_mail_for_a_failed_scan(tmp_path, park, contacts, django_capture_on_commit_callbacks):
    run = _run_with_results(
        tmp_path, {"park_id": str(park.pk), "status": "failed", "error": "geen data"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        ingest_results(run)
    assert mail.outbox == []


def test_scan_ready_mail_in_the_contacts_language(
    tmp_path, park, contacts, django_capture_on_commit_callbacks
):
    _first, second, _elsewhere = contacts
    remember_language(second, "en")
    run = _run_with_results(tmp_path, _ok(park))
    with django_capture_on_commit_callbacks(execute=True):
        ingest_results(run)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert f"/en/portaal/{park.slug}/" in by_address["tweede@schieweg.example"].body
    assert "/en/" not in by_address["eerste@schieweg.example"].body


# --------------------------------------------------------------------------- invitations


def _invite(client, park, email):
    return client.post(f"/werkplek/{park.slug}/collega-uitnodigen/", {"email": email})


def test_park_contact_invites_a_colleague(client, users, park, django_capture_on_commit_callbacks):
    inviter = users[Role.PARK_CONTACT]
    client.force_login(inviter)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, park, "collega@schieweg.example")
    assert response.status_code == 302 and response["Location"] == "/werkplek/"

    colleague = User.objects.get(email="collega@schieweg.example")
    assert not colleague.has_usable_password()
    assert colleague.groups.filter(name=Role.PARK_CONTACT.value).exists()
    contact = ParkContact.objects.get(user=colleague, park=park)
    assert contact.capacity == ParkContact.Capacity.PARK_MANAGEMENT  # the inviter's
    invitation = Invitation.objects.get()
    assert (invitation.invited_by, invitation.invitee, invitation.park) == (
        inviter,
        colleague,
        park,
    )
    assert invitation.new_account

    (message,) = mail.outbox
    assert message.to == ["collega@schieweg.example"]
    assert park.name in message.subject
    link = next(line.strip() for line in message.body.splitlines() if "/account/reset/" in line)
    assert f"/portaal/{park.slug}/" in message.body

    # The link sets a password; the colleague then lands on the workspace with the park.
    client.logout()
    form_url = client.get(link.split("testserver", 1)[1], follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Groen-dak-2026!", "new_password2": "Groen-dak-2026!"})
    login = client.post(
        "/account/login/", {"username": colleague.username, "password": "Groen-dak-2026!"}
    )
    assert login["Location"] == "/werkplek/"
    assert f'href="/portaal/{park.slug}/"' in client.get("/werkplek/").content.decode()


@pytest.mark.parametrize(
    "role", [Role.PROGRAMME_TEAM, Role.REGIONAL_DIRECTOR, Role.PROVINCE_OFFICER]
)
def test_invite_is_refused_for_anyone_but_the_parks_contacts(client, users, park, role):
    client.force_login(users[role])
    assert _invite(client, park, "iemand@example.org").status_code == 403
    assert client.get(f"/werkplek/{park.slug}/collega-uitnodigen/").status_code == 403
    assert not User.objects.filter(email="iemand@example.org").exists()
    assert not Invitation.objects.exists()


def test_contact_of_another_park_may_not_invite_to_this_one(client, users, park, other_park):
    client.force_login(users[Role.PARK_CONTACT])  # contact of ``park`` only
    assert _invite(client, other_park, "iemand@example.org").status_code == 403
    assert not ParkContact.objects.filter(park=other_park).exists()


@override_settings(WORKSPACE_INVITES_PER_DAY=2)
def test_invitations_are_rate_limited_per_inviter(
    client, users, park, django_capture_on_commit_callbacks
):
    client.force_login(users[Role.PARK_CONTACT])
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client, park, "een@example.org").status_code == 302
        assert _invite(client, park, "twee@example.org").status_code == 302
        refused = _invite(client, park, "drie@example.org")
    assert refused.status_code == 400
    assert "morgen opnieuw" in refused.content.decode()
    assert not User.objects.filter(email="drie@example.org").exists()
    assert len(mail.outbox) == 2


def test_inviting_an_existing_contact_is_refused_and_sends_nothing(
    client, users, park, django_capture_on_commit_callbacks
):
    colleague = _contact(park, "al", "al@schieweg.example")
    client.force_login(users[Role.PARK_CONTACT])
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, park, "AL@schieweg.example")
    assert response.status_code == 400
    assert "al contactpersoon" in response.content.decode()
    assert ParkContact.objects.filter(user=colleague).count() == 1
    assert mail.outbox == []


def test_an_existing_account_is_linked_and_gets_a_login_link_not_a_password_link(
    client, users, park, django_capture_on_commit_callbacks
):
    officer = users[Role.PROVINCE_OFFICER]
    officer.email = "ambtenaar@provincie.example"
    officer.save()
    client.force_login(users[Role.PARK_CONTACT])
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client, park, "ambtenaar@provincie.example").status_code == 302
    assert ParkContact.objects.filter(user=officer, park=park).exists()
    assert officer.check_password("pw-provincie")  # untouched
    (message,) = mail.outbox
    assert "/account/reset/" not in message.body and "/account/login/" in message.body
