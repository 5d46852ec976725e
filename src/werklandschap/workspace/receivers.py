"""Hooks into other apps' events: a stored scan, a log-in."""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from werklandschap.scans.signals import park_scans_stored

from .language import remember_language

logger = logging.getLogger("werklandschap.workspace")


@receiver(park_scans_stored, dispatch_uid="workspace.scan_ready_mail")
def mail_scan_ready(sender, park_scans, **kwargs) -> None:
    """Sent by scans.services.ingest_results after its transaction committed."""
    from .mail import send_scan_ready

    for park_scan in park_scans:
        send_scan_ready(park_scan)


@receiver(user_logged_in, dispatch_uid="workspace.remember_language")
def remember_login_language(sender, request, user, **kwargs) -> None:
    """The language of the log-in page is the one to write to this user in."""
    if request is not None:
        remember_language(user, getattr(request, "LANGUAGE_CODE", None))
