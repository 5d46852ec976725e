"""The park list: filters, search, counts, pagination and the CSV download."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from shapely.geometry import box

from werklandschap.registry.choices import ParkType, SwarmRole
from werklandschap.registry.models import Park, ParkIdentifier, Province, Region
from werklandschap.registry.services import unique_park_slug


def make_park(name, *, region, x=85000.0, y=447000.0, **fields):
    region = Region.objects.get(name=region)
    return Park.objects.create(
        name=name,
        slug=unique_park_slug(name),
        geometry=box(x, y, x + 300, y + 200),
        region=region,
        province=region.municipalities.first().province,
        **fields,
    )


@pytest.fixture
def parks(reference_data):
    return {
        "delft": make_park(
            "Schieoevers", region="Rotterdam-Den Haag", swarm_role=SwarmRole.PARTNER, phase=1
        ),
        "rotterdam": make_park(
            "Spaanse Polder",
            region="Rotterdam-Den Haag",
            swarm_role=SwarmRole.LIVING_LAB,
            phase=3,
            park_type=ParkType.INDUSTRIAL_CLUSTER,
        ),
        "twente": make_park(
            "Hengelo Havengebied",
            region="Twente",
            x=255000,
            y=475000,
            swarm_role=SwarmRole.AMBASSADOR,
            phase=1,
        ),
        "utrecht": make_park(
            "Lage Weide", region="U16", x=133000, y=457000, park_type=ParkType.LOGISTICS
        ),
    }


def listed(client, **params) -> set[str]:
    response = client.get(reverse("registry:park-list"), params)
    assert response.status_code == 200
    return {p.name for p in response.context["page"].object_list}


def test_no_filter_lists_all(client, parks):
    assert listed(client) == {"Schieoevers", "Spaanse Polder", "Hengelo Havengebied", "Lage Weide"}


def test_filter_by_province(client, parks):
    code = Province.objects.get(name="Overijssel").code
    assert listed(client, province=code) == {"Hengelo Havengebied"}


def test_filter_by_region(client, parks):
    slug = Region.objects.get(name="Rotterdam-Den Haag").slug
    assert listed(client, region=slug) == {"Schieoevers", "Spaanse Polder"}


def test_filter_by_role(client, parks):
    assert listed(client, role=SwarmRole.LIVING_LAB) == {"Spaanse Polder"}
    assert listed(client, role=SwarmRole.NONE) == {"Lage Weide"}


def test_filter_by_swarm_membership(client, parks):
    assert listed(client, role="zwerm") == {"Schieoevers", "Spaanse Polder", "Hengelo Havengebied"}


def test_filter_by_phase(client, parks):
    assert listed(client, phase=1) == {"Schieoevers", "Hengelo Havengebied"}
    assert listed(client, phase=0) == set()


def test_filter_by_park_type(client, parks):
    assert listed(client, park_type=ParkType.LOGISTICS) == {"Lage Weide"}


def test_filters_combine(client, parks):
    slug = Region.objects.get(name="Rotterdam-Den Haag").slug
    assert listed(client, region=slug, phase=3) == {"Spaanse Polder"}


def test_search_by_name_and_external_id(client, parks):
    ParkIdentifier.objects.create(park=parks["utrecht"], scheme="ibis", value="0344-12")
    assert listed(client, q="spaanse") == {"Spaanse Polder"}
    assert listed(client, q="0344-12") == {"Lage Weide"}


def test_invalid_filter_value_is_reported_not_a_crash(client, parks):
    response = client.get(reverse("registry:park-list"), {"phase": "99", "province": "PV99"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"phase", "province"}


def test_counts_shown(client, parks):
    html = client.get(reverse("registry:park-list")).content.decode()
    assert "4 terreinen gevonden" in html
    assert "waarvan 3 in de zwerm" in html


def test_pagination_keeps_filters(client, reference_data):
    for i in range(55):
        make_park(
            f"Terrein {i:02d}",
            region="Twente",
            x=250000 + i * 400,
            y=470000,
            swarm_role=SwarmRole.PARTNER,
        )
    first = client.get(reverse("registry:park-list"), {"role": "partner"})
    assert len(first.context["page"].object_list) == 50
    assert "role=partner&amp;page=2" in first.content.decode()
    second = client.get(reverse("registry:park-list"), {"role": "partner", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_filter_form_fields_have_labels(client, parks):
    html = client.get(reverse("registry:park-list")).content.decode()
    for field in ("q", "province", "region", "role", "phase", "park_type"):
        assert f'<label for="id_{field}">' in html


def test_csv_download_follows_filters(client, parks):
    response = client.get(reverse("registry:park-list-csv"), {"role": "zwerm"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "naam"
    assert {r[0] for r in rows[1:]} == {"Schieoevers", "Spaanse Polder", "Hengelo Havengebied"}


def test_csv_neutralises_spreadsheet_formulas(client, reference_data):
    make_park('=HYPERLINK("http://evil")', region="Twente", x=250000, y=470000)
    body = client.get(reverse("registry:park-list-csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[1][0].startswith("'=")
