"""Hand-made scans for tests whose expected values are computed by hand.

The values are written with the engine's own ``catalog.entry`` so that the
stored dict has exactly the engine's format (unit, theme, label, status,
reason, source, method); only the numbers are chosen by the test.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from werklandschap.scanengine import ENGINE_VERSION
from werklandschap.scanengine.catalog import entry
from werklandschap.scanengine.scores import theme_scores
from werklandschap.scans.models import ParkScan, ScanRun


def indicators(values: dict[str, float | None], source: str = "Handmatige testbron (2025)") -> dict:
    """Engine-format indicators; None = not available with a reason."""
    return {
        key: entry(key, value, source=source, reason="no heat map (PET raster) in the data bundle")
        for key, value in values.items()
    }


def store_scan(
    park,
    values: dict[str, float | None],
    *,
    area_ha: float = 10.0,
    when: dt.datetime | None = None,
    status: str = ParkScan.Status.OK,
    synthetic: bool = False,
) -> ParkScan:
    """One run with one park scan holding ``values``."""
    inds = indicators(values)
    run = ScanRun.objects.create(
        bundle_name="Testbundel",
        bundle={"name": "Testbundel", "version": "t1", "date": "2025-01-01", "layers": []},
        is_synthetic=synthetic,
        engine_version=ENGINE_VERSION,
        status=ScanRun.Status.COMPLETED,
    )
    scan = ParkScan.objects.create(
        run=run,
        park=park,
        status=status,
        area_ha=area_ha,
        indicators=inds if status == ParkScan.Status.OK else {},
        scores=theme_scores(inds) if status == ParkScan.Status.OK else {},
    )
    if when is not None:
        ParkScan.objects.filter(pk=scan.pk).update(computed_at=when)
        scan.refresh_from_db()
    return scan


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)
