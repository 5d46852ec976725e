"""Rate limit for anonymous API callers (kept apart from base.py: REST framework imports
its throttle classes while its own views module loads)."""

from __future__ import annotations

from django.conf import settings
from rest_framework import throttling


class AnonRateThrottle(throttling.AnonRateThrottle):
    """REST framework's anonymous throttle with its rate from settings.API_ANON_RATE,
    read per request (REST framework reads its rates once, at import)."""

    def get_rate(self) -> str | None:
        return settings.API_ANON_RATE or None
