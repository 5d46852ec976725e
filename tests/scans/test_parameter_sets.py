"""Stored scans record which parameter values they were computed with (issue 15, part 3).

Each ParkScan and ScanRun keeps the engine's ``parameters_digest``; the values
(``parameters_snapshot``) are stored once per distinct digest in ParameterSet.
Real runs (``scan --all``, the queue) over a synthetic bundle; parameters are
changed with ``config.override``, which the engine really computes with.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from shapely.geometry import box

from werklandschap import scanengine
from werklandschap.registry.models import Park
from werklandschap.scanengine import config
from werklandschap.scanengine.synthetic import make_bundle
from werklandschap.scans.models import ParameterSet, ParkScan, ScanRun
from werklandschap.scans.queue import process_pending
from werklandschap.scans.services import ingest_results, request_scan, stored_parameters

pytestmark = pytest.mark.django_db

PARK_A = box(85000, 447000, 85200, 447150)
PARK_B = box(85400, 447000, 85550, 447120)


@pytest.fixture
def parks(db, settings, tmp_path):
    settings.HOME_DIR = tmp_path / "home"
    return [
        Park.objects.create(name="Param A", slug="param-a", geometry=PARK_A),
        Park.objects.create(name="Param B", slug="param-b", geometry=PARK_B),
    ]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    return make_bundle([("a", PARK_A), ("b", PARK_B)], tmp_path_factory.mktemp("bundle"), seed=3)


def changed_scores() -> dict:
    """scores.yaml with other weights and thresholds for water."""
    scores = config.load("scores")
    for item in scores["themes"]["water"]:
        item["weight"] = 2.5
        item["full"] = item["full"] * 3 if item["full"] else item["full"]
    return scores


def _scan_all(manifest, workers: int = 1) -> ScanRun:
    before = set(ScanRun.objects.values_list("pk", flat=True))
    call_command("scan", all=True, bundle=str(manifest), no_progress=True, workers=workers)
    return ScanRun.objects.exclude(pk__in=before).get()


def test_a_run_stores_the_digest_per_park_and_the_values_once(parks, manifest):
    run = _scan_all(manifest)
    digest = scanengine.parameters_digest()
    assert run.parameters_digest == digest
    scans = list(run.park_scans.all())
    assert len(scans) == 2 and {s.parameters_digest for s in scans} == {digest}
    stored = ParameterSet.objects.get()
    assert stored.digest == digest
    assert stored.values == scanengine.parameters_snapshot()
    # the stored values are the ones the digest was computed from
    assert config.snapshot_digest(stored.values) == digest

    _scan_all(manifest)  # same parameters: no second copy of the values
    assert ParameterSet.objects.count() == 1


def test_changed_parameters_give_a_new_digest_and_their_own_values(parks, manifest):
    first = _scan_all(manifest)
    scores = changed_scores()
    with config.override("scores", scores):
        second = _scan_all(manifest)
    assert second.parameters_digest != first.parameters_digest
    assert ParameterSet.objects.count() == 2
    old = stored_parameters(first.parameters_digest)
    new = stored_parameters(second.parameters_digest)
    assert new["scores.yaml"] == json.loads(json.dumps(scores))
    assert old["scores.yaml"] == scanengine.parameters_snapshot()["scores.yaml"]
    assert {k: v for k, v in new.items() if k != "scores.yaml"} == {
        k: v for k, v in old.items() if k != "scores.yaml"
    }
    a_first = first.park_scans.get(park=parks[0])
    a_second = second.park_scans.get(park=parks[0])
    assert a_second.parameters_digest == second.parameters_digest
    assert a_first.indicators == a_second.indicators  # same data: only the scores moved
    assert a_first.scores["water"] != a_second.scores["water"]


def test_process_pool_workers_compute_with_the_parents_parameters(parks, manifest):
    with config.override("scores", changed_scores()):
        run = _scan_all(manifest, workers=2)
        expected = scanengine.parameters_digest()
    assert {s.parameters_digest for s in run.park_scans.all()} == {expected}
    assert ParameterSet.objects.filter(digest=expected).exists()


def test_the_queue_stores_the_digest_too(parks, manifest):
    request_scan(parks[0], reason="test")
    assert process_pending(manifest) == 1
    scan = ParkScan.objects.get(park=parks[0])
    assert scan.status == ParkScan.Status.OK
    assert scan.parameters_digest == scan.run.parameters_digest == scanengine.parameters_digest()
    assert stored_parameters(scan.parameters_digest) == scanengine.parameters_snapshot()


def test_a_result_line_without_a_digest_is_stored_as_unknown(parks, tmp_path):
    """Results written before the digest existed (an old run resumed) stay storable."""
    path = tmp_path / "old.jsonl"
    line = {"park_id": str(parks[0].pk), "status": "ok", "indicators": {}, "scores": {}}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    run = ScanRun.objects.create(bundle_name="oud", engine_version="1.0.0", results_path=str(path))
    assert ingest_results(run) == 1
    scan = run.park_scans.get()
    assert scan.parameters_digest == ""
    assert stored_parameters(scan.parameters_digest) is None
