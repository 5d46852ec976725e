"""The open-data page for people (the footer's "Open data en API"): the same index as the
API's, with licence, date, every download and the API's address, in Dutch and English."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from werklandschap.api import opendata

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_folder(settings, tmp_path):
    settings.OPEN_DATA_ROOT = str(tmp_path / "open-data")


def test_every_download_licence_and_date_are_on_the_page(client, park):
    call_command("open_data", stdout=io.StringIO())
    html = client.get(reverse("opendata:page")).content.decode()
    for name in opendata.FILES:
        assert f'href="http://testserver/api/v1/open-data/{name}" download>{name}</a>' in html
    assert "CC BY 4.0" in html and 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    assert "Deze bestanden zijn geschreven op" in html
    assert 'href="/api/v1/openapi.json"' in html and "<code>/api/v1/parks</code>" in html
    assert "De openbare gegevens van 1 bedrijventerrein:" in html


def test_the_page_in_english(client, park):
    call_command("open_data", stdout=io.StringIO())
    html = client.get("/en/open-data/").content.decode()
    assert "<h1>Open data and API</h1>" in html
    assert "These files were written on" in html and "Deze bestanden" not in html


def test_the_footer_links_to_the_page_not_to_raw_json(client, db):
    html = client.get("/").content.decode()
    assert f'href="{reverse("opendata:page")}"' in html
    assert 'href="/api/v1/open-data"' not in html
