"""Each role's start page after log-in (issue 16, "Find my work").

After logging in every role landed on the public map and the header had no
link to one's own work. Now log-in opens the workspace (werkplek), the header
links to it, and each role sees its own items and nothing of other parks,
regions or provinces.
"""

from __future__ import annotations

import uuid

import pytest

from werklandschap.accounts.models import ParkContact
from werklandschap.accounts.roles import Role, roles_of
from werklandschap.partnership import services as partnership
from werklandschap.partnership.models import ApplicantCapacity
from werklandschap.partnership.workflow import Actor, Status
from werklandschap.portal.models import ParkAmbition, ReportJob
from werklandschap.registry.choices import SwarmRole
from werklandschap.scans.models import ParkScan, ScanRequest, ScanRun
from werklandschap.workspace.sections import Section, register, sections_for

from ..conftest import make_user

pytestmark = pytest.mark.django_db
START = "/werkplek/"


def _scan(park, status=ParkScan.Status.OK) -> ParkScan:
    run = ScanRun.objects.create(bundle_name="test", engine_version="test")
    return ParkScan.objects.create(run=run, park=park, status=status)


@pytest.fixture
def scene(users, park, other_park):
    """Our park (partner, scanned, report failed, a sign-up awaiting review) and
    another park in another region and province with its own contact and a
    failed scan."""
    park.swarm_role = SwarmRole.PARTNER
    park.save()
    scan = _scan(park)
    ReportJob.objects.create(scan=scan, language="nl", status=ReportJob.Status.FAILED)
    ScanRequest.objects.create(park=other_park, status=ScanRequest.Status.FAILED)
    other_contact = make_user(Role.PARK_CONTACT, "elders")
    ParkContact.objects.create(
        user=other_contact, park=other_park, capacity=ParkContact.Capacity.ASSOCIATION
    )
    from tests.partnership.conftest import signup

    application = partnership.submit_application(
        signup(park, email="nieuw@schieweg.example", capacity=ApplicantCapacity.ASSOCIATION),
        idempotency_key=uuid.uuid4(),
    ).application
    partnership.transition(application, Status.CONFIRMED, actor=Actor.APPLICANT)
    return {"other_contact": other_contact}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PUBLIC])
def test_each_role_lands_on_its_workspace_after_login(client, users, role):
    user = users[role]
    response = client.post(
        "/account/login/", {"username": user.username, "password": f"pw-{user.username}"}
    )
    assert response.status_code == 302
    assert response["Location"] == START
    page = client.get(START)
    assert page.status_code == 200
    assert page.templates[0].name == "workspace/home.html"


def test_anonymous_visitor_is_asked_to_log_in(client):
    response = client.get(START)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_header_links_every_logged_in_user_to_the_workspace(client, users):
    assert 'href="/werkplek/"' not in client.get("/").content.decode()
    for role, user in users.items():
        client.force_login(user)
        html = client.get("/terreinen/").content.decode()
        label = "Mijn terrein" if role == Role.PARK_CONTACT else "Mijn werkplek"
        assert f'href="/werkplek/">{label}</a>' in html, role


def test_park_contact_sees_own_park_dashboard_and_news_only(client, users, park, other_park, scene):
    client.force_login(users[Role.PARK_CONTACT])
    html = client.get(START).content.decode()
    assert f'href="/portaal/{park.slug}/"' in html  # the bar: home page links the dashboard
    assert "Open het dashboard" in html
    assert "Nulmeting klaar" in html
    assert "Nog geen ambities" in html
    assert f'action="/werkplek/{park.slug}/collega-uitnodigen/"' in html
    assert other_park.name not in html and other_park.slug not in html
    assert "Wachtrijen" not in html and "nieuw@schieweg.example" not in html

    ParkAmbition.objects.create(park=park, indicator="groen_pct", target=30)
    ScanRequest.objects.create(park=park)  # a new scan on its way
    html = client.get(START).content.decode()
    assert "Ambities vastgesteld" in html
    assert "Nulmeting in de wachtrij" in html


def test_regional_director_sees_region_parks_signups_and_scan_status(
    client, users, park, other_park, scene
):
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    html = client.get(START).content.decode()
    assert park.region.name in html
    assert park.name in html and "Nulmeting klaar" in html
    assert "1 aanmelding wacht op een besluit" in html
    assert other_park.name not in html
    assert "nieuw@schieweg.example" not in html  # applicants' addresses stay with the team
    assert "Wachtrijen" not in html and "Een collega uitnodigen" not in html


