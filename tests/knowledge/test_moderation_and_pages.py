"""Moderation on lib/workflow, who may do what, pages, revisions, safe Markdown and files."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.knowledge.fixtures import BASE, make_entry
from werklandschap.accounts.roles import Role
from werklandschap.knowledge import services
from werklandschap.knowledge.markdown import render_markdown
from werklandschap.knowledge.models import Entry, EntryEvent
from werklandschap.knowledge.workflow import TRANSITIONS, Status
from werklandschap.lib.workflow import TransitionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(users):
    return users[Role.PROGRAMME_TEAM]


@pytest.fixture
def partner(users):
    user = users[Role.COALITION_PARTNER]
    user.email = "partner@example.org"
    user.save()
    return user


def form_data(**change):
    data = {
        "title": "Wadi's op de kavel",
        "summary": "Regenwater blijft op de kavel.",
        "body": "Een **wadi** vangt regenwater op.",
        "lessons": "Begin klein.",
        "kind": "physical_greening",
        "themes": ["water"],
        "directions": ["physical_solutions"],
        "scale": "plot",
        "origin": "elsewhere",
        "evidence": "pilot",
        "measures": ["wadi"],
    }
    data.update(change)
    return data


# --------------------------------------------------------------------------- workflow


def test_the_full_moderation_path_and_its_history(
    team, partner, django_capture_on_commit_callbacks
):
    entry = make_entry(partner, "Groene gevels")
    entry = services.move(entry, Status.IN_REVIEW, by=team)
    with pytest.raises(TransitionRefused):
        services.move(entry, Status.RETURNED, by=team)  # a reason is required
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.move(entry, Status.RETURNED, by=team, reason="Noem de kosten.")
    assert mail.outbox[-1].to == ["partner@example.org"]
    assert "Noem de kosten." in mail.outbox[-1].body
    entry = services.move(entry, Status.SUBMITTED, by=partner)
    services.move(entry, Status.IN_REVIEW, by=team)
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.move(entry, Status.PUBLISHED, by=team)
    assert entry.published_at is not None
    assert "staat online" in mail.outbox[-1].subject
    with pytest.raises(TransitionRefused):
        services.move(entry, Status.UNPUBLISHED, by=team)
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.move(entry, Status.UNPUBLISHED, by=team, reason="Verouderd.")
    assert "offline" in mail.outbox[-1].subject
    steps = list(EntryEvent.objects.filter(entry=entry).values_list("from_status", "to_status"))
    assert steps == [
        ("submitted", "in_review"),
        ("in_review", "returned"),
        ("returned", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "published"),
        ("published", "unpublished"),
    ]


@pytest.mark.parametrize(("source", "target"), list(TRANSITIONS))
def test_only_the_right_actor_makes_each_move(users, partner, source, target):
    """Every move of the table: the submitter, the team and an outsider."""
    team = users[Role.PROGRAMME_TEAM]
    entry = make_entry(partner, "Een innovatie")
    Entry.objects.filter(pk=entry.pk).update(status=source)
    entry.refresh_from_db()
    rule = TRANSITIONS[(source, target)]
    for user, actor in (
        (team, "team"),
        (partner, "submitter"),
        (users[Role.PARK_CONTACT], None),
    ):
        allowed = actor in rule.actors
        if not allowed:
            with pytest.raises(TransitionRefused):
                services.move(entry, target, by=user, reason="Omdat.")
            entry.refresh_from_db()
            assert entry.status == source
    doer = team if "team" in rule.actors else partner
    assert services.move(entry, target, by=doer, reason="Omdat.").status == target


def test_a_refused_move_sends_nothing_and_records_nothing(team, partner):
    entry = make_entry(partner, "Iets")
    with pytest.raises(TransitionRefused):
        services.move(entry, Status.PUBLISHED, by=team)  # not from submitted
    assert not EntryEvent.objects.exists()
    assert mail.outbox == []


def test_unknown_classifications_and_measures_are_refused(team):
    for change in (
        {"kind": "teleportation"},
        {"themes": ["ruimtevaart"]},
        {"themes": []},
        {"directions": ["x"]},
        {"measures": ["not_a_measure"]},
        {"evidence": "rumour"},
    ):
        with pytest.raises(ValidationError):
            services.save_entry(None, {**BASE, "title": "X", **change}, by=team)
    assert not Entry.objects.exists()


# --------------------------------------------------------------------------- pages and access


def test_partner_submits_and_the_team_moderates_through_the_pages(client, team, partner):
    client.force_login(partner)
    response = client.post(reverse("knowledge:submit"), form_data())
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert entry.submitted_by == partner and entry.status == Status.SUBMITTED
    assert entry.measures == ["wadi"]
    # The submitter sees it; the public and other users get 404.
    assert client.get(entry.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(entry.get_absolute_url()).status_code == 404
    client.force_login(team)
    assert "Wadi&#x27;s op de kavel" in client.get(reverse("knowledge:queue")).content.decode()
    for target in (Status.IN_REVIEW, Status.PUBLISHED):
        client.post(reverse("knowledge:step", args=[entry.pk]), {"target": target})
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    client.logout()
    assert client.get(entry.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", [Role.PROVINCE_OFFICER, Role.REGIONAL_DIRECTOR])
def test_other_roles_may_not_submit(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("knowledge:submit")).status_code == 403
    assert client.post(reverse("knowledge:submit"), form_data()).status_code == 403
    assert not Entry.objects.exists()


@pytest.mark.parametrize("role", [Role.PARK_CONTACT, Role.COALITION_PARTNER, Role.PROGRAMME_TEAM])
def test_partners_park_contacts_and_the_team_may_submit(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("knowledge:submit")).status_code == 200


def test_only_the_team_sees_the_queue_and_the_versions(client, users, partner):
    entry = make_entry(partner, "Iets")
    for role, user in users.items():
        client.force_login(user)
        expected = 200 if role == Role.PROGRAMME_TEAM else 403
        assert client.get(reverse("knowledge:queue")).status_code == expected
        assert client.get(reverse("knowledge:revisions", args=[entry.pk])).status_code == expected


def test_the_submitter_edits_only_while_the_entry_waits_for_them(client, team, partner, users):
    entry = make_entry(partner, "Iets")
    client.force_login(partner)
    assert client.get(reverse("knowledge:edit", args=[entry.pk])).status_code == 200
    services.move(entry, Status.IN_REVIEW, by=team)
    assert client.get(reverse("knowledge:edit", args=[entry.pk])).status_code == 403
    client.force_login(users[Role.PARK_CONTACT])
    assert client.get(reverse("knowledge:edit", args=[entry.pk])).status_code == 404
    assert (
        client.post(reverse("knowledge:step", args=[entry.pk]), {"target": "published"}).status_code
        == 404
    )


def test_revisions_are_kept_and_compared(client, team, partner):
    entry = make_entry(partner, "Bomen planten", body="Wij plantten tien bomen.")
    services.save_entry(
        entry,
        {"body": "Wij plantten twintig bomen.", "themes": ["water", "energie"]},
        by=team,
    )
    assert list(entry.revisions.values_list("number", flat=True)) == [1, 2]
    client.force_login(team)
    html = client.get(
        reverse("knowledge:revisions", args=[entry.pk]), {"a": 1, "b": 2}
    ).content.decode()
    assert "<del>tien</del>" in html and "<ins>twintig</ins>" in html
    assert "<ins>Energie</ins>" in html or "Energie</ins>" in html


def test_a_diff_never_renders_entry_text_as_html(client, team):
    entry = make_entry(team, "Iets", body="Oud.")
    services.save_entry(entry, {"body": "<script>alert(1)</script>"}, by=team)
    client.force_login(team)
    html = client.get(reverse("knowledge:revisions", args=[entry.pk])).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --------------------------------------------------------------------------- Markdown


INJECTIONS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<div style="position:fixed">x</div>',
    '[x](https://ok.example "t" onclick=alert(1))',
    "<svg><script>alert(1)</script></svg>",
    "&#x6A;avascript:alert(1)",
    "[x](&#106;avascript:alert(1))",
]


class _Elements(HTMLParser):
    """Every element and attribute of rendered HTML, as a browser's parser sees them."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("text", INJECTIONS)
