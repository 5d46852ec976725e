"""Whether a park's scan is queued, running or failed: the dashboard's banner and its poll."""

from __future__ import annotations

from typing import Any

from werklandschap.registry.models import Park
from werklandschap.scans.models import ParkScan, ScanRequest


def scan_state(park: Park, scan: ParkScan | None) -> dict[str, Any]:
    """Whether a scan is queued or running, or the last attempt failed (and why)."""
    open_request = (
        park.scan_requests.filter(
            status__in=[ScanRequest.Status.PENDING, ScanRequest.Status.RUNNING]
        )
        .order_by("-requested_at")
        .first()
    )
    last_failed = (
        park.scans.filter(status=ParkScan.Status.FAILED)
        .select_related("run")
        .order_by("-computed_at")
    ).first()
    if last_failed and scan and last_failed.computed_at < scan.computed_at:
        last_failed = None
    return {
        "pending": open_request is not None,
        "request": open_request,
        "failed": last_failed,
    }
