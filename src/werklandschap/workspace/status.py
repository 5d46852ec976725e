"""Where a park stands: its scan, its report and its ambitions, in a few queries.

Plain functions over the models, shared by every section that lists parks
(a park contact's own parks, a director's region, a province).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from werklandschap.portal.models import ParkAmbition, ReportJob
from werklandschap.registry.models import Park
from werklandschap.scans.models import ParkScan, ScanRequest


class ScanState:
    """What happened last to a park's baseline scan (a key and its label)."""

    NONE = "none"
    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"

    LABELS = {
        NONE: _("Nog geen nulmeting"),
        QUEUED: _("Nulmeting in de wachtrij"),
        RUNNING: _("Nulmeting wordt berekend"),
        READY: _("Nulmeting klaar"),
        FAILED: _("Nulmeting mislukt"),
    }


@dataclass
class ParkStatus:
    park: Park
    scan_state: str
    scanned_at: datetime | None  # the latest successful scan
    report_ready: bool = False
    report_state: str = ""  # ReportJob.Status of the latest scan's report, "" if none
    ambitions: int = 0  # indicators with a target set

    @property
    def scan_label(self) -> str:
        return str(ScanState.LABELS[self.scan_state])


def park_statuses(parks, *, details: bool = False) -> list[ParkStatus]:
    """The scan state of each park; with ``details`` also its report and ambitions.

    A queued or running request wins over an older result (a new scan is on its
    way); a failed request counts only when it is newer than the last result.
    """
    parks = list(parks)
    ids = [p.pk for p in parks]
    latest_ok = dict(
        ParkScan.objects.filter(park_id__in=ids, status=ParkScan.Status.OK)
        .values("park_id")
        .annotate(at=Max("computed_at"))
        .values_list("park_id", "at")
    )
    requests: dict[int, ScanRequest] = {}
    for request in ScanRequest.objects.filter(park_id__in=ids).order_by("requested_at", "pk"):
        requests[request.park_id] = request  # the newest per park wins
    result = []
    for park in parks:
        scanned_at = latest_ok.get(park.pk)
        request = requests.get(park.pk)
        state = ScanState.READY if scanned_at else ScanState.NONE
        if request is not None:
            if request.status == ScanRequest.Status.PENDING:
                state = ScanState.QUEUED
            elif request.status == ScanRequest.Status.RUNNING:
                state = ScanState.RUNNING
            elif request.status == ScanRequest.Status.FAILED and (
                scanned_at is None or request.requested_at > scanned_at
            ):
                state = ScanState.FAILED
        result.append(ParkStatus(park=park, scan_state=state, scanned_at=scanned_at))
    if details and result:
        _add_details(result)
    return result


def _add_details(statuses: list[ParkStatus]) -> None:
    ids = [s.park.pk for s in statuses]
    ambitions = dict(
        ParkAmbition.objects.filter(park_id__in=ids, target__isnull=False)
        .values("park_id")
        .annotate(n=Count("pk"))
        .values_list("park_id", "n")
    )
    latest_scan_ids = {}
    for scan in ParkScan.objects.filter(park_id__in=ids, status=ParkScan.Status.OK).order_by(
        "computed_at", "pk"
    ):
        latest_scan_ids[scan.park_id] = scan.pk
    jobs: dict[int, list[str]] = {}
    for scan_id, status in ReportJob.objects.filter(
        scan_id__in=latest_scan_ids.values()
    ).values_list("scan_id", "status"):
        jobs.setdefault(scan_id, []).append(status)
    for s in statuses:
        s.ambitions = ambitions.get(s.park.pk, 0)
        states = jobs.get(latest_scan_ids.get(s.park.pk), [])
        s.report_ready = ReportJob.Status.DONE in states
        for candidate in (
            ReportJob.Status.DONE,
            ReportJob.Status.RUNNING,
            ReportJob.Status.QUEUED,
            ReportJob.Status.FAILED,
        ):
            if candidate in states:
                s.report_state = candidate
                break


def scan_state_counts(statuses: list[ParkStatus]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in statuses:
        counts[s.scan_state] = counts.get(s.scan_state, 0) + 1
    return counts


def signups_awaiting_review(parks) -> dict[int, int]:
    """Confirmed sign-ups awaiting the programme team's decision, per park of ``parks``.

    Counts only: the sign-ups hold applicants' addresses, which stay with the
    programme team (accounts.policies.can_review_applications).
    """
    from werklandschap.partnership.models import PartnerApplication

    rows = (
        PartnerApplication.objects.awaiting_review()
        .filter(park__in=parks)
        .values("park_id")
        .annotate(n=Count("pk"))
        .values_list("park_id", "n")
    )
    return dict(rows)


def proposed_parks_awaiting_review(region) -> list[str]:
    """Names of new parks (not yet in the registry) proposed in ``region`` and awaiting review.

    A proposed park has only its drawn outline; its region follows from the
    municipality holding most of it (registry.services.municipality_for). Names
    only, no applicant data. The queue is short, so the overlay per sign-up is cheap.
    """
    from werklandschap.partnership.models import PartnerApplication
    from werklandschap.registry.services import municipality_for

    names = []
    for application in PartnerApplication.objects.awaiting_review().filter(
        park__isnull=True, joined_to__isnull=True
    ):
        if application.geometry is None or application.geometry.is_empty:
            continue
        municipality = municipality_for(application.geometry).municipality
        if municipality is not None and municipality.region_id == region.pk:
            names.append(application.proposed_name)
    return sorted(names)
