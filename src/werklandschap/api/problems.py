"""Errors as problem details (RFC 9457, ``application/problem+json``).

The NLGov API Design Rules ask every error of an API to be a problem document
with at least ``status``, ``title`` and ``detail``. REST framework's exceptions
(400, 401, 403, 404, 405, 406, 429) pass through :func:`exception_handler`;
a URL under ``/api/`` that matches nothing gets :func:`not_found`, and any
other exception is turned into a 500 problem by ``base.ApiMiddleware`` (no
traceback or message leaks to the caller).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_VERSION = "1.0.0"

_TITLES = {
    400: "Ongeldige aanvraag",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Gevraagd formaat niet beschikbaar",
    429: "Te veel aanvragen",
    500: "Interne serverfout",
}


def problem_response(
    status: int,
    detail: str,
    *,
    instance: str = "",
    invalid_params: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """One problem document; ``type`` is about:blank, so ``title`` is the status phrase."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _(_TITLES[status]) if status in _TITLES else HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
    }
    if instance:
        body["instance"] = instance
    if invalid_params:
        body["invalidParams"] = invalid_params
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    response["API-Version"] = API_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """REST framework's validation detail as the ADR's ``invalidParams`` list."""
    out: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            out += _invalid_params(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(detail, list):
        for item in detail:
            if isinstance(item, dict | list):
                out += _invalid_params(item, prefix)
            else:
                out.append({"name": prefix or "request", "reason": str(item)})
    else:
        out.append({"name": prefix or "request", "reason": str(detail)})
    return out


def exception_handler(exc: Exception, context: dict) -> HttpResponse | None:
    """REST framework's ``EXCEPTION_HANDLER``: every API error as a problem document."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Dit object bestaat niet."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a 500, made a problem by ApiMiddleware
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    if isinstance(exc.detail, dict | list):
        return problem_response(
            exc.status_code,
            _("Een of meer parameters zijn ongeldig."),
            instance=instance,
            invalid_params=_invalid_params(exc.detail),
            headers=headers,
        )
    return problem_response(exc.status_code, str(exc.detail), instance=instance, headers=headers)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/v1/ that names no endpoint (also one with a trailing slash)."""
    return problem_response(
        404, _("Onder dit adres staat geen API-endpoint."), instance=request.path
    )
