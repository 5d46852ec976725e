"""Changing a park's phase or role on the park page: validation, concurrency, history."""

# The actor fixtures are shared with test_views.py by import.
# ruff: noqa: F811

from __future__ import annotations

from django.urls import reverse

from tests.registry.test_views import (  # noqa: F401  (fixtures)
    actors,
    client_for,
    other_park,
    phase_post,
    role_post,
)
from werklandschap.registry.choices import ProcessPhase, SwarmRole
from werklandschap.registry.models import ParkHistory
from werklandschap.registry.services import change_park_status


def phase_url(park):
    return reverse("registry:park-change-phase", args=[park.slug])


def role_url(park):
    return reverse("registry:park-change-role", args=[park.slug])


def test_stale_phase_edit_is_rejected_and_changes_nothing(actors, park):
    director, team = actors["director_of_region"], actors["programme_team"]
    seen_by_director = phase_post(park, ProcessPhase.PLAN_ELABORATION)  # page shows "no phase"
    # Meanwhile the programme team sets the phase.
    change_park_status(park, by=team, phase=ProcessPhase.INITIATIVE)

    response = client_for(director).post(phase_url(park), seen_by_director)

    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    assert str(ProcessPhase.INITIATIVE.label) in response.content.decode()
    park.refresh_from_db()
    assert park.phase == ProcessPhase.INITIATIVE
    assert list(ParkHistory.objects.filter(park=park).values_list("changed_by", flat=True)) == [
        team.pk
    ]


def test_after_a_conflict_the_form_carries_the_new_value_so_a_resubmit_works(actors, park):
    director, team = actors["director_of_region"], actors["programme_team"]
    change_park_status(park, by=team, phase=ProcessPhase.INITIATIVE)
    response = client_for(director).post(phase_url(park), phase_post(park, 3, seen=""))
    assert response.status_code == 409
    assert 'name="phase-seen" value="1"' in response.content.decode()

    response = client_for(director).post(phase_url(park), phase_post(park, 3, seen=1))
    assert response.status_code == 302
    park.refresh_from_db()
    assert park.phase == 3


def test_stale_role_edit_is_rejected(actors, park):
    team = actors["programme_team"]
    stale = role_post(park, SwarmRole.AMBASSADOR)  # seen: none
    change_park_status(park, by=team, swarm_role=SwarmRole.PARTNER)

    response = client_for(team).post(role_url(park), stale)

    assert response.status_code == 409
    park.refresh_from_db()
    assert park.swarm_role == SwarmRole.PARTNER


def test_invalid_phase_is_rejected_with_a_message(actors, park):
    response = client_for(actors["programme_team"]).post(
        phase_url(park), {"phase-phase": "9", "phase-seen": ""}
    )
    assert response.status_code == 400
    park.refresh_from_db()
    assert park.phase is None
    assert not ParkHistory.objects.exists()


def test_invalid_role_is_rejected(actors, park):
    response = client_for(actors["programme_team"]).post(
        role_url(park), {"swarm_role-swarm_role": "koning", "swarm_role-seen": "none"}
    )
    assert response.status_code == 400
    park.refresh_from_db()
    assert park.swarm_role == SwarmRole.NONE


def test_unchanged_value_writes_no_history(actors, park):
    response = client_for(actors["programme_team"]).post(
        role_url(park), role_post(park, SwarmRole.NONE)
    )
    assert response.status_code == 302
    assert not ParkHistory.objects.exists()


def test_success_redirects_to_park_page_with_confirmation(actors, park):
    client = client_for(actors["park_contact"])
    response = client.post(phase_url(park), phase_post(park, 0), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(park.get_absolute_url())
    assert "Opgeslagen" in html
    assert str(ProcessPhase.AMBITION.label) in html


def test_history_on_park_page_shows_who_when_old_and_new(actors, park):
    team = actors["programme_team"]
    change_park_status(park, by=team, note="aangemeld", swarm_role=SwarmRole.PARTNER)
    html = client_for(actors["province_officer"]).get(park.get_absolute_url()).content.decode()
    assert "Wijzigingsgeschiedenis" in html
    assert "team" in html and "aangemeld" in html
    assert str(SwarmRole.PARTNER.label) in html and str(SwarmRole.NONE.label) in html
    assert "<time datetime=" in html


def test_history_hidden_from_public(actors, park):
    change_park_status(park, by=actors["programme_team"], note="geheim-ding", phase=2)
    html = client_for(None).get(park.get_absolute_url()).content.decode()
    assert "geheim-ding" not in html
    assert "Wijzigingsgeschiedenis" not in html
