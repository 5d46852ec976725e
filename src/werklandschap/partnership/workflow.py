"""The states of a partner-park application and which moves between them are allowed.

This file is the workflow as data, in the manner of Signalen: read the
``TRANSITIONS`` table to know what can happen to an application, and who may
make it happen. ``services.transition`` moves an application through the
shared mechanism of ``werklandschap.lib.workflow`` (the same one the support
desk uses), which consults this table, records history and sends the
notifications after commit; nothing else changes an application's status.

::

    submitted ──(applicant confirms e-mail)──> confirmed ──(programme team)──> approved
        │                                          │
        ├──(link not used in time)──> expired      ├──(programme team, reason)──> rejected
        └──(programme team)─────────> withdrawn    └──(programme team)──────────> withdrawn
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.workflow import Rule, Transitions


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Wacht op bevestiging van het e-mailadres")
    CONFIRMED = "confirmed", _("Bevestigd, wacht op beoordeling")
    APPROVED = "approved", _("Goedgekeurd")
    REJECTED = "rejected", _("Afgewezen")
    EXPIRED = "expired", _("Verlopen (niet bevestigd)")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class Actor(StrEnum):
    """Who may make a transition. Checked in ``services.transition``."""

    APPLICANT = "applicant"  # holder of the e-mailed confirmation link; no account
    SYSTEM = "system"  # housekeeping (expiry of unconfirmed applications)
    REVIEWER = "reviewer"  # programme team, see accounts.policies.can_review_applications


TRANSITIONS: dict[tuple[str, str], Rule] = {
    (Status.SUBMITTED, Status.CONFIRMED): Rule(Actor.APPLICANT),
    (Status.SUBMITTED, Status.EXPIRED): Rule(Actor.SYSTEM),
    (Status.SUBMITTED, Status.WITHDRAWN): Rule(Actor.REVIEWER),
    (Status.CONFIRMED, Status.APPROVED): Rule(Actor.REVIEWER),
    # The applicant is told why, so a rejection without a reason is refused.
    (Status.CONFIRMED, Status.REJECTED): Rule(
        Actor.REVIEWER,
        reason_required=True,
        reason_hint=_("Geef een reden; de aanvrager krijgt die te lezen."),
    ),
    (Status.CONFIRMED, Status.WITHDRAWN): Rule(Actor.REVIEWER),
}

TABLE = Transitions(Status, TRANSITIONS)

# Applications that still count for their park: a new sign-up for the same park
# is joined to one of these rather than standing on its own.
OPEN_STATUSES = (Status.SUBMITTED, Status.CONFIRMED)
# Final states: nothing moves out of them.
FINAL_STATUSES = TABLE.final_states


def rule_for(source: str, target: str) -> Rule | None:
    """The rule for moving from ``source`` to ``target``; None when not allowed."""
    return TABLE.rule_for(source, target)


def allowed_targets(source: str) -> list[str]:
    """Where an application in ``source`` may go next (for the admin and the queue)."""
    return TABLE.allowed_targets(source)
