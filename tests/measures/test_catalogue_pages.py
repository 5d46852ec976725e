"""The public measures catalogue: filters with counts, every number with its source."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.measures import browse

pytestmark = pytest.mark.django_db

LIST = reverse("measures:catalogue")


def test_the_catalogue_lists_every_measure(client):
    page = client.get(LIST).content.decode()
    cards = re.findall(r'class="measure-card"', page)
    assert len(cards) == len(load_catalogue().measures) >= 25
    assert "Extensief groen dak (sedum)" in page


def test_a_filter_narrows_the_list_and_the_counts_say_by_how_much(client):
    everything = browse.browse({})
    theme = next(f for f in everything.facets if f["name"] == "theme")
    water = next(o for o in theme["options"] if o["value"] == "water")
    page = client.get(LIST, {"theme": "water"}).content.decode()
    assert len(re.findall(r'class="measure-card"', page)) == water["count"]
    assert 0 < water["count"] < everything.total
    # Counts of one facet follow the choices of the others, not its own.
    narrowed = browse.browse({"theme": "water", "location": "public_space"})
    theme_counts = {
        o["value"]: o["count"]
        for f in narrowed.facets
        if f["name"] == "theme"
        for o in f["options"]
    }
    assert theme_counts["water"] == len(narrowed.measures)
    assert all("water" in m.themes and m.location == "public_space" for m in narrowed.measures)


def test_unknown_filter_values_and_markup_in_the_url_find_nothing_and_are_escaped(client):
    page = client.get(LIST, {"theme": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in page
    assert "Geen maatregelen met deze filters." in page


def test_cost_classes_come_from_the_data_and_cover_low_to_high(client):
    classes = {browse.cost_class(m) for m in load_catalogue().measures.values()}
    assert classes == {"low", "medium", "high"}


def test_a_measure_page_shows_every_number_with_its_source(client):
    measure = load_catalogue().measures["green_roof_extensive"]
    page = client.get(reverse("measures:detail", kwargs={"key": measure.key})).content.decode()
    assert measure.name_nl in page
    assert page.count('class="source"') >= 4 + len(measure.effects) + len(measure.benefits)
    assert "aanname" in page  # the assumed investment is marked as such
    assert "Vastgoedeigenaar" in page  # who pays


def test_an_unknown_measure_is_a_404(client):
    assert (
        client.get(reverse("measures:detail", kwargs={"key": "no_such_measure"})).status_code == 404
    )


def test_the_english_catalogue_is_english(client):
    page = client.get("/en" + LIST).content.decode()
    assert "Extensive green roof (sedum)" in page
    assert "Extensief groen dak" not in page


def test_every_effect_party_and_unit_has_a_label():
    from werklandschap.costbenefit.catalog import EFFECT_KEYS
    from werklandschap.costbenefit.types import PARTIES, UNITS

    assert set(browse.EFFECT_LABELS) == set(EFFECT_KEYS)
    assert set(browse.PARTY_LABELS) == set(PARTIES)
    assert set(browse.UNIT_LABELS) == set(UNITS)
