"""The desk's pages: the whole path through the web client, who sees what, hostile input."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.support.desk_fixtures import put_out_to, sharpen, short_proposal
from werklandschap.accounts.roles import Role
from werklandschap.support import services
from werklandschap.support.models import Attachment, Question
from werklandschap.support.workflow import Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("addresses")]

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _form(park, **overrides):
    data = {
        "nonce": "6f1c2a52-3d0e-4c55-9a57-0d1c3c2f1a11",
        "asker_type": "business_park",
        "level": "park",
        "park": park.slug,
        "title": "Hoe beginnen we met een groenplan?",
        "body": "We willen met de leden een groenplan maken.",
        "asker_name": "A. Vrager",
        "asker_organisation": "Parkmanagement",
        "asker_email": "vrager@example.org",
    }
    data.update(overrides)
    return data


def test_a_park_contact_asks_from_the_dashboard_and_the_whole_path_works(
    client, users, park, partners, django_capture_on_commit_callbacks
):
    contact, director = users[Role.PARK_CONTACT], users[Role.REGIONAL_DIRECTOR]
    director.email = "regisseur@example.org"
    director.save()
    client.force_login(contact)
    page = client.get(reverse("support:ask") + f"?park={park.slug}")
    assert page.status_code == 200
    assert park.name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("support:ask"), _form(park, asker_email=""))
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get()
    assert question.status == Status.RECEIVED and question.asker_user == contact
    assert question.director == park.region.director
    assert [m.to for m in mail.outbox] == [["regisseur@example.org"]]

    client.force_login(director)
    assert question.reference in client.get(reverse("support:desk")).content.decode()
    step = reverse("support:step", kwargs={"reference": question.reference})
    assert client.post(step, {"target": Status.SHARPENING}).status_code == 302
    put_out = reverse("support:put-out", kwargs={"reference": question.reference})
    form_page = client.get(put_out).content.decode()
    suggested = re.findall(r'name="partners" value="(\d+)"[^>]*checked', form_page)
    assert len(suggested) == 3
    assert client.post(put_out, {"partners": suggested}).status_code == 302
    question.refresh_from_db()
    assert question.status == Status.PUT_OUT and question.due_date is not None

    assigned = [a.organisation.name for a in question.assignments.all()]
    for name in assigned[:2]:
        client.force_login(partners.get(name) or _account_for(name))
        propose = reverse("support:propose", kwargs={"reference": question.reference})
        data = short_proposal().__dict__
        assert client.post(propose, data).status_code == 302
    question.refresh_from_db()
    assert question.status == Status.PROPOSALS_IN and question.proposals.count() == 2

    client.force_login(contact)
    detail = client.get(reverse("support:detail", kwargs={"reference": question.reference}))
    assert detail.status_code == 200
    chosen = question.proposals.first()
    choose = reverse("support:choose", kwargs={"reference": question.reference})
    assert client.post(choose, {"proposal": chosen.pk}).status_code == 302
    question.refresh_from_db()
    assert question.status == Status.DECIDED
    assert services.overdue(Question.objects.all()).count() == 0  # answered on time


def _account_for(name):
    from tests.conftest import make_user
    from werklandschap.registry.models import Organisation

    org = Organisation.objects.get(name=name)
    return make_user(Role.COALITION_PARTNER, f"extra-{org.slug}", org)


def test_an_anonymous_asker_confirms_by_e_mail(client, park, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("support:ask"), _form(park))
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.status == Status.NEW
    link = re.search(r"https?://\S+/vragen/bevestigen/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200  # a GET (mail scanner) confirms nothing
    question.refresh_from_db()
    assert question.status == Status.NEW
    client.post(path)
    question.refresh_from_db()
    assert question.status == Status.RECEIVED


@pytest.fixture
def put_out_question(users, park, partners):
    question, _ = services.submit_question(
        services.Intake(
            asker_type="business_park",
            level="park",
            title="Vraag over beheer",
            body="Hoe regelen we het onderhoud?",
            asker_name="A. Vrager",
            asker_email="vrager@example.org",
            park=park,
        ),
        user=users[Role.PARK_CONTACT],
    )
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(question, director)
    put_out_to(question, director, ["Heijmans", "Arcadis"])
    services.submit_proposal(question, short_proposal(), by=partners["Heijmans"])
    services.submit_proposal(question, short_proposal(), by=partners["Arcadis"])
    return question


def test_who_sees_a_question(client, users, outsiders, partners, put_out_question):
    url = reverse("support:detail", kwargs={"reference": put_out_question.reference})
    for who in [
        users[Role.PARK_CONTACT],
        users[Role.REGIONAL_DIRECTOR],
        users[Role.PROGRAMME_TEAM],
        partners["Heijmans"],
    ]:
        client.force_login(who)
        assert client.get(url).status_code == 200, who
    for who in [
        partners["TAUW"],  # not put out to it
        outsiders[Role.REGIONAL_DIRECTOR],  # another region
        outsiders[Role.PARK_CONTACT],  # not the asker
        users[Role.PROVINCE_OFFICER],
    ]:
        client.force_login(who)
        assert client.get(url).status_code == 404, who
        desk = client.get(reverse("support:desk")).content.decode()
        assert put_out_question.reference not in desk


def test_a_partner_sees_neither_the_askers_address_nor_another_partners_proposal(
    client, partners, put_out_question
):
    client.force_login(partners["Heijmans"])
    page = client.get(
        reverse("support:detail", kwargs={"reference": put_out_question.reference})
    ).content.decode()
    assert "vrager@example.org" not in page and "A. Vrager" not in page
    assert "Heijmans" in page and "Arcadis" not in page
    other = put_out_question.proposals.get(organisation__name="Arcadis")
    pdf = reverse(
        "support:proposal-pdf", kwargs={"reference": put_out_question.reference, "pk": other.pk}
    )
    assert client.get(pdf).status_code == 404


def test_the_asker_reads_every_proposal_as_pdf(client, users, put_out_question):
    client.force_login(users[Role.PARK_CONTACT])
    for proposal in put_out_question.proposals.all():
        url = reverse(
            "support:proposal-pdf",
            kwargs={"reference": put_out_question.reference, "pk": proposal.pk},
        )
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_html_in_every_field_is_shown_as_text(client, users, park):
    client.force_login(users[Role.PARK_CONTACT])
    data = _form(park, asker_email="")
    for field in ("title", "body", "asker_name", "asker_organisation"):
        data[field] = HOSTILE
    assert client.post(reverse("support:ask"), data).status_code == 302
    question = Question.objects.get()
    for who in (users[Role.PARK_CONTACT], users[Role.REGIONAL_DIRECTOR]):
        client.force_login(who)
        for url in (
            reverse("support:detail", kwargs={"reference": question.reference}),
            reverse("support:desk"),
        ):
            page = client.get(url).content.decode()
            assert "<script>alert" not in page and "<img src=x" not in page
            assert "&lt;script&gt;" in page


def test_a_disguised_attachment_is_refused_and_nothing_is_stored(client, users, park):
    client.force_login(users[Role.PARK_CONTACT])
    disguised = SimpleUploadedFile(
        "offerte.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    data = _form(park, asker_email="")
    data["attachment_1"] = disguised
    response = client.post(reverse("support:ask"), data)
    assert response.status_code == 400
    assert "offerte.pdf" in response.content.decode() or "PDF" in response.content.decode()
    assert not Question.objects.exists() and not Attachment.objects.exists()


def test_an_attachment_is_kept_and_served_only_to_those_who_see_the_question(
    client, users, outsiders, park
):
    client.force_login(users[Role.PARK_CONTACT])
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    data = _form(park, asker_email="")
    data["attachment_1"] = SimpleUploadedFile("plan.pdf", pdf, content_type="application/pdf")
    response = client.post(reverse("support:ask"), data)
    if response.status_code != 302:  # a minimal PDF the checker finds damaged: use WeasyPrint's
        from weasyprint import HTML

        data["attachment_1"] = SimpleUploadedFile(
            "plan.pdf", HTML(string="<p>plan</p>").write_pdf(), content_type="application/pdf"
        )
        response = client.post(reverse("support:ask"), data)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    url = reverse(
        "support:attachment",
        kwargs={"reference": attachment.question.reference, "pk": attachment.pk},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(outsiders[Role.PARK_CONTACT])
    assert client.get(url).status_code == 404


def test_a_step_on_a_closed_question_gets_a_clear_message(client, users, put_out_question):
    services.move(put_out_question, Status.WITHDRAWN, by=users[Role.PARK_CONTACT])
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    step = reverse("support:step", kwargs={"reference": put_out_question.reference})
    response = client.post(step, {"target": Status.IN_EXECUTION})
    assert response.status_code == 400
    assert "kan niet naar" in response.content.decode()
    put_out_question.refresh_from_db()
    assert put_out_question.status == Status.WITHDRAWN


def test_the_intake_is_for_team_and_directors(client, users, park):
    url = reverse("support:intake")
    for role in (Role.PARK_CONTACT, Role.COALITION_PARTNER, Role.PROVINCE_OFFICER):
        client.force_login(users[role])
        assert client.get(url).status_code == 403
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    data = _form(park, received_via="Roadshow Zwolle", asker_email="")
    response = client.post(url, data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.status == Status.RECEIVED and question.received_via == "Roadshow Zwolle"
    assert question.asker_user is None


def test_each_workspace_shows_its_part_of_the_desk(client, users, partners, put_out_question):
    """The asker sees proposals to choose from; the partner what awaits it; the
    director the deadline counts; an unrelated partner nothing of this question."""
    start = reverse("workspace:start")
    client.force_login(users[Role.PARK_CONTACT])
    page = client.get(start).content.decode()
    assert put_out_question.reference in page and "2 voorstellen om uit te kiezen" in page
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    page = client.get(start).content.decode()
    assert put_out_question.reference in page and "over de termijn van twee weken" in page
    client.force_login(partners["TAUW"])
    assert put_out_question.reference not in client.get(start).content.decode()
    services.move(put_out_question, Status.WITHDRAWN, by=users[Role.PARK_CONTACT])
    other, _ = services.submit_question(
        services.Intake(
            asker_type="region",
            level="region",
            title="Regionale aanpak",
            body="Hoe pakken we dit regionaal aan?",
            asker_name="B. Vrager",
            region=users[Role.REGIONAL_DIRECTOR].organisation.directed_regions.first(),
        ),
        user=users[Role.PROGRAMME_TEAM],
        via="Roadshow",
    )
    sharpen(other, users[Role.REGIONAL_DIRECTOR])
    put_out_to(other, users[Role.REGIONAL_DIRECTOR], ["TAUW"])
    client.force_login(partners["TAUW"])
    page = client.get(start).content.decode()
    assert other.reference in page and "wacht op een voorstel van uw organisatie" in page


def test_the_report_counts_and_exports_without_personal_data_or_formulas(
    client, users, outsiders, put_out_question
):
    from io import BytesIO

    from openpyxl import load_workbook

    from werklandschap.registry.models import Park

    Park.objects.filter(pk=put_out_question.park_id).update(name='=HYPERLINK("http://x","y")')
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    page = client.get(reverse("support:report")).content.decode()
    assert "Per regio" in page and "Heijmans" in page
    csv_text = client.get(reverse("support:report") + "?format=csv").content.decode("utf-8-sig")
    assert put_out_question.reference in csv_text
    assert "vrager@example.org" not in csv_text and "A. Vrager" not in csv_text
    assert "'=HYPERLINK" in csv_text
    xlsx = client.get(reverse("support:report") + "?format=xlsx").content
    sheet = load_workbook(BytesIO(xlsx)).active
    row = list(sheet[2])
    assert row[0].value == put_out_question.reference
    park_cell = next(c for c in row if c.value and str(c.value).startswith("=HYPERLINK"))
    assert park_cell.data_type == "s" and park_cell.quotePrefix
    # A director of another region sees none of it.
    client.force_login(outsiders[Role.REGIONAL_DIRECTOR])
    other = client.get(reverse("support:report") + "?format=csv").content.decode("utf-8-sig")
    assert put_out_question.reference not in other
    client.force_login(users[Role.PARK_CONTACT])
    assert client.get(reverse("support:report")).status_code == 403


def test_the_put_out_form_lists_partners_in_the_suggested_order(client, users, asked):
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(asked, director)
    client.force_login(director)
    page = client.get(reverse("support:put-out", kwargs={"reference": asked.reference}))
    values = re.findall(r'name="partners" value="(\d+)"', page.content.decode())
    ranked = [str(s.organisation.pk) for s in services.suggest_partners(asked)]
    assert values == ranked
    checked = re.findall(r'name="partners" value="(\d+)"[^>]*checked', page.content.decode())
    assert checked == ranked[:3]


def test_an_asker_without_an_account_follows_and_chooses_through_the_private_link(
    client, users, partners, park, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question, _ = services.submit_question(
            services.Intake(
                asker_type="entrepreneur",
                level="park",
                title="Vraag zonder account",
                body="Hoe beginnen we?",
                asker_name="C. Vrager",
                asker_email="zonder-account@example.org",
                park=park,
            )
        )
    confirm = services.confirmation_token(question)
    page = client.post(reverse("support:confirm", kwargs={"token": confirm}))
    follow = re.search(r'href="(/vragen/volgen/[^"]+/)"', page.content.decode()).group(1)
    assert page["Referrer-Policy"] == "no-referrer"
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(question, director)
    put_out_to(question, director, ["Heijmans", "Arcadis"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_proposal(question, short_proposal(), by=partners["Heijmans"])
    to_asker = next(m for m in mail.outbox if m.to == ["zonder-account@example.org"])
    # The asker's mail carries a private link to this question (signed with a time
    # stamp, so not byte-equal to the one on the confirmation page); nobody else's does.
    mailed = re.search(r"/vragen/volgen/([^/\s]+)/", to_asker.body).group(1)
    assert services.question_for_asker_token(mailed) == question
    assert all("/vragen/volgen/" not in m.body for m in mail.outbox if m is not to_asker)
    detail = client.get(follow).content.decode()
    assert "Heijmans" in detail and "Kies het voorstel van Heijmans" in detail
    proposal = question.proposals.get()
    pdf = client.get(
        reverse("support:follow-pdf", kwargs={"token": follow.split("/")[3], "pk": proposal.pk})
    )
    assert pdf.status_code == 200
    client.post(follow, {"proposal": proposal.pk})
    question.refresh_from_db()
    assert question.status == Status.DECIDED
    assert question.events.latest("at", "id").actor == "asker"
    # An altered link opens nothing, and the confirmation link is not a follow link.
    assert client.get(follow[:-3] + "xx/").status_code == 404
    assert client.get(reverse("support:follow", kwargs={"token": confirm})).status_code == 404
