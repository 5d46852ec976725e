"""Scanning the registry: runs kept as history, resume without recomputing, the queue."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import box

from werklandschap.registry.models import Park
from werklandschap.scanengine.synthetic import make_bundle
from werklandschap.scans.models import ParkScan, ScanRequest, ScanRun
from werklandschap.scans.queue import process_pending
from werklandschap.scans.services import execute_run, latest_scan, request_scan, start_run

# Two small parks near Delft and one far away (Groningen), in RD New.
DELFT_A = box(85000, 447000, 85200, 447150)
DELFT_B = box(85400, 447000, 85550, 447120)
GRONINGEN = box(234000, 581000, 234200, 581150)


@pytest.fixture
def parks(db):
    return [
        Park.objects.create(name="Scan A", slug="scan-a", geometry=DELFT_A),
        Park.objects.create(name="Scan B", slug="scan-b", geometry=DELFT_B),
    ]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    """A synthetic bundle covering the two Delft parks (not Groningen)."""
    out = tmp_path_factory.mktemp("bundle")
    return make_bundle([("a", DELFT_A), ("b", DELFT_B)], out, seed=3)


def test_scan_all_stores_one_result_per_park_with_provenance(parks, manifest):
    call_command("scan", all=True, bundle=str(manifest), no_progress=True, workers=1)
    run = ScanRun.objects.get()
    assert run.status == ScanRun.Status.COMPLETED
    assert (run.parks_total, run.parks_ok, run.parks_failed) == (2, 2, 0)
    assert run.is_synthetic and run.engine_version
    assert run.bundle["synthetic"] is True
    for park in parks:
        scan = latest_scan(park)
        assert scan.run == run
        assert scan.area_ha == pytest.approx(park.geometry.area / 10_000, rel=1e-6)
        shares = [v["value"] for k, v in scan.indicators.items() if k.startswith("share_")]
        assert sum(shares) == pytest.approx(100, abs=0.5)


def test_a_second_run_keeps_the_first(parks, manifest):
    for _ in range(2):
        call_command("scan", all=True, bundle=str(manifest), no_progress=True, workers=1)
    assert ScanRun.objects.count() == 2
    assert ParkScan.objects.filter(park=parks[0]).count() == 2


def test_resume_does_not_recompute_finished_parks(parks, manifest):
    run = start_run(Path(manifest))
    # Scan park A alone into the run's file, then mark its line so that a
    # recomputation would be visible.
    execute_run(run, [parks[0]], workers=1, progress=False)
    path = Path(run.results_path)
    line = json.loads(path.read_text().splitlines()[0])
    line["area_ha"] = 12345.0
    path.write_text(json.dumps(line) + "\n")
    ParkScan.objects.filter(run=run).delete()

    call_command("scan", resume=run.pk, no_progress=True, all=True, workers=1)
    run.refresh_from_db()
    assert run.status == ScanRun.Status.COMPLETED
    assert ParkScan.objects.get(run=run, park=parks[0]).area_ha == 12345.0
    assert ParkScan.objects.get(run=run, park=parks[1]).status == "ok"
    assert len(path.read_text().splitlines()) == 2


def test_a_park_outside_the_data_fails_alone(parks, manifest):
    far = Park.objects.create(name="Ver weg", slug="ver-weg", geometry=GRONINGEN)
    call_command("scan", all=True, bundle=str(manifest), no_progress=True, workers=1)
    run = ScanRun.objects.get()
    assert (run.parks_ok, run.parks_failed) == (2, 1)
    failed = ParkScan.objects.get(park=far)
    assert failed.status == "failed"
    assert failed.error and failed.indicators == {}
    assert latest_scan(far) is None


def test_bad_bundle_is_refused_and_nothing_is_stored(parks, tmp_path):
    bad = tmp_path / "bundle.yaml"
    bad.write_text("name: kapot\nlayers:\n  heat: {file: bestaat-niet.tif, crs: EPSG:28992}\n")
    with pytest.raises(CommandError, match="Databundel onbruikbaar"):
        call_command("scan", all=True, bundle=str(bad), no_progress=True)
    assert ScanRun.objects.count() == 0 and ParkScan.objects.count() == 0


def test_scan_requires_a_choice_of_parks(parks, manifest):
    with pytest.raises(CommandError, match="--all"):
        call_command("scan", bundle=str(manifest))


def test_queue_scans_requested_parks_once(parks, manifest):
    request = request_scan(parks[0], reason="goedgekeurd")
    assert request_scan(parks[0]) == request  # one open request per park
    assert process_pending(Path(manifest)) == 1
    request.refresh_from_db()
    assert request.status == ScanRequest.Status.DONE
    assert request.park_scan.park == parks[0] and request.park_scan.status == "ok"
    assert process_pending(Path(manifest)) == 0


def test_queue_without_bundle_fails_with_a_message(parks, settings):
    settings.SCAN_BUNDLE = ""
    settings.DEMO_BUNDLE_DIR = Path(settings.HOME_DIR) / "geen-demo"
    request = request_scan(parks[0])
    process_pending()
    request.refresh_from_db()
    assert request.status == ScanRequest.Status.FAILED
    assert "SCAN_BUNDLE" in request.message


def test_queue_fills_in_synthetic_data_only_for_synthetic_bundles(db, manifest):
    far = Park.objects.create(name="Ver weg", slug="ver-weg", geometry=GRONINGEN)
    request = request_scan(far)
    process_pending(Path(manifest))
    request.refresh_from_db()
    # The demo bundle is synthetic, so the park outside it gets synthetic data too,
    # and the run says so.
    assert request.status == ScanRequest.Status.DONE
    assert request.park_scan.run.is_synthetic


def test_real_bundles_never_get_synthetic_fill_in(db, manifest):
    import yaml

    data = yaml.safe_load(Path(manifest).read_text())
    data["synthetic"] = False
    data["name"] = "Echte bundel (test)"
    real = Path(manifest).with_name("real.yaml")
    real.write_text(yaml.safe_dump(data))
    far = Park.objects.create(name="Ver weg", slug="ver-weg", geometry=GRONINGEN)
    request = request_scan(far)
    process_pending(real)
    request.refresh_from_db()
    assert request.status == ScanRequest.Status.FAILED
    assert not request.park_scan.run.is_synthetic
    assert request.message


def test_a_new_run_never_resumes_an_earlier_runs_file(parks, manifest):
    """Ids come back after a rebuilt database (or a rolled-back transaction on
    SQLite): files left by runs with the same id must not be taken over."""
    from werklandschap.scans.services import results_dir

    first = start_run(Path(manifest))
    execute_run(first, parks, workers=1, progress=False)
    stale = [json.loads(line) for line in Path(first.results_path).read_text().splitlines()]
    for row in stale:
        row["area_ha"] = 999.0
    text = "".join(json.dumps(row) + "\n" for row in stale)
    for pk in range(first.pk, first.pk + 20):  # files as an id-only naming would find them
        (results_dir() / f"run-{pk}.jsonl").write_text(text)

    second = start_run(Path(manifest))
    execute_run(second, parks, workers=1, progress=False)
    assert second.results_path != first.results_path
    for scan in ParkScan.objects.filter(run=second):
        assert scan.area_ha == pytest.approx(scan.park.geometry.area / 10_000, rel=1e-6)
