"""The public form: a valid sign-up stores one application and sends the confirmation link."""

from __future__ import annotations

from django.core import mail
from django.utils import timezone

from tests.partnership.conftest import SIGNUP_URL, confirm_path, drawn, form_data
from werklandschap.partnership.models import (
    CONSENT_VERSION,
    ApplicantCapacity,
    OutlineSource,
    PartnerApplication,
)
from werklandschap.partnership.workflow import Status
from werklandschap.registry.models import Park


def test_form_page_is_dutch_and_labelled(client, park):
    response = client.get(SIGNUP_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Meld uw bedrijventerrein aan als partnerterrein" in html
    for text in (
        "in beweging te zijn naar een groen, gezond en klimaatbestendig bedrijventerrein",
        "kennis die we opdoen in bij het programma",
        "regionale Community of Practice",
        "bewaart om deze aanmelding te behandelen",  # purpose in the consent text
    ):
        assert text.lower() in html.lower()
    assert 'name="nonce"' in html
    assert '<label for="id_contact_email">' in html


def test_valid_signup_stores_one_application_and_mails_the_link(client, park, on_commit):
    before = timezone.now()
    with on_commit():
        response = client.post(SIGNUP_URL, form_data(park))
    assert response.status_code == 302
    assert response["Location"] == "/aanmelden/verstuurd/"
    application = PartnerApplication.objects.get()
    assert application.park == park
    assert application.status == Status.SUBMITTED
    assert application.capacity == ApplicantCapacity.PARK_MANAGEMENT
    assert application.consent_version == CONSENT_VERSION
    assert application.consent_given_at >= before
    assert application.commits_to_green_goal and application.commits_to_share_knowledge
    assert application.events.get().to_status == Status.SUBMITTED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@parkschieweg.example"]
    assert park.name in message.subject
    assert confirm_path(message).startswith("/aanmelden/bevestigen/")

    page = client.get(response["Location"])
    assert "Controleer uw e-mail" in page.content.decode()
    assert "sam@parkschieweg.example" in page.content.decode()


def test_every_commitment_and_the_consent_are_required(client, park):
    for name in (
        "commits_to_green_goal",
        "commits_to_bring_knowledge",
        "commits_to_share_knowledge",
        "consent",
    ):
        response = client.post(SIGNUP_URL, form_data(park, **{name: None}))
        assert response.status_code == 200
        assert name in response.context["form"].errors
    assert PartnerApplication.objects.count() == 0
    assert mail.outbox == []


def test_single_company_is_refused_with_explanation(client, park):
    response = client.post(SIGNUP_URL, form_data(park, capacity=ApplicantCapacity.SINGLE_COMPANY))
    assert response.status_code == 200
    html = response.content.decode()
    assert "niet als individueel bedrijf" in html
    assert "Eigenaar van het hele terrein" in html
    assert 'class="error-summary"' in html
    assert PartnerApplication.objects.count() == 0
    assert mail.outbox == []


def test_owner_of_the_whole_park_may_sign_up(client, park, on_commit):
    with on_commit():
        client.post(SIGNUP_URL, form_data(park, capacity=ApplicantCapacity.OWNER))
    assert PartnerApplication.objects.get().capacity == ApplicantCapacity.OWNER


def test_no_park_chosen_gets_a_message_next_to_the_search(client, park):
    response = client.post(SIGNUP_URL, form_data(park, park="", park_query="Bestaat niet"))
    assert "park_query" in response.context["form"].errors
    assert 'href="#id_park_query"' in response.content.decode()
    assert PartnerApplication.objects.count() == 0


def test_without_javascript_the_exact_name_picks_the_park(client, park, on_commit):
    with on_commit():
        client.post(SIGNUP_URL, form_data(park, park="", park_query=park.name.upper()))
    assert PartnerApplication.objects.get().park == park


def test_new_park_drawn_on_the_map_is_stored_as_proposal(client, park, new_park_outline, on_commit):
    data = form_data(
        None, proposed_name="Bedrijvenpark Tanthof", outline_drawn=drawn(new_park_outline)
    )
    with on_commit():
        response = client.post(SIGNUP_URL, data)
    assert response.status_code == 302, response.context["form"].errors
    application = PartnerApplication.objects.get()
    assert application.park is None
    assert application.proposed_name == "Bedrijvenpark Tanthof"
    assert application.outline_source == OutlineSource.DRAWN
    # Stored in RD New, within a few cm of what was drawn.
    assert abs(application.geometry.area - new_park_outline.area) / new_park_outline.area < 0.001
    assert application.minx is not None
    assert Park.objects.count() == 1  # the park is only created on approval
    assert "Bedrijvenpark Tanthof" in mail.outbox[0].subject


def test_park_search_by_name_and_municipality(client, park, boundaries):
    from werklandschap.registry.services import assign_areas

    assign_areas(park)
    park.save()
    by_name = client.get("/aanmelden/zoeken/", {"q": "schieweg"}).json()["results"]
    assert [r["id"] for r in by_name] == [park.pk]
    assert by_name[0]["municipality"] == "Delft"
    south, west = by_name[0]["bounds"][0]
    assert 51.9 < south < 52.1 and 4.3 < west < 4.4
    by_municipality = client.get("/aanmelden/zoeken/", {"q": "delft"}).json()["results"]
    assert park.pk in [r["id"] for r in by_municipality]
    assert client.get("/aanmelden/zoeken/", {"q": "x"}).json()["results"] == []
    assert (
        client.get("/aanmelden/zoeken/", {"slug": park.slug}).json()["results"][0]["id"] == park.pk
    )
