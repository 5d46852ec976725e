"""Every response carries a strict Content-Security-Policy (issue 14).

Walks every endpoint of the URL configuration (the list the access matrix in
tests/accounts/test_endpoint_matrix.py keeps complete), the log-in and password
views, every admin change list and add form, an unknown URL (404), a view that
fails (500) and a static file, as an anonymous visitor and as the programme
team, with GET and POST; each response must carry the policy, and the policy
must allow no inline script, no eval and no inline style, no plugins, no
<base> change, no framing, and forms only to the site itself.

A static guard also reads every template: no inline <script> (only json_script
data blocks), no event-handler or style attribute, no <style> element, so a new
page cannot quietly need a weaker policy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import path, reverse

from tests.accounts.test_endpoint_matrix import AUTH_NAMES, _url, all_endpoints
from werklandschap.accounts.roles import Role
from werklandschap.conf.urls import urlpatterns as site_urlpatterns
from werklandschap.front.csp import tile_origin

TEMPLATE_ROOT = Path(__file__).resolve().parents[2] / "src" / "werklandschap"


def boom(request):
    raise RuntimeError("a failing view, for the 500 page")


# This module doubles as a URL configuration: the site's URLs plus a failing view.
urlpatterns = [path("kapot/", boom), *site_urlpatterns]


def directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy header"
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_strict(response) -> None:
    where = response.request["PATH_INFO"]
    policy = directives(response)
    script = policy.get("script-src", policy.get("default-src"))
    style = policy.get("style-src", policy.get("default-src"))
    assert script is not None, f"{where}: no script-src or default-src"
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:"):
        assert unsafe not in script, f"{where}: script-src allows {unsafe}"
    assert "'unsafe-inline'" not in style, f"{where}: style-src allows 'unsafe-inline'"
    assert policy.get("default-src") == ["'self'"], where
    assert policy.get("object-src") == ["'none'"], where
    assert policy.get("base-uri") == ["'none'"], where
    assert policy.get("frame-ancestors") == ["'none'"], where
    assert policy.get("form-action") == ["'self'"], where


def _site_urls(park) -> list[str]:
    urls = [_url(name, park) for name, _pattern in all_endpoints()]
    for name in sorted(AUTH_NAMES):
        kwargs = {"uidb64": "MQ", "token": "set-password"} if "confirm" in name else {}
        urls.append(reverse(name, kwargs=kwargs))
    return urls


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index"), reverse("admin:login")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    return urls


@pytest.mark.parametrize("who", ["anonymous", "programme team"])
def test_every_site_response_has_a_strict_policy(client, users, park, who):
    if who != "anonymous":
        client.force_login(users[Role.PROGRAMME_TEAM])
    urls = _site_urls(park)
    assert len(urls) > 30
    for url in urls:
        assert_strict(client.get(url))
        assert_strict(client.post(url, {}))


def test_admin_responses_have_the_policy(client, users, park, django_user_model):
    # Anonymous: the admin's redirects to its log-in page carry it too.
    for url in _admin_urls():
        assert_strict(client.get(url))
    client.force_login(
        django_user_model.objects.create_superuser("csp-admin", "a@example.org", "pw-csp-admin-1")
    )
    shown = 0
    for url in _admin_urls():
        response = client.get(url)
        # The log-in page sends a logged-in user on; some models may not be added by hand.
        assert response.status_code in (200, 302, 403), url
        shown += response.status_code == 200
        assert_strict(response)
    assert shown > 20
    response = client.get(reverse("admin:registry_park_change", args=[park.pk]))
    assert response.status_code == 200
    assert_strict(response)


@pytest.mark.urls(__name__)
def test_error_pages_and_static_files_have_the_policy(client, db):
    client.raise_request_exception = False
    failed = client.get("/kapot/")
    assert failed.status_code == 500
    assert_strict(failed)
    missing = client.get("/bestaat-niet/")
    assert missing.status_code == 404
    assert_strict(missing)
    static = client.get("/static/css/site.css")
    assert static.status_code == 200
    assert_strict(static)


def test_map_tile_origin_is_the_only_extra_image_source(client, db, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/wmts/{z}/{x}/{y}.png"
    img = directives(client.get("/"))["img-src"]
    assert img == ["'self'", "data:", "https://tiles.example.org"]
    settings.MAP_TILE_URL = ""
    assert directives(client.get("/"))["img-src"] == ["'self'", "data:"]


@pytest.mark.parametrize(
    "url, origin",
    [
        (
            "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
            "https://service.pdok.nl",
        ),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:9/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:9"),
        ("https://user:pw@tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("", None),
        ("/local/tiles/{z}/{x}/{y}.png", None),  # same origin: 'self' covers it
        ("javascript:alert(1)", None),
        ("https://{z}.example.org/{x}/{y}.png", None),  # never widened to a wildcard
    ],
)
def test_tile_origin(url, origin):
    assert tile_origin(url) == origin


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
# Rendered to PDF by WeasyPrint only, never sent to a browser: no CSP applies there.
NOT_SERVED = {"templates/portal/report.html"}


def test_templates_need_no_inline_script_or_style():
    offenders = []
    templates = sorted(TEMPLATE_ROOT.rglob("*.html"))
    assert len(templates) > 20
    for template in templates:
        rel = template.relative_to(TEMPLATE_ROOT).as_posix()
        if rel in NOT_SERVED or "/templates/" not in "/" + rel:
            continue
        text = template.read_text(encoding="utf-8")
        # json_script renders <script id=... type="application/json">: data, never run.
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE, STYLE_ELEMENT):
            for match in pattern.finditer(text):
                offenders.append(f"{rel}: {match.group(0)[:60]}")
    assert offenders == []
