"""The footer's privacy statement, accessibility statement, contact and source code (issue 16).

The privacy statement states the retention figures of this deployment (read
from the settings, so a changed limit changes the text); the sign-up links to
it at the consent checkbox.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

PAGES = ["front:privacy", "front:accessibility", "front:contact"]


@pytest.mark.parametrize("name", PAGES)
def test_footer_pages_are_public_and_linked_from_every_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    home = client.get(reverse("front:home")).content.decode()
    assert f'href="{reverse(name)}"' in home


def test_privacy_statement_states_what_is_stored_and_for_how_long(client, db, settings):
    settings.PARTNERSHIP_CONFIRM_DAYS = 9
    settings.LOGIN_COOLOFF_MINUTES = 23
    settings.LOGIN_FAILURE_LIMIT = 4
    settings.SESSION_ABSOLUTE_TIMEOUT = 11 * 3600
    settings.SESSION_IDLE_TIMEOUT_STAFF = 17 * 60
    settings.PARTNERSHIP_LIMIT_WINDOW_MINUTES = 45
    settings.CONTACT_EMAIL = "privacy@programma.example"
    page = " ".join(client.get(reverse("front:privacy")).content.decode().split())
    assert "9 dagen geldig" in page
    assert "Na 4 mislukte pogingen is inloggen 23 minuten geblokkeerd" in page
    assert "eindigt 11 uur na het inloggen" in page
    assert "17 minuten zonder activiteit" in page
    assert "Na 45 minuten telt een registratie niet meer mee" in page
    assert 'href="mailto:privacy@programma.example"' in page
    # What the models and the throttling really keep.
    for stored in ("IP-adres", "gebruikersnaam", "e-mailadres", "naam van uw organisatie"):
        assert stored in page
    assert "nooit het wachtwoord" in page


def test_contact_page_links_the_source_code_when_published(client, db, settings):
    settings.SOURCE_CODE_URL = ""
    page = client.get(reverse("front:contact")).content.decode()
    assert "opvragen bij het programmateam" in page
    settings.SOURCE_CODE_URL = "https://code.example/werklandschap"
    page = client.get(reverse("front:contact")).content.decode()
    assert 'href="https://code.example/werklandschap"' in page
    home = client.get(reverse("front:home")).content.decode()
    assert 'href="https://code.example/werklandschap"' in home


def test_sign_up_links_the_privacy_statement_at_the_consent(client, db):
    page = client.get(reverse("partnership:signup")).content.decode()
    consent = page.index('name="consent"')
    link = page.index(f'href="{reverse("front:privacy")}"', consent - 2000)
    assert abs(link - consent) < 1500


def test_footer_pages_in_english(client, db):
    with translation.override("en"):
        url = reverse("front:privacy")
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
