"""A stored scan is shown with the parameters it was computed with (issue 15, part 3).

scores.yaml is changed after a scan was stored (``config.override``, which the
engine and the portal really read): the dashboard's theme breakdown of the stored
scan stays as it was, and a new scan computed with the new values gets a new
digest and their breakdown. The dashboard, the PDF report and the XLSX export
name the digest and the engine version; the report and the export also show the
land-cover coverage and on how many indicators each theme score rests.

Scans are real engine results (BGT GeoPackages written in the real format) stored
by the same ``ingest_results`` a batch run uses.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from shapely.geometry import box

from tests.portal.helpers import store_scan
from tests.scanengine.fixtures import bgt_landcover_entries, write_bgt, write_manifest
from werklandschap import scanengine
from werklandschap.accounts.roles import Role
from werklandschap.portal import indicator_views, report
from werklandschap.portal import presentation as fmt
from werklandschap.scanengine import ENGINE_VERSION, config, load_bundle, scan_park
from werklandschap.scans.models import ParkScan, ScanRun
from werklandschap.scans.services import ingest_results

pytestmark = pytest.mark.django_db

X0, Y0 = 122_000.0, 472_000.0
PARK = box(X0, Y0, X0 + 100, Y0 + 100)
GRASS = {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"}
THEME = "natuurinclusiviteit"


@pytest.fixture(scope="module")
def grass_bundle(tmp_path_factory):
    """The whole park is grass (a complete scan)."""
    d = tmp_path_factory.mktemp("grass")
    write_bgt(d / "bgt.gpkg", {"begroeidterreindeel": [(PARK, GRASS)]})
    lc = bgt_landcover_entries(d / "bgt.gpkg", ["begroeidterreindeel"])
    return load_bundle(write_manifest(d / "b.yaml", {"landcover": lc}))


@pytest.fixture(scope="module")
def partial_bundle(tmp_path_factory):
    """Only a 5 m strip of the park is mapped (5%): an incomplete scan."""
    d = tmp_path_factory.mktemp("partial")
    write_bgt(
        d / "bgt.gpkg",
        {
            "begroeidterreindeel": [
                (box(X0, Y0, X0 + 5, Y0 + 100), GRASS),
                (box(X0 + 100, Y0 + 100, X0 + 110, Y0 + 110), GRASS),
            ],
            "pand": [(box(X0 - 20, Y0 - 20, X0 - 10, Y0 - 10), {})],
        },
    )
    lc = bgt_landcover_entries(d / "bgt.gpkg", ["begroeidterreindeel", "pand"])
    return load_bundle(write_manifest(d / "b.yaml", {"landcover": lc}))


def store(park, bundle, tmp_path, name: str) -> ParkScan:
    """Scan ``park`` with the engine's current parameters and store it like a run does."""
    result = scan_park(str(park.pk), PARK, bundle)
    assert result["status"] == "ok", result["error"]
    path = tmp_path / f"{name}.jsonl"
    path.write_text(json.dumps(result) + "\n", encoding="utf-8")
    run = ScanRun.objects.create(
        bundle_name=name,
        bundle={"name": name, "layers": []},
        engine_version=result["engine_version"],
        parameters_digest=result["parameters_digest"],
        results_path=str(path),
        status=ScanRun.Status.COMPLETED,
    )
    assert ingest_results(run) == 1
    return run.park_scans.get()


def stricter_nature() -> dict:
    """scores.yaml with five times the 'full' values, other weights and one indicator
    fewer for the nature theme."""
    scores = config.load("scores")
    items = scores["themes"][THEME]
    for i, item in enumerate(items):
        item["full"] = item["full"] * 5
        item["weight"] = float(i + 2)
    del items[-1]
    return scores


def dashboard(client, users, park) -> str:
    client.force_login(users[Role.PARK_CONTACT])
    r = client.get(reverse("portal:dashboard", kwargs={"slug": park.slug}))
    assert r.status_code == 200
    return r.content.decode()


def breakdown_html(body: str) -> str:
    block = body.split(f'id="thema-{THEME}"', 1)[1].split('<div class="indicator-grid">', 1)[0]
    assert "breakdown__label" in block
    return block


def breakdown_of(scan: ParkScan) -> list[dict]:
    fresh = ParkScan.objects.get(pk=scan.pk)  # nothing cached on the object
    themes = indicator_views.indicators_by_theme(fresh)
    return next(t for t in themes if t["theme"] == THEME)["breakdown"]


def digest_shown(body: str) -> str:
    return re.search(r'data-parameters-digest="([0-9a-f]*)"', body).group(1)


