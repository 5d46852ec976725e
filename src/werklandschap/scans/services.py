"""Running the scan engine over the registry and storing its results.

The engine (``werklandschap.scanengine``) knows nothing of Django: it reads
parks and a data bundle and writes one JSON line per park as it goes. This
module feeds it the registry's parks, records the run, and ingests the
lines, so an interrupted run can be resumed without recomputing parks.
"""

from __future__ import annotations

import json
import logging
import signal
import uuid
from pathlib import Path
from typing import NoReturn

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from werklandschap import scanengine
from werklandschap.registry.models import Park
from werklandschap.scanengine.batch import Terminated

from .models import ParameterSet, ParkScan, ScanRequest, ScanRun
from .signals import park_scans_stored, scan_run_finished

logger = logging.getLogger(__name__)


def results_dir() -> Path:
    path = Path(settings.HOME_DIR) / "scans"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_results_path(run: ScanRun) -> Path:
    """A results file that no earlier run can have written.

    Run ids alone are not enough: a database that is rebuilt (or SQLite
    reusing ids after a rolled-back transaction) would make a new run "resume"
    an old run's file and take over its results.
    """
    return results_dir() / f"run-{run.pk}-{uuid.uuid4().hex[:12]}.jsonl"


def record_parameters() -> str:
    """Store this process's parameter values (once per digest); returns the digest.

    Called by whatever computes or stores results (starting, resuming or ingesting a
    run), so every digest a result line carries has its values stored beside it.
    """
    digest = scanengine.parameters_digest()
    if not ParameterSet.objects.filter(digest=digest).exists():
        try:
            with transaction.atomic():
                ParameterSet.objects.create(digest=digest, values=scanengine.parameters_snapshot())
        except IntegrityError:
            pass  # another worker stored the same values first
    return digest


def stored_parameters(digest: str) -> dict | None:
    """The parameter values stored for ``digest`` (``{"scores.yaml": {...}, ...}``), or None."""
    if not digest:
        return None
    return ParameterSet.objects.filter(digest=digest).values_list("values", flat=True).first()


def start_run(manifest: Path, *, parameters: dict | None = None, by=None) -> ScanRun:
    """Validate the bundle (failing before anything is stored) and open a run."""
    bundle = scanengine.load_bundle(manifest)
    description = bundle.describe()
    run = ScanRun.objects.create(
        bundle_name=str(description.get("name") or Path(manifest).stem),
        bundle=description,
        is_synthetic=bool(description.get("synthetic", False)),
        engine_version=scanengine.ENGINE_VERSION,
        parameters_digest=record_parameters(),
        parameters=parameters or {},
        started_by=by,
    )
    run.results_path = str(new_results_path(run))
    run.save(update_fields=["results_path"])
    return run


def execute_run(
    run: ScanRun,
    parks,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    progress: bool = True,
) -> ScanRun:
    """Scan ``parks`` into the run's results file, then store them. Resumable.

    Raises :class:`RunInterrupted` (a KeyboardInterrupt) after storing the parks
    done so far and marking the run interrupted, when stopped by Ctrl+C or SIGTERM.
    """
    items = [(str(p.pk), p.geometry) for p in parks if p.geometry is not None]
    run.parks_total = len(items)
    run.save(update_fields=["parks_total"])
    manifest = run.bundle.get("manifest")
    record_parameters()  # a resumed run may compute with other values than it started with
    try:
        summary = scanengine.run_batch(
            items,
            manifest,
            run.results_path,
            workers=workers,
            scheduler=scheduler,
            resume=True,
            progress=progress,
            params=run.parameters or None,
        )
    except KeyboardInterrupt as exc:
        _interrupted(run, signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT)
    except Exception as exc:
        logger.exception("scan run %s failed", run.pk)
        ingest_results(run)
        _finish(run, ScanRun.Status.FAILED, str(exc))
        raise
    if summary.interrupted:
        # run_batch stops cleanly on Ctrl+C/SIGTERM and says so; the run is not
        # complete, whatever the parks done so far say.
        _interrupted(run, summary.interrupt_signal or signal.SIGINT)
    ingest_results(run)
    _finish(run, ScanRun.Status.COMPLETED, "")
    return run


