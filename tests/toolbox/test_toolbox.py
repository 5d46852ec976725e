"""The toolbox: data file, revisions and restore, the admin editor, templates, public pages."""

import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import slugify

from werklandschap.accounts.roles import Role
from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.support.models import Expertise
from werklandschap.toolbox import services
from werklandschap.toolbox.demo import create_demo_toolbox, delete_demo_toolbox
from werklandschap.toolbox.models import Step, StepRevision, TemplateFile

pytestmark = pytest.mark.django_db

EXPERTISE_YAML = services.DATA_FILE.parents[1] / "reference" / "expertise.yaml"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.TOOLBOX_FILES_ROOT = tmp_path / "toolbox-files"


@pytest.fixture
def steps(reference_data):
    services.load_steps()
    return list(Step.objects.order_by("order"))


def _pdf_bytes() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Sjabloon</p>").write_pdf()


# --------------------------------------------------------------------------- data file


def test_data_file_is_complete_and_consistent():
    data = services.read_data()
    catalogue = load_catalogue().measures
    matrix = {row["name"] for row in yaml.safe_load(EXPERTISE_YAML.read_text())["toolbox_steps"]}
    keys = [row["key"] for row in data["steps"]]
    assert keys == [
        "enthousiasme",
        "ambities",
        "nulmeting",
        "plan",
        "kosten-baten",
        "realisatie-beheer",
        "monitoring",
    ]
    covered = set()
    for row in data["steps"]:
        for field in ("title", "summary", "body"):
            assert row[f"{field}_nl"].strip() and row[f"{field}_en"].strip(), (row["key"], field)
        assert set(row["measures"]) <= set(catalogue), row["key"]
        assert row["expertise"] in matrix, row["key"]
        assert set(row["chain"]) <= set(range(8))
        covered |= set(row["chain"])
    assert covered == set(range(8))  # the whole process chain 0-7 is covered, in order
    firsts = [min(row["chain"]) for row in data["steps"]]
    assert firsts == sorted(firsts)
    assert data["process_support"]["expertise"] in matrix
    assert {t["step"] for t in data["demo_templates"]} <= set(keys)


def test_load_creates_steps_with_a_first_revision_and_never_overwrites(steps, team):
    assert len(steps) == 7
    assert all(s.revisions.count() == 1 for s in steps)
    assert all(s.expertise_slug for s in steps)
    step = steps[0]
    step.title_nl = "Door het team aangepast"
    services.save_step(step, user=team)
    assert services.load_steps() == 0
    step.refresh_from_db()
    assert step.title_nl == "Door het team aangepast"


# --------------------------------------------------------------------------- revisions


def test_every_save_is_a_revision_and_restore_puts_an_old_one_back(steps, team):
    step = steps[1]
    original = step.body_nl
    step.body_nl = "Nieuwe tekst"
    second = services.save_step(step, user=team, note="korter")
    assert second.number == 2 and second.saved_by == team and second.note == "korter"
    first = step.revisions.get(number=1)
    third = services.restore(step, first, user=team)
    step.refresh_from_db()
    assert step.body_nl == original
    assert third.number == 3 and "1" in third.note
    assert list(step.revisions.values_list("number", flat=True)) == [3, 2, 1]
    assert step.revisions.get(number=2).content["body_nl"] == "Nieuwe tekst"


def test_unknown_measures_and_expertise_are_refused(steps):
    step = steps[0]
    step.measures = ["green_roof_extensive", "no_such_measure"]
    with pytest.raises(ValidationError):
        services.save_step(step)
    step.measures = []
    step.expertise_slug = "bestaat-niet"
    with pytest.raises(ValidationError):
        services.save_step(step)
    assert step.revisions.count() == 1


def test_a_revision_of_another_step_cannot_be_restored(steps):
    with pytest.raises(ValidationError):
        services.restore(steps[0], steps[1].revisions.get())


# --------------------------------------------------------------------------- admin editor


