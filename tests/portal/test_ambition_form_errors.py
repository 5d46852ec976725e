"""Ambition form: numbers read in the page's language, and errors shown at the form.

Before: the English page read "1,000" as 1 and the Dutch page "1.000" as 1
(both stored without complaint); a rejected form came back at the top of the
dashboard with a generic message and placeholders that looked like values.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.portal.helpers import store_scan
from werklandschap.accounts.roles import Role
from werklandschap.portal.ambitions import current_targets
from werklandschap.portal.forms import parse_number
from werklandschap.portal.models import ParkAmbition

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_scan(park):
    return store_scan(park, {"canopy_share_pct": 12.0, "storage_mm": 20.0}, area_ha=10.0)


def ambitions_url(park, lang: str) -> str:
    with translation.override(lang):
        return reverse("portal:ambitions", kwargs={"slug": park.slug})


@pytest.mark.parametrize(
    ("lang", "raw", "expected"),
    [
        ("nl", "1.000", 1000.0),
        ("nl", "1.250,5", 1250.5),
        ("nl", "12,5", 12.5),
        ("nl", "12.5", 12.5),  # one separator that cannot be grouping: a decimal point
        ("en", "1,000", 1000.0),
        ("en", "1,250.5", 1250.5),
        ("en", "12.5", 12.5),
        ("en", "12,5", 12.5),
    ],
)
def test_parse_number_follows_the_active_language(lang, raw, expected):
    with translation.override(lang):
        assert parse_number(raw) == expected


@pytest.mark.parametrize(("lang", "raw"), [("nl", "1,250.5"), ("en", "1.250,5")])
def test_parse_number_refuses_the_other_languages_grouping(lang, raw):
    with translation.override(lang), pytest.raises(ValueError):
        parse_number(raw)


@pytest.mark.parametrize(("lang", "raw"), [("en", "1,000"), ("nl", "1.000")])
def test_a_thousand_is_a_thousand_on_either_page(client, park, hand_scan, users, lang, raw):
    """1000 mm is above the 500 mm limit: refused, not silently stored as 1 mm."""
    client.force_login(users[Role.PARK_CONTACT])
    r = client.post(ambitions_url(park, lang), {"target_storage_mm": raw})
    assert r.status_code == 400
    assert ParkAmbition.objects.count() == 0


@pytest.mark.parametrize(("lang", "raw"), [("en", "32.5"), ("nl", "32,5")])
def test_decimals_in_the_pages_own_notation_are_stored(client, park, hand_scan, users, lang, raw):
    client.force_login(users[Role.PARK_CONTACT])
    r = client.post(ambitions_url(park, lang), {"target_canopy_share_pct": raw})
    assert r.status_code == 302
    assert current_targets(park)["canopy_share_pct"].value == 32.5


def test_errors_come_back_at_the_form_with_a_linked_summary(client, park, hand_scan, users):
    client.force_login(users[Role.PARK_CONTACT])
    url = ambitions_url(park, "nl")
    r = client.post(url, {"target_canopy_share_pct": "veel", "target_storage_mm": "900"})
    assert r.status_code == 400
    body = r.content.decode()
    # the form posts to a URL with a fragment, so the browser lands at the form again
    assert f'action="{url}#ambitie-formulier"' in body and 'id="ambitie-formulier"' in body
    # a focusable summary inside the form, one link per error to its field
    assert "data-error-summary" in body and 'tabindex="-1"' in body
    assert '<a href="#id_target_canopy_share_pct">' in body
    assert '<a href="#id_target_storage_mm">' in body
    assert 'id="id_target_canopy_share_pct"' in body and 'id="id_target_storage_mm"' in body
    assert "2 velden zijn niet goed ingevuld" in body
    # no generic flash message at the top of the page
    assert 'class="messages"' not in body
    assert "js/form-errors" in body


def test_inputs_have_no_placeholder_that_looks_like_a_value(client, park, hand_scan, users):
    client.force_login(users[Role.PARK_CONTACT])
    page = client.get(reverse("portal:dashboard", kwargs={"slug": park.slug})).content.decode()
    form = page[page.index('id="ambitie-formulier"') :]
    form = form[: form.index("</form>")]
    assert "placeholder=" not in form
    assert "Voorstel programma:" in form  # the default is shown as text beside the field
