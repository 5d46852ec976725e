"""The approval mail leads to the park's dashboard, in the recipient's language (issue 16).

It used to link the public park page, whose dashboard button sits 1,500 px down.
"""

from __future__ import annotations

from django.core import mail

from werklandschap.accounts.roles import Role
from werklandschap.workspace.language import remember_language


def _approve(client, team, application, on_commit):
    client.force_login(team)
    with on_commit():
        response = client.post(f"/aanmelden/beoordelen/{application.pk}/goedkeuren/", {})
    assert response.status_code == 302


def _links(body: str) -> list[str]:
    return [line.strip() for line in body.splitlines() if line.strip().startswith("http")]


def test_new_contact_sets_a_password_then_opens_the_dashboard(
    client, confirmed, team, park, on_commit
):
    _approve(client, team, confirmed, on_commit)
    (message,) = mail.outbox
    links = _links(message.body)
    assert "/account/reset/" in links[0]  # first the password
    assert links[1] == f"http://testserver/portaal/{park.slug}/"  # then the dashboard
    assert "http://testserver/werkplek/" in links  # where log-in lands
    assert park.get_absolute_url() not in message.body  # not the public park page
    assert "Kies eerst een wachtwoord" in message.body
    assert " je " not in message.body  # one form of address: "u"


def test_known_english_reader_gets_english_links(client, confirmed, team, park, users, on_commit):
    existing = users[Role.PROVINCE_OFFICER]
    existing.email = "sam@parkschieweg.example"
    existing.save()
    remember_language(existing, "en")
    _approve(client, team, confirmed, on_commit)
    (message,) = mail.outbox
    assert f"http://testserver/en/portaal/{park.slug}/" in _links(message.body)
    assert "http://testserver/en/werkplek/" in _links(message.body)
    assert "/nl/" not in message.body
