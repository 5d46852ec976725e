"""Middleware shared by every app."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger("werklandschap.security")


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than ``REQUEST_MAX_BODY_BYTES``.

    Django reads no more than Content-Length bytes of a body, so checking the
    header before anything touches ``request.POST`` or ``request.FILES`` caps
    what a client can make the server read, spool or parse. A 200 MB upload
    is answered at once with 413 instead of being written to a temporary file
    first. Without Content-Length (chunked), WSGI servers give Django no body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(settings.REQUEST_MAX_BODY_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            logger.warning(
                "request body refused: %s bytes > %s for %s", length, limit, request.path
            )
            message = _(
                "Het verzonden bestand of formulier is te groot (%(size)s MB); het maximum is "
                "%(max)s MB. Ga terug en kies een kleiner bestand."
            ) % {"size": f"{length / 1_048_576:.1f}", "max": f"{limit / 1_048_576:.0f}"}
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"
            return response
        return self.get_response(request)
