"""Processing queued scan requests (parks just approved as partner park, ...).

One function, :func:`process_pending`, used by ``werklandschap scan --pending``
and by the background worker that ``werklandschap serve`` starts. Each
request gets its own ScanRun so the result keeps its provenance.

Demo only: when the configured bundle is synthetic and a new park lies
outside it, synthetic data are generated for that park too (and the run is
flagged synthetic), so a park signed up in the demo gets a scan to show.
Real bundles never get synthetic fill-in: the park's scan fails with the
engine's "outside the data extent" message instead.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from werklandschap import scanengine

from .models import ParkScan, ScanRequest, ScanRun
from .services import ingest_results, new_results_path, results_dir

logger = logging.getLogger(__name__)


def configured_bundle() -> Path | None:
    """The bundle queued scans use: SCAN_BUNDLE, else the demo's synthetic bundle."""
    if settings.SCAN_BUNDLE:
        return Path(settings.SCAN_BUNDLE)
    demo = Path(settings.DEMO_BUNDLE_DIR) / "bundle.yaml"
    return demo if demo.is_file() else None


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:100]


def lease_seconds() -> float:
    return float(settings.SCAN_LEASE_SECONDS)


def _claimable(now, lease_s: float) -> Q:
    """Queued requests, and running ones whose worker stopped renewing its lease
    (killed, machine gone) or never had one (claimed before leases existed)."""
    stale = now - timedelta(seconds=lease_s)
    return Q(status=ScanRequest.Status.PENDING) | Q(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at=None), status=ScanRequest.Status.RUNNING
    )


def claim_next(lease_s: float | None = None) -> ScanRequest | None:
    """Take the oldest claimable request, or None when there is nothing to do.

    Safe with several workers at once: on PostgreSQL the candidate row is locked
    with SKIP LOCKED (a second worker takes the next row instead of waiting), and
    the status change is a conditional UPDATE that only succeeds if the row is
    still claimable, so no request is ever claimed twice. SQLite serialises
    writers anyway (IMMEDIATE transactions). A request taken over from a dead
    worker counts an attempt; after SCAN_MAX_ATTEMPTS it fails with a message
    instead of crashing worker after worker.
    """
    lease_s = lease_seconds() if lease_s is None else lease_s
    for _ in range(20):  # skip requests given up on, and (SQLite) lost races
        now = timezone.now()
        with transaction.atomic():
            candidate = (
                ScanRequest.objects.select_for_update(skip_locked=True)
                .filter(_claimable(now, lease_s))
                .order_by("requested_at", "pk")
                .first()
            )
            if candidate is None:
                return None
            if (
                candidate.status == ScanRequest.Status.RUNNING
                and candidate.attempts >= settings.SCAN_MAX_ATTEMPTS
            ):
                ScanRequest.objects.filter(pk=candidate.pk).update(
                    status=ScanRequest.Status.FAILED,
                    finished_at=now,
                    claimed_by="",
                    message=(
                        f"De berekening is {candidate.attempts} keer afgebroken "
                        "(werkproces gestopt); niet opnieuw geprobeerd."
                    ),
                )
                logger.error(
                    "scan request %s given up after %s attempts", candidate.pk, candidate.attempts
                )
                continue
            name = _worker_name()
            taken = (
                ScanRequest.objects.filter(pk=candidate.pk)
                .filter(_claimable(now, lease_s))
                .update(
                    status=ScanRequest.Status.RUNNING,
                    claimed_by=name,
                    claimed_at=now,
                    heartbeat_at=now,
                    attempts=F("attempts") + 1,
                )
            )
        if taken:
            if candidate.status == ScanRequest.Status.RUNNING:
                logger.warning(
                    "scan request %s taken over from %s (no sign of life for %.0f s)",
                    candidate.pk,
                    candidate.claimed_by or "an unknown worker",
                    lease_s,
                )
            return ScanRequest.objects.select_related("park").get(pk=candidate.pk)
    return None


