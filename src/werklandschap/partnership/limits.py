"""Limits on the public sign-up, so it cannot be used to flood a mailbox.

Three counts over a sliding window (``PARTNERSHIP_LIMIT_WINDOW_MINUTES``):

* confirmation mails to one e-mail address (``PARTNERSHIP_MAILS_PER_ADDRESS``):
  nobody can make the platform mail a stranger more than a few times;
* confirmation mails sent because of one client address
  (``PARTNERSHIP_MAILS_PER_CLIENT``): one client cannot mail many addresses;
* new sign-ups stored from one client address (``PARTNERSHIP_SIGNUPS_PER_CLIENT``).

Where the counts live: the applications alone do not tell, since a repeated
sign-up for the same park re-sends the link without a new row, and they
hold no client address (and should not: the consent text names only the
e-mail address and a name). Django's cache is per process in this set-up,
so each gunicorn worker would count on its own. The counts are therefore
rows of ``SignUpLimitHit``: shared by all workers, kept across restarts, on
SQLite and PostgreSQL alike, holding only keyed hashes for one window.

Concurrency: a sign-up first *reserves* its rows (committed at once outside
a transaction), then counts. Two simultaneous sign-ups both see both
reservations, so together they can never pass a limit; at worst both are
refused. Rows carry the form's key and the count is of distinct form keys,
so simultaneous posts of one and the same form (a double click) count once
and are left to the idempotency of ``services.submit_application``. A
refused sign-up removes its reservations, so refusals do not count and the
limit means "at most N per window".
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import SignUpLimitHit

logger = logging.getLogger("werklandschap.partnership")

Kind = SignUpLimitHit.Kind
_SALT = "werklandschap.partnership.limits"


class SignUpLimited(Exception):
    """A sign-up refused by a limit; the message is Dutch, for the person signing up."""


def window() -> timedelta:
    return timedelta(minutes=int(settings.PARTNERSHIP_LIMIT_WINDOW_MINUTES))


def _limit(kind: str) -> int:
    return int(
        {
            Kind.MAIL_TO: settings.PARTNERSHIP_MAILS_PER_ADDRESS,
            Kind.MAIL_FROM: settings.PARTNERSHIP_MAILS_PER_CLIENT,
            Kind.SIGNUP_FROM: settings.PARTNERSHIP_SIGNUPS_PER_CLIENT,
        }[kind]
    )


def _key(value: str) -> str:
    return salted_hmac(_SALT, value.strip().lower(), algorithm="sha256").hexdigest()


@dataclass
class Reservation:
    """The rows one sign-up reserved; settled once it is known what was sent and stored."""

    hits: dict[str, SignUpLimitHit] = field(default_factory=dict)

    def _drop(self, kinds) -> None:
        pks = [self.hits.pop(k).pk for k in list(kinds) if k in self.hits]
        if pks:
            SignUpLimitHit.objects.filter(pk__in=pks).delete()

    def release(self) -> None:
        """Nothing was sent or stored: the reservation counts for nothing."""
        self._drop(list(self.hits))

    def settle(self, *, mailed: bool, created: bool) -> None:
        """Keep the rows of what happened: a mail was queued, a new sign-up stored."""
        if not mailed:
            self._drop([Kind.MAIL_TO, Kind.MAIL_FROM])
        if not created:
            self._drop([Kind.SIGNUP_FROM])


def _refusal(kind: str, limit: int) -> str:
    minutes = int(window().total_seconds() // 60)
    if kind == Kind.MAIL_TO:
        return ngettext(
            "Er is de afgelopen %(minutes)s minuten al %(limit)s bevestigingsmail naar dit "
            "e-mailadres gestuurd. Kijk in uw inbox (ook bij ongewenste e-mail) en gebruik de "
            "link uit die e-mail, of probeer het later opnieuw.",
            "Er zijn de afgelopen %(minutes)s minuten al %(limit)s bevestigingsmails naar dit "
            "e-mailadres gestuurd. Kijk in uw inbox (ook bij ongewenste e-mail) en gebruik de "
            "link uit die e-mail, of probeer het later opnieuw.",
            limit,
        ) % {"minutes": minutes, "limit": limit}
    return _(
        "Vanaf uw verbinding zijn de afgelopen %(minutes)s minuten te veel aanmeldingen "
        "gedaan. Probeer het later opnieuw, of neem contact op met het programmateam."
    ) % {"minutes": minutes}


def reserve(email: str, client: str | None, form_key: uuid.UUID | None = None) -> Reservation:
    """Reserve one mail to ``email`` and one sign-up and mail from ``client``.

    Raises :class:`SignUpLimited` (and keeps nothing) when a limit would be
    passed. ``client`` is None outside a web request (tests, commands): then
    only the e-mail address is limited.
    """
    now = timezone.now()
    since = now - window()
    SignUpLimitHit.objects.filter(at__lt=since).delete()  # housekeeping: older rows never count
    wanted = [(Kind.MAIL_TO, _key(email))]
    if client:
        wanted += [(Kind.MAIL_FROM, _key(client)), (Kind.SIGNUP_FROM, _key(client))]
    reservation = Reservation()
    for kind, key in wanted:
        reservation.hits[kind] = SignUpLimitHit.objects.create(
            kind=kind, key=key, at=now, form_key=form_key or uuid.uuid4()
        )
    for kind, key in wanted:
        limit = _limit(kind)
        count = (
            SignUpLimitHit.objects.filter(kind=kind, key=key, at__gte=since)
            .values("form_key")
            .distinct()
            .count()
        )
        if count > limit:
            reservation.release()
            logger.warning(
                "sign-up refused: %s limit of %s per %s reached (key %s, client %s)",
                kind,
                limit,
                window(),
                key[:12],
                client or "-",
            )
            raise SignUpLimited(_refusal(kind, limit))
    return reservation
