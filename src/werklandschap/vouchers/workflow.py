"""The states of a voucher application and the moves between them, as data.

Read ``TRANSITIONS`` to know what can happen to an application and who may
make it happen. ``services.move`` moves applications through the shared
mechanism of ``werklandschap.lib.workflow`` (the one the support desk and the
partner-park sign-up use too).

In short:

* submitted -> in_assessment (assessor) -> awarded, rejected (reason) or
  returned_for_changes (reason) -> resubmitted (applicant) -> in_assessment;
* awarded -> deliverables_submitted (applicant or supporter: green vision and
  financing plan) -> approved (assessor) or back to awarded (reason);
* awarded -> expired (system: the deliverables deadline passed);
* approved -> paid (team, when the payouts add up to the award exactly);
* withdrawn: by the applicant from every state before the deliverables are in.

``in_assessment -> awarded`` commits money: ``services`` locks the round row
and refuses when the round's budget or number of vouchers would be exceeded.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from werklandschap.lib.workflow import Rule, Transitions


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Ingediend")
    IN_ASSESSMENT = "in_assessment", _("In beoordeling")
    RETURNED_FOR_CHANGES = "returned_for_changes", _("Terug voor aanpassing")
    RESUBMITTED = "resubmitted", _("Opnieuw ingediend")
    AWARDED = "awarded", _("Toegekend")
    REJECTED = "rejected", _("Afgewezen")
    DELIVERABLES_SUBMITTED = "deliverables_submitted", _("Producten ingediend")
    APPROVED = "approved", _("Goedgekeurd")
    PAID = "paid", _("Uitbetaald")
    WITHDRAWN = "withdrawn", _("Ingetrokken")
    EXPIRED = "expired", _("Vervallen")


class Actor(StrEnum):
    """The part someone plays in an application; checked per move and per application."""

    APPLICANT = "applicant"  # a park contact of the application's park
    SUPPORTER = "supporter"  # someone of the process supporter's organisation
    ASSESSOR = "assessor"  # programme team, or the officer of the round's province
    TEAM = "team"  # programme team only: payouts
    SYSTEM = "system"  # housekeeping (deadlines)


_WHY_APPLICANT = _("Geef een toelichting; de aanvrager krijgt die te lezen.")

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (Status.SUBMITTED, Status.IN_ASSESSMENT): Rule(Actor.ASSESSOR),
    (Status.SUBMITTED, Status.WITHDRAWN): Rule(Actor.APPLICANT),
    (Status.IN_ASSESSMENT, Status.AWARDED): Rule(Actor.ASSESSOR),
    (Status.IN_ASSESSMENT, Status.REJECTED): Rule(
        Actor.ASSESSOR, reason_required=True, reason_hint=_WHY_APPLICANT
    ),
    (Status.IN_ASSESSMENT, Status.RETURNED_FOR_CHANGES): Rule(
        Actor.ASSESSOR, reason_required=True, reason_hint=_WHY_APPLICANT
    ),
    (Status.IN_ASSESSMENT, Status.WITHDRAWN): Rule(Actor.APPLICANT),
    (Status.RETURNED_FOR_CHANGES, Status.RESUBMITTED): Rule(Actor.APPLICANT),
    (Status.RETURNED_FOR_CHANGES, Status.WITHDRAWN): Rule(Actor.APPLICANT),
    (Status.RESUBMITTED, Status.IN_ASSESSMENT): Rule(Actor.ASSESSOR),
    (Status.RESUBMITTED, Status.WITHDRAWN): Rule(Actor.APPLICANT),
    (Status.AWARDED, Status.DELIVERABLES_SUBMITTED): Rule((Actor.APPLICANT, Actor.SUPPORTER)),
    (Status.AWARDED, Status.WITHDRAWN): Rule(Actor.APPLICANT),
    (Status.AWARDED, Status.EXPIRED): Rule(Actor.SYSTEM),
    (Status.DELIVERABLES_SUBMITTED, Status.APPROVED): Rule(Actor.ASSESSOR),
    (Status.DELIVERABLES_SUBMITTED, Status.AWARDED): Rule(
        Actor.ASSESSOR, reason_required=True, reason_hint=_WHY_APPLICANT
    ),
    (Status.APPROVED, Status.PAID): Rule(Actor.TEAM),
}

TABLE = Transitions(Status, TRANSITIONS)

# The park has a voucher (being applied for, granted or used): no second one.
ACTIVE_STATUSES = (
    Status.SUBMITTED,
    Status.IN_ASSESSMENT,
    Status.RETURNED_FOR_CHANGES,
    Status.RESUBMITTED,
    Status.AWARDED,
    Status.DELIVERABLES_SUBMITTED,
    Status.APPROVED,
    Status.PAID,
)
# The award counts against the round's budget and number of vouchers.
COMMITTED_STATUSES = (
    Status.AWARDED,
    Status.DELIVERABLES_SUBMITTED,
    Status.APPROVED,
    Status.PAID,
)
# Waiting for an assessor's decision.
AWAITING_ASSESSMENT = (
    Status.SUBMITTED,
    Status.IN_ASSESSMENT,
    Status.RESUBMITTED,
    Status.DELIVERABLES_SUBMITTED,
)
# Waiting for the applicant (or its supporter).
AWAITING_APPLICANT = (Status.RETURNED_FOR_CHANGES, Status.AWARDED)
# Payouts may be registered (an advance after the award, the rest after approval).
PAYABLE_STATUSES = (Status.AWARDED, Status.DELIVERABLES_SUBMITTED, Status.APPROVED)
CLOSED_STATUSES = (Status.REJECTED, Status.PAID, Status.WITHDRAWN, Status.EXPIRED)
