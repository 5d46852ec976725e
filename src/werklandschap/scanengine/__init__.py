"""Baseline scan engine (nulmeting) of Werklandschappen van de Toekomst.

Framework-free (no Django): pure functions from park geometries and a data bundle
to indicators, theme scores and gaps to ambition. Public API:

- ``ENGINE_VERSION``
- ``parameters_digest()``, ``parameters_snapshot()``: which parameter values a result used
- ``load_bundle(manifest_path) -> Bundle``; ``Bundle.describe()``
- ``scan_park(park_id, geometry, bundle, *, crs, params) -> dict``
- ``ambition_gaps(result, targets)``, ``default_ambitions()``
- ``run_batch(parks, bundle_path, out_path, *, workers, scheduler, resume, progress)``
- ``cli.main(argv)``; ``synthetic.make_bundle(parks, out_dir, seed=0)``

Method per indicator: docs/scan-method.md.
"""

from __future__ import annotations

# 1.1.0: flood thresholds compared at float32 for buildings too; raster windows reach
# the zones of buildings sticking out of the park (both change flood_buildings_*)
# 1.2.0: one indicator catalogue (data/scan/indicators.yaml); a not-available
# indicator, theme score basis and ambition gap carry `reason_code` and
# `reason_params` next to the English `reason` sentence (values unchanged)
ENGINE_VERSION = "1.2.0"

# ENGINE_VERSION is defined before these imports: engine.py reads it.
from .ambition import ambition_gaps, default_ambitions  # noqa: E402
from .batch import BatchSummary, run_batch  # noqa: E402
from .bundle import Bundle, load_bundle  # noqa: E402
from .config import parameters_digest, parameters_snapshot  # noqa: E402
from .engine import scan_park  # noqa: E402
from .errors import BundleError, ParkError, ScanError  # noqa: E402

__all__ = [
    "ENGINE_VERSION",
    "BatchSummary",
    "Bundle",
    "BundleError",
    "ParkError",
    "ScanError",
    "ambition_gaps",
    "default_ambitions",
    "load_bundle",
    "parameters_digest",
    "parameters_snapshot",
    "run_batch",
    "scan_park",
]
