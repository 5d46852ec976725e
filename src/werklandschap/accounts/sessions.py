"""How long a log-in lasts (ASVS 3.3.2, level 2).

* Every session ends ``SESSION_ABSOLUTE_TIMEOUT`` seconds after the log-in
  (12 hours by default), however active it is: a stolen or forgotten session
  does not live on.
* Sessions of privileged users (staff, superusers, the programme team, who
  see every park's personal data and the admin) also end after
  ``SESSION_IDLE_TIMEOUT_STAFF`` seconds without a request (30 minutes).

Django's own ``SESSION_COOKIE_AGE`` restarts whenever the session is saved,
so it cannot give an absolute limit; the time of the log-in is therefore
kept in the session itself and checked on every request by
``middleware.SessionTimeoutMiddleware``.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .roles import Role, roles_of

logger = logging.getLogger("werklandschap.accounts")

AUTH_AT = "werklandschap_auth_at"  # epoch seconds of the log-in
SEEN_AT = "werklandschap_seen_at"  # epoch seconds of the latest request (privileged users)
# The idle clock is written at most this often, not on every request.
SEEN_WRITE_INTERVAL = 60


def absolute_timeout() -> int:
    return int(settings.SESSION_ABSOLUTE_TIMEOUT)


def idle_timeout() -> int:
    return int(settings.SESSION_IDLE_TIMEOUT_STAFF)


def is_privileged(user) -> bool:
    """Users whose idle sessions end early: staff, superusers and the programme team."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or Role.PROGRAMME_TEAM in roles_of(user)


@receiver(user_logged_in, dispatch_uid="werklandschap-session-clock")
def start_session_clock(sender, request=None, user=None, **kwargs) -> None:
    """Start the absolute and idle clocks at the log-in (the session key is new by now)."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[AUTH_AT] = now
    request.session[SEEN_AT] = now


def expiry_reason(session, user, now: float | None = None) -> str | None:
    """Why this logged-in session has ended (``"absolute"`` / ``"idle"``); None if it has not.

    Updates the idle clock of a live session. A session from before this
    rule (no log-in time stored) starts its clocks now.
    """
    now = time.time() if now is None else now
    auth_at = session.get(AUTH_AT)
    if not isinstance(auth_at, int | float):
        session[AUTH_AT] = auth_at = now
    if now - auth_at > absolute_timeout():
        return "absolute"
    if is_privileged(user):
        seen_at = session.get(SEEN_AT)
        if not isinstance(seen_at, int | float):
            seen_at = now
            session[SEEN_AT] = now
        if now - seen_at > idle_timeout():
            return "idle"
        if now - seen_at >= SEEN_WRITE_INTERVAL:
            session[SEEN_AT] = now
    return None