def test_a_stored_breakdown_survives_a_change_of_scores_yaml(
    client, users, park, grass_bundle, tmp_path
):
    old = store(park, grass_bundle, tmp_path, "voor")
    ParkScan.objects.filter(pk=old.pk).update(computed_at=timezone.now() - dt.timedelta(days=30))
    old_digest = scanengine.parameters_digest()
    assert old.parameters_digest == old_digest
    before = breakdown_of(old)
    assert [b["score"] for b in before][:3] == [100.0, 25.0, 50.0]  # green 100%, 1 type, 1 ha
    html_before = breakdown_html(dashboard(client, users, park))

    with config.override("scores", stricter_nature()):
        # today's file would give another breakdown (so the next check means something)
        today = indicator_views.theme_breakdown(THEME, old.indicators)
        assert [b["score"] for b in today] != [b["score"] for b in before]
        assert len(today) == len(before) - 1
        # ... but the stored scan is shown with the values it was computed with
        assert breakdown_of(old) == before
        assert breakdown_html(dashboard(client, users, park)) == html_before

        # a new scan with the new parameters: new digest, its own breakdown
        new = store(park, grass_bundle, tmp_path, "na")
        new_digest = scanengine.parameters_digest()
        body = dashboard(client, users, park)
    assert new.parameters_digest == new_digest != old_digest
    assert breakdown_of(new) == today
    assert [b["score"] for b in today][:2] == [50.0, 5.0]  # 100/200, 1/20
    assert new.scores[THEME] != old.scores[THEME]
    assert digest_shown(body) == new_digest
    assert f'<code title="sha256 {new_digest}">{new_digest[:12]}</code>' in body
    assert "de drempels en gewichten van de themascores zijn die van deze nulmeting" in body
    # outside the override the old scan still reads the same, and so does the new one
    assert breakdown_of(old) == before and breakdown_of(new) == today


def test_the_coverage_minimum_shown_is_the_one_the_scan_used(
    client, users, park, partial_bundle, tmp_path
):
    scan = store(park, partial_bundle, tmp_path, "deel")
    assert scan.completeness == ParkScan.Completeness.INCOMPLETE
    rules = config.load("completeness")
    rules["landcover"]["min_coverage_pct"]["value"] = 50
    with config.override("completeness", rules):
        body = dashboard(client, users, park)
    assert "Onder 90\xa0%" in body


def test_a_scan_stored_before_digests_says_so(client, users, park):
    store_scan(park, {"green_share_pct": 20.0, "green_types_n": 2.0})
    body = dashboard(client, users, park)
    assert digest_shown(body) == ""
    assert "niet vastgelegd (nulmeting van vóór deze registratie)" in body


def test_report_shows_coverage_score_basis_digest_and_engine(park, partial_bundle, tmp_path):
    scan = store(park, partial_bundle, tmp_path, "deel")
    html = report.render_html(park, scan)
    notice = re.search(r'data-coverage="incomplete">(.*?)</div>', html, re.S).group(1)
    assert "Nulmeting onvolledig." in notice
    assert "De basiskaart (BGT) dekt maar 5,0\xa0% van het terrein" in notice
    water = re.search(r'data-score-basis="water">(.*?)</p>', html, re.S).group(1)
    assert water == "Maar 0 van de 3 indicatoren beschikbaar; een score vraagt er minstens 2"
    dd = re.search(r'data-parameters-digest="([0-9a-f]+)">(.*?)</dd>', html, re.S)
    assert dd.group(1) == scan.parameters_digest
    assert dd.group(2) == f"sha256 {scan.parameters_digest[:12]}"
    assert f"<dd>{ENGINE_VERSION}</dd>" in html


def test_report_pdf_text_has_them(park, grass_bundle, partial_bundle, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    scan = store(park, partial_bundle, tmp_path, "deel")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(report.render_pdf(park, scan))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert "Nulmeting onvolledig." in flat
    assert "dekt maar 5,0 % van het terrein" in flat
    assert "Maar 0 van de 3 indicatoren beschikbaar" in flat
    assert f"sha256 {scan.parameters_digest[:12]}" in flat
    assert ENGINE_VERSION in flat


def test_xlsx_has_coverage_completeness_digest_and_score_basis(
    client, users, park, partial_bundle, tmp_path
):
    scan = store(park, partial_bundle, tmp_path, "deel")
    client.force_login(users[Role.PARK_CONTACT])
    r = client.get(reverse("portal:xlsx", kwargs={"slug": park.slug}))
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content), data_only=True)
    prov = {row[0]: row[1] for row in wb["Herkomst"].iter_rows(values_only=True) if row[0]}
    assert prov["parameterset (sha256)"] == scan.parameters_digest
    assert prov["versie rekenkern"] == ENGINE_VERSION
    assert prov["dekking basiskaart (BGT)"] == "5,0\xa0%"
    assert prov["volledigheid"] == "Onvolledig"
    # the reason as the dashboard words it
    assert prov["reden onvolledig"] == capfirst(indicator_views.data_coverage(scan)["reason"])
    assert "5%" in prov["reden onvolledig"]
    rows = list(wb["Themascores"].iter_rows(values_only=True))
    assert rows[0] == (
        "thema",
        "score (0-100)",
        "indicatoren gebruikt",
        "indicatoren in het thema",
        "basis",
    )
    by_theme = {row[0]: row for row in rows[1:]}
    water = by_theme[fmt.theme_label("water")]
    assert water[1] is None and (water[2], water[3]) == (0, 3)
    assert water[4] == "Maar 0 van de 3 indicatoren beschikbaar; een score vraagt er minstens 2"
    # the CSV download carries the same provenance lines
    csv_text = client.get(reverse("portal:csv", kwargs={"slug": park.slug})).content.decode()
    assert f"#;parameterset (sha256);{scan.parameters_digest}" in csv_text
    assert "#;volledigheid;Onvolledig" in csv_text
