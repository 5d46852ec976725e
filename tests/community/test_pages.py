"""The event and community pages: lists and filters, who organises, the organiser's
exports (formula-safe), a new event entered in Dutch time, the workspace section."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.community.fixtures import *  # noqa: F403
from tests.community.fixtures import make_event, make_people
from werklandschap.accounts.roles import Role
from werklandschap.community import services
from werklandschap.community.models import Event, EventKind, EventStatus

pytestmark = pytest.mark.django_db


def test_the_list_shows_upcoming_or_past_events_filtered_by_kind_and_region(
    client, national, regional
):
    now = timezone.now()
    make_event(national, title="Landelijke roadshow")
    make_event(regional, title="Regionale bijeenkomst", kind=EventKind.COP_MEETING)
    make_event(national, title="Concept blijft verborgen", status=EventStatus.DRAFT)
    make_event(
        national,
        title="Oude masterclass",
        kind=EventKind.MASTERCLASS,
        starts_at=now - dt.timedelta(days=30),
        ends_at=now - dt.timedelta(days=30, hours=-2),
    )
    url = reverse("community:events")
    page = client.get(url).content.decode()
    assert "Landelijke roadshow" in page and "Regionale bijeenkomst" in page
    assert "Concept blijft verborgen" not in page and "Oude masterclass" not in page
    page = client.get(url, {"regio": regional.region.slug}).content.decode()
    assert "Regionale bijeenkomst" in page and "Landelijke roadshow" not in page
    page = client.get(url, {"soort": "roadshow"}).content.decode()
    assert "Landelijke roadshow" in page and "Regionale bijeenkomst" not in page
    page = client.get(url, {"wanneer": "voorbij"}).content.decode()
    assert "Oude masterclass" in page and "Landelijke roadshow" not in page


def test_a_draft_is_only_for_its_organisers(client, national, users):
    draft = make_event(national, status=EventStatus.DRAFT)
    url = reverse("community:event", kwargs={"pk": draft.pk})
    assert client.get(url).status_code == 404
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    assert client.get(url).status_code == 404
    client.force_login(users[Role.PROGRAMME_TEAM])
    assert client.get(url).status_code == 200


def test_the_organisers_page_is_for_the_events_community_coordinators(
    client, national, regional, users, outsiders
):
    regional_event = make_event(regional, kind=EventKind.COP_MEETING)
    national_event = make_event(national)
    cases = [
        (regional_event, users[Role.REGIONAL_DIRECTOR], 200),
        (regional_event, outsiders[Role.REGIONAL_DIRECTOR], 403),
        (regional_event, users[Role.PARK_CONTACT], 403),
        (national_event, users[Role.PROGRAMME_TEAM], 200),
        (national_event, users[Role.REGIONAL_DIRECTOR], 403),
        (national_event, users[Role.COALITION_PARTNER], 403),
    ]
    for event, user, expected in cases:
        client.force_login(user)
        for name in ("community:manage", "community:export-csv", "community:export-xlsx"):
            response = client.get(reverse(name, kwargs={"pk": event.pk}))
            assert response.status_code == expected, (name, user, response.status_code)


def test_the_attendee_export_neutralises_formulas(client, roadshow, users):
    (person, waiting) = make_people(2)
    person.first_name = '=HYPERLINK("http://evil.example","klik")'
    person.save()
    roadshow.capacity = 1
    roadshow.save()
    services.register(roadshow, person)
    services.register(roadshow, waiting)
    client.force_login(users[Role.PROGRAMME_TEAM])
    response = client.get(reverse("community:export-csv", kwargs={"pk": roadshow.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Naam"
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","klik")'
    assert rows[1][3] == "Aangemeld" and rows[2][3] == "Op de wachtlijst" and rows[2][4] == "1"
    response = client.get(reverse("community:export-xlsx", kwargs={"pk": roadshow.pk}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value.startswith("=HYPERLINK")


def test_a_director_creates_an_event_in_dutch_time_for_their_region_only(
    client, regional, national, users
):
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    url = reverse("community:event-new")
    data = {
        "community": regional.pk,
        "kind": "work_visit",
        "title": "Werkbezoek wadi",
        "description": "",
        "starts_at": "2027-07-01T10:00",
        "ends_at": "2027-07-01T12:30",
        "location": "Schieweg 1, Delft",
        "online_url": "",
        "capacity": "15",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    event = Event.objects.get(title="Werkbezoek wadi")
    assert event.status == EventStatus.DRAFT
    # 10:00 summer time in Amsterdam is 08:00 UTC.
    assert event.starts_at == dt.datetime(2027, 7, 1, 8, 0, tzinfo=dt.UTC)
    # The national community is not theirs to choose.
    response = client.post(url, {**data, "community": national.pk, "title": "Niet van mij"})
    assert response.status_code == 400
    assert not Event.objects.filter(title="Niet van mij").exists()
    # An insecure online link is refused.
    response = client.post(url, {**data, "online_url": "http://meet.example.org/x"})
    assert response.status_code == 400


def test_a_park_contact_sees_their_regions_events_and_webinars_in_the_workspace(
    client, regional, national, webinar, users, other_park
):
    make_event(regional, title="Bijeenkomst in de eigen regio", kind=EventKind.COP_MEETING)
    from werklandschap.community.services import ensure_communities

    ensure_communities()
    from werklandschap.community.models import Community

    elsewhere = Community.objects.get(region=other_park.region)
    make_event(elsewhere, title="Bijeenkomst elders")
    make_event(national, title="Roadshow landelijk")
    client.force_login(users[Role.PARK_CONTACT])
    page = client.get(reverse("workspace:start")).content.decode()
    assert "Bijeenkomst in de eigen regio" in page
    assert webinar.title in page
    assert "Bijeenkomst elders" not in page
    assert "Roadshow landelijk" not in page


def test_register_and_cancel_through_the_pages(client, roadshow):
    (person,) = make_people(1)
    client.force_login(person)
    client.post(reverse("community:register", kwargs={"pk": roadshow.pk}))
    page = client.get(reverse("community:event", kwargs={"pk": roadshow.pk})).content.decode()
    assert "U bent aangemeld." in page
    client.post(reverse("community:cancel", kwargs={"pk": roadshow.pk}))
    assert services.places(roadshow).confirmed == 0
    page = client.get(reverse("community:mine")).content.decode()
    assert roadshow.title not in page
