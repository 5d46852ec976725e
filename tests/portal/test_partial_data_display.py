"""Partial data on the dashboard (issue 15, part 2): the covered share, an incomplete
scan, how many indicators a theme score rests on, and on-plot vs public-water storage.

The incomplete scan is a real engine result (a BGT GeoPackage that maps 5% of the
park) stored by the same ``ingest_results`` a batch run uses.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from shapely.geometry import box

from tests.portal.helpers import indicators, store_scan
from tests.scanengine.fixtures import bgt_landcover_entries, write_bgt, write_manifest
from werklandschap.accounts.roles import Role
from werklandschap.scanengine import ENGINE_VERSION, load_bundle, scan_park
from werklandschap.scanengine.catalog import entry
from werklandschap.scanengine.scores import score_basis
from werklandschap.scans.models import ParkScan, ScanRun
from werklandschap.scans.services import ingest_results

pytestmark = pytest.mark.django_db

X0, Y0 = 120_000.0, 470_000.0


def dashboard(client, users, park) -> str:
    client.force_login(users[Role.PARK_CONTACT])
    r = client.get(reverse("portal:dashboard", kwargs={"slug": park.slug}))
    assert r.status_code == 200
    return r.content.decode()


def _card(body: str, key: str) -> str:
    return re.search(rf'data-indicator="{key}">(.*?)</article>', body, re.S).group(1)


def _partial_result(tmp_path, park_id: str) -> dict:
    """Engine result of a 1 ha park of which only a 5 m strip (5%) is mapped."""
    gpkg = tmp_path / "bgt.gpkg"
    write_bgt(
        gpkg,
        {
            "waterdeel": [
                (box(X0, Y0, X0 + 5, Y0 + 100), {"class": "watervlakte"}),
                (box(X0 + 100, Y0 + 100, X0 + 120, Y0 + 120), {"class": "watervlakte"}),
            ],
            "pand": [(box(X0 - 20, Y0 - 20, X0 - 10, Y0 - 10), {})],
        },
    )
    m = write_manifest(
        tmp_path / "b.yaml", {"landcover": bgt_landcover_entries(gpkg, ["waterdeel", "pand"])}
    )
    result = scan_park(park_id, box(X0, Y0, X0 + 100, Y0 + 100), load_bundle(m))
    assert result["status"] == "ok", result["error"]
    return result


def test_incomplete_scan_is_stored_and_announced(client, users, park, tmp_path):
    result = _partial_result(tmp_path, str(park.pk))
    run = ScanRun.objects.create(
        bundle_name="Deelbundel",
        engine_version=ENGINE_VERSION,
        results_path=str(tmp_path / "results.jsonl"),
    )
    (tmp_path / "results.jsonl").write_text(json.dumps(result) + "\n", encoding="utf-8")
    assert ingest_results(run) == 1
    scan = run.park_scans.get()
    assert scan.status == ParkScan.Status.OK
    assert scan.completeness == ParkScan.Completeness.INCOMPLETE
    assert scan.completeness_reason.startswith("data covers only 5% of the park")
    assert scan.score_basis["water"]["used"] == 0

    body = dashboard(client, users, park)
    notice = re.search(r'data-coverage="incomplete">(.*?)</div>', body, re.S).group(1)
    assert "Nulmeting onvolledig." in notice
    assert "dekt maar 5,0\xa0% van het terrein" in notice
    assert "Onder 90\xa0%" in notice  # the minimum comes from completeness.yaml
    runoff = _card(body, "runoff_mm")
    assert "niet beschikbaar" in runoff
    assert "De gegevens dekken maar 5% van het terrein" in runoff
    assert not re.search(r"<strong>70(,0)?</strong>", runoff)  # no 'runoff 70 mm'
    assert "<strong>5,0</strong>" in _card(body, "landcover_coverage_pct")


def test_complete_scan_shows_the_covered_share_quietly(client, users, park):
    scan = store_scan(park, {"landcover_coverage_pct": 99.2, "green_share_pct": 12.0})
    ParkScan.objects.filter(pk=scan.pk).update(completeness=ParkScan.Completeness.COMPLETE)
    body = dashboard(client, users, park)
    assert 'data-coverage="incomplete"' not in body
    hint = re.search(r'data-coverage="complete">(.*?)</p>', body, re.S).group(1)
    assert "De basiskaart (BGT) dekt 99,2\xa0% van het terrein." in hint


def test_theme_score_says_how_many_indicators_it_used(client, users, park):
    values = {
        "retention_pct": 35.0,  # water: 2 of 3 -> a score
        "storage_mm": 25.0,
        "flood_area_gt10cm_pct": None,
        "canopy_share_pct": 40.0,  # health: canopy alone -> no score
        "buildings_near_green_pct": None,
        "buildings_heat_stress_pct": None,
    }
    scan = store_scan(park, values)
    basis = score_basis(indicators(values))
    ParkScan.objects.filter(pk=scan.pk).update(score_basis=basis)
    body = dashboard(client, users, park)
    water = re.search(r'data-score-basis="water">(.*?)</p>', body, re.S).group(1)
    assert water == "Op basis van 2 van de 3 indicatoren"
    health = re.search(r'data-score-basis="gezondheid">(.*?)</p>', body, re.S).group(1)
    assert health == ("Maar 1 van de 3 indicatoren beschikbaar; een score vraagt er minstens 2")
    block = body.split('id="thema-gezondheid"', 1)[1].split("</header>", 1)[0]
    assert "score onbekend" in block


def test_scan_stored_before_the_basis_counts_its_breakdown(client, users, park):
    scan = store_scan(park, {"retention_pct": 35.0, "storage_mm": 25.0})
    assert scan.score_basis == {}
    body = dashboard(client, users, park)
    water = re.search(r'data-score-basis="water">(.*?)</p>', body, re.S).group(1)
    assert water == "Op basis van 2 van de 3 indicatoren"


def test_storage_cards_say_which_water_counts(client, users, park):
    scan = store_scan(park, {"storage_mm": 0.0})
    inds = dict(scan.indicators)
    inds["public_water_storage_m3"] = entry("public_water_storage_m3", 600.0, source="BGT (t)")
    ParkScan.objects.filter(pk=scan.pk).update(indicators=inds)
    body = dashboard(client, users, park)
    storage = _card(body, "storage_mm")
    assert "Waterberging op eigen terrein" in storage
    assert "Openbaar water telt niet mee." in storage
    public = _card(body, "public_water_storage_m3")
    assert "Berging in openbaar water (telt niet mee voor de norm)" in public
    assert "<strong>600</strong>" in public
