"""The portal shows reasons and labels from the engine's catalogue in the reader's language.

Issue 15: the engine's English reason sentences were translated by regular
expressions, and four matched none, so a Dutch dashboard showed "no buildings",
"no land cover inside the park", "the heat map has no data inside the park" and
"not available" in English. Now the engine stores a reason code with parameters
and the portal renders the catalogue's text; results stored before codes existed
are recognised by the catalogue's legacy patterns.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.portal.helpers import store_scan
from werklandschap.accounts.roles import Role
from werklandschap.portal import presentation as fmt
from werklandschap.portal.ambitions import target_limits
from werklandschap.portal.indicator_views import indicator_view
from werklandschap.scanengine.catalog import INDICATORS, catalogue, entry, reason

pytestmark = pytest.mark.django_db

# indicator -> the reason it is missing for (the four the old table did not know, and more)
MISSING = {
    "buildings_heat_stress_pct": reason("no_buildings"),
    "cooling_capacity_mean": reason("no_landcover_inside"),
    "pet_mean_c": reason("heat_map_no_data_inside"),
    "roof_area_m2": reason("not_available"),
    "storage_mm": reason("landcover_covers_only", pct=7),
    "nature_distance_m": reason("nothing_within", distance_m=5000),
}
# the same four sentences as a result stored before reason codes carries them
LEGACY = {
    "buildings_near_green_pct": "no buildings",
    "heat_mitigation_mean": "no land cover inside the park",
    "pet_p90_c": "the heat map has no data inside the park",
    "solar_kwp": "not available",
}


def _scan(park):
    scan = store_scan(park, {"green_share_pct": 12.0})
    inds = dict(scan.indicators)
    for key, why in MISSING.items():
        inds[key] = entry(key, None, source="t", reason=why)
    for key, sentence in LEGACY.items():
        old = entry(key, None, source="t")
        old.pop("reason_code")
        old.pop("reason_params")
        old["reason"] = sentence
        inds[key] = old
    scan.indicators = inds
    scan.save(update_fields=["indicators"])
    return scan


def test_dutch_dashboard_shows_no_english_reason(client, users, park):
    _scan(park)
    client.force_login(users[Role.PARK_CONTACT])
    r = client.get(reverse("portal:dashboard", kwargs={"slug": park.slug}))
    assert r.status_code == 200
    body = r.content.decode()
    english = {spec.en.split("{")[0].strip() for spec in catalogue().reasons.values()}
    for key in [*MISSING, *LEGACY]:
        card = re.search(rf'data-indicator="{key}">(.*?)</article>', body, re.S).group(1)
        assert "niet beschikbaar" in card, key
        shown = re.search(r'indicator-card__reason">(.*?)</p>', card, re.S).group(1).lower()
        assert not any(e.lower() in shown for e in english if len(e) > 8), (key, shown)
    assert "Er staan geen panden op het terrein" in body
    assert "Er liggen geen landgebruiksvlakken binnen het terrein" in body
    assert "De hittekaart heeft geen waarden binnen het terrein" in body
    assert "De gegevens dekken maar 7% van het terrein" in body
    assert "Niets gevonden binnen 5.000 m" in body  # figures in Dutch notation


def test_reason_and_label_follow_the_language(park):
    scan = _scan(park)
    for lang in ("nl", "en"):
        with translation.override(lang):
            for key in [*MISSING, *LEGACY]:
                view = indicator_view(key, scan.indicators[key])
                code = MISSING[key].code if key in MISSING else None
                if code:
                    # figures in the reason are written in the page's notation
                    assert view.reason == catalogue().reasons[code].render(
                        fmt.number_params(MISSING[key].params), lang
                    )
                assert view.label == INDICATORS[key].label(lang)
                assert view.explanation == INDICATORS[key].explanation(
                    lang, min_coverage_pct=fmt.number(fmt.min_coverage_pct(), 0)
                )
    with translation.override("en"):
        view = indicator_view("pet_p90_c", scan.indicators["pet_p90_c"])
        assert view.reason == "the heat map has no data inside the park"
        assert fmt.reason_nl("no buildings in the park") == "no buildings in the park"
    with translation.override("nl"):
        assert fmt.reason_nl("no buildings in the park") == "er staan geen panden op het terrein"


def test_target_limits_and_decimals_come_from_the_catalogue():
    for key, ind in INDICATORS.items():
        assert target_limits(key) == ind.limits
        assert fmt.decimals(ind.unit, key) == ind.decimals
    assert target_limits("storage_mm") == (0.0, 500.0)
    assert catalogue().headline == fmt.HEADLINE_INDICATORS
    with translation.override("nl"):
        assert fmt.ambition_source("canopy_share_pct").startswith("3-30-300-regel")
    with translation.override("en"):
        assert fmt.ambition_source("canopy_share_pct").startswith("3-30-300 rule")


def test_english_dashboard_shows_the_english_reason_and_label(client, users, park):
    _scan(park)
    client.force_login(users[Role.PARK_CONTACT])
    with translation.override("en"):
        url = reverse("portal:dashboard", kwargs={"slug": park.slug})
    assert url.startswith("/en/")
    body = client.get(url).content.decode()
    card = re.search(r'data-indicator="cooling_capacity_mean">(.*?)</article>', body, re.S)
    assert "No land cover inside the park" in card.group(1)
    assert INDICATORS["cooling_capacity_mean"].label_en in body
    assert "Er liggen geen landgebruiksvlakken" not in body
