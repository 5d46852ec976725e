"""E-mails of communities and events, sent after the change they report is committed.

Each function takes ids and reads the rows afresh, so what it tells is what was
committed. The online link of an event is written only into mails to people
with a confirmed place (``registration.status == confirmed``): a person on the
waiting list, an invitee or a cancelled registrant gets the event's page, where
the link appears once they have a place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth import get_user_model

from werklandschap.lib.mail import (
    language_link,
    mail_language,
    send_each,
    send_templated,
    user_language,
)

logger = logging.getLogger("werklandschap.community")


def safely(send: Callable[..., None], *args) -> None:
    """Run a notification after a commit; a failed e-mail never undoes the change."""
    try:
        send(*args)
    except Exception:
        logger.exception("community e-mail %s%r failed", send.__name__, args)


def _address(user) -> list[str]:
    return [user.email] if user is not None and user.is_active and user.email else []


def _event_link(base_url: str, event, language: str = "nl") -> str:
    return language_link(base_url, "community:event", language, pk=event.pk)


def _registration_context(registration, base_url: str, language: str = "nl") -> dict:
    from .models import RegistrationStatus

    event = registration.event
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    return {
        "event": event,
        "registration": registration,
        "confirmed": confirmed,
        # The online link only for a confirmed place.
        "online_url": event.online_url if confirmed else "",
        "url": _event_link(base_url, event, language),
        "ics_url": language_link(base_url, "community:event-ics", language, pk=event.pk),
    }


def _registration(pk: int):
    from .models import Registration

    return Registration.objects.select_related("event", "event__community", "user").get(pk=pk)


def registered(pk: int, base_url: str = "", language: str = "") -> None:
    """A place, or a place on the waiting list, in the language the person registered in.

    The other mails (a place freed, a reminder, a change) follow someone else's
    action or the clock: they are in the language kept on the person's account.
    """
    registration = _registration(pk)
    language = mail_language(language)
    send_templated(
        "community/emails/registered",
        _registration_context(registration, base_url, language),
        _address(registration.user),
        language,
    )


def promoted(pk: int, base_url: str = "") -> None:
    """Someone cancelled: the first person waiting has a place now."""
    registration = _registration(pk)
    language = user_language(registration.user)
    send_templated(
        "community/emails/promoted",
        _registration_context(registration, base_url, language),
        _address(registration.user),
        language,
    )


def reminder(pk: int, base_url: str = "") -> None:
    registration = _registration(pk)
    language = user_language(registration.user)
    send_templated(
        "community/emails/reminder",
        _registration_context(registration, base_url, language),
        _address(registration.user),
        language,
    )


def event_changed(pk: int, base_url: str = "") -> None:
    """The time or place changed: the new facts (the link only for a confirmed place)."""
    registration = _registration(pk)
    language = user_language(registration.user)
    send_templated(
        "community/emails/event_changed",
        _registration_context(registration, base_url, language),
        _address(registration.user),
        language,
    )


def event_cancelled(event_pk: int, registration_pks: list[int], reason: str, base_url="") -> None:
    from .models import Event, Registration

    event = Event.objects.get(pk=event_pk)
    for registration in Registration.objects.filter(pk__in=registration_pks).select_related("user"):
        language = user_language(registration.user)
        send_templated(
            "community/emails/event_cancelled",
            {"event": event, "reason": reason, "url": _event_link(base_url, event, language)},
            _address(registration.user),
            language,
        )


def invitation(pk: int, base_url: str = "") -> None:
    """A partner park's webinar subscriber is invited to a webinar (no online link yet)."""
    from .models import Invitation

    invite = Invitation.objects.select_related("event", "user").get(pk=pk)
    language = user_language(invite.user)
    send_templated(
        "community/emails/invitation",
        {
            "event": invite.event,
            "url": _event_link(base_url, invite.event, language),
            "settings_url": language_link(base_url, "workspace:start", language),
        },
        _address(invite.user),
        language,
    )


def _coordinator_addresses(community) -> list[str]:
    from werklandschap.accounts.roles import Role

    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if community.national:
        found = users.filter(groups__name=Role.PROGRAMME_TEAM.value)
    elif community.region.director_id:
        found = users.filter(
            organisation_id=community.region.director_id,
            groups__name=Role.REGIONAL_DIRECTOR.value,
        )
    else:
        found = users.none()
    named = users.filter(coordinated_communities=community)
    return sorted({u.email for u in found} | {u.email for u in named})


def membership_requested(pk: int, base_url: str = "") -> None:
    """The coordinators: a request waits in their queue."""
    from .models import Membership

    membership = Membership.objects.select_related("community", "community__region").get(pk=pk)
    send_each(
        "community/emails/membership_requested",
        lambda language: {
            "membership": membership,
            "url": language_link(base_url, "community:queue", language),
        },
        _coordinator_addresses(membership.community),
    )


def membership_decided(pk: int, target: str, reason: str, base_url: str = "") -> None:
    """The member: approved, declined (with the reason) or removed (with the reason)."""
    from .models import Membership

    membership = Membership.objects.select_related("community", "user").get(pk=pk)
    language = user_language(membership.user)
    send_templated(
        "community/emails/membership_decided",
        {
            "membership": membership,
            "target": target,
            "reason": reason,
            "url": language_link(
                base_url, "community:community", language, slug=membership.community.slug
            ),
        },
        _address(membership.user),
        language,
    )
