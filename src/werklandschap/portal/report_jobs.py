"""PDF reports made in the background and kept per scan and language.

Rendering a report takes 17-32 s for a large park; inside a web request that
ran into the server's worker timeout (HTTP 500) as soon as a few people asked
at once. So the web request only calls :func:`request_report`, which queues a
:class:`~.models.ReportJob` (at most one per scan and language: the database's
unique key decides between simultaneous requests) and the scan queue's worker
calls :func:`run_pending_reports`, which renders queued jobs one by one and
stores the file under ``HOME_DIR/reports``.

Rules:

- the finished file is served as long as the scan is the park's latest and
  the park's own ambitions and details (``source_stamp``) are unchanged; a
  changed stamp queues the same job again, a new scan gets a new job;
- a job claimed by a worker that died (server stopped mid-render) is queued
  again once its lease (``REPORT_LEASE_S``) has expired, at most
  ``MAX_ATTEMPTS`` times, then it is marked failed;
- a failed job stays failed until someone asks again explicitly
  (:func:`retry`), so a report that cannot be made is not rendered in a loop;
- when a report is finished, the reports of the park's older scans are
  deleted, files and rows.
"""

from __future__ import annotations

import logging
import os
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from werklandschap.registry.models import Park
from werklandschap.scans.models import ParkScan
from werklandschap.scans.services import latest_scan

from . import report
from .models import ReportJob

logger = logging.getLogger("werklandschap.portal")

MAX_ATTEMPTS = 3
Status = ReportJob.Status


