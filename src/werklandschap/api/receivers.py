"""Regenerate the open-data downloads when a batch scan run ends (issue 21).

"Regenerated after each batch scan": a batch run is one started by ``werklandschap
scan --all | --park | --resume`` (or the demo), i.e. run through
``scans.services.execute_run``, which ends in ``_finish`` and sends
``scans.signals.scan_run_finished``. A queued scan of one park (a park just approved
as partner park; ``scans/queue.py``) stores its own one-park ScanRun without that
signal, so the scan worker never spends the seconds of rewriting every file (2.3 to
3.4 s at 3,800 parks, measured 2026-12-02) for one park's figures. That park
reaches the files at the next batch run, or at once with ``werklandschap manage
open_data``; the files say when they were written (``opendata.py``), so the lag is
visible, and docs/api.md describes it.
Guarded by tests/api/test_open_data_batch_only.py.
"""

from __future__ import annotations

import logging

from django.dispatch import receiver

from werklandschap.scans.signals import scan_run_finished

from . import opendata

logger = logging.getLogger(__name__)


@receiver(scan_run_finished, dispatch_uid="api.regenerate_open_data")
def regenerate_open_data(sender, run, **kwargs) -> None:
    """New figures are published at once; a failure is logged, never raised into the run."""
    try:
        opendata.regenerate()
    except Exception:
        logger.exception("open data could not be regenerated after scan run %s", run.pk)
