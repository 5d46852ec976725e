"""The account keeps the language a person chose or logged in with (for their e-mails)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from werklandschap.accounts.models import User
from werklandschap.accounts.roles import Role
from werklandschap.lib.mail import languages_of, user_language


def _language(user) -> str:
    return User.objects.get(pk=user.pk).language


def test_the_language_switch_keeps_the_choice_on_the_account(client, users):
    user = users[Role.PARK_CONTACT]
    assert _language(user) == "nl"
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert _language(user) == "en"
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert _language(user) == "nl"


@pytest.mark.parametrize("language", ["fr", "", "en-gb-x-unknown-but-long"])
def test_an_unoffered_language_is_not_kept(client, users, language):
    user = users[Role.PARK_CONTACT]
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert _language(user) in ("nl", "en")
    if not language.startswith("en"):
        assert _language(user) == "nl"


def test_a_switch_without_an_account_stores_nothing(client, users):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert set(User.objects.values_list("language", flat=True)) == {"nl"}


def test_logging_in_on_an_english_page_keeps_english(client, users):
    user = users[Role.PROGRAMME_TEAM]
    with translation.override("en"):
        url = reverse("login")
    assert url.startswith("/en/")
    response = client.post(url, {"username": "team", "password": "pw-team"})
    assert response.status_code == 302, response.content[:300]
    assert _language(user) == "en"


def test_mail_reads_the_kept_language(users):
    contact = users[Role.PARK_CONTACT]
    contact.email = "contact@example.org"
    contact.language = "en"
    contact.save()
    assert user_language(contact) == "en"
    assert languages_of(["contact@example.org", "nobody@example.org"]) == {
        "contact@example.org": "en",
        "nobody@example.org": "nl",
    }


def test_two_accounts_on_one_address_the_latest_log_in_decides(db):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    User.objects.create_user(
        "oud", "zelfde@example.org", language="en", last_login=now - timedelta(days=9)
    )
    User.objects.create_user("nieuw", "zelfde@example.org", language="nl", last_login=now)
    assert languages_of(["zelfde@example.org"]) == {"zelfde@example.org": "nl"}
