"""The sign-up form's error summary names the field of each error.

Posted empty, the summary listed nine messages, each a link, none saying which
field it was about ("vink het aan om door te gaan" three times). Like the support
forms (support/_error_summary.html), every error now starts with its field's
name; where the label is a question or a whole sentence (the commitments, the
consent) a short name from ``SignUpForm.SUMMARY_NAMES`` stands in.
"""

from __future__ import annotations

import re

import pytest

from tests.partnership.conftest import SIGNUP_URL

pytestmark = pytest.mark.django_db


def summary_items(client, url: str) -> list[str]:
    html = client.post(url, {}).content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", summary[0])]


def test_dutch_summary_names_each_field(client):
    items = summary_items(client, SIGNUP_URL)
    for expected in (
        "Terrein op de kaart: Kies of het terrein al op de kaart staat.",
        "Organisatie: Vul de naam van uw organisatie in.",
        "U meldt het terrein aan als: Kies in welke hoedanigheid u het terrein aanmeldt.",
        "E-mailadres: Vul uw e-mailadres in.",
        "Inzet voor een groen terrein: Een partnerterrein onderschrijft dit doel;",
        "Kennis inbrengen: Een partnerterrein brengt opgedane kennis in;",
        "Kennis delen in de regio: Een partnerterrein deelt kennis in de regio;",
        "Toestemming: Zonder deze toestemming",
    ):
        assert any(item.startswith(expected) for item in items), (expected, items)
    assert not any(item.startswith("Nonce") for item in items)  # a hidden field is not named


def test_english_summary_names_each_field(client):
    items = summary_items(client, "/en" + SIGNUP_URL)
    for expected in (
        "Park on the map: Choose whether the park is already on the map.",
        "Organisation: Enter the name of your organisation.",
        "E-mail address: Enter your e-mail address.",
        "Commitment to a green park: A partner park endorses this goal;",
        "Bringing in knowledge: A partner park shares the knowledge it gains;",
        "Sharing knowledge in the region: A partner park shares knowledge in its region;",
        "Consent: Without this consent",
    ):
        assert any(item.startswith(expected) for item in items), (expected, items)


def test_a_new_park_without_outline_names_the_boundary(client):
    html = client.post(SIGNUP_URL, {"park_mode": "new"}).content.decode()
    assert "Naam van het terrein: Vul de naam van het terrein in." in html
    assert "Begrenzing van het terrein: Teken de begrenzing" in html