class RunInterrupted(KeyboardInterrupt):
    """A run stopped by Ctrl+C (SIGINT) or SIGTERM; it is stored as interrupted."""

    def __init__(self, run: ScanRun, signum: int):
        super().__init__(run.message)
        self.run = run
        self.signum = int(signum)


def _interrupted(run: ScanRun, signum: int) -> NoReturn:
    ingest_results(run)
    _finish(run, ScanRun.Status.INTERRUPTED, f"Onderbroken; hervat met --resume {run.pk}.")
    raise RunInterrupted(run, signum)


def _finish(run: ScanRun, status: str, message: str) -> None:
    run.status = status
    run.message = message
    run.finished_at = timezone.now()
    run.parks_ok = run.park_scans.filter(status=ParkScan.Status.OK).count()
    run.parks_failed = run.park_scans.filter(status=ParkScan.Status.FAILED).count()
    run.save()
    for receiver, result in scan_run_finished.send_robust(sender=ScanRun, run=run):
        if isinstance(result, Exception):
            logger.error("scan_run_finished receiver %r failed: %r", receiver, result)


@transaction.atomic
def ingest_results(run: ScanRun) -> int:
    """Store every complete line of the run's results file (idempotent per park)."""
    path = Path(run.results_path)
    if not path.is_file():
        return 0
    record_parameters()
    existing = set(run.park_scans.values_list("park_id", flat=True))
    valid_parks = set(Park.objects.values_list("pk", flat=True))
    new = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut off by an interruption; the park is rescanned on resume
            park_id = int(row["park_id"])
            if park_id in existing or park_id not in valid_parks:
                continue
            new.append(
                ParkScan(
                    run=run,
                    park_id=park_id,
                    status=ParkScan.Status.OK
                    if row.get("status") == "ok"
                    else ParkScan.Status.FAILED,
                    error=row.get("error") or "",
                    area_ha=row.get("area_ha"),
                    indicators=row.get("indicators") or {},
                    scores=row.get("scores") or {},
                    completeness=row.get("completeness") or "",
                    completeness_reason=row.get("completeness_reason") or "",
                    score_basis=row.get("score_basis") or {},
                    parameters_digest=row.get("parameters_digest") or "",
                )
            )
            existing.add(park_id)
    ParkScan.objects.bulk_create(new, batch_size=500)
    _announce_after_commit(run, [s.park_id for s in new if s.status == ParkScan.Status.OK])
    return len(new)


def _announce_after_commit(run: ScanRun, park_ids: list[int]) -> None:
    """Send ``signals.park_scans_stored`` for these parks' new scans once committed."""
    if not park_ids:
        return

    def announce() -> None:
        scans = list(run.park_scans.filter(park_id__in=park_ids).select_related("park"))
        for receiver, result in park_scans_stored.send_robust(
            sender=ScanRun, run=run, park_scans=scans
        ):
            if isinstance(result, Exception):
                logger.error("park_scans_stored receiver %r failed: %r", receiver, result)

    transaction.on_commit(announce, robust=True)


def latest_scan(park: Park) -> ParkScan | None:
    """The park's most recent successful scan, if any."""
    return (
        park.scans.filter(status=ParkScan.Status.OK)
        .select_related("run")
        .order_by("-computed_at")
        .first()
    )


def request_scan(park: Park, *, by=None, reason: str = "") -> ScanRequest:
    """Queue a baseline scan of ``park`` (one open request per park at a time)."""
    open_request = park.scan_requests.filter(
        status__in=[ScanRequest.Status.PENDING, ScanRequest.Status.RUNNING]
    ).first()
    if open_request:
        return open_request
    return ScanRequest.objects.create(park=park, requested_by=by, reason=reason[:200])
