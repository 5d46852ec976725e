"""A second sign-up for the same park is joined to the first; the park is decided once."""

from __future__ import annotations

import uuid

from django.core import mail
from shapely import affinity
from shapely.geometry import box

from tests.conftest import DELFT_BOX
from tests.partnership.conftest import SIGNUP_URL, drawn, form_data, signup
from werklandschap.accounts.models import ParkContact
from werklandschap.partnership import services
from werklandschap.partnership.models import ApplicantCapacity, PartnerApplication
from werklandschap.partnership.workflow import Actor, Status
from werklandschap.registry.models import Park
from werklandschap.scans.models import ScanRequest


def submit(sign_up):
    return services.submit_application(sign_up, idempotency_key=uuid.uuid4())


def test_second_sign_up_for_the_same_park_is_joined(park, submitted):
    second = submit(
        signup(park, email="info@ov-schieweg.example", capacity=ApplicantCapacity.ASSOCIATION)
    )
    assert second.created
    assert second.application.joined_to == submitted
    assert services.group_of(second.application) == [submitted, second.application]
    assert "Gekoppeld aan eerdere aanmelding" in second.application.events.get().note
    assert Park.objects.count() == 1


def test_third_sign_up_joins_the_first_not_the_second(park, submitted):
    submit(signup(park, email="b@example.org"))
    third = submit(signup(park, email="c@example.org")).application
    assert third.joined_to == submitted


def test_same_person_again_gets_the_same_application_and_a_new_link(park, submitted, on_commit):
    with on_commit():
        again = submit(signup(park, email="SAM@parkschieweg.example"))
    assert not again.created
    assert again.application == submitted
    assert PartnerApplication.objects.count() == 1
    assert len(mail.outbox) == 1 and "bevestigen" in mail.outbox[0].body


def test_outline_overlapping_an_existing_park_is_that_park(client, park, on_commit):
    # Redrawn by hand: shifted 40 m and a little larger than the registry's outline.
    outline = affinity.translate(box(*DELFT_BOX).buffer(10, join_style="mitre"), 40, 0)
    data = form_data(None, proposed_name="Schieweg Zuid", outline_drawn=drawn(outline))
    with on_commit():
        client.post(SIGNUP_URL, data)
    application = PartnerApplication.objects.get()
    assert application.park == park
    assert "herkend als bestaand terrein" in application.events.get().note
    assert Park.objects.count() == 1


def test_outline_overlapping_an_open_application_is_joined(park, new_park_outline):
    first = submit(
        signup(None, proposed_name="Tanthof", outline=new_park_outline, outline_source="drawn")
    ).application
    redrawn = affinity.translate(new_park_outline, 30, -20)
    second = submit(
        signup(
            None,
            email="gemeente@delft.example",
            capacity=ApplicantCapacity.MUNICIPALITY,
            proposed_name="Bedrijventerrein Tanthof-Oost",
            outline=redrawn,
            outline_source="uploaded",
        )
    ).application
    assert second.joined_to == first
    neighbour = affinity.translate(new_park_outline, 400, 0)  # next door: another park
    third = submit(
        signup(None, email="x@example.org", proposed_name="Buurman", outline=neighbour)
    ).application
    assert third.joined_to is None


def test_one_decision_for_the_group_creates_the_park_once(park, team, new_park_outline, on_commit):
    first = submit(signup(None, proposed_name="Tanthof", outline=new_park_outline)).application
    second = submit(
        signup(
            None,
            email="gemeente@delft.example",
            capacity=ApplicantCapacity.MUNICIPALITY,
            proposed_name="Tanthof",
            outline=affinity.translate(new_park_outline, 10, 10),
        )
    ).application
    for application in (first, second):
        services.transition(application, Status.CONFIRMED, actor=Actor.APPLICANT)
    with on_commit():
        decided = services.decide(first, approve=True, by=team)
    assert [a.pk for a in decided] == [first.pk, second.pk]
    created = Park.objects.get(name="Tanthof")
    assert Park.objects.count() == 2  # the fixture's park and the new one, once
    for application in (first, second):
        application.refresh_from_db()
        assert application.status == Status.APPROVED and application.park == created
    assert ParkContact.objects.filter(park=created).count() == 2
    assert ScanRequest.objects.filter(park=created).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "gemeente@delft.example",
        "sam@parkschieweg.example",
    ]


def test_queue_shows_one_row_per_park_with_the_joined_ones(client, park, team, confirmed):
    second = submit(
        signup(park, email="info@ov.example", organisation_name="OV Schieweg")
    ).application
    services.transition(second, Status.CONFIRMED, actor=Actor.APPLICANT)
    client.force_login(team)
    response = client.get("/aanmelden/beoordelen/")
    rows = response.context["rows"]
    assert len(rows) == 1
    assert rows[0]["lead"] == confirmed and rows[0]["joined"] == [second]
    assert "OV Schieweg" in response.content.decode()
    detail = client.get(f"/aanmelden/beoordelen/{second.pk}/")
    assert [a.pk for a in detail.context["group"]] == [confirmed.pk, second.pk]


def test_sign_up_for_an_approved_park_is_joined_and_adds_a_contact(park, team, confirmed):
    services.decide(confirmed, approve=True, by=team)
    late = submit(signup(park, email="nieuw@ov.example")).application
    assert late.joined_to == confirmed
    services.transition(late, Status.CONFIRMED, actor=Actor.APPLICANT)
    services.decide(late, approve=True, by=team)
    assert ParkContact.objects.filter(park=park).count() == 3  # fixture contact + 2
    assert ScanRequest.objects.filter(park=park).count() == 1  # not scanned twice
