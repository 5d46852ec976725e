"""Facts about an HTTP request that several defences need, decided in one place."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def base_url(request: HttpRequest) -> str:
    """The site's absolute root as this request reached it, for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")


def form_error_codes(form) -> str:
    """Which fields of a refused form failed and why (codes), never what was typed:
    the log line of a refused public form carries no personal data."""
    return "; ".join(
        f"{name}: {','.join(e.code or 'invalid' for e in errors.as_data())}"
        for name, errors in form.errors.items()
    )


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address of the client, for login throttling and sign-up limits.

    By default ``REMOTE_ADDR``: the peer of the connection, which a client
    cannot forge. Behind a reverse proxy every request comes from the proxy,
    so set ``TRUSTED_PROXY_COUNT`` to the number of proxies in front of the
    application: the address is then taken from ``X-Forwarded-For``, counted
    from the right (the entries our own proxies appended), never from its
    left end, which the client writes. A missing, short or malformed header
    falls back to ``REMOTE_ADDR``.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return _valid_ip(forwarded[-proxies]) or remote
