"""The states of a membership of a Community of Practice and the moves between them, as data.

::

    requested ─(coordinator)─> approved ─(member, or coordinator with a reason)─> left
        │  └──(coordinator, reason)─> declined ─(member asks again)─> requested
        └──(member withdraws)─> left ─(member asks again)─> requested

A membership moves only through ``lib.workflow.transition`` (``services.move_membership``):
the row is locked, the actor is checked against the table and against the
community (``services._authorise``: is this user a coordinator of *this* CoP,
or the member themself?), one history row is written and the e-mail goes out
after the commit.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.workflow import Rule, Transitions


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Aangevraagd")
    APPROVED = "approved", _("Lid")
    DECLINED = "declined", _("Afgewezen")
    LEFT = "left", _("Geen lid meer")


class Actor(StrEnum):
    MEMBER = "member"  # the person the membership is of
    COORDINATOR = "coordinator"  # a coordinator of the membership's community


_TELL_MEMBER = _("Geef een reden; de aanvrager krijgt die te lezen.")

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (MembershipStatus.REQUESTED, MembershipStatus.APPROVED): Rule(Actor.COORDINATOR),
    (MembershipStatus.REQUESTED, MembershipStatus.DECLINED): Rule(
        Actor.COORDINATOR, reason_required=True, reason_hint=_TELL_MEMBER
    ),
    (MembershipStatus.REQUESTED, MembershipStatus.LEFT): Rule(Actor.MEMBER),
    (MembershipStatus.APPROVED, MembershipStatus.LEFT): Rule((Actor.MEMBER, Actor.COORDINATOR)),
    (MembershipStatus.DECLINED, MembershipStatus.REQUESTED): Rule(Actor.MEMBER),
    (MembershipStatus.LEFT, MembershipStatus.REQUESTED): Rule(Actor.MEMBER),
}

TABLE = Transitions(MembershipStatus, TRANSITIONS)
