"""The states of a support question and the moves between them, as data.

Read ``TRANSITIONS`` to know what can happen to a question and who may make it
happen. ``services`` moves questions through the shared mechanism of
``werklandschap.lib.workflow`` (the one the partner-park sign-up uses too).

::

    new ─(asker confirms)─> received ─(director)─> sharpening ─(director, ≤ 3 partners)─> put_out
                               │                      │                                     │
                               └──> out_of_scope <────┘                   (first proposal) ─┘
                                                                                  v
    completed <─(director)─ in_execution <─(director)─ decided <─(asker chooses)─ proposals_in

    withdrawn: by the asker or the team from any open state.
    reopened: by the team from completed, out_of_scope or withdrawn; back to sharpening.

The two-week clock (``due_date``, 10 Dutch working days) starts when the
question leaves ``sharpening``: the seed (001, 4.2) promises a response
"after receiving and sharpening the question". It is met when the first
proposal arrives.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.workflow import Rule, Transitions


class Status(models.TextChoices):
    NEW = "new", _("Wacht op bevestiging van het e-mailadres")
    RECEIVED = "received", _("Ontvangen")
    SHARPENING = "sharpening", _("Wordt scherpgesteld")
    PUT_OUT = "put_out", _("Uitgezet bij partners")
    PROPOSALS_IN = "proposals_in", _("Voorstellen ontvangen")
    DECIDED = "decided", _("Voorstel gekozen")
    IN_EXECUTION = "in_execution", _("In uitvoering")
    COMPLETED = "completed", _("Afgerond")
    OUT_OF_SCOPE = "out_of_scope", _("Buiten de werkwijze")
    WITHDRAWN = "withdrawn", _("Ingetrokken")
    REOPENED = "reopened", _("Heropend")


class Actor(StrEnum):
    """The part someone plays in a question; checked per move and per question."""

    ASKER = "asker"  # the asker's account, or the holder of the e-mailed confirmation link
    DIRECTOR = "director"  # the regional director the question is routed to
    TEAM = "team"  # the programme team: every question
    PARTNER = "partner"  # a coalition partner the question is put out to
    SYSTEM = "system"  # housekeeping


_STAFF = (Actor.DIRECTOR, Actor.TEAM)
_ASKER_OR_TEAM = (Actor.ASKER, Actor.TEAM)
_TELL_ASKER = _("Geef een toelichting; de vrager krijgt die te lezen.")
_WHY = _("Geef een reden; die komt in de geschiedenis van de vraag.")

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (Status.NEW, Status.RECEIVED): Rule((Actor.ASKER, Actor.SYSTEM)),  # system: staff intake
    (Status.NEW, Status.WITHDRAWN): Rule((Actor.ASKER, Actor.TEAM, Actor.SYSTEM)),
    (Status.RECEIVED, Status.SHARPENING): Rule(_STAFF),
    (Status.RECEIVED, Status.OUT_OF_SCOPE): Rule(
        _STAFF, reason_required=True, reason_hint=_TELL_ASKER
    ),
    (Status.RECEIVED, Status.WITHDRAWN): Rule(_ASKER_OR_TEAM),
    (Status.SHARPENING, Status.PUT_OUT): Rule(_STAFF),
    (Status.SHARPENING, Status.OUT_OF_SCOPE): Rule(
        _STAFF, reason_required=True, reason_hint=_TELL_ASKER
    ),
    (Status.SHARPENING, Status.WITHDRAWN): Rule(_ASKER_OR_TEAM),
    (Status.PUT_OUT, Status.PROPOSALS_IN): Rule(Actor.PARTNER),
    (Status.PUT_OUT, Status.WITHDRAWN): Rule(_ASKER_OR_TEAM),
    (Status.PROPOSALS_IN, Status.DECIDED): Rule(_ASKER_OR_TEAM),
    (Status.PROPOSALS_IN, Status.WITHDRAWN): Rule(_ASKER_OR_TEAM),
    (Status.DECIDED, Status.IN_EXECUTION): Rule(_STAFF),
    (Status.IN_EXECUTION, Status.COMPLETED): Rule(_STAFF),
    (Status.COMPLETED, Status.REOPENED): Rule(Actor.TEAM, reason_required=True, reason_hint=_WHY),
    (Status.OUT_OF_SCOPE, Status.REOPENED): Rule(
        Actor.TEAM, reason_required=True, reason_hint=_WHY
    ),
    (Status.WITHDRAWN, Status.REOPENED): Rule(Actor.TEAM, reason_required=True, reason_hint=_WHY),
    (Status.REOPENED, Status.SHARPENING): Rule(_STAFF),
}

TABLE = Transitions(Status, TRANSITIONS)

# Questions waiting for the desk (a director's or the team's work list).
OPEN_STATUSES = (
    Status.RECEIVED,
    Status.SHARPENING,
    Status.PUT_OUT,
    Status.PROPOSALS_IN,
    Status.DECIDED,
    Status.IN_EXECUTION,
    Status.REOPENED,
)
# Questions the two-week promise applies to right now (clock running, no proposal yet).
AWAITING_PROPOSALS = (Status.PUT_OUT,)
# Questions partners may still answer.
ANSWERABLE = (Status.PUT_OUT, Status.PROPOSALS_IN)
# Closed: the question is settled (reopening is possible for the team).
CLOSED_STATUSES = (Status.COMPLETED, Status.OUT_OF_SCOPE, Status.WITHDRAWN)
