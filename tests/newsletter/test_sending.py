"""Sending an issue: RFC 8058 headers and tokens, batches, resuming, the export, access."""

import csv
import io
import re
from email import message_from_bytes

import pytest
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from werklandschap.accounts.models import ParkContact
from werklandschap.accounts.roles import Role
from werklandschap.newsletter import sending, services
from werklandschap.newsletter.models import Delivery, Issue, Subscriber
from werklandschap.portal.models import PartnerSubscription
from werklandschap.portal.partner_offer import set_subscription

pytestmark = pytest.mark.django_db

UNSUB = re.compile(r"<(https?://[^>]+/nieuwsbrief/afmelden/([^/>]+)/)>")


def _subscriber(email, language="nl", status=Subscriber.Status.CONFIRMED):
    return Subscriber.objects.create(email=email, language=language, source="form", status=status)


def _issue(**extra):
    return Issue.objects.create(
        subject_nl="Nieuws uit de zwerm",
        body_nl="## Proeftuinen\n\nDe **eerste** wadi is klaar. [Lees meer](https://example.nl/a)",
        subject_en="News from the swarm",
        body_en="## Living labs\n\nThe **first** wadi is ready.",
        **extra,
    )


def _token(subscriber) -> str:
    return services.unsubscribe_token(subscriber)


def _unsub_url(token) -> str:
    return reverse("newsletter:unsubscribe", kwargs={"token": token})


# --------------------------------------------------------------------------- unsubscribe


