"""Shared set-up of the API tests: a stored scan without running the engine."""

from __future__ import annotations

from werklandschap.registry.models import Park
from werklandschap.scanengine.catalog import HEADLINE, INDICATORS, THEMES
from werklandschap.scans.models import ParkScan, ScanRun


def stored_scan(park: Park, *, value: float = 12.5, secret: float = 77.25) -> ParkScan:
    """A successful scan of ``park``: every headline indicator ``value``; one indicator
    outside the headline carries ``secret`` (it must not reach public outputs)."""
    run = ScanRun.objects.create(
        bundle_name="testbundel",
        engine_version="test",
        status=ScanRun.Status.COMPLETED,
        is_synthetic=True,
    )
    indicators = {
        key: {"status": "ok", "value": value, "unit": INDICATORS[key].unit} for key in HEADLINE
    }
    hidden = next(k for k in INDICATORS if k not in HEADLINE)
    indicators[hidden] = {"status": "ok", "value": secret, "unit": INDICATORS[hidden].unit}
    return ParkScan.objects.create(
        run=run,
        park=park,
        status=ParkScan.Status.OK,
        indicators=indicators,
        scores=dict.fromkeys(THEMES, 61.0),
        completeness="complete",
    )
