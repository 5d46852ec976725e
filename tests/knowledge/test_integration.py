"""The Innovation database on other pages: a measure's page, a park's gaps, workspaces."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.knowledge.fixtures import make_entry
from werklandschap.accounts.roles import Role
from werklandschap.knowledge import related

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(users):
    return users[Role.PROGRAMME_TEAM]


def test_a_measures_page_shows_published_entries_that_apply_it(client, team):
    shown = make_entry(team, "Wadi bij de hal", measures=["wadi"], publish_by=team)
    make_entry(team, "Nog niet gepubliceerd", measures=["wadi"])
    make_entry(team, "Over daken", measures=["green_roof_extensive"], publish_by=team)
    html = client.get(reverse("measures:detail", args=["wadi"])).content.decode()
    assert "Wadi bij de hal" in html and shown.get_absolute_url() in html
    assert "Nog niet gepubliceerd" not in html and "Over daken" not in html
    assert "/innovaties/?maatregel=wadi" in html


def test_entries_for_gaps_follow_the_gaps_themes(team):
    water = make_entry(team, "Water", themes=["water"], publish_by=team)
    both = make_entry(team, "Water en hitte", themes=["water", "productiviteit"], publish_by=team)
    heat = make_entry(team, "Hitte", themes=["productiviteit"], evidence="proven", publish_by=team)
    make_entry(team, "Energie", themes=["energie"], publish_by=team)
    # storage_mm is a water indicator, pet_mean_c a heat (productiviteit) one.
    themes = related.themes_of_gaps(["storage_mm", "pet_mean_c", "storage_mm"])
    assert themes == ["water", "productiviteit"]
    assert [e.pk for e in related.for_themes(themes)] == [both.pk, water.pk, heat.pk]


def test_the_teams_workspace_shows_what_waits_for_moderation(client, users, team):
    partner = users[Role.COALITION_PARTNER]
    make_entry(partner, "Te modereren innovatie")
    client.force_login(team)
    html = client.get(reverse("workspace:start")).content.decode()
    assert "Te modereren innovatie" in html and reverse("knowledge:queue") in html
    client.force_login(partner)
    html = client.get(reverse("workspace:start")).content.decode()
    assert "Te modereren innovatie" in html  # the submitter's own, not yet online
    client.force_login(users[Role.PARK_CONTACT])
    assert "Te modereren innovatie" not in client.get(reverse("workspace:start")).content.decode()


def test_a_submitter_without_waiting_entries_gets_no_section(users):
    from werklandschap.workspace.sections import sections_for

    partner = users[Role.COALITION_PARTNER]
    assert "innovaties" not in [s.key for s in sections_for(partner)]
    make_entry(partner, "Iets")
    assert "innovaties" in [s.key for s in sections_for(partner)]


def test_a_toolbox_step_lists_published_entries_that_apply_its_measures(client, team):
    from werklandschap.toolbox.models import Step

    step = Step.objects.create(
        key="kosten-en-baten",
        title_nl="Kosten en baten",
        summary_nl="Wat kost het en wat levert het op?",
        body_nl="Tekst.",
        measures=["wadi", "green_roof_extensive"],
    )
    both = make_entry(
        team, "Wadi en groen dak", measures=["wadi", "green_roof_extensive"], publish_by=team
    )
    one = make_entry(team, "Alleen een wadi", measures=["wadi"], publish_by=team)
    make_entry(team, "Straatbomen", measures=["street_trees"], publish_by=team)
    make_entry(team, "Nog niet online", measures=["wadi"])
    assert [e.pk for e in related.for_measures(step.measures)] == [both.pk, one.pk]
    html = client.get(reverse("toolbox:step", args=[step.key])).content.decode()
    assert "Wadi en groen dak" in html and "Alleen een wadi" in html
    assert "Straatbomen" not in html and "Nog niet online" not in html