def _admin_post(step, **changes):
    data = {
        "order": step.order,
        "published": "on" if step.published else "",
        "title_nl": step.title_nl,
        "summary_nl": step.summary_nl,
        "body_nl": step.body_nl,
        "title_en": step.title_en,
        "summary_en": step.summary_en,
        "body_en": step.body_en,
        "measures": step.measures,
        "chain": step.chain,
        "expertise_slug": step.expertise_slug,
        "note": "",
        "templates-TOTAL_FORMS": "0",
        "templates-INITIAL_FORMS": "0",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_team_edits_a_step_in_the_admin_and_restores_a_revision(client, steps, team):
    step = steps[3]
    client.force_login(team)
    url = reverse("admin:toolbox_step_change", args=[step.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Bekijken en terugzetten" in page.content
    response = client.post(url, _admin_post(step, summary_nl="Nieuw", note="samenvatting"))
    assert response.status_code == 302, response.content.decode()[:3000]
    step.refresh_from_db()
    assert step.summary_nl == "Nieuw" and step.updated_by == team
    latest = step.revisions.first()
    assert latest.number == 2 and latest.note == "samenvatting"

    restore = reverse("admin:toolbox_step_restore", args=[step.pk, 1])
    preview = client.get(restore)
    assert preview.status_code == 200 and step.title_nl.encode() in preview.content
    step.refresh_from_db()
    assert step.summary_nl == "Nieuw"  # looking changes nothing
    assert client.post(restore).status_code == 302
    step.refresh_from_db()
    assert step.summary_nl != "Nieuw"
    assert step.revisions.count() == 3


def test_the_admin_refuses_an_unknown_measure(client, steps, team):
    step = steps[3]
    client.force_login(team)
    url = reverse("admin:toolbox_step_change", args=[step.pk])
    response = client.post(url, _admin_post(step, measures=["no_such_measure"]))
    assert response.status_code == 200  # the form again, with the error
    assert step.revisions.count() == 1


@pytest.mark.parametrize(
    "role", [Role.REGIONAL_DIRECTOR, Role.COALITION_PARTNER, Role.PARK_CONTACT]
)
def test_other_roles_cannot_edit_or_restore(client, steps, users, role):
    step = steps[0]
    client.force_login(users[role])
    change = client.post(
        reverse("admin:toolbox_step_change", args=[step.pk]), _admin_post(step, title_nl="X")
    )
    restore = client.post(reverse("admin:toolbox_step_restore", args=[step.pk, 1]))
    assert change.status_code in (302, 403) and restore.status_code in (302, 403)
    step.refresh_from_db()
    assert step.title_nl != "X" and step.revisions.count() == 1


def _upload_post(step, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _admin_post(
        step,
        **{
            "templates-TOTAL_FORMS": "1",
            "templates-0-title_nl": "Sjabloon",
            "templates-0-title_en": "",
            "templates-0-order": "0",
            "templates-0-step": str(step.pk),
        },
    )
    data["templates-0-file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return data


def test_a_template_upload_is_sniffed_and_capped(client, steps, team, settings):
    step = steps[1]
    client.force_login(team)
    url = reverse("admin:toolbox_step_change", args=[step.pk])

    fake = client.post(url, _upload_post(step, "overeenkomst.pdf", b"<html><script>x</script>"))
    assert fake.status_code == 200 and not TemplateFile.objects.exists()

    settings.TOOLBOX_TEMPLATE_MAX_MB = 1
    big = _pdf_bytes() + b"%" * (1_048_576 + 10)
    too_big = client.post(url, _upload_post(step, "groot.pdf", big))
    assert too_big.status_code == 200 and not TemplateFile.objects.exists()

    ok = client.post(url, _upload_post(step, "Samenwerking (def).PDF", _pdf_bytes()))
    assert ok.status_code == 302, ok.content.decode()[:3000]
    item = TemplateFile.objects.get()
    assert item.name == "samenwerking-def.pdf"
    assert item.content_type == "application/pdf" and item.size > 0 and len(item.sha256) == 64
    # Stored where the setting says now (outside MEDIA_ROOT), not where it said at start-up.
    stored = Path(item.file.path)
    assert stored.is_file() and stored.is_relative_to(settings.TOOLBOX_FILES_ROOT)


# --------------------------------------------------------------------------- public pages


def test_overview_shows_the_steps_as_a_path(client, steps):
    response = client.get(reverse("toolbox:overview"))
    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(s.get_absolute_url()) for s in steps]
    assert positions == sorted(positions)
    assert "Heijmans" in html  # process support partners


def test_step_page_has_guidance_measures_partners_and_ask_link(client, steps):
    step = next(s for s in steps if s.key == "plan")
    response = client.get(step.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Zo pakt u het aan</h2>" in html  # the data file's ## becomes h2 on the page
    for key in step.measures:
        assert reverse("measures:detail", kwargs={"key": key}) in html
    expertise = Expertise.objects.get(kind="toolbox_step", slug=step.expertise_slug)
    for org in expertise.partners.all():
        assert org.name in html
    ask = reverse("support:ask") + "?stap=" + step.expertise_slug
    assert ask in html
    # The support desk's form arrives with this step chosen.
    form = client.get(ask).content.decode()
    assert f'<option value="{expertise.pk}" selected>' in form


def test_step_page_in_english(client, steps):
    response = client.get("/en" + reverse("toolbox:step", kwargs={"slug": "kosten-baten"}))
    assert "Costs, benefits and financing" in response.content.decode()


def test_markdown_injection_is_neutralised(client, steps, team):
    step = steps[0]
    step.body_nl = (
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n'
        "[klik](javascript:alert(1)) [ok](https://example.nl)\n\n"
        '<a href="https://evil.example" style="x">a</a>'
    )
    services.save_step(step, user=team)
    html = client.get(step.get_absolute_url()).content.decode()
    body = html[html.index('class="prose"') : html.index("</div>", html.index('class="prose"'))]
    assert "<script" not in body and "<img" not in body and 'href="javascript' not in body
    assert not re.search(r"<[^>]+style=", body) and '<a href="https://evil' not in body
    assert 'href="https://example.nl"' in body


def test_unpublished_steps_and_their_templates_are_not_public(client, steps):
    create_demo_toolbox()
    step = Step.objects.get(key="ambities")
    item = step.templates.get()
    assert client.get(item.get_absolute_url()).status_code == 200
    step.published = False
    services.save_step(step)
    assert client.get(step.get_absolute_url()).status_code == 404
    assert client.get(item.get_absolute_url()).status_code == 404
    assert step.get_absolute_url() not in client.get(reverse("toolbox:overview")).content.decode()


def test_template_download_is_an_attachment_with_the_sniffed_type(client, steps):
    create_demo_toolbox()
    item = TemplateFile.objects.get(step__key="ambities")
    response = client.get(item.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    page = client.get(item.step.get_absolute_url()).content.decode()
    assert item.get_absolute_url() in page and "PDF" in page


def test_demo_is_idempotent_and_removable(steps):
    create_demo_toolbox()
    create_demo_toolbox()
    assert Step.objects.count() == 7
    assert TemplateFile.objects.count() == 2
    delete_demo_toolbox()
    assert TemplateFile.objects.count() == 0


def test_a_step_lists_published_innovations_that_apply_its_measures(steps, users):
    from tests.knowledge.fixtures import make_entry
    from werklandschap.accounts.roles import Role

    step = next(s for s in steps if s.measures)
    assert services.innovations_for(step) == []
    team = users[Role.PROGRAMME_TEAM]
    applied = make_entry(team, "Toegepast", publish_by=team, measures=[step.measures[0]])
    make_entry(team, "Niet gepubliceerd", measures=[step.measures[0]])
    make_entry(team, "Andere maatregel", publish_by=team)
    assert [e.pk for e in services.innovations_for(step)] == [applied.pk]


def test_revision_numbers_are_unique_per_step(steps):
    step = steps[0]
    for _ in range(3):
        services.save_step(step)
    numbers = list(StepRevision.objects.filter(step=step).values_list("number", flat=True))
    assert sorted(numbers) == [1, 2, 3, 4]


def test_slugs_match_the_expertise_matrix():
    names = [row["expertise"] for row in services.read_data()["steps"]]
    assert all(slugify(n) for n in names)


def test_office_templates_pass_the_same_checks(steps):
    """A .docx from the team is accepted when it is what it says it is."""
    from werklandschap.support import attachments

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    checked = attachments.check_attachment(
        buf.getvalue(), "overeenkomst.docx", limits=services.upload_rules()
    )
    assert checked.name == "overeenkomst.docx"


def test_the_team_adds_a_step_in_the_admin(client, reference_data, team):
    client.force_login(team)
    response = client.post(
        reverse("admin:toolbox_step_add"),
        {
            "key": "extra-stap",
            "order": "9",
            "published": "on",
            "title_nl": "Extra stap",
            "summary_nl": "Kort",
            "body_nl": "Tekst",
            "title_en": "",
            "summary_en": "",
            "body_en": "",
            "chain": ["7"],
            "expertise_slug": "",
            "note": "nieuw",
            "templates-TOTAL_FORMS": "0",
            "templates-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    step = Step.objects.get(key="extra-stap")
    assert step.chain == [7]
    assert step.revisions.get().note == "nieuw"
