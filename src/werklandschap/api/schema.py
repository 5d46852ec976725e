"""The OpenAPI document as the NLGov API Design Rules ask (drf-spectacular postprocessing).

Adds to every operation: the ``API-Version`` header on each 2xx/3xx response, a 304
for public GETs (ETag revalidation), and problem+json responses (RFC 9457) for the
errors it can give: 400 when it takes parameters, 401/403 when it needs a login,
404 for a path with an identifier or a page number, 406, 429 (with Retry-After) and 500.
"""

from __future__ import annotations

from typing import Any

PROBLEM = {
    "type": "object",
    "description": "Probleemdetails volgens RFC 9457",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}
VERSION_HEADER = {
    "description": "De volledige versie van de API (semver)",
    "schema": {"type": "string", "example": "1.0.0"},
}
_ERRORS = {
    "400": "Ongeldige parameter",
    "401": "Niet geauthenticeerd",
    "403": "Geen toegang",
    "404": "Niet gevonden",
    "406": "Gevraagd formaat niet beschikbaar",
    "429": "Te veel aanvragen; probeer het na Retry-After seconden opnieuw",
    "500": "Interne serverfout",
}


def _problem(code: str) -> dict[str, Any]:
    headers = {"API-Version": {"$ref": "#/components/headers/API-Version"}}
    if code == "429":
        headers["Retry-After"] = {
            "description": "Seconden tot een nieuwe aanvraag kan",
            "schema": {"type": "integer"},
        }
    return {
        "description": _ERRORS[code],
        "headers": headers,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def postprocess(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM
    components.setdefault("headers", {})["API-Version"] = VERSION_HEADER
    for path, item in result.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = op.setdefault("responses", {})
            secured = bool(op.get("security")) and {} not in op.get("security", [])
            for code, response in list(responses.items()):
                if code.startswith(("2", "3")):
                    response.setdefault("headers", {})["API-Version"] = {
                        "$ref": "#/components/headers/API-Version"
                    }
            if not secured and method == "get" and path != "/openapi.json":
                responses["304"] = {
                    "description": "Niet gewijzigd (If-None-Match kwam overeen met de ETag)",
                    "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
                }
            codes = ["406", "429", "500"]
            if op.get("parameters"):
                codes.append("400")
            has_page = any(p.get("name") == "page" for p in op.get("parameters", []))
            if "{" in path or has_page:  # an unknown identifier, a page past the last
                codes.append("404")
            if secured:
                codes += ["401", "403"]
            for code in codes:
                responses[code] = _problem(code)
            op["responses"] = dict(sorted(responses.items()))
    return result
