"""A park's dashboard shows published innovations on the themes of its largest gaps."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.knowledge.fixtures import make_entry
from tests.portal.conftest import bundle, scanned  # noqa: F401 - fixtures
from tests.portal.test_dashboard_summary import summary_html
from werklandschap.accounts.roles import Role
from werklandschap.knowledge.related import themes_of_gaps
from werklandschap.scanengine.catalog import THEMES

pytestmark = pytest.mark.django_db


def test_the_dashboard_summary_lists_innovations_for_the_largest_gaps(client, users, park, scanned):  # noqa: F811
    team = users[Role.PROGRAMME_TEAM]
    client.force_login(users[Role.PARK_CONTACT])
    url = reverse("portal:dashboard", args=[park.slug])
    gaps = re.findall(r'data-gap="([a-z0-9_]+)"', summary_html(client.get(url).content.decode()))
    assert gaps, "the synthetic scan has gaps"
    themes = themes_of_gaps(gaps)
    unrelated = next(t for t in THEMES if t not in themes)
    make_entry(team, "Praktijk bij het grootste verschil", themes=[themes[0]], publish_by=team)
    make_entry(team, "Praktijk over iets anders", themes=[unrelated], publish_by=team)
    make_entry(team, "Nog niet online", themes=[themes[0]])
    summary = summary_html(client.get(url).content.decode())
    assert "data-innovations" in summary
    assert "Praktijk bij het grootste verschil" in summary
    assert "Praktijk over iets anders" not in summary and "Nog niet online" not in summary
    assert f"/innovaties/?thema={themes[0]}" in summary
    assert 'href="#ambities"' in summary  # the blocks after it are still in the summary