def reports_dir() -> Path:
    path = Path(settings.HOME_DIR) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def report_language(language: str | None) -> str:
    """One of the site's languages (``en-us`` -> ``en``), else the default."""
    code = (language or "").split("-")[0].lower()
    known = {c for c, _ in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def source_stamp(park: Park) -> str:
    """What a report shows besides the scan: the park's details and own ambitions.

    Ambitions are rows added per change, so the newest row's id changes with
    every change; ``updated_at`` changes with every edit of the park.
    """
    last_ambition = park.ambitions.order_by("-id").values_list("id", flat=True).first() or 0
    return f"{park.updated_at.isoformat()}|ambition:{last_ambition}"


def report_file(job: ReportJob) -> Path | None:
    """The job's finished file, if it is there and inside the reports directory."""
    if job.status != Status.DONE or not job.file_path:
        return None
    path = Path(job.file_path)
    root = reports_dir().resolve()
    try:
        resolved = path.resolve(strict=True)
    except OSError:
        return None
    if not resolved.is_relative_to(root) or not resolved.is_file():
        return None
    return resolved


def _requeue(job: ReportJob, *, from_status: str, **match) -> bool:
    """Put the job back in the queue if nobody changed it since we read it."""
    return bool(
        ReportJob.objects.filter(pk=job.pk, status=from_status, **match).update(
            status=Status.QUEUED,
            queued_at=timezone.now(),
            started_at=None,
            finished_at=None,
            attempts=0,
            error="",
        )
    )


def request_report(park: Park, scan: ParkScan, language: str, *, by=None) -> ReportJob:
    """The report job of (scan, language), queued if there is no usable file yet.

    Idempotent and safe under concurrency: simultaneous calls get the same
    row (unique key plus IntegrityError path). Never renders anything.
    """
    language = report_language(language)
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            job, created = ReportJob.objects.get_or_create(
                scan=scan, language=language, defaults={"requested_by": user}
            )
    except IntegrityError:
        # The other request's row was committed between our look-up and insert
        # on a database that does not make the insert wait (SQLite).
        job, created = ReportJob.objects.get(scan=scan, language=language), False
    if created:
        logger.info("report of scan %s (%s) queued", scan.pk, language)
        return job
    if job.status == Status.DONE and (job.stamp != source_stamp(park) or report_file(job) is None):
        # Ambitions or park details changed since, or the file is gone.
        _requeue(job, from_status=Status.DONE, stamp=job.stamp, file_path=job.file_path)
        job.refresh_from_db()
    return job


def retry(job: ReportJob) -> ReportJob:
    """Queue a failed job again (someone asked explicitly)."""
    _requeue(job, from_status=Status.FAILED)
    job.refresh_from_db()
    return job


def queue_position(job: ReportJob) -> int:
    """How many jobs are before this one (0 = next or running)."""
    if job.status != Status.QUEUED:
        return 0
    return (
        ReportJob.objects.filter(status__in=(Status.QUEUED, Status.RUNNING))
        .filter(queued_at__lte=job.queued_at)
        .exclude(pk=job.pk)
        .count()
    )


# --------------------------------------------------------------------------- worker


def requeue_expired(now=None) -> int:
    """Jobs whose worker died mid-render: queue them again, or fail after MAX_ATTEMPTS."""
    now = now or timezone.now()
    deadline = now - timedelta(seconds=settings.REPORT_LEASE_S)
    count = 0
    for job in ReportJob.objects.filter(status=Status.RUNNING, started_at__lt=deadline):
        same = {"status": Status.RUNNING, "started_at": job.started_at, "attempts": job.attempts}
        if job.attempts >= MAX_ATTEMPTS:
            changed = ReportJob.objects.filter(pk=job.pk, **same).update(
                status=Status.FAILED,
                finished_at=now,
                error=f"Afgebroken na {job.attempts} pogingen (lease verlopen).",
            )
        else:
            changed = ReportJob.objects.filter(pk=job.pk, **same).update(
                status=Status.QUEUED, queued_at=now, started_at=None
            )
        if changed:
            logger.warning("report job %s: lease expired after attempt %s", job.pk, job.attempts)
            count += 1
    return count


def claim_next() -> ReportJob | None:
    """Take the oldest queued job; a conditional update, so two workers never share one."""
    while True:
        candidates = list(
            ReportJob.objects.filter(status=Status.QUEUED)
            .order_by("queued_at", "id")
            .values_list("pk", flat=True)[:10]
        )
        if not candidates:
            return None
        for pk in candidates:
            claimed = ReportJob.objects.filter(pk=pk, status=Status.QUEUED).update(
                status=Status.RUNNING,
                started_at=timezone.now(),
                finished_at=None,
                attempts=F("attempts") + 1,
                error="",
            )
            if claimed:
                return ReportJob.objects.select_related("scan__park", "scan__run").get(pk=pk)


def _remove(path: str | Path | None) -> None:
    if not path:
        return
    try:
        Path(path).unlink(missing_ok=True)
    except OSError:
        logger.warning("could not delete old report %s", path)


def purge_older_reports(park: Park, keep: ParkScan) -> int:
    """Delete the reports (files and rows) of the park's scans other than ``keep``."""
    old = list(ReportJob.objects.filter(scan__park=park).exclude(scan=keep))
    for job in old:
        _remove(job.file_path)
    ReportJob.objects.filter(pk__in=[j.pk for j in old]).delete()
    return len(old)


def _write(job: ReportJob, pdf: bytes) -> Path:
    """Write atomically under a name no earlier job can have used (ids may be reused)."""
    scan = job.scan
    name = f"{scan.park.slug}-scan{scan.pk}-{job.language}-{uuid.uuid4().hex[:12]}.pdf"
    path = reports_dir() / name
    tmp = path.with_suffix(".part")
    tmp.write_bytes(pdf)
    os.replace(tmp, path)
    return path


def render_job(job: ReportJob) -> None:
    """Render one claimed job and store the outcome (only if the claim is still ours)."""
    scan, park = job.scan, job.scan.park
    mine = {"status": Status.RUNNING, "attempts": job.attempts}
    current = latest_scan(park)
    if current is None or current.pk != scan.pk:
        # A newer scan came in while this job waited: nobody will ask for it.
        _remove(job.file_path)
        ReportJob.objects.filter(pk=job.pk, **mine).delete()
        return
    stamp = source_stamp(park)
    try:
        pdf = report.render_pdf(park, scan, language=job.language)
        path = _write(job, pdf)
    except Exception as exc:  # one report's failure must not stop the worker
        logger.exception("report job %s (scan %s) failed", job.pk, scan.pk)
        ReportJob.objects.filter(pk=job.pk, **mine).update(
            status=Status.FAILED, finished_at=timezone.now(), error=str(exc)[:2000]
        )
        return
    done = ReportJob.objects.filter(pk=job.pk, **mine).update(
        status=Status.DONE, file_path=str(path), stamp=stamp, finished_at=timezone.now()
    )
    if not done:  # lease expired and someone else took it over, or the job was deleted
        _remove(path)
        return
    if job.file_path and job.file_path != str(path):
        _remove(job.file_path)  # the previous file of this job (stale ambitions)
    purge_older_reports(park, keep=scan)
    logger.info("report of scan %s (%s) written: %s", scan.pk, job.language, path.name)


def run_pending_reports(limit: int | None = 1) -> int:
    """One step of the worker: recover expired claims, render up to ``limit`` jobs.

    Called by the scan queue's loop (``serve`` and ``scan --pending --watch``)
    after each pass over the scan requests; ``limit=1`` keeps a burst of
    report requests from holding up new scans for long.
    """
    requeue_expired()
    handled = 0
    while limit is None or handled < limit:
        job = claim_next()
        if job is None:
            break
        handled += 1
        render_job(job)
    return handled
