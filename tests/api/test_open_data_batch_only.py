"""The open-data files are rewritten after a batch scan run, not after a queued scan of
one park (issue 21: "regenerated after each batch scan"; api/receivers.py).

Both paths run for real: the ``scan`` command over the registry and the queue worker's
``process_pending`` on a small synthetic bundle, with the engine computing the scans.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from shapely.geometry import box

from werklandschap.api import opendata
from werklandschap.registry.models import Park
from werklandschap.scanengine.synthetic import make_bundle
from werklandschap.scans.models import ParkScan, ScanRequest, ScanRun
from werklandschap.scans.queue import process_pending
from werklandschap.scans.services import request_scan

pytestmark = pytest.mark.django_db

# Two small parks near Delft, in RD New, inside the synthetic bundle.
DELFT_A = box(85000, 447000, 85200, 447150)
DELFT_B = box(85400, 447000, 85550, 447120)


@pytest.fixture(autouse=True)
def _own_folder(settings, tmp_path):
    settings.OPEN_DATA_ROOT = str(tmp_path / "open-data")


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    return make_bundle([("a", DELFT_A), ("b", DELFT_B)], out, seed=3)


@pytest.fixture
def parks():
    return [
        Park.objects.create(name="Open A", slug="open-a", geometry=DELFT_A),
        Park.objects.create(name="Open B", slug="open-b", geometry=DELFT_B),
    ]


def _csv_rows() -> dict[str, dict[str, str]]:
    text = (opendata.root() / "parks.csv").read_text(encoding="utf-8")
    return {r["slug"]: r for r in csv.DictReader(io.StringIO(text))}


def _snapshot() -> dict[str, tuple[bytes, int]]:
    """Every file of the current set: its bytes and modification time (ns)."""
    folder = opendata.root()
    return {
        name: ((folder / name).read_bytes(), (folder / name).stat().st_mtime_ns)
        for name in [*opendata.FILES, opendata.MANIFEST]
    }


def test_a_batch_scan_run_rewrites_the_files(parks, manifest):
    opendata.regenerate()
    before = opendata.manifest()
    assert _csv_rows()["open-a"]["scan_computed_at"] == ""

    call_command("scan", all=True, bundle=str(manifest), no_progress=True, workers=1)

    run = ScanRun.objects.get()
    assert run.status == ScanRun.Status.COMPLETED and run.parks_ok == 2
    after = opendata.manifest()
    assert after["generation"] != before["generation"]
    rows = _csv_rows()
    for park in parks:
        scan = park.scans.get()
        assert rows[park.slug]["scan_computed_at"] == scan.computed_at.isoformat(timespec="seconds")
        assert rows[park.slug]["scan_bundle"] == run.bundle_name


def test_a_queued_scan_of_one_park_leaves_the_files_alone(parks, manifest):
    opendata.regenerate()
    before = _snapshot()
    generation = opendata.manifest()["generation"]

    request_scan(parks[0])
    assert process_pending(Path(manifest)) == 1

    request = ScanRequest.objects.get()
    assert request.status == ScanRequest.Status.DONE  # the park was scanned and stored
    assert request.park_scan.status == ParkScan.Status.OK
    assert request.park_scan.run.parks_total == 1
    assert opendata.manifest()["generation"] == generation
    assert _snapshot() == before  # not one file written again
    assert _csv_rows()["open-a"]["scan_computed_at"] == ""  # until the next batch run

    call_command("open_data", stdout=io.StringIO())  # or at once, by the operator
    scan = request.park_scan
    assert _csv_rows()["open-a"]["scan_computed_at"] == scan.computed_at.isoformat(
        timespec="seconds"
    )


def test_every_file_says_when_it_was_written(park):
    written = opendata.regenerate()["generatedAt"]
    folder = opendata.root()
    assert f"written at: {written}" in (folder / "licence.txt").read_text(encoding="utf-8")
    sheet = load_workbook(folder / "parks.xlsx", read_only=True)["licence"]
    assert any(written in (row[0] or "") for row in sheet.iter_rows(values_only=True))
    geo = json.loads((folder / "parks.geojson").read_text(encoding="utf-8"))
    assert geo["generatedAt"] == written