def test_own_token_unsubscribes_with_one_click_post():
    subscriber = _subscriber("a@example.nl")
    # A mail program posts without cookie or CSRF token (RFC 8058).
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _unsub_url(_token(subscriber)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_get_never_unsubscribes(client):
    subscriber = _subscriber("b@example.nl")
    response = client.get(_unsub_url(_token(subscriber)))
    assert response.status_code == 200
    assert b'name="List-Unsubscribe" value="One-Click"' in response.content
    assert "no-store" in response["Cache-Control"]
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_post_without_one_click_body_changes_nothing(client):
    subscriber = _subscriber("c@example.nl")
    assert client.post(_unsub_url(_token(subscriber)), {}).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def _forge(token: str, **changes) -> str:
    """Another payload under the original signature (what an attacker can do without the key)."""
    _payload_b64, rest = token.split(":", 1)
    payload = signing.loads(token, salt=services.UNSUBSCRIBE_SALT)
    payload.update(changes)
    new_b64 = signing.b64_encode(signing.JSONSerializer().dumps(payload)).decode()
    return new_b64 + ":" + rest


def test_tampered_or_other_persons_token_changes_nothing(client):
    mine = _subscriber("mine@example.nl")
    other = _subscriber("other@example.nl")
    token = _token(mine)
    attempts = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        _forge(token, s=other.pk),  # my signature, the other's id
        _forge(token, s=other.pk, a=services._address_digest(other.email)),  # and address
        signing.dumps(
            {"s": other.pk, "a": services._address_digest(other.email)}, salt="another-salt"
        ),
        services.confirmation_token(other),  # a confirmation link is no unsubscribe link
        "not-a-token",
    ]
    for forged in attempts:
        response = client.post(_unsub_url(forged), {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 404, forged
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"confirmed"}


def test_a_token_made_for_an_old_address_no_longer_works(client):
    subscriber = _subscriber("old@example.nl")
    token = _token(subscriber)
    subscriber.email = "new@example.nl"
    subscriber.save()
    assert client.post(_unsub_url(token), {"List-Unsubscribe": "One-Click"}).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_portal_subscriber_unsubscribes_from_a_mail(client, users, park):
    user = users[Role.PARK_CONTACT]
    user.email = "contact@park.example"
    user.save()
    contact = ParkContact.objects.get(user=user, park=park)
    set_subscription(contact, newsletter=True, webinar=False)
    subscriber = Subscriber.objects.get()
    response = client.post(_unsub_url(_token(subscriber)), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert PartnerSubscription.objects.get(contact=contact).newsletter is False
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


# --------------------------------------------------------------------------- sending


def test_every_mail_has_its_own_unsubscribe_headers_and_link(client, settings):
    settings.SITE_URL = "https://werklandschappen.example"
    _subscriber("n1@example.nl")
    _subscriber("e1@example.org", "en")
    _subscriber("pending@example.nl", status=Subscriber.Status.PENDING)
    _subscriber("gone@example.nl", status=Subscriber.Status.UNSUBSCRIBED)
    issue = _issue()
    sending.send(issue)
    assert sorted(m.to[0] for m in mail.outbox) == ["e1@example.org", "n1@example.nl"]
    for message in mail.outbox:
        person = Subscriber.objects.get(email=message.to[0])
        raw = message_from_bytes(message.message().as_bytes())
        assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        match = UNSUB.fullmatch("".join(raw["List-Unsubscribe"].split()))  # unfolded
        assert match and match.group(1).startswith("https://")
        assert services.subscriber_for_unsubscribe(match.group(2)) == person
        html = message.alternatives[0][0]
        assert match.group(1) in message.body and match.group(1) in html
        assert message.alternatives[0][1] == "text/html"
        if person.language == "en":
            assert message.subject == "News from the swarm"
            assert "/en/nieuwsbrief/afmelden/" in match.group(1)
            assert "<strong>first</strong>" in html
        else:
            assert message.subject == "Nieuws uit de zwerm"
            assert "<h2>Proeftuinen</h2>" in html  # the subject is the h1
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert Delivery.objects.filter(status="sent").count() == 2


def test_markdown_and_html_in_an_issue_are_neutralised():
    _subscriber("x@example.nl")
    issue = Issue.objects.create(
        subject_nl="<b>Onderwerp</b>",
        body_nl=(
            "<script>alert(1)</script>\n\n[klik](javascript:alert(1)) "
            '<img src=x onerror="alert(1)">\n\n[ok](https://example.nl)'
        ),
    )
    sending.send(issue)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script" not in html and 'href="javascript' not in html
    assert not re.search(r"<[^>]*onerror", html)  # shown as text at most, never an attribute
    assert "<img" not in html and "<b>Onderwerp" not in html
    assert 'href="https://example.nl"' in html


def test_resumable_sending_mails_everyone_exactly_once(settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    for i in range(5):
        _subscriber(f"r{i}@example.nl")
    issue = _issue()
    first = sending.send(issue, max_batches=1)  # stopped after one batch
    assert (first.sent, first.remaining) == (2, 3)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    # A subscriber confirming while the issue is out gets it in a later batch.
    _subscriber("late@example.nl")
    call_command("newsletter_send", stdout=io.StringIO())  # continues every issue being sent
    call_command("newsletter_send", stdout=io.StringIO())  # and again: nothing more
    sending.send(issue)
    addresses = [m.to[0] for m in mail.outbox]
    assert sorted(addresses) == sorted({*(f"r{i}@example.nl" for i in range(5)), "late@example.nl"})
    assert len(addresses) == len(set(addresses)) == 6
    assert Delivery.objects.filter(issue=issue, status="sent").count() == 6
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and issue.finished_at is not None


class CrashAfterOneBackend(LocmemBackend):
    """The process dies (not an SMTP refusal) while the second mail of a run is sent."""

    sent_in_run = 0

    def send_messages(self, messages):
        if CrashAfterOneBackend.sent_in_run >= 1:
            raise SystemExit("killed")
        CrashAfterOneBackend.sent_in_run += 1
        return super().send_messages(messages)


def test_a_crash_mid_batch_never_leads_to_a_second_mail(settings):
    settings.NEWSLETTER_BATCH_SIZE = 3
    for i in range(4):
        _subscriber(f"k{i}@example.nl")
    issue = _issue()
    settings.EMAIL_BACKEND = "tests.newsletter.test_sending.CrashAfterOneBackend"
    CrashAfterOneBackend.sent_in_run = 0
    with pytest.raises(SystemExit):
        sending.send(issue)
    assert len(mail.outbox) == 1
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == ["claimed", "claimed", "sent"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sending.send(issue)  # resume
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses))
    # The two whose mail may or may not have left are not mailed again; the 4th is.
    assert sorted(addresses) == ["k0@example.nl", "k3@example.nl"]
    assert Delivery.objects.filter(status="claimed").count() == 2


def test_an_smtp_refusal_is_recorded_and_the_batch_goes_on(settings):
    class RefuseOne(LocmemBackend):
        def send_messages(self, messages):
            import smtplib

            if messages[0].to == ["bad@example.nl"]:
                raise smtplib.SMTPRecipientsRefused({"bad@example.nl": (550, b"no")})
            return super().send_messages(messages)

    import sys

    sys.modules[__name__].RefuseOne = RefuseOne
    settings.EMAIL_BACKEND = f"{__name__}.RefuseOne"
    _subscriber("bad@example.nl")
    _subscriber("good@example.nl")
    issue = _issue()
    result = sending.send(issue)
    assert (result.sent, result.failed) == (1, 1)
    failed = Delivery.objects.get(status="failed")
    assert failed.subscriber.email == "bad@example.nl"
    assert failed.error == "SMTPRecipientsRefused"


def test_a_second_sender_cannot_claim_the_same_people():
    people = [_subscriber(f"c{i}@example.nl") for i in range(3)]
    issue = _issue()
    assert len(sending._claim(issue, people)) == 3
    assert sending._claim(issue, people) == []


def test_admin_action_sends_one_batch(client, users, settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    for i in range(3):
        _subscriber(f"m{i}@example.nl")
    issue = _issue()
    client.force_login(users[Role.PROGRAMME_TEAM])
    response = client.post(
        reverse("admin:newsletter_issue_changelist"),
        {"action": "send_next_batch", "_selected_action": [issue.pk]},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    # The record of what was sent, per issue, read-only.
    records = client.get(
        reverse("admin:newsletter_delivery_changelist") + f"?issue__id__exact={issue.pk}"
    )
    assert records.status_code == 200 and records.content.decode().count("m0@example.nl") == 1
    listing = client.get(reverse("admin:newsletter_issue_changelist")).content.decode()
    assert "2 / 0 / 0" in listing
    # Once sending has started the text cannot be changed any more.
    change = client.post(
        reverse("admin:newsletter_issue_change", args=[issue.pk]),
        {"subject_nl": "Anders", "body_nl": "anders"},
    )
    issue.refresh_from_db()
    assert issue.subject_nl == "Nieuws uit de zwerm"
    assert change.status_code in (200, 403)


def test_the_team_composes_an_issue_in_the_admin(client, users):
    client.force_login(users[Role.PROGRAMME_TEAM])
    response = client.post(
        reverse("admin:newsletter_issue_add"),
        {
            "subject_nl": "Juni",
            "body_nl": "Tekst",
            "subject_en": "",
            "body_en": "",
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Issue.objects.get()
    assert issue.created_by == users[Role.PROGRAMME_TEAM]
    issue.body_nl = "**Vet** <script>x</script>"
    issue.save()
    page = client.get(reverse("admin:newsletter_issue_change", args=[issue.pk])).content.decode()
    assert "<strong>Vet</strong>" in page and "<script>x" not in page  # the preview


# --------------------------------------------------------------------------- export


def test_export_is_formula_safe(client, users):
    _subscriber("=1+2@example.nl")
    _subscriber("-cmd@example.nl", "en")
    _subscriber("plain@example.nl")
    _subscriber("pending@example.nl", status=Subscriber.Status.PENDING)
    client.force_login(users[Role.PROGRAMME_TEAM])

    response = client.get(reverse("newsletter:export-csv"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    emails = [row[0] for row in rows[1:]]
    assert emails == ["'-cmd@example.nl", "'=1+2@example.nl", "plain@example.nl"]

    response = client.get(reverse("newsletter:export-xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [sheet.cell(row=r, column=1) for r in range(2, sheet.max_row + 1)]
    assert [c.value for c in cells] == ["-cmd@example.nl", "=1+2@example.nl", "plain@example.nl"]
    assert all(c.data_type == "s" for c in cells)
    assert cells[1].quotePrefix is True


@pytest.mark.parametrize("name", ["newsletter:export-csv", "newsletter:export-xlsx"])
def test_export_is_for_the_team_only(client, users, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for role, user in users.items():
        client.force_login(user)
        expected = 200 if role == Role.PROGRAMME_TEAM else 403
        assert client.get(url).status_code == expected, role


def test_other_roles_cannot_send_in_the_admin(client, users):
    issue = _issue()
    _subscriber("z@example.nl")
    for role, user in users.items():
        if role == Role.PROGRAMME_TEAM:
            continue
        client.force_login(user)
        client.post(
            reverse("admin:newsletter_issue_changelist"),
            {"action": "send_next_batch", "_selected_action": [issue.pk]},
        )
    assert mail.outbox == []
    assert not Delivery.objects.exists()
