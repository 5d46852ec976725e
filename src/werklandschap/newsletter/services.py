"""Getting on and off the newsletter: double opt-in, confirmation, unsubscribing.

Links are Django signatures (``django.core.signing``, keyed with SECRET_KEY),
as for the partner-park sign-up and the support desk:

* a confirmation link signs the subscriber's id and the first half of its
  ``confirm_key``, which is renewed at every opt-in request, and expires after
  ``NEWSLETTER_CONFIRM_DAYS``;
* an unsubscribe link signs the subscriber's id and a keyed hash of its
  address, with its own salt. It does not expire (a newsletter from last year
  must still let its reader leave) but it only ever names the one subscriber
  it was made for: a changed id, address or signature is refused and changes
  nothing, and a confirmation link is not an unsubscribe link (other salt).

Public opt-in requests are counted by the same limits as the partner-park
sign-up and the support desk (``partnership.limits``: mails per address and
per client, sign-ups per client, one window). They share one budget on
purpose: the limit is on how often the *platform* mails a stranger's address,
whichever form was used.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from werklandschap.lib.mail import language_link, mail_language, send_templated
from werklandschap.partnership import limits

from .models import Subscriber, normalise_email

logger = logging.getLogger("werklandschap.newsletter")

CONFIRM_SALT = "werklandschap.newsletter.confirm"
UNSUBSCRIBE_SALT = "werklandschap.newsletter.unsubscribe"
_ADDRESS_SALT = "werklandschap.newsletter.address"

Status = Subscriber.Status
Source = Subscriber.Source


class LinkInvalid(Exception):
    """A link that was not made by us for an existing subscriber."""


class LinkExpired(Exception):
    """A genuine confirmation link past its validity."""


def confirm_days() -> int:
    return int(settings.NEWSLETTER_CONFIRM_DAYS)


# --------------------------------------------------------------------------- tokens


def confirmation_token(subscriber: Subscriber) -> str:
    return signing.dumps(
        {"s": subscriber.pk, "k": subscriber.confirm_key.hex[:16]}, salt=CONFIRM_SALT
    )


def _address_digest(email: str) -> str:
    return salted_hmac(_ADDRESS_SALT, normalise_email(email), algorithm="sha256").hexdigest()[:20]


def unsubscribe_token(subscriber: Subscriber) -> str:
    """The token of the unsubscribe link and List-Unsubscribe header of ``subscriber``."""
    return signing.dumps(
        {"s": subscriber.pk, "a": _address_digest(subscriber.email)}, salt=UNSUBSCRIBE_SALT
    )


def _payload(token: str, salt: str, max_age: int | None = None) -> dict:
    payload = signing.loads(token, salt=salt, max_age=max_age)
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise LinkInvalid
    return payload


def subscriber_for_confirmation(token: str) -> Subscriber:
    """The subscriber a confirmation link is for; raises LinkInvalid / LinkExpired."""
    try:
        payload = _payload(token, CONFIRM_SALT, max_age=confirm_days() * 86400)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    subscriber = Subscriber.objects.filter(pk=payload["s"]).first()
    if subscriber is None or not constant_time_compare(
        subscriber.confirm_key.hex[:16], str(payload.get("k", ""))
    ):
        raise LinkInvalid
    return subscriber


def subscriber_for_unsubscribe(token: str) -> Subscriber:
    """The subscriber an unsubscribe link was made for; raises LinkInvalid."""
    try:
        payload = _payload(token, UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    subscriber = Subscriber.objects.filter(pk=payload["s"]).first()
    if subscriber is None or not constant_time_compare(
        _address_digest(subscriber.email), str(payload.get("a", ""))
    ):
        raise LinkInvalid
    return subscriber


def unsubscribe_url(subscriber: Subscriber, base_url: str = "") -> str:
    return language_link(
        base_url,
        "newsletter:unsubscribe",
        subscriber.language,
        token=unsubscribe_token(subscriber),
    )


# --------------------------------------------------------------------------- opt-in


def purge_stale_requests(now=None) -> int:
    """Delete addresses typed into the form but never confirmed within the link's validity.

    Anyone can type any address; an address whose owner never confirmed is
    not kept past the moment its link expires (data minimisation). Rows that
    were ever confirmed stay: they carry the record of what was sent.
    """
    cutoff = (now or timezone.now()) - timezone.timedelta(days=confirm_days())
    deleted, _per_model = Subscriber.objects.filter(
        status=Status.PENDING, confirmed_at=None, requested_at__lt=cutoff
    ).delete()
    return deleted


@dataclass
class RequestResult:
    subscriber: Subscriber
    mailed: bool  # a confirmation mail is queued
    created: bool


def request_subscription(
    email: str,
    *,
    language: str,
    client: str | None = None,
    form_key=None,
    base_url: str = "",
) -> RequestResult:
    """Someone typed ``email`` into the public form: mail a confirmation link.

    Nothing is subscribed yet: only the link in the mail confirms (double
    opt-in). An address already confirmed is left alone and is not mailed
    (the form's answer is the same either way, so the form does not tell a
    stranger who is subscribed). Raises ``limits.SignUpLimited`` past a limit.
    """
    email = normalise_email(email)
    language = mail_language(language)
    purge_stale_requests()  # housekeeping, as the limits do with their old rows
    reservation = limits.reserve(email, client, form_key)
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.select_for_update().get_or_create(
                email=email, defaults={"source": Source.FORM, "language": language}
            )
            if subscriber.status == Status.CONFIRMED:
                result = RequestResult(subscriber, mailed=False, created=False)
            else:
                subscriber.status = Status.PENDING
                subscriber.source = Source.FORM
                subscriber.language = language
                subscriber.requested_at = timezone.now()
                subscriber.confirm_key = uuid.uuid4()
                subscriber.save()
                result = RequestResult(subscriber, mailed=True, created=created)
                transaction.on_commit(lambda: _send_confirmation(subscriber, base_url))
    except Exception:
        reservation.release()
        raise
    reservation.settle(mailed=result.mailed, created=result.created)
    return result


def _send_confirmation(subscriber: Subscriber, base_url: str) -> None:
    link = language_link(
        base_url,
        "newsletter:confirm",
        subscriber.language,
        token=confirmation_token(subscriber),
    )
    send_templated(
        "newsletter/email/confirm",
        {"link": link, "days": confirm_days()},
        [subscriber.email],
        subscriber.language,
    )


def confirm(subscriber: Subscriber) -> Subscriber:
    """The person used a valid confirmation link: the address gets the newsletter."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status != Status.CONFIRMED:
            subscriber.status = Status.CONFIRMED
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
            subscriber.save()
            logger.info("newsletter subscriber %s confirmed", subscriber.pk)
    return subscriber


def unsubscribe(subscriber: Subscriber) -> Subscriber:
    """Take ``subscriber`` off the list; a portal consent is switched off at its source.

    For a park contact the portal's switch is the truth (``portal_sync``):
    it is switched off there for every park of the account, which then
    mirrors back here; otherwise the next sync would subscribe them again.
    """
    from . import portal_sync

    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.source == Source.PORTAL and subscriber.user_id:
            portal_sync.withdraw_portal_consent(subscriber.user_id)
        if subscriber.status != Status.UNSUBSCRIBED:
            subscriber.status = Status.UNSUBSCRIBED
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save()
            logger.info("newsletter subscriber %s unsubscribed", subscriber.pk)
    return subscriber
