"""Middleware for logged-in users: session time limits and no caching of private pages."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from . import sessions

logger = logging.getLogger("werklandschap.accounts")

PRIVATE_CACHE_CONTROL = "private, no-store"


class SessionTimeoutMiddleware:
    """Log out sessions past their absolute or idle limit (see ``sessions``).

    Runs after the authentication and message middleware. The request then
    continues as an anonymous one: a private page sends the visitor to the
    login page, a public page is simply shown, with a message either way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = sessions.expiry_reason(request.session, user)
            if reason is not None:
                logger.info("session of user %s ended (%s timeout)", user.pk, reason)
                logout(request)
                if reason == "idle":
                    text = _("U was te lang niet actief en bent uitgelogd. Log opnieuw in.")
                else:
                    text = _("Uw sessie is verlopen. Log opnieuw in.")
                messages.info(request, text)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Every response to a logged-in user: ``Cache-Control: private, no-store``.

    Pages for logged-in users show personal data (e-mail addresses in the
    review queue, a park's dashboard and downloads, the admin). Marking each
    view would be easy to forget on the next one; doing it here covers them
    all. A view that sets Cache-Control itself (e.g. public map data with an
    ETag) keeps its own header. Pages for anonymous visitors are untouched:
    they show public data only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response
