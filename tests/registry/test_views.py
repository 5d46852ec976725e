"""Role x page access matrix for the public registry pages and the park-status endpoints.

Every page is public; what differs per role is which edit controls the park
page shows and which status changes the server accepts. The matrix below is
the specification: ``accounts.policies`` decides, these tests check that the
pages and endpoints follow it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from shapely.geometry import box

from werklandschap.accounts.roles import Role
from werklandschap.registry.choices import ProcessPhase, SwarmRole
from werklandschap.registry.models import Park, ParkHistory, Region
from werklandschap.registry.services import unique_park_slug

ACTORS = [
    "anonymous",
    "programme_team",
    "director_of_region",
    "director_other_region",
    "coalition_partner",
    "park_contact",
    "contact_other_park",
    "province_officer",
]

# actor -> (may change phase, may change role, sees admin link, sees history)
MATRIX = {
    "anonymous": (False, False, False, False),
    "programme_team": (True, True, True, True),
    "director_of_region": (True, False, False, True),
    "director_other_region": (False, False, False, False),
    "coalition_partner": (False, False, False, False),
    "park_contact": (True, False, False, True),
    "contact_other_park": (False, False, False, False),
    "province_officer": (False, False, False, True),
}


@pytest.fixture
def other_park(reference_data):
    region = Region.objects.get(name="Twente")
    return Park.objects.create(
        name="Ander terrein",
        slug=unique_park_slug("Ander terrein"),
        geometry=box(255000, 470000, 255500, 470400),
        region=region,
        province=region.municipalities.first().province,
        swarm_role=SwarmRole.PARTNER,
    )


@pytest.fixture
def actors(users, outsiders, park, other_park):
    """Actor name -> user (None for anonymous), covering every row of the matrix."""
    return {
        "anonymous": None,
        "programme_team": users[Role.PROGRAMME_TEAM],
        "director_of_region": users[Role.REGIONAL_DIRECTOR],
        "director_other_region": outsiders[Role.REGIONAL_DIRECTOR],
        "coalition_partner": users[Role.COALITION_PARTNER],
        "park_contact": users[Role.PARK_CONTACT],
        "contact_other_park": outsiders[Role.PARK_CONTACT],
        "province_officer": users[Role.PROVINCE_OFFICER],
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def phase_post(park: Park, new: int, seen=None) -> dict:
    seen = park.phase if seen is None else seen
    return {"phase-phase": str(new), "phase-seen": "" if seen is None else str(seen)}


def role_post(park: Park, new: str, seen: str | None = None) -> dict:
    return {"swarm_role-swarm_role": new, "swarm_role-seen": seen or park.swarm_role}


PUBLIC_PAGES = [
    ("front:home", None),
    ("registry:park-list", None),
    ("registry:park-list-csv", None),
    ("registry:parks-geojson", None),
    ("registry:provinces-geojson", None),
    ("registry:park-detail", "park"),
    ("login", None),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("url_name", "needs_park"), PUBLIC_PAGES)
def test_public_pages_open_to_every_role(actors, park, actor, url_name, needs_park):
    url = reverse(url_name, kwargs={"slug": park.slug} if needs_park else None)
    response = client_for(actors[actor]).get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("actor", ACTORS)
def test_park_page_shows_edit_controls_only_to_those_allowed(actors, park, actor):
    phase, role, admin_link, history = MATRIX[actor]
    html = client_for(actors[actor]).get(park.get_absolute_url()).content.decode()

    assert (reverse("registry:park-change-phase", args=[park.slug]) in html) is phase
    assert (reverse("registry:park-change-role", args=[park.slug]) in html) is role
    assert (reverse("admin:registry_park_change", args=[park.pk]) in html) is admin_link
    assert ('id="history-title"' in html) is history


@pytest.mark.parametrize("actor", [a for a in ACTORS if not MATRIX[a][0]])
def test_phase_change_refused_for_others(actors, park, actor):
    response = client_for(actors[actor]).post(
        reverse("registry:park-change-phase", args=[park.slug]), phase_post(park, 3)
    )
    assert response.status_code == 403
    park.refresh_from_db()
    assert park.phase is None
    assert not ParkHistory.objects.filter(park=park).exists()


@pytest.mark.parametrize("actor", [a for a in ACTORS if not MATRIX[a][1]])
def test_role_change_refused_for_others(actors, park, actor):
    response = client_for(actors[actor]).post(
        reverse("registry:park-change-role", args=[park.slug]), role_post(park, SwarmRole.SHOWCASE)
    )
    assert response.status_code == 403
    park.refresh_from_db()
    assert park.swarm_role == SwarmRole.NONE
    assert not ParkHistory.objects.filter(park=park).exists()


@pytest.mark.parametrize("actor", [a for a in ACTORS if MATRIX[a][0]])
def test_phase_change_accepted_and_recorded_for_allowed(actors, park, actor):
    user = actors[actor]
    response = client_for(user).post(
        reverse("registry:park-change-phase", args=[park.slug]),
        {**phase_post(park, ProcessPhase.PLAN_DEVELOPMENT), "phase-note": "na de ambitiesessie"},
    )
    assert response.status_code == 302
    park.refresh_from_db()
    assert park.phase == ProcessPhase.PLAN_DEVELOPMENT
    row = ParkHistory.objects.get(park=park)
    assert (row.field, row.changed_by, row.note) == ("phase", user, "na de ambitiesessie")
    assert row.new_value == str(ProcessPhase.PLAN_DEVELOPMENT.label)


def test_role_change_accepted_and_recorded_for_programme_team(actors, park):
    user = actors["programme_team"]
    response = client_for(user).post(
        reverse("registry:park-change-role", args=[park.slug]),
        role_post(park, SwarmRole.LIVING_LAB),
    )
    assert response.status_code == 302
    park.refresh_from_db()
    assert park.swarm_role == SwarmRole.LIVING_LAB
    row = ParkHistory.objects.get(park=park)
    assert (row.field, row.changed_by) == ("swarm_role", user)


def test_contact_may_not_change_phase_of_another_park(actors, park, other_park):
    response = client_for(actors["park_contact"]).post(
        reverse("registry:park-change-phase", args=[other_park.slug]), phase_post(other_park, 4)
    )
    assert response.status_code == 403
    other_park.refresh_from_db()
    assert other_park.phase is None


@pytest.mark.parametrize("url_name", ["registry:park-change-phase", "registry:park-change-role"])
def test_change_endpoints_refuse_get(actors, park, url_name):
    response = client_for(actors["programme_team"]).get(reverse(url_name, args=[park.slug]))
    assert response.status_code == 405


def test_change_endpoint_for_unknown_park_is_404(actors):
    response = client_for(actors["programme_team"]).post(
        reverse("registry:park-change-phase", args=["bestaat-niet"]), {"phase-phase": "1"}
    )
    assert response.status_code == 404


def test_unknown_park_page_is_404(db, client):
    assert client.get(reverse("registry:park-detail", args=["bestaat-niet"])).status_code == 404


def test_staff_sees_beheer_link_in_navigation(actors):
    team_html = client_for(actors["programme_team"]).get("/").content.decode()
    anon_html = client_for(None).get("/").content.decode()
    assert reverse("admin:index") in team_html
    assert reverse("admin:index") not in anon_html


def test_header_shows_login_or_user_and_logout(actors):
    anon_html = client_for(None).get("/").content.decode()
    user_html = client_for(actors["park_contact"]).get("/").content.decode()
    assert reverse("login") in anon_html and reverse("logout") not in anon_html
    assert reverse("logout") in user_html and "contact" in user_html
