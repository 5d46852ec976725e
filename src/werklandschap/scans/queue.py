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
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction
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


def _claim_next() -> ScanRequest | None:
    with transaction.atomic():
        request = (
            ScanRequest.objects.select_for_update()
            .filter(status=ScanRequest.Status.PENDING)
            .order_by("requested_at")
            .first()
        )
        if request is None:
            return None
        request.status = ScanRequest.Status.RUNNING
        request.save(update_fields=["status"])
        return request


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
    while limit is None or handled < limit:
        request = _claim_next()
        if request is None:
            break
        handled += 1
        try:
            if manifest is None:
                raise scanengine.ScanError(
                    "Geen databundel ingesteld (SCAN_BUNDLE); "
                    "de nulmeting kan niet worden berekend."
                )
            park_scan = _scan_one(request, manifest)
            request.park_scan = park_scan
            request.status = (
                ScanRequest.Status.DONE
                if park_scan.status == ParkScan.Status.OK
                else ScanRequest.Status.FAILED
            )
            request.message = park_scan.error
        except Exception as exc:  # one park's failure must not stop the queue
            logger.exception("scan request %s for park %s failed", request.pk, request.park_id)
            request.status = ScanRequest.Status.FAILED
            request.message = str(exc)
        request.finished_at = timezone.now()
        request.save()
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
            time.sleep(interval_s)

    thread = threading.Thread(target=loop, name="scan-worker", daemon=True)
    thread.start()
    return thread
