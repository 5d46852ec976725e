"""Getting on the newsletter: double opt-in, the limits, a portal consent counts."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from werklandschap.accounts.models import ParkContact
from werklandschap.accounts.roles import Role
from werklandschap.newsletter import portal_sync, services
from werklandschap.newsletter.models import Subscriber
from werklandschap.portal.models import PartnerSubscription
from werklandschap.portal.partner_offer import set_subscription

pytestmark = pytest.mark.django_db


_capture = None


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    """Mails are queued with transaction.on_commit: each form post runs them as a commit would."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


LINK = re.compile(r"https?://\S+/nieuwsbrief/bevestigen/(\S+)/")


def _subscribe(client, email, url=None, **extra):
    with _capture(execute=True):
        return client.post(
            url or reverse("newsletter:subscribe"),
            {"email": email, "nonce": extra.pop("nonce", None) or _nonce()},
            **extra,
        )


def _nonce():
    import uuid

    return str(uuid.uuid4())


def _link(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return reverse("newsletter:confirm", kwargs={"token": match.group(1)})


def test_form_asks_only_for_an_address(client):
    response = client.get(reverse("newsletter:subscribe"))
    assert response.status_code == 200
    html = response.content.decode()
    form = html[
        html.index('class="signup-form"') : html.index("</form>", html.index("signup-form"))
    ]
    names = set(re.findall(r'name="([^"]+)"', form))
    assert names == {"csrfmiddlewaretoken", "nonce", "email"}


def test_double_opt_in(client):
    response = _subscribe(client, " Anna@Example.NL ")
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:sent")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "anna@example.nl"
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@example.nl"]

    link = _link(mail.outbox[0])
    page = client.get(link)  # a mail scanner or a preview: reads, never confirms
    assert page.status_code == 200 and b'method="post"' in page.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING

    assert client.post(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert subscriber.source == Subscriber.Source.FORM


def test_english_page_subscribes_in_english(client):
    _subscribe(client, "bo@example.org", url="/en" + reverse("newsletter:subscribe"))
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "en"
    assert "/en/nieuwsbrief/bevestigen/" in mail.outbox[0].body


def test_already_subscribed_gets_the_same_answer_and_no_mail(client):
    Subscriber.objects.create(
        email="cas@example.nl", source="form", status=Subscriber.Status.CONFIRMED
    )
    response = _subscribe(client, "cas@example.nl")
    assert response.status_code == 302 and response["Location"] == reverse("newsletter:sent")
    assert mail.outbox == []
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_a_new_request_invalidates_the_older_link(client):
    _subscribe(client, "dirk@example.nl")
    first = _link(mail.outbox[0])
    _subscribe(client, "dirk@example.nl")
    second = _link(mail.outbox[1])
    assert client.post(first).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert client.post(second).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_tampered_confirmation_link_changes_nothing(client):
    _subscribe(client, "eva@example.nl")
    link = _link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(reverse("newsletter:confirm", kwargs={"token": forged}))
    assert response.status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_expired_confirmation_link(client, settings):
    _subscribe(client, "finn@example.nl")
    link = _link(mail.outbox[0])
    settings.NEWSLETTER_CONFIRM_DAYS = -1
    assert client.post(link).status_code == 410
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_limits_per_address(client, settings):
    settings.PARTNERSHIP_MAILS_PER_ADDRESS = 2
    assert _subscribe(client, "gijs@example.nl").status_code == 302
    assert _subscribe(client, "gijs@example.nl").status_code == 302
    refused = _subscribe(client, "gijs@example.nl")
    assert refused.status_code == 429
    assert len(mail.outbox) == 2


def test_limits_per_client(client, settings):
    settings.PARTNERSHIP_MAILS_PER_CLIENT = 2
    for i in range(2):
        assert _subscribe(client, f"h{i}@example.nl").status_code == 302
    assert _subscribe(client, "h9@example.nl").status_code == 429
    assert len(mail.outbox) == 2
    assert not Subscriber.objects.filter(email="h9@example.nl").exists()
    # Another client is not affected.
    assert _subscribe(client, "h9@example.nl", REMOTE_ADDR="192.0.2.7").status_code == 302


def test_double_click_counts_once(client, settings):
    settings.PARTNERSHIP_MAILS_PER_ADDRESS = 1
    nonce = _nonce()
    assert _subscribe(client, "ines@example.nl", nonce=nonce).status_code == 302
    assert _subscribe(client, "ines@example.nl", nonce=nonce).status_code == 302


# --------------------------------------------------------------------------- portal


@pytest.fixture
def contact(users, park):
    user = users[Role.PARK_CONTACT]
    user.email = "Contact@Park.example"
    user.save()
    return ParkContact.objects.get(user=user, park=park)


def test_portal_consent_counts_as_confirmed(contact):
    set_subscription(contact, newsletter=True, webinar=False)
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "contact@park.example"
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.source == Subscriber.Source.PORTAL
    assert subscriber.user == contact.user
    assert mail.outbox == []  # no second opt-in for a known account

    set_subscription(contact, newsletter=False, webinar=False)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_portal_page_switch_subscribes(client, contact, park):
    client.force_login(contact.user)
    response = client.post(
        reverse("portal:subscription", kwargs={"slug": park.slug}), {"newsletter": "on"}
    )
    assert response.status_code in (200, 302)
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_viewing_the_portal_does_not_unsubscribe_a_form_subscriber(contact):
    Subscriber.objects.create(
        email="contact@park.example", source="form", status=Subscriber.Status.CONFIRMED
    )
    PartnerSubscription.objects.create(contact=contact)  # the dashboard's get_or_create
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_form_subscriber_who_switches_on_in_portal_is_one_row(contact):
    Subscriber.objects.create(
        email="contact@park.example", source="form", status=Subscriber.Status.PENDING
    )
    set_subscription(contact, newsletter=True, webinar=True)
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.source == Subscriber.Source.PORTAL


def test_reconcile_repairs_a_bulk_update(contact):
    PartnerSubscription.objects.create(contact=contact)
    PartnerSubscription.objects.update(newsletter=True)  # no signal
    assert not Subscriber.objects.exists()
    portal_sync.reconcile()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    PartnerSubscription.objects.update(newsletter=False)
    portal_sync.reconcile()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribing_a_portal_subscriber_switches_the_portal_off(contact):
    set_subscription(contact, newsletter=True, webinar=True)
    subscriber = Subscriber.objects.get()
    services.unsubscribe(subscriber)
    sub = PartnerSubscription.objects.get(contact=contact)
    assert sub.newsletter is False and sub.newsletter_consent_at is None
    assert sub.webinar is True  # the webinar is another consent
    portal_sync.reconcile()  # and nothing subscribes them again
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_unconfirmed_addresses_are_deleted_when_their_link_expires(client):
    from datetime import timedelta

    from django.utils import timezone

    _subscribe(client, "stale@example.nl")
    old = timezone.now() - timedelta(days=services.confirm_days(), minutes=1)
    Subscriber.objects.filter(email="stale@example.nl").update(requested_at=old)
    Subscriber.objects.create(
        email="was-confirmed@example.nl",
        source="form",
        status=Subscriber.Status.PENDING,
        requested_at=old,
        confirmed_at=old,
    )
    _subscribe(client, "fresh@example.nl")  # any request does the housekeeping
    emails = set(Subscriber.objects.values_list("email", flat=True))
    assert emails == {"fresh@example.nl", "was-confirmed@example.nl"}