def test_province_officer_sees_own_province_only(client, users, park, other_park, scene):
    client.force_login(users[Role.PROVINCE_OFFICER])
    html = client.get(START).content.decode()
    assert park.province.name in html and park.name in html
    assert other_park.name not in html and other_park.province.name not in html
    assert "aanmelding wacht" not in html


def test_coalition_partner_is_told_plainly_that_nothing_is_there_yet(
    client, users, park, other_park, scene
):
    client.force_login(users[Role.COALITION_PARTNER])
    html = client.get(START).content.decode()
    assert "Er staat nog niets voor Heijmans klaar." in html
    assert "Hier verschijnt straks" in html
    assert park.name not in html and other_park.name not in html


def test_programme_team_sees_its_queues(client, users, park, other_park, scene):
    client.force_login(users[Role.PROGRAMME_TEAM])
    response = client.get(START)
    html = response.content.decode()
    context = response.context["sections"][0].context
    assert (context["awaiting"], context["failed_scans_count"]) == (1, 1)
    assert context["failed_reports_count"] == 1
    assert 'href="/aanmelden/beoordelen/"' in html
    assert f'href="/portaal/{other_park.slug}/"' in html  # the park whose scan failed
    assert f'href="/portaal/{park.slug}/rapport/"' in html  # the failed report
    assert "Open het dashboard" not in html  # no park-contact section


def test_a_newer_successful_scan_clears_a_failure_from_the_team_queue(users, other_park, scene):
    _scan(other_park)
    (section,) = [s for s in sections_for(users[Role.PROGRAMME_TEAM]) if s.key == "wachtrijen"]
    assert section.context["failed_scans_count"] == 0


def test_a_user_without_role_gets_a_plain_empty_state(client, db):
    from werklandschap.accounts.models import User

    user = User.objects.create_user(username="niemand", password="x")
    client.force_login(user)
    html = client.get(START).content.decode()
    assert "Nog niets voor u" in html


def test_later_capabilities_add_sections_through_the_registry(client, users):
    """The support desk, vouchers and events register a function; the page shows it."""
    from werklandschap.workspace import sections

    @register(order=99)
    def events_for(user):
        if Role.COALITION_PARTNER not in roles_of(user):
            return None
        return Section(key="events", title="Bijeenkomsten", template="events/_workspace.html")

    try:
        keys = [s.key for s in sections_for(users[Role.COALITION_PARTNER])]
        assert keys == ["voor-mijn-organisatie", "events"]
        assert "events" not in [s.key for s in sections_for(users[Role.PARK_CONTACT])]
    finally:
        sections._REGISTRY[:] = [e for e in sections._REGISTRY if e[2] is not events_for]


def test_director_sees_a_new_park_proposed_in_the_region_by_name_only(
    client, users, park, boundaries
):
    from shapely.geometry import box

    from tests.partnership.conftest import NEW_PARK_BOX, signup
    from werklandschap.partnership.models import OutlineSource

    application = partnership.submit_application(
        signup(
            None,
            email="voorsteller@example.org",
            proposed_name="Nieuw terrein Tanthof",
            outline=box(*NEW_PARK_BOX),
            outline_source=OutlineSource.DRAWN,
        ),
        idempotency_key=uuid.uuid4(),
    ).application
    partnership.transition(application, Status.CONFIRMED, actor=Actor.APPLICANT)
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    html = client.get(START).content.decode()
    assert "Nieuw terrein Tanthof" in html
    assert "1 aanmelding wacht op een besluit" in html
    assert "voorsteller@example.org" not in html
    client.force_login(users[Role.PROVINCE_OFFICER])  # not the province's list of sign-ups
    assert "Nieuw terrein Tanthof" not in client.get(START).content.decode()


def test_logging_in_from_the_map_opens_the_workspace_not_the_map_again(client, users):
    """The header's log-in link on the home page carries no ?next=/ any more."""
    html = client.get("/").content.decode()
    assert 'href="/account/login/"' in html and "/account/login/?next=" not in html
    assert 'href="/account/login/?next=/terreinen/"' in client.get("/terreinen/").content.decode()


def test_the_login_language_is_remembered_for_mails(client, users):
    from werklandschap.workspace.language import language_of

    user = users[Role.PARK_CONTACT]
    assert language_of(user) == "nl"
    response = client.post(
        "/en/account/login/", {"username": user.username, "password": f"pw-{user.username}"}
    )
    assert response["Location"] == "/en/werkplek/"
    assert language_of(user) == "en"