def test_markdown_and_html_injection_is_neutralised(text):
    parser = _Elements()
    parser.feed(str(render_markdown(text)))
    for tag, attrs in parser.found:
        assert tag not in {
            "script",
            "iframe",
            "img",
            "svg",
            "style",
            "object",
            "embed",
        }, tag
        assert not any(name.startswith("on") or name == "style" for name in attrs), attrs
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("http://", "https://", "mailto:")), href


def test_markdown_keeps_ordinary_formatting_and_safe_links():
    html = render_markdown("# Kop\n\n- **vet** en *schuin*\n- [site](https://example.org)")
    assert "<h2>Kop</h2>" in html
    assert "<strong>vet</strong>" in html and "<em>schuin</em>" in html
    link = re.search(r'<a href="https://example.org" rel="([^"]+)">site</a>', str(html))
    assert link and set(link.group(1).split()) == {"nofollow", "noopener", "noreferrer"}


def test_the_entry_page_shows_the_body_safely(client, team):
    entry = make_entry(team, "Iets", body="<script>alert(1)</script> **vet**", publish_by=team)
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "<strong>vet</strong>" in html
    assert "<script>alert(1)" not in html


# --------------------------------------------------------------------------- files

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_files_are_sniffed_capped_and_served_only_for_visible_entries(
    client, team, partner, settings
):
    entry = make_entry(partner, "Iets")
    pdf = (
        services.store_file(entry, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), by=partner) if False else None
    )
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", "application/pdf")
    pdf = services.store_file(entry, upload, by=partner)
    image = services.store_file(
        entry,
        SimpleUploadedFile("foto.png", PNG, "image/png"),
        by=partner,
        description="Een wadi",
    )
    assert (pdf.kind, image.kind) == ("document", "image")
    # A page named .pdf, and a file over the cap: refused, nothing stored.
    with pytest.raises(ValidationError):
        services.store_file(
            entry,
            SimpleUploadedFile("x.pdf", b"<html><script>", "application/pdf"),
            by=partner,
        )
    settings.KNOWLEDGE_FILE_MAX_MB = 1
    with pytest.raises(ValidationError):
        services.store_file(
            entry,
            SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 1_100_000),
            by=partner,
        )
    assert entry.files.count() == 2
    # Not published: only the submitter and the team.
    assert client.get(pdf.get_absolute_url()).status_code == 404
    client.force_login(partner)
    response = client.get(pdf.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    client.logout()
    services.move(entry, Status.IN_REVIEW, by=team)
    services.move(entry, Status.PUBLISHED, by=team)
    assert client.get(image.get_absolute_url())["Content-Type"] == "image/png"
