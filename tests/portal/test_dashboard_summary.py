"""The dashboard leads with a summary (issue 16, "A dashboard that leads somewhere").

The ranking of the three largest gaps is checked against a case computed by hand;
the summary itself on a real scan (the ``scanned`` fixture) in Dutch and English.

Hand-computed case for ``largest_gaps`` (scales as in scores.yaml, |full - zero|):

=========================  ====  =====  =========  =====  ======  ==========
indicator                  dir.  value  reference  scale  gap     size
=========================  ====  =====  =========  =====  ======  ==========
parking_share_pct          down  40     10 (own)   25     30      120
canopy_share_pct           up    12     30 (prog.) 30     18      60
storage_mm                 up    25     50 (prog.) 50     25      50
pet_mean_c                 down  33     30 (peers) 12     3       25
impervious_share_pct       down  70     55 (peers) --     15      15 (limits 0-100)
flood_area_gt10cm_pct      down  2      0 (prog.)  20     2       10
buildings_heat_stress_pct  down  0      10 (own)   100    none: below its target
green_share_pct            up    50     25 (prog.) 40     none: above its target
share_built_pct            none  30     10         --     none: no direction
runoff_m3                  down  5000   1000       --     none: no bounded scale
=========================  ====  =====  =========  =====  ======  ==========
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.portal.helpers import store_scan
from tests.portal.test_language import dashboard as dashboard_in
from tests.portal.test_language import visible_text
from werklandschap.accounts.roles import Role
from werklandschap.portal import presentation as fmt
from werklandschap.portal.summary import (
    Reference,
    largest_gaps,
    score_scales,
    theme_verdicts,
)
from werklandschap.scanengine import config as engine_config
from werklandschap.scanengine.catalog import INDICATORS

pytestmark = pytest.mark.django_db

VALUES = {
    "parking_share_pct": 40.0,
    "canopy_share_pct": 12.0,
    "storage_mm": 25.0,
    "pet_mean_c": 33.0,
    "impervious_share_pct": 70.0,
    "flood_area_gt10cm_pct": 2.0,
    "buildings_heat_stress_pct": 0.0,
    "green_share_pct": 50.0,
    "share_built_pct": 30.0,
    "runoff_m3": 5000.0,
}
REFERENCES = {
    "parking_share_pct": Reference(10.0, "ambition"),
    "canopy_share_pct": Reference(30.0, "proposal"),
    "storage_mm": Reference(50.0, "proposal"),
    "pet_mean_c": Reference(30.0, "peers", "vergelijkbare terreinen"),
    "impervious_share_pct": Reference(55.0, "peers", "vergelijkbare terreinen"),
    "flood_area_gt10cm_pct": Reference(0.0, "proposal"),
    "buildings_heat_stress_pct": Reference(10.0, "ambition"),
    "green_share_pct": Reference(25.0, "proposal"),
    "share_built_pct": Reference(10.0, "peers", "vergelijkbare terreinen"),
    "runoff_m3": Reference(1000.0, "peers", "vergelijkbare terreinen"),
}
SCALES = {
    "parking_share_pct": 25.0,
    "canopy_share_pct": 30.0,
    "storage_mm": 50.0,
    "pet_mean_c": 12.0,
    "flood_area_gt10cm_pct": 20.0,
    "buildings_heat_stress_pct": 100.0,
    "green_share_pct": 40.0,
}


def test_scales_are_the_width_of_each_theme_score_scale():
    scales = score_scales(engine_config.load("scores"))
    for key, width in SCALES.items():
        assert scales[key] == width, key
    assert "impervious_share_pct" not in scales  # not scored: limits are used instead


def test_largest_gaps_follow_direction_and_scale():
    top = largest_gaps(VALUES, REFERENCES, SCALES)
    assert [(g.key, g.amount, g.size) for g in top] == [
        ("parking_share_pct", 30.0, 120.0),
        ("canopy_share_pct", 18.0, 60.0),
        ("storage_mm", 25.0, 50.0),
    ]
    every = largest_gaps(VALUES, REFERENCES, SCALES, n=20)
    assert [(g.key, round(g.size, 6)) for g in every[3:]] == [
        ("pet_mean_c", 25.0),
        ("impervious_share_pct", 15.0),
        ("flood_area_gt10cm_pct", 10.0),
    ]
    # lower is better: above its target is a gap (parking), below it is not (heat stress)
    keys = {g.key for g in every}
    assert "parking_share_pct" in keys and "buildings_heat_stress_pct" not in keys
    assert "green_share_pct" not in keys  # higher is better and above its target
    assert "share_built_pct" not in keys and "runoff_m3" not in keys
    # a missing figure is no gap either
    assert largest_gaps({**VALUES, "parking_share_pct": None}, REFERENCES, SCALES)[0].key == (
        "canopy_share_pct"
    )


def test_gap_sentences_say_where_and_how_far():
    top = largest_gaps(VALUES, REFERENCES, SCALES, n=20)
    by_key = {g.key: g for g in top}
    with translation.override("nl"):
        assert by_key["parking_share_pct"].text == (
            "nu 40,0\xa0%; uw ambitie: 10,0\xa0% (30,0\xa0procentpunt te hoog)"
        )
        assert by_key["canopy_share_pct"].text == (
            "nu 12,0\xa0%; voorstel van het programma: 30,0\xa0% (18,0\xa0procentpunt te laag)"
        )
        assert by_key["pet_mean_c"].text == (
            "nu 33,0\xa0°C; mediaan van vergelijkbare terreinen: 30,0\xa0°C (3,0\xa0°C te hoog)"
        )
        assert by_key["canopy_share_pct"].label == INDICATORS["canopy_share_pct"].label_nl
    with translation.override("en"):
        assert by_key["canopy_share_pct"].label == INDICATORS["canopy_share_pct"].label_en
        assert by_key["canopy_share_pct"].current_text == "12.0%"


def test_theme_verdicts_use_the_bands_of_verdicts_yaml():
    themes = [
        {"theme": "water", "label": "Water", "score": 43.0},
        {"theme": "energie", "label": "Energie", "score": 80.0},
        {"theme": "mobiliteit", "label": "Mobiliteit", "score": 10.0},
        {"theme": "gezondheid", "label": "Gezondheid", "score": 76.0},
        {"theme": "circulariteit", "label": "Circulariteit", "score": None},
    ]
    with translation.override("nl"):
        verdicts = theme_verdicts(themes)
    assert [(v["key"], v["band"], [t["theme"] for t in v["themes"]]) for v in verdicts] == [
        ("good", "goed", ["energie", "gezondheid"]),
        ("moderate", "matig", ["water"]),  # 43 is 'matig', never a strength
        ("weak", "zwak", ["mobiliteit"]),
        ("unknown", "onbekend", ["circulariteit"]),
    ]


def summary_html(body: str) -> str:
    match = re.search(r'<section class="park-summary".*?</section>', body, re.S)
    assert match, "no summary on the dashboard"
    return match.group(0)


def test_dashboard_leads_with_the_summary(client, users, park, scanned):
    body = dashboard_in(client, users[Role.PARK_CONTACT], park, "nl")
    summary = summary_html(body)
    # first thing after the title: before the section menu and every section
    assert body.index('class="park-summary"') < body.index('class="portal-nav"')
    assert body.index('class="park-summary"') < body.index('id="overzicht"')
    text = visible_text(summary)
    assert "In het kort" in text
    # (a) the theme scores in words, in the bands of verdicts.yaml
    scan = scanned[0]
    for theme, score in (scan.scores or {}).items():
        if score is not None:
            with translation.override("nl"):
                word = fmt.score_band(score)
            assert f'href="#thema-{theme}"' in summary
            assert word.capitalize() in text, (theme, score, word)
    # (b) ambitions and peers
    assert re.search(r"\d+ van de \d+ ambities gehaald, \d+ nog niet", text)
    assert "voorstellen van het programma" in text
    assert "data-summary-peers" in summary
    # (c) up to three largest gaps, each a link to its (folded) indicator card
    gaps = re.findall(r'data-gap="([a-z0-9_]+)"', summary)
    assert 1 <= len(gaps) <= 3
    for key in gaps:
        assert f'id="indicator-{key}"' in body
    # (d) what to do next
    assert 'href="#ambities"' in summary
    assert f'href="{reverse("support:ask")}?park={park.slug}"' in summary
    assert f'href="{reverse("measures:catalogue")}"' in summary and 'href="#partner"' in summary


def test_english_summary_carries_no_dutch_labels(client, users, park, scanned):
    body = dashboard_in(client, users[Role.PARK_CONTACT], park, "en")
    text = visible_text(summary_html(body))
    gaps = re.findall(r'data-gap="([a-z0-9_]+)"', summary_html(body))
    assert gaps
    for key in gaps:
        assert INDICATORS[key].label_en in text
    dutch = [i.label_nl for i in INDICATORS.values() if i.label_nl != i.label_en]
    dutch += [str(label) for label in fmt.THEME_LABELS.values()]
    dutch += ["goed", "redelijk", "matig", "zwak", "onbekend"]
    with translation.override("en"):
        english_themes = [fmt.theme_label(t) for t in fmt.themes()]
    for word in dutch:
        if word in english_themes:
            continue  # 'Water', 'Mobiliteit' ... where both languages agree
        assert not re.search(rf"\b{re.escape(word)}\b", text, re.I), word
    assert any(t in text for t in english_themes)


def test_theme_details_are_folded_and_scores_chips_use_the_bands(client, users, park, scanned):
    body = dashboard_in(client, users[Role.PARK_CONTACT], park, "nl")
    folds = re.findall(r"<details class=\"theme-details\"[^>]*>", body)
    assert len(folds) >= 5
    assert all(" open" not in tag for tag in folds)
    section = body.split('id="indicatoren"', 1)[1].split("</section>", 1)[0]
    # every indicator card sits inside a fold
    cards = section.count('class="indicator-card')
    folded = sum(
        block.count('class="indicator-card')
        for block in re.findall(r'<details class="theme-details".*?</details>', section, re.S)
    )
    assert cards == folded > 20
    chips = set(re.findall(r"score-chip--([a-z]+)", body))
    assert chips <= {"good", "fair", "moderate", "weak", "unknown"}


def test_no_summary_before_the_first_scan(client, users, park):
    body = dashboard_in(client, users[Role.PARK_CONTACT], park, "nl")
    assert 'class="park-summary"' not in body
    assert "Nog geen nulmeting" in body


def test_peers_and_own_ambitions_in_the_summary(client, users, park):
    """With five other parks of the same type and size the summary ranks the park."""
    from tests.portal.test_comparison import make_park
    from werklandschap.portal.ambitions import set_ambitions

    values = {"green_share_pct": 10.0, "canopy_share_pct": 5.0, "parking_share_pct": 20.0}
    store_scan(park, values, area_ha=16.0)
    for i, green in enumerate((20.0, 30.0, 40.0, 50.0, 60.0)):
        other = make_park(f"Ander terrein {'x' * i}", park.province, 16.0)
        store_scan(other, {**values, "green_share_pct": green}, area_ha=16.0)
    set_ambitions(park, {"canopy_share_pct": 20.0}, by=users[Role.PARK_CONTACT])
    body = dashboard_in(client, users[Role.PARK_CONTACT], park, "nl")
    text = visible_text(summary_html(body))
    assert "Tegen vergelijkbare terreinen" in text
    assert re.search(r"minder goed dan de meeste op [^.]*Natuurinclusiviteit", text)
    assert "1 ambitie is door het terrein zelf gekozen" in text
    assert "nu 5,0 %; uw ambitie: 20,0 % (15,0 procentpunt te laag)" in text
