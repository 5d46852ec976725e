"""The confirmation of a registration is in the language the person registered in.

Registering on /en/bijeenkomsten/... said "You will receive a confirmation by
e-mail" and then sent a Dutch mail with links to the Dutch pages.
"""

from __future__ import annotations

import pytest
from django.core import mail

from tests.community.fixtures import *  # noqa: F403
from tests.community.fixtures import make_people

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "subject", "link"),
    [
        ("", "U bent aangemeld", "/bijeenkomsten/"),
        ("/en", "You are registered", "/en/bijeenkomsten/"),
    ],
)
def test_the_confirmation_follows_the_page_language(
    client, roadshow, django_capture_on_commit_callbacks, prefix, subject, link
):
    (person,) = make_people(1)
    client.force_login(person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{prefix}/bijeenkomsten/{roadshow.pk}/aanmelden/")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith(subject)
    assert f"{link}{roadshow.pk}/" in message.body
    if prefix:
        assert "Goedendag" not in message.body and "Nederlandse tijd" not in message.body
        assert "(Dutch time)" in message.body
