"""The park list sorts by any column, server-side, and its CSV names its URL column (issue 16)."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from tests.registry import test_views_list
from werklandschap.registry.choices import SwarmRole

parks = test_views_list.parks  # the list tests' four parks (a fixture)


def names(client, **params) -> list[str]:
    response = client.get(reverse("registry:park-list"), params)
    assert response.status_code == 200
    return [p.name for p in response.context["page"].object_list]


def test_default_order_is_by_name(client, parks):
    assert names(client) == sorted(p.name for p in parks.values())


def test_sort_by_area_both_ways(client, parks):
    parks["twente"].geometry = parks["twente"].geometry.buffer(500)
    parks["twente"].save()
    assert names(client, sort="-area")[0] == "Hengelo Havengebied"
    assert names(client, sort="area")[-1] == "Hengelo Havengebied"


def test_sort_by_role_follows_the_programme_order_not_the_alphabet(client, parks):
    order = names(client, sort="role")
    # none, partner, ambassador, living lab (SwarmRole's order).
    assert order == ["Lage Weide", "Schieoevers", "Hengelo Havengebied", "Spaanse Polder"]
    assert SwarmRole.values[:4] == ["none", "partner", "ambassador", "living_lab"]


def test_sort_by_phase_puts_empty_phases_last_either_way(client, parks):
    assert names(client, sort="phase")[-1] == "Lage Weide"
    assert names(client, sort="-phase")[-1] == "Lage Weide"
    assert names(client, sort="-phase")[0] == "Spaanse Polder"


def test_unknown_sort_falls_back_to_name(client, parks):
    assert names(client, sort="geometry; drop") == names(client)


def test_headers_link_to_the_other_direction_and_keep_filters(client, parks):
    response = client.get(reverse("registry:park-list"), {"sort": "area", "region": "twente"})
    page = response.content.decode()
    assert 'aria-sort="ascending"' in page
    assert 'href="?region=twente&amp;sort=-area"' in page
    assert 'href="?region=twente&amp;sort=name"' in page
    # The filter form keeps the sort; the map's data ignores it.
    assert '<input type="hidden" name="sort" value="area">' in page
    assert "sort" not in response.context["map_config"]["geojsonUrl"]


def test_csv_names_its_url_column_and_follows_the_sort(client, parks):
    response = client.get(reverse("registry:park-list-csv"), {"sort": "-name"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert "adres" not in header
    assert header[-1] == "terreinpagina (URL)"
    assert rows[1][-1].startswith("http://testserver/terreinen/")
    assert [r[0] for r in rows[1:]] == sorted((p.name for p in parks.values()), reverse=True)
