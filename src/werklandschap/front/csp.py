"""The Content-Security-Policy of the site (django-csp), plus the map's tile origin.

The policy itself is the ``CONTENT_SECURITY_POLICY`` setting (conf/settings/base.py):
scripts and styles only from the site's own static files, no inline script, no
``eval``, nothing may frame the site. The one thing that depends on other settings
is where the background map's tiles come from (``MAP_TILE_URL``): this middleware
adds that origin to ``img-src`` when the response is built, so an operator who
points the map at another tile service (or a test that overrides the setting)
never has to edit the policy by hand, and a policy never allows more origins
than the one tile service in use.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def tile_origin(url: str) -> str | None:
    """The CSP source expression of a Leaflet tile URL template, or None.

    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` becomes
    ``https://*.tile.example.org`` (Leaflet's subdomain placeholder); any
    other placeholder in the host, or a URL that is not http(s), is refused
    rather than widened to a wildcard.
    """
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    if host.startswith("{s}."):
        host = "*." + host[4:]
    if "{" in host or "}" in host or "*" in host[1:]:
        return None
    return f"{parts.scheme}://{host}"


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware; ``img-src`` also allows the current tile origin."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        origin = tile_origin(getattr(settings, "MAP_TILE_URL", ""))
        if origin:
            update = dict(parts.update or {})
            img = update.get("img-src") or ()
            img = (img,) if isinstance(img, str) else tuple(img)
            update["img-src"] = (*img, origin)
            parts.update = update
        return parts
