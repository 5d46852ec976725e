"""The states of an innovation entry and the moves between them, as data.

Moderation runs on the shared mechanism of ``werklandschap.lib.workflow`` (the
one the support desk, the partner-park sign-up and vouchers use)::

    submitted ─(team)─> in_review ─(team)─> published ─(team, reason)─> unpublished
        │                   │                                               │
        └──(team, reason)───┴──> returned ─(submitter)─> submitted          │
                                                       in_review <─(team)───┘

A returned entry is edited by its submitter and submitted again. The team may
edit an entry in any state; every saved version is kept (``EntryRevision``).
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.workflow import Rule, Transitions


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Ingediend")
    IN_REVIEW = "in_review", _("In beoordeling")
    PUBLISHED = "published", _("Gepubliceerd")
    RETURNED = "returned", _("Teruggestuurd")
    UNPUBLISHED = "unpublished", _("Offline gehaald")


class Actor(StrEnum):
    SUBMITTER = "submitter"  # the account that submitted the entry
    TEAM = "team"  # the programme team: moderation


_TELL = _("Geef een reden; de indiener krijgt die te lezen.")

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (Status.SUBMITTED, Status.IN_REVIEW): Rule(Actor.TEAM),
    (Status.SUBMITTED, Status.RETURNED): Rule(Actor.TEAM, reason_required=True, reason_hint=_TELL),
    (Status.IN_REVIEW, Status.PUBLISHED): Rule(Actor.TEAM),
    (Status.IN_REVIEW, Status.RETURNED): Rule(Actor.TEAM, reason_required=True, reason_hint=_TELL),
    (Status.RETURNED, Status.SUBMITTED): Rule(Actor.SUBMITTER),
    (Status.PUBLISHED, Status.UNPUBLISHED): Rule(
        Actor.TEAM, reason_required=True, reason_hint=_TELL
    ),
    (Status.UNPUBLISHED, Status.IN_REVIEW): Rule(Actor.TEAM),
}

TABLE = Transitions(Status, TRANSITIONS)

# What waits for the programme team.
AWAITING_MODERATION = (Status.SUBMITTED, Status.IN_REVIEW)

# The button that makes a move to each state (the entry page's moderation panel).
ACTIONS = {
    Status.SUBMITTED: _("Opnieuw indienen"),
    Status.IN_REVIEW: _("In beoordeling nemen"),
    Status.PUBLISHED: _("Publiceren"),
    Status.RETURNED: _("Terugsturen"),
    Status.UNPUBLISHED: _("Offline halen"),
}
