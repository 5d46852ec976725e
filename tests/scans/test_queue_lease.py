"""The scan queue's claims are leases: a worker killed mid-scan does not leave its
request running forever, a live worker keeps its request, and two workers never
take the same request."""

from __future__ import annotations

import os
import signal
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from shapely.geometry import box

from werklandschap.registry.models import Park
from werklandschap.scanengine.synthetic import make_bundle
from werklandschap.scans.models import ScanRequest
from werklandschap.scans.queue import claim_next, process_pending

from .scratch import ScratchDB, add_parks, park_boxes, wait_for

DELFT = box(85000, 447000, 85200, 447150)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    """A synthetic bundle covering every park of ``park_boxes(40)``."""
    out = tmp_path_factory.mktemp("bundle")
    return make_bundle([(str(i), b) for i, b in enumerate(park_boxes(40))], out, seed=5)


@pytest.fixture
def scratch(tmp_path):
    db = ScratchDB(tmp_path)
    yield db
    db.drop()


def _when(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


# --- in-process: which requests are claimable -------------------------------------------


@pytest.fixture
def stuck(db):
    """A request left 'running' by a worker that stopped an hour ago."""
    park = Park.objects.create(name="Vast", slug="vast", geometry=DELFT)
    hour_ago = timezone.now() - timedelta(hours=1)
    return ScanRequest.objects.create(
        park=park,
        status=ScanRequest.Status.RUNNING,
        claimed_by="gone:1:x",
        claimed_at=hour_ago,
        heartbeat_at=hour_ago,
        attempts=1,
    )


def test_a_request_whose_worker_went_silent_is_scanned_again(stuck, manifest):
    assert process_pending(Path(manifest)) == 1
    stuck.refresh_from_db()
    assert stuck.status == ScanRequest.Status.DONE
    assert stuck.park_scan.status == "ok"
    assert stuck.attempts == 2 and stuck.claimed_by == ""


def test_a_request_claimed_before_leases_existed_is_scanned_again(stuck, manifest):
    ScanRequest.objects.filter(pk=stuck.pk).update(heartbeat_at=None, claimed_by="")
    assert process_pending(Path(manifest)) == 1
    stuck.refresh_from_db()
    assert stuck.status == ScanRequest.Status.DONE


def test_a_live_workers_request_is_left_alone(stuck, manifest):
    ScanRequest.objects.filter(pk=stuck.pk).update(heartbeat_at=timezone.now())
    assert process_pending(Path(manifest)) == 0
    stuck.refresh_from_db()
    assert stuck.status == ScanRequest.Status.RUNNING and stuck.attempts == 1


def test_a_request_that_keeps_killing_workers_fails_with_a_message(stuck, manifest, settings):
    settings.SCAN_MAX_ATTEMPTS = 1
    assert process_pending(Path(manifest)) == 0
    stuck.refresh_from_db()
    assert stuck.status == ScanRequest.Status.FAILED
    assert "1 keer afgebroken" in stuck.message


def test_a_worker_that_lost_its_claim_does_not_finish_the_request(db, manifest, monkeypatch):
    """A worker paused past its lease (the request was taken over meanwhile) comes
    back with a result: the request stays with the new holder, untouched."""
    from werklandschap.scans import queue

    park = Park.objects.create(name="Overgenomen", slug="overgenomen", geometry=DELFT)
    request = ScanRequest.objects.create(park=park)
    real_scan_one = queue._scan_one
    taken_over = {}

    def scan_while_another_worker_takes_over(req, bundle):
        # The first worker's lease counts as expired for the second (lease -1 s).
        taken_over["by"] = claim_next(lease_s=-1)
        return real_scan_one(req, bundle)

    monkeypatch.setattr(queue, "_scan_one", scan_while_another_worker_takes_over)
    assert process_pending(Path(manifest)) == 1
    second = taken_over["by"]
    assert second.pk == request.pk and second.attempts == 2
    request.refresh_from_db()
    assert request.status == ScanRequest.Status.RUNNING
    assert request.claimed_by == second.claimed_by
    assert request.park_scan is None and request.finished_at is None


# --- real worker processes ------------------------------------------------------------------


def test_a_worker_killed_mid_scan_leaves_a_request_the_next_worker_finishes(
    scratch, manifest, tmp_path
):
    """The first worker blocks inside its scan (its bundle manifest is a FIFO that
    nobody writes), is SIGKILLed there, and a second worker finishes the request
    once the first has been silent for the lease (2 s here)."""
    add_parks(scratch, 1, queue=True)
    stuck_bundle = tmp_path / "stuck.yaml"
    os.mkfifo(stuck_bundle)
    lease = {"SCAN_LEASE_SECONDS": "2"}
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    first = scratch.popen(
        "scan", "--pending", "--watch", "--bundle", str(stuck_bundle), log=logs[0], env=lease
    )
    second = None
    try:
        row = "SELECT status, attempts, claimed_at, heartbeat_at FROM scans_scanrequest"
        wait_for(
            "the first worker to claim the request",
            lambda: scratch.sql(row)[0][0] == "running",
            logs=logs,
        )
        # A second worker runs alongside; the first is alive and keeps renewing
        # its lease, so the request stays with it (one attempt) for well over
        # the lease.
        second = scratch.popen(
            "scan", "--pending", "--watch", "--bundle", str(manifest), log=logs[1], env=lease
        )

        def renewed_for_three_leases():
            status, attempts, claimed, beat = scratch.sql(row)[0]
            assert (status, attempts) == ("running", 1), "taken from a live worker"
            return _when(beat) - _when(claimed) > timedelta(seconds=6)

        wait_for("the first worker's lease to be renewed", renewed_for_three_leases, logs=logs)

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        wait_for(
            "the second worker to finish the request",
            lambda: scratch.sql(row)[0][0] == "done",
            logs=logs,
        )
        assert scratch.sql(row)[0][1] == 2  # attempts: the killed one and this one
        scans = scratch.sql("SELECT status FROM scans_parkscan")
        assert scans == [("ok",)]
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)


