"""What every API response shares: the version header, errors, caching, CORS, paging.

* ``ApiMiddleware``: ``API-Version`` on every response under ``/api/`` (NLGov rule
  /core/version-header) and an uncaught exception as a 500 problem document.
* ``PublicApiView``: public data for anyone. An ``ETag`` (a digest of the body) with
  ``If-None-Match`` answered by 304, ``Cache-Control: public``, and CORS for reading
  only (``Access-Control-Allow-Origin: *``, GET/HEAD/OPTIONS, never credentials),
  so any web page may read the open data but no other site can act as a user.
* ``PrivateApiView``: what a role may see; ``Cache-Control: private, no-store``, no CORS.
* ``remembered``: an answer that is costly to build (the park list reprojects every
  park's outline) kept in the shared cache under its URL, language and data state.
* ``throttling.AnonRateThrottle``: anonymous callers get API_ANON_RATE requests, a 429
  problem with ``Retry-After`` after that.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from werklandschap.lib.freshness import recent_state

from .problems import API_VERSION, problem_response

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
CORS_METHODS = "GET, HEAD, OPTIONS"


class ApiMiddleware:
    """API-Version on every /api/ response; an uncaught error as a 500 problem."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            response["API-Version"] = API_VERSION
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        logger.exception("API error on %s", request.path, exc_info=exception)
        return problem_response(
            500,
            _("Er ging iets mis aan onze kant. Probeer het later opnieuw."),
            instance=request.path,
        )


class Pagination(PageNumberPagination):
    """``page`` and ``pageSize`` (query keys in lowerCamelCase, NLGov rule), with links."""

    page_query_param = "page"
    page_size_query_param = "pageSize"
    page_size = 50
    max_page_size = 200

    def get_paginated_response(self, data) -> Response:
        page = self.page
        paginator = page.paginator
        url = self.request.build_absolute_uri()

        def link(number: int) -> dict[str, str]:
            if number == 1:
                return {"href": remove_query_param(url, self.page_query_param)}
            return {"href": replace_query_param(url, self.page_query_param, number)}

        links = {"self": link(page.number), "first": link(1), "last": link(paginator.num_pages)}
        if page.has_previous():
            links["prev"] = link(page.previous_page_number())
        if page.has_next():
            links["next"] = link(page.next_page_number())
        return Response(
            {
                "_links": links,
                "totalCount": paginator.count,
                "page": page.number,
                "pageSize": paginator.per_page,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "object", "properties": {"href": {"type": "string"}}, "required": ["href"]}
        return {
            "type": "object",
            "required": ["_links", "totalCount", "page", "pageSize", "results"],
            "properties": {
                "_links": {
                    "type": "object",
                    "required": ["self", "first", "last"],
                    "properties": dict.fromkeys(("self", "first", "last", "prev", "next"), link),
                },
                "totalCount": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "pageSize": {"type": "integer", "minimum": 1},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "Paginanummer, vanaf 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "pageSize",
                "in": "query",
                "required": False,
                "description": f"Aantal per pagina (standaard {self.page_size}, "
                f"hoogstens {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


REMEMBERED_PREFIX = "werklandschap:api:v1:"


def remembered(
    request: HttpRequest,
    name: str,
    read_state: Callable[[], str],
    build: Callable[[], Any],
    *,
    parameters: Iterable[str],
) -> Any:
    """What ``build()`` answers, from the shared cache while the data's state is unchanged.

    The key names everything an answer depends on besides the data: the absolute URL
    (host, path, every query parameter; the paging links repeat it) and the language
    (labels). The state (``read_state``, e.g. the parks' count and last change, read at
    most once per ``DATA_FRESH_SECONDS`` under ``name``) names the data, so a change is
    answered within that time. An answer is built from the data as it is now and kept
    under the state read just before, never under a remembered older one.
    ``API_CACHE_SECONDS`` bounds the life of an entry for what the state does not name
    (a municipality's name); 0: never remembered. A request with a query parameter
    outside ``parameters`` is answered but not remembered (no one fills the cache with
    made-up URLs).
    """
    seconds = settings.API_CACHE_SECONDS
    if seconds <= 0 or not set(request.GET) <= set(parameters):
        return build()
    language = get_language() or ""

    def key(state: str) -> str:
        text = "|".join([request.build_absolute_uri(), language, state])
        return REMEMBERED_PREFIX + hashlib.sha256(text.encode()).hexdigest()

    state = recent_state(name, read_state)
    found = cache.get(key(state))
    if found is None:
        if settings.DATA_FRESH_SECONDS > 0:  # else ``state`` was read just now
            state = recent_state(name, read_state, fresh=True)
            found = cache.get(key(state))
        if found is None:
            found = build()
            cache.set(key(state), found, seconds)
    return found


def body_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def matches(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags or "*" in tags


class LanguageMixin:
    """The answer's language from ``Accept-Language`` (nl, en; else Dutch).

    The API lives outside the site's language prefixes, and ``LocaleMiddleware`` gives
    every unprefixed path the default language (``prefix_default_language=False``), so
    the view chooses itself; ``Content-Language`` then names the choice.
    """

    def initial(self, request, *args, **kwargs):
        language = translation.get_language_from_request(request._request, check_path=False)
        translation.activate(language)
        request._request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)


class PublicApiView(LanguageMixin, APIView):
    """Public data: anyone may read, clients and proxies may cache and revalidate."""

    permission_classes = (AllowAny,)
    public = True

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = CORS_METHODS
        response["Access-Control-Expose-Headers"] = "API-Version, ETag"
        if request.method == "OPTIONS":
            response["Access-Control-Max-Age"] = "86400"
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        etag = body_etag(response.content)
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={settings.API_PUBLIC_MAX_AGE}"
        if matches(request, etag):
            not_modified = HttpResponse(status=304)
            for name in ("ETag", "Cache-Control", "Vary", "Access-Control-Allow-Origin"):
                not_modified[name] = response[name]
            return not_modified
        return response


class PrivateApiView(LanguageMixin, APIView):
    """What a role may see: logged in (session or token), never cached by others."""

    permission_classes = (IsAuthenticated,)
    public = False

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response
