"""A park contact whose set-password link expired gets a new one through "forgot password"."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from werklandschap.accounts.forms import may_set_first_password
from werklandschap.accounts.models import ParkContact, User

RESET_URL = "/account/password_reset/"
LINK = re.compile(r"https?://[^/\s]+(/account/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def new_contact(park):
    """As the approval of a sign-up leaves it: an account without a password, linked to a park."""
    user = User(username="sam@parkschieweg.example", email="sam@parkschieweg.example")
    user.set_unusable_password()
    user.save()
    ParkContact.objects.create(user=user, park=park, capacity=ParkContact.Capacity.ASSOCIATION)
    return user


def test_new_park_contact_gets_a_link_and_can_set_a_password(client, new_contact):
    response = client.post(RESET_URL, {"email": "SAM@parkschieweg.example"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["sam@parkschieweg.example"]
    link = LINK.search(message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Groene-Parken-2030!", "new_password2": "Groene-Parken-2030!"},
    )
    assert done.status_code == 302
    new_contact.refresh_from_db()
    assert new_contact.has_usable_password()
    login = client.post(
        "/account/login/",
        {"username": "sam@parkschieweg.example", "password": "Groene-Parken-2030!"},
    )
    assert login.status_code == 302


def test_account_without_password_that_is_no_park_contact_gets_nothing(client, db):
    """An unusable password set by hand means "no password log-in": it stays that way."""
    user = User(username="closed", email="closed@example.org")
    user.set_unusable_password()
    user.save()
    assert not may_set_first_password(user)
    response = client.post(RESET_URL, {"email": "closed@example.org"})
    assert response.status_code == 302  # same answer as for any address
    assert mail.outbox == []


def test_inactive_park_contact_gets_nothing(client, new_contact):
    new_contact.is_active = False
    new_contact.save()
    client.post(RESET_URL, {"email": "sam@parkschieweg.example"})
    assert mail.outbox == []


def test_accounts_with_a_password_still_get_a_link(client, users):
    user = users[next(iter(users))]
    user.email = "someone@example.org"
    user.save()
    client.post(RESET_URL, {"email": "someone@example.org"})
    assert len(mail.outbox) == 1


def test_login_page_links_to_the_reset(client, db):
    assert RESET_URL in client.get("/account/login/").content.decode()


def test_the_reset_pages_are_the_sites_own_and_dutch(client, new_contact):
    page = client.get(RESET_URL).content.decode()
    assert "Wachtwoord instellen of vergeten" in page
    assert "admin" not in client.get(RESET_URL).templates[0].name
    done = client.post(RESET_URL, {"email": "sam@parkschieweg.example"}, follow=True)
    assert "Kijk in uw e-mail" in done.content.decode()
    (message,) = mail.outbox
    assert message.subject == "Wachtwoord instellen voor Werklandschappen van de Toekomst"
    assert "Uw gebruikersnaam is: sam@parkschieweg.example" in message.body
    bad = client.get("/account/reset/MQ/bad-token/")
    assert "Deze link is niet (meer) geldig" in bad.content.decode()