class _Lease:
    """Renews a claimed request's heartbeat from a side thread while it is scanned,
    so a long scan is never taken over while its worker is alive, and a dead
    worker's request is free again SCAN_LEASE_SECONDS after its last beat."""

    def __init__(self, request: ScanRequest, lease_s: float):
        self.request = request
        self.interval = max(0.2, lease_s / 3)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="scan-lease", daemon=True)

    def _beat(self) -> None:
        from django.db import connection

        try:
            while not self.stop.wait(self.interval):
                try:
                    ScanRequest.objects.filter(
                        pk=self.request.pk, claimed_by=self.request.claimed_by
                    ).update(heartbeat_at=timezone.now())
                except Exception:
                    logger.exception("scan request %s: heartbeat failed", self.request.pk)
        finally:
            connection.close()

    def __enter__(self) -> _Lease:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def _scan_one(request: ScanRequest, manifest: Path) -> ParkScan:
    park = request.park
    bundle = scanengine.load_bundle(manifest)
    description = bundle.describe()
    result = scanengine.scan_park(str(park.pk), park.geometry, bundle)
    if result["status"] != "ok" and description.get("synthetic"):
        # Demo: extend the synthetic data to this park and scan again.
        from werklandschap.scanengine.synthetic import make_bundle

        extra = results_dir() / "synthetic" / f"park-{park.pk}"
        manifest = make_bundle([(str(park.pk), park.geometry)], extra, seed=park.pk)
        bundle = scanengine.load_bundle(manifest)
        description = bundle.describe()
        result = scanengine.scan_park(str(park.pk), park.geometry, bundle)
    run = ScanRun.objects.create(
        bundle_name=str(description.get("name") or Path(manifest).stem),
        bundle=description,
        is_synthetic=bool(description.get("synthetic", False)),
        engine_version=scanengine.ENGINE_VERSION,
        parameters_digest=result.get("parameters_digest") or "",
        parks_total=1,
        started_by=request.requested_by,
    )
    run.results_path = str(new_results_path(run))
    Path(run.results_path).write_text(json.dumps(result) + "\n", encoding="utf-8")
    ingest_results(run)
    ok = result["status"] == "ok"
    run.status = ScanRun.Status.COMPLETED
    run.parks_ok, run.parks_failed = (1, 0) if ok else (0, 1)
    run.finished_at = timezone.now()
    run.save()
    return run.park_scans.get()


def process_pending(manifest: Path | None = None, *, limit: int | None = None) -> int:
    """Scan queued parks one by one; returns how many requests were handled."""
    manifest = manifest or configured_bundle()
    handled = 0
    lease_s = lease_seconds()
    while limit is None or handled < limit:
        request = claim_next(lease_s)
        if request is None:
            break
        handled += 1
        outcome: dict = {}
        try:
            if manifest is None:
                raise scanengine.ScanError(
                    "Geen databundel ingesteld (SCAN_BUNDLE); "
                    "de nulmeting kan niet worden berekend."
                )
            with _Lease(request, lease_s):
                park_scan = _scan_one(request, manifest)
            outcome = {
                "park_scan": park_scan,
                "status": ScanRequest.Status.DONE
                if park_scan.status == ParkScan.Status.OK
                else ScanRequest.Status.FAILED,
                "message": park_scan.error,
            }
        except Exception as exc:  # one park's failure must not stop the queue
            logger.exception("scan request %s for park %s failed", request.pk, request.park_id)
            outcome = {"status": ScanRequest.Status.FAILED, "message": str(exc)}
        # Only the claim's holder may finish it: a worker that lost its lease
        # (paused for longer than the lease) leaves the result to the new holder.
        finished = ScanRequest.objects.filter(pk=request.pk, claimed_by=request.claimed_by).update(
            finished_at=timezone.now(), claimed_by="", **outcome
        )
        if not finished:
            logger.warning("scan request %s was taken over by another worker", request.pk)
    return handled


def start_background_worker(interval_s: float = 2.0) -> threading.Thread:
    """A daemon thread that polls the queue (used by ``serve`` in small set-ups)."""

    def loop() -> None:
        while True:
            try:
                process_pending()
            except Exception:
                logger.exception("scan worker iteration failed")
            finally:
                close_old_connections()
            try:
                # PDF reports are rendered here, never in a web request (issue 14).
                from werklandschap.portal.report_jobs import run_pending_reports

                run_pending_reports()
            except Exception:
                logger.exception("report worker iteration failed")
            finally:
                close_old_connections()
            time.sleep(interval_s)

    thread = threading.Thread(target=loop, name="scan-worker", daemon=True)
    thread.start()
    return thread
