"""Regenerate the open-data downloads when a batch scan run ends (issue 21)."""

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