def test_two_workers_take_each_request_exactly_once(scratch, manifest, tmp_path):
    """Two real `scan --pending` processes on one queue (PostgreSQL under
    scripts/pg-throwaway, else SQLite): every request handled once, by one of them."""
    n = 30
    add_parks(scratch, n, queue=True)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    workers = [scratch.popen("scan", "--pending", "--bundle", str(manifest), log=p) for p in logs]
    for w in workers:
        w.wait(timeout=600)
    output = "\n".join(p.read_text() for p in logs)
    assert [w.returncode for w in workers] == [0, 0], output
    rows = scratch.sql("SELECT status, attempts FROM scans_scanrequest")
    assert len(rows) == n
    assert set(rows) == {("done", 1)}, output
    # One run per handled request: a request scanned twice would have two.
    assert scratch.sql("SELECT COUNT(*) FROM scans_scanrun") == [(n,)]
    handled = sum(int(line.split()[0]) for line in output.splitlines() if "verwerkt" in line)
    assert handled == n, output


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_never_take_a_request_twice(manifest):
    """Four threads, each with its own PostgreSQL connection, claim as fast as they
    can from 200 queued requests: each request is claimed by exactly one of them."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises all writers)")
    park = Park.objects.create(name="Druk", slug="druk", geometry=DELFT)
    ScanRequest.objects.bulk_create([ScanRequest(park=park) for _ in range(200)])
    claimed: list[list[int]] = [[] for _ in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def claimer(mine: list[int]) -> None:
        try:
            start.wait()
            while (request := claim_next()) is not None:
                mine.append(request.pk)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(c,)) for c in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    every = [pk for c in claimed for pk in c]
    assert sorted(every) == sorted(ScanRequest.objects.values_list("pk", flat=True))
    assert len(set(every)) == len(every) == 200
    assert sum(1 for c in claimed if c) >= 2  # they really ran side by side
    assert set(ScanRequest.objects.values_list("attempts", flat=True)) == {1}
