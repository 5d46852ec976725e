"""The voucher scheme's e-mails: one per step, to whoever has to act or wants to know.

Each goes out after the step it reports is committed (``lib.workflow``), in
Dutch, with an absolute link to the application's page. Who hears of what:

* the applicant side (the park's contacts, the person who applied) of every
  decision: in assessment, returned, awarded, rejected, approved, paid, expired;
* the assessors (the officers of the round's province and the programme team)
  of every step that waits for them: submitted, resubmitted, deliverables in;
  and of a withdrawal;
* the process supporter of the award (it can start) and of the end.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from werklandschap.accounts.roles import Role
from werklandschap.lib.mail import language_link, send_each

from . import history
from .workflow import Status

# What the e-mail says happened, per new state (the subject names the state too).
MESSAGES = {
    Status.SUBMITTED: _("Er is een voucheraanvraag ingediend. Die wacht op beoordeling."),
    Status.IN_ASSESSMENT: _("De voucheraanvraag wordt beoordeeld."),
    Status.RETURNED_FOR_CHANGES: _(
        "De voucheraanvraag is teruggestuurd voor aanpassing. Pas haar aan en dien haar opnieuw in."
    ),
    Status.RESUBMITTED: _("De voucheraanvraag is aangepast en opnieuw ingediend."),
    Status.AWARDED: _(
        "De voucher is toegekend. De procesbegeleider kan beginnen aan de groenvisie en het "
        "financieringsplan."
    ),
    Status.REJECTED: _("De voucheraanvraag is afgewezen."),
    Status.DELIVERABLES_SUBMITTED: _(
        "De groenvisie en het financieringsplan zijn ingediend. Zij wachten op goedkeuring."
    ),
    Status.APPROVED: _("De groenvisie en het financieringsplan zijn goedgekeurd."),
    Status.PAID: _("De voucher is volledig uitbetaald."),
    Status.WITHDRAWN: _("De voucheraanvraag is ingetrokken."),
    Status.EXPIRED: _(
        "De voucher is vervallen: de groenvisie en het financieringsplan zijn niet op tijd "
        "ingediend."
    ),
}
_TO_APPLICANT = {
    Status.SUBMITTED,
    Status.IN_ASSESSMENT,
    Status.RETURNED_FOR_CHANGES,
    Status.AWARDED,
    Status.REJECTED,
    Status.APPROVED,
    Status.PAID,
    Status.EXPIRED,
}
_TO_ASSESSORS = {
    Status.SUBMITTED,
    Status.RESUBMITTED,
    Status.DELIVERABLES_SUBMITTED,
    Status.WITHDRAWN,
}
_TO_SUPPORTER = {Status.AWARDED, Status.PAID, Status.EXPIRED, Status.WITHDRAWN}


def _addresses(users) -> set[str]:
    return {u.email for u in users if u.email and u.is_active}


def applicant_addresses(application) -> list[str]:
    users = get_user_model().objects.filter(park_contacts__park_id=application.park_id)
    found = _addresses(users)
    if application.applicant is not None and application.applicant.email:
        found.add(application.applicant.email)
    return sorted(found)


def assessor_addresses(application) -> list[str]:
    User = get_user_model()
    province = application.round.green_deal.province
    officers = (
        User.objects.filter(
            organisation_id=province.organisation_id, groups__name=Role.PROVINCE_OFFICER.value
        )
        if province.organisation_id
        else User.objects.none()
    )
    team = User.objects.filter(groups__name=Role.PROGRAMME_TEAM.value)
    return sorted(_addresses(officers) | _addresses(team))


def supporter_addresses(application) -> list[str]:
    users = get_user_model().objects.filter(organisation_id=application.supporter.organisation_id)
    return sorted(_addresses(users))


def notify_step(application, source: str, target: str, reason: str, base_url: str = "") -> None:
    """Mail everyone concerned that ``application`` moved from ``source`` to ``target``."""
    application.refresh_from_db()
    returned = source == Status.DELIVERABLES_SUBMITTED and target == Status.AWARDED
    message = (
        _(
            "De groenvisie of het financieringsplan is niet goedgekeurd. Pas ze aan en dien ze "
            "opnieuw in."
        )
        if returned
        else MESSAGES.get(target, "")
    )
    recipients: set[str] = set()
    if target in _TO_APPLICANT or returned:
        recipients.update(applicant_addresses(application))
    if target in _TO_ASSESSORS:
        recipients.update(assessor_addresses(application))
    if target in _TO_SUPPORTER:
        recipients.update(supporter_addresses(application))

    def context_for(language: str) -> dict:
        # The platform's own lines (an award, an expiry) in the reader's language.
        return {
            "application": application,
            "message": message,
            "reason": history.shown_note(reason, application),
            "state": Status(target).label,
            "url": language_link(
                base_url, "vouchers:detail", language, reference=application.reference
            ),
        }

    send_each("vouchers/emails/step", context_for, recipients)
