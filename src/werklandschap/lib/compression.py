"""Gzip for the platform's data responses, never for its HTML pages (issue 16).

The dashboard's land-cover GeoJSON is up to ~900 KB uncompressed and ~10x
smaller gzipped; the registry's map data and CSV downloads compress as well.

BREACH: a compressed response that carries a secret next to text an attacker
can inject (a reflected search term) leaks the secret through its size. The
HTML pages carry CSRF tokens (Django masks them per response, a mitigation
already) and reflect query parameters, so they are left uncompressed. The data
types compressed here carry no token or session secret. Django's
GZipMiddleware also pads the gzip header with random bytes ("Heal the Breach"),
which we keep. Static files are compressed ahead of time by WhiteNoise and
never reach this middleware (it sits after WhiteNoise).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

# Compressed content types (the part before any ";"). Not text/html.
COMPRESSIBLE_TYPES = frozenset(
    {
        "application/json",
        "application/geo+json",
        "text/csv",
        "image/svg+xml",
    }
)


def _media_type(response: HttpResponse) -> str:
    return response.get("Content-Type", "").split(";", 1)[0].strip().lower()


class DataGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, applied only to ``COMPRESSIBLE_TYPES``."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _media_type(response) not in COMPRESSIBLE_TYPES:
            return response
        return super().process_response(request, response)
