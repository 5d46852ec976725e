"""Business rules of the voucher scheme: who is who, applying, assessing, money.

Every change of an application's state goes through :func:`move`, and so
through the shared ``lib.workflow.transition``: it locks the application row,
checks the table in ``workflow.py`` and :func:`_authorise`, applies
:func:`_effects` in the same transaction, writes one history row and sends the
e-mails only after the commit.

Money is never over-allocated. Awarding locks the *round* row
(``select_for_update``) before it adds up what the round has committed, so two
assessors awarding the last voucher at the same moment are served one after
the other: the second sees the first's award and is refused. A round is full
when either its money or its number of vouchers runs out; its budget need not
be a multiple of the voucher value. Payouts lock the application row and never
add up to more than the award; the voucher is paid when they add up to it
exactly.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werklandschap.accounts.models import ParkContact
from werklandschap.accounts.roles import Role, roles_of
from werklandschap.lib.workflow import Step, TransitionRefused, Workflow, history_fields
from werklandschap.lib.workflow import transition as workflow_transition
from werklandschap.registry.models import Park, Province

from . import emails, history
from .eligibility import ACTIVE_VOUCHER, Eligibility, Refusal, check_eligibility
from .models import (
    Deliverable,
    Payout,
    ProcessSupporter,
    VoucherApplication,
    VoucherEvent,
    VoucherRound,
)
from .money import euros
from .workflow import COMMITTED_STATUSES, PAYABLE_STATUSES, TABLE, Actor, Status

logger = logging.getLogger("werklandschap.vouchers")

# A refused step: the message is for the person acting.
VoucherError = TransitionRefused


class NotEligible(VoucherError):
    """The park may not apply now; ``refusals`` says every reason."""

    def __init__(self, refusals: list[Refusal]):
        self.refusals = refusals
        super().__init__(" ".join(r.message for r in refusals))


# --------------------------------------------------------------------------- who is who


def _logged_in(user) -> bool:
    return user is not None and user.is_authenticated


def is_applicant(user, application: VoucherApplication) -> bool:
    """A park contact of the application's park (any of them, not only who applied)."""
    return (
        _logged_in(user)
        and Role.PARK_CONTACT in roles_of(user)
        and ParkContact.objects.filter(user=user, park_id=application.park_id).exists()
    )


def is_province_officer(user, province: Province | None) -> bool:
    return (
        _logged_in(user)
        and province is not None
        and user.organisation_id is not None
        and province.organisation_id == user.organisation_id
        and Role.PROVINCE_OFFICER in roles_of(user)
    )


def is_assessor(user, application: VoucherApplication) -> bool:
    """The programme team, and the officer of the round's province."""
    if not _logged_in(user):
        return False
    if Role.PROGRAMME_TEAM in roles_of(user):
        return True
    return is_province_officer(user, application.round.green_deal.province)


def is_supporter(user, application: VoucherApplication) -> bool:
    """Someone of the process supporter's organisation the application names."""
    return (
        _logged_in(user)
        and user.organisation_id is not None
        and application.supporter.organisation_id == user.organisation_id
    )


def actors_of(user, application: VoucherApplication) -> set[str]:
    """Every part ``user`` plays in ``application`` (empty: none, so no access)."""
    actors: set[str] = set()
    if not _logged_in(user):
        return actors
    if Role.PROGRAMME_TEAM in roles_of(user):
        actors.update({Actor.TEAM, Actor.ASSESSOR})
    elif is_assessor(user, application):
        actors.add(Actor.ASSESSOR)
    if is_applicant(user, application):
        actors.add(Actor.APPLICANT)
    if is_supporter(user, application):
        actors.add(Actor.SUPPORTER)
    return actors


def visible_applications(user) -> QuerySet[VoucherApplication]:
    """The applications ``user`` may see: the team all; a province officer those of
    their province; a park contact those of their parks; a supporter those naming
    their organisation. A subquery per clause, so no duplicates."""
    if not _logged_in(user):
        return VoucherApplication.objects.none()
    roles = roles_of(user)
    if Role.PROGRAMME_TEAM in roles:
        return VoucherApplication.objects.all()
    condition = Q(pk__in=[])
    if Role.PARK_CONTACT in roles:
        condition |= Q(park_id__in=ParkContact.objects.filter(user=user).values("park_id"))
    if user.organisation_id is not None:
        if Role.PROVINCE_OFFICER in roles:
            condition |= Q(round__green_deal__province__organisation_id=user.organisation_id)
        condition |= Q(supporter__organisation_id=user.organisation_id)
    return VoucherApplication.objects.filter(condition)


def can_assess_any(user) -> bool:
    """Programme team and province officers have an assessment list."""
    roles = roles_of(user)
    return Role.PROGRAMME_TEAM in roles or (
        Role.PROVINCE_OFFICER in roles and getattr(user, "organisation_id", None) is not None
    )


def parks_user_may_apply_for(user) -> QuerySet[Park]:
    """The parks ``user`` is a contact of (who may apply is decided per park)."""
    if not _logged_in(user) or Role.PARK_CONTACT not in roles_of(user):
        return Park.objects.none()
    return Park.objects.filter(contacts__user=user).order_by("name")


def may_apply_for(user, park: Park) -> bool:
    return (
        _logged_in(user)
        and Role.PARK_CONTACT in roles_of(user)
        and ParkContact.objects.filter(user=user, park=park).exists()
    )


def supporters_for(province_id: int | None) -> QuerySet[ProcessSupporter]:
    """Active supporters serving the province, for the application form."""
    if province_id is None:
        return ProcessSupporter.objects.none()
    return (
        ProcessSupporter.objects.filter(active=True, provinces__id=province_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )


# --------------------------------------------------------------------------- money


@dataclass(frozen=True)
class Commitments:
    """What a round has given away: money (cents) and vouchers."""

    committed_cents: int
    awarded_count: int


def round_commitments(voucher_round: VoucherRound, exclude_pk: int | None = None) -> Commitments:
    """Money and vouchers the round has committed.

    An award counts while the voucher is awarded, delivered, approved or paid.
    A voucher withdrawn or expired after an advance was paid keeps counting for
    what was paid (that money is spent) and as one voucher.
    """
    applications = VoucherApplication.objects.filter(round=voucher_round)
    if exclude_pk is not None:
        applications = applications.exclude(pk=exclude_pk)
    committed = applications.filter(status__in=COMMITTED_STATUSES)
    released = applications.exclude(status__in=COMMITTED_STATUSES).filter(payouts__isnull=False)
    awarded_cents = committed.aggregate(total=Sum("awarded_cents"))["total"] or 0
    spent_cents = (
        Payout.objects.filter(application__in=released).aggregate(total=Sum("amount_cents"))[
            "total"
        ]
        or 0
    )
    return Commitments(
        committed_cents=awarded_cents + spent_cents,
        awarded_count=committed.count() + released.distinct().count(),
    )


def round_has_room(voucher_round: VoucherRound, exclude_pk: int | None = None) -> bool:
    """One more voucher fits in both the budget and the number of vouchers."""
    used = round_commitments(voucher_round, exclude_pk)
    return (
        used.awarded_count < voucher_round.voucher_count
        and used.committed_cents + voucher_round.voucher_value_cents <= voucher_round.budget_cents
    )


def paid_cents(application: VoucherApplication) -> int:
    return application.payouts.aggregate(total=Sum("amount_cents"))["total"] or 0


# --------------------------------------------------------------------------- the workflow


def _authorise(step: Step) -> str | None:
    """The actor named must really be that party of this application."""
    if step.actor == Actor.SYSTEM:  # only ever named by this module's own code
        return None if step.by is None else _("Deze stap is niet aan u.")
    if step.actor not in actors_of(step.by, step.subject):
        return _("Deze stap is niet aan u.")
    return None


def _award(step: Step) -> None:
    """Commit the voucher's value, under a lock on the round row."""
    application: VoucherApplication = step.subject
    voucher_round = VoucherRound.objects.select_for_update().get(pk=application.round_id)
    used = round_commitments(voucher_round, exclude_pk=application.pk)
    value = voucher_round.voucher_value_cents
    if used.awarded_count >= voucher_round.voucher_count:
        raise VoucherError(
            _(
                "De ronde '%(round)s' heeft al %(count)s van de %(count)s vouchers toegekend; "
                "deze aanvraag kan niet meer worden toegekend."
            )
            % {"round": voucher_round.name, "count": voucher_round.voucher_count}
        )
    if used.committed_cents + value > voucher_round.budget_cents:
        raise VoucherError(
            _(
                "Het budget van de ronde '%(round)s' is niet genoeg: nog %(left)s over, een "
                "voucher is %(value)s waard."
            )
            % {
                "round": voucher_round.name,
                "left": euros(voucher_round.budget_cents - used.committed_cents),
                "value": euros(value),
            }
        )
    application.awarded_cents = value
    application.awarded_at = step.at
    application.deliverables_due = timezone.localdate(step.at) + dt.timedelta(
        weeks=voucher_round.deliverables_weeks
    )
    step.notes.append(history.award_note(value, application.deliverables_due))


def _effects(step: Step) -> None:
    application: VoucherApplication = step.subject
    target, source = step.target, step.source
    if target == Status.AWARDED and source == Status.IN_ASSESSMENT:
        _award(step)
    elif target == Status.DELIVERABLES_SUBMITTED:
        kinds = set(application.deliverables.values_list("kind", flat=True))
        missing = [str(k.label) for k in Deliverable.Kind if k.value not in kinds]
        if missing:
            raise VoucherError(
                _("Voeg eerst toe: %(missing)s (als PDF).") % {"missing": ", ".join(missing)}
            )
    elif target in (Status.WITHDRAWN, Status.EXPIRED) and source == Status.AWARDED:
        # The award is released; what was already paid stays counted (round_commitments).
        step.notes.append(history.lapse_note())
    elif target == Status.PAID:
        paid = paid_cents(application)
        if paid != application.awarded_cents:
            raise VoucherError(
                _("Uitbetaald kan pas als de betalingen samen %(award)s zijn; nu %(paid)s.")
                % {"award": euros(application.awarded_cents), "paid": euros(paid)}
            )
    if target in (Status.REJECTED, Status.WITHDRAWN, Status.EXPIRED, Status.PAID):
        application.closed_at = step.at
    step.notify(
        emails.notify_step,
        application,
        source,
        target,
        step.reason,
        step.context.get("base_url", ""),
    )


def _record(step: Step) -> VoucherEvent:
    return VoucherEvent.objects.create(application=step.subject, **history_fields(step))


WORKFLOW = Workflow(
    name="voucher",
    model=VoucherApplication,
    transitions=TABLE,
    record=_record,
    authorise=_authorise,
    effects=_effects,
    logger_name=logger.name,
    not_allowed=gettext_lazy("Een aanvraag met status '%(source)s' kan niet naar '%(target)s'."),
)

_ACTOR_ORDER = [Actor.ASSESSOR, Actor.TEAM, Actor.APPLICANT, Actor.SUPPORTER]


def actor_for(user, application: VoucherApplication, target: str) -> str:
    """The part ``user`` plays for this move: one the table allows, assessor first."""
    rule = TABLE.rule_for(application.status, target)
    mine = actors_of(user, application)
    allowed = [a for a in _ACTOR_ORDER if a in mine and rule is not None and a in rule.actors]
    if allowed:
        return allowed[0]
    ordered = [a for a in _ACTOR_ORDER if a in mine]
    return ordered[0] if ordered else Actor.APPLICANT


def move(
    application: VoucherApplication,
    target: str,
    *,
    by,
    actor: str | None = None,
    reason: str = "",
    **context: Any,
) -> VoucherApplication:
    """Move ``application`` to ``target`` as ``by`` (the only way its state changes)."""
    actor = actor or actor_for(by, application, target)
    return workflow_transition(
        WORKFLOW, application, target, actor=actor, by=by, reason=reason, **context
    )


def allowed_moves(user, application: VoucherApplication) -> list[str]:
    """The states ``user`` may move ``application`` to now (for the page's buttons)."""
    mine = actors_of(user, application)
    return [
        target
        for target in TABLE.allowed_targets(application.status)
        if any(a in mine for a in TABLE.rule_for(application.status, target).actors)
    ]


# --------------------------------------------------------------------------- applying


@dataclass
class ApplicationInput:
    """What the application form delivers (validated by the form)."""

    supporter: ProcessSupporter
    plan_of_approach: str
    planning: str
    budget_cents: int


def _check_supporter(supporter: ProcessSupporter, province_id: int | None) -> None:
    if not supporter.active or not supporter.provinces.filter(pk=province_id).exists():
        raise VoucherError(
            _("%(supporter)s is geen procesbegeleider in deze provincie; kies een ander.")
            % {"supporter": supporter}
        )


def _check_input(data: ApplicationInput, province_id: int | None) -> None:
    _check_supporter(data.supporter, province_id)
    if data.budget_cents <= 0:
        raise VoucherError(_("De begroting moet meer dan € 0 zijn."))
    if not data.plan_of_approach.strip() or not data.planning.strip():
        raise VoucherError(_("Beschrijf het plan van aanpak en de planning."))


def apply(
    park: Park,
    data: ApplicationInput,
    *,
    by,
    idempotency_key: uuid.UUID | None = None,
    today: dt.date | None = None,
    base_url: str = "",
) -> tuple[VoucherApplication, bool]:
    """Submit a voucher application for ``park`` by one of its contacts.

    Raises :class:`NotEligible` with every refusal, or :class:`VoucherError`.
    A repeated post (same ``idempotency_key``) returns the first application
    and False. Two contacts applying at once: the partial unique index on
    active applications lets one through; the other gets the 'active voucher'
    refusal.
    """
    if idempotency_key is not None:
        existing = VoucherApplication.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    if not may_apply_for(by, park):
        raise VoucherError(
            _("Alleen een contactpersoon van het terrein kan een voucher aanvragen.")
        )
    outcome: Eligibility = check_eligibility(park, today)
    if not outcome.eligible:
        raise NotEligible(outcome.refusals)
    _check_input(data, park.province_id)
    try:
        with transaction.atomic():
            application = VoucherApplication.objects.create(
                reference=f"tmp-{uuid.uuid4().hex[:14]}",
                park=park,
                round=outcome.round,
                supporter=data.supporter,
                applicant=by,
                plan_of_approach=data.plan_of_approach.strip(),
                planning=data.planning.strip(),
                budget_cents=data.budget_cents,
                status=Status.SUBMITTED,
                idempotency_key=idempotency_key,
            )
            application.reference = f"VO{application.submitted_at:%Y}-{application.pk:05d}"
            application.save(update_fields=["reference"])
            VoucherEvent.objects.create(
                application=application,
                to_status=Status.SUBMITTED,
                actor=Actor.APPLICANT,
                by=by,
                note=history.applied_note(outcome.round.name),
            )
            transaction.on_commit(
                lambda: emails.notify_step(application, "", Status.SUBMITTED, "", base_url)
            )
    except IntegrityError:
        if idempotency_key is not None:
            existing = VoucherApplication.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, False
        again = check_eligibility(park, today)
        if ACTIVE_VOUCHER in again.codes:
            raise NotEligible([r for r in again.refusals if r.code == ACTIVE_VOUCHER]) from None
        raise
    logger.info("voucher application %s for %s submitted", application.reference, park.pk)
    return application, True


def revise(
    application: VoucherApplication, data: ApplicationInput, *, by, base_url: str = ""
) -> VoucherApplication:
    """The applicant changes a returned application and submits it again."""
    with transaction.atomic():
        locked = VoucherApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != Status.RETURNED_FOR_CHANGES:
            raise VoucherError(
                _("Alleen een aanvraag die terug is voor aanpassing kunt u wijzigen.")
            )
        if Actor.APPLICANT not in actors_of(by, locked):
            raise VoucherError(_("Deze stap is niet aan u."))
        _check_input(data, locked.park.province_id)
        locked.supporter = data.supporter
        locked.plan_of_approach = data.plan_of_approach.strip()
        locked.planning = data.planning.strip()
        locked.budget_cents = data.budget_cents
        locked.save(update_fields=["supporter", "plan_of_approach", "planning", "budget_cents"])
        move(locked, Status.RESUBMITTED, by=by, actor=Actor.APPLICANT, base_url=base_url)
    application.refresh_from_db()
    return application


# --------------------------------------------------------------------------- deliverables


def deliverable_limits():
    """The support desk's attachment checks, narrowed to one PDF of at most
    ``VOUCHER_DELIVERABLE_MAX_MB`` (no office files, images or zips)."""
    from werklandschap.support.desk_rules import AttachmentRules

    cap = settings.VOUCHER_DELIVERABLE_MAX_MB * 1_048_576
    return AttachmentRules(
        max_count=len(Deliverable.Kind),
        max_bytes=cap,
        max_total_bytes=cap * len(Deliverable.Kind),
        max_unpacked_bytes=0,
        max_zip_members=0,
        max_image_pixels=0,
        allowed_types=("pdf",),
    )


def may_upload(user, application: VoucherApplication) -> bool:
    return application.status == Status.AWARDED and bool(
        {Actor.APPLICANT, Actor.SUPPORTER} & actors_of(user, application)
    )


def store_deliverable(
    application: VoucherApplication, kind: str, upload: Any, *, by
) -> Deliverable:
    """Check ``upload`` (a PDF: type sniffed, size capped before reading) and store it
    as the application's ``kind``, replacing an earlier one.

    Raises ``AttachmentError`` (a ValidationError) for a bad file and
    :class:`VoucherError` when the step is not the user's; either way nothing
    is stored. The old file is removed only after the new one is committed.
    """
    from werklandschap.support.attachments import check_attachment

    if kind not in Deliverable.Kind.values:
        raise VoucherError(_("Onbekend soort product."))
    checked = check_attachment(upload, limits=deliverable_limits())
    stored = None
    try:
        with transaction.atomic():
            locked = VoucherApplication.objects.select_for_update().get(pk=application.pk)
            if not may_upload(by, locked):
                raise VoucherError(
                    _("Producten voegt u alleen toe aan een toegekende voucher van uw terrein.")
                )
            old = Deliverable.objects.filter(application=locked, kind=kind).first()
            old_file = old.file.name if old else None
            if old:
                old.delete()
            deliverable = Deliverable(
                application=locked,
                kind=kind,
                name=checked.name,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=by,
            )
            upload.seek(0)
            deliverable.file.save(checked.name, File(upload), save=False)
            stored = deliverable.file
            deliverable.save()
            if old_file:
                storage = deliverable.file.storage
                transaction.on_commit(lambda: storage.delete(old_file))
    except Exception:
        if stored is not None:
            stored.delete(save=False)
        raise
    return deliverable


# --------------------------------------------------------------------------- payouts


def register_payout(
    application: VoucherApplication,
    amount_cents: int,
    *,
    by,
    paid_on: dt.date | None = None,
    note: str = "",
    base_url: str = "",
) -> Payout:
    """Record a (partial) payment by the programme team; never more than the award.

    When the voucher is approved and the payments add up to the award exactly,
    it moves to 'paid' in the same transaction.
    """
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise TypeError("amount_cents is a whole number of cents")
    with transaction.atomic():
        locked = VoucherApplication.objects.select_for_update().get(pk=application.pk)
        if Actor.TEAM not in actors_of(by, locked):
            raise VoucherError(_("Alleen het programmateam registreert betalingen."))
        if locked.status not in PAYABLE_STATUSES:
            raise VoucherError(
                _("Bij een aanvraag met status '%(status)s' hoort geen betaling.")
                % {"status": locked.get_status_display()}
            )
        if amount_cents <= 0:
            raise VoucherError(_("Een betaling is meer dan € 0."))
        paid = paid_cents(locked)
        if paid + amount_cents > locked.awarded_cents:
            raise VoucherError(
                _(
                    "Deze betaling gaat boven de toekenning uit: toegekend %(award)s, al betaald "
                    "%(paid)s, nog ten hoogste %(left)s."
                )
                % {
                    "award": euros(locked.awarded_cents),
                    "paid": euros(paid),
                    "left": euros(locked.awarded_cents - paid),
                }
            )
        payout = Payout.objects.create(
            application=locked,
            amount_cents=amount_cents,
            paid_on=paid_on or timezone.localdate(),
            note=note,
            created_by=by,
        )
        if locked.status == Status.APPROVED and paid + amount_cents == locked.awarded_cents:
            move(locked, Status.PAID, by=by, actor=Actor.TEAM, base_url=base_url)
    application.refresh_from_db()
    return payout


# --------------------------------------------------------------------------- deadlines


def expire_overdue(today: dt.date | None = None, base_url: str = "") -> int:
    """Let awarded vouchers whose deliverables are not in by the deadline expire.

    Run daily (``werklandschap expire_vouchers``); the award goes back to the round.
    """
    today = today or timezone.localdate()
    count = 0
    for application in VoucherApplication.objects.filter(
        status=Status.AWARDED, deliverables_due__lt=today
    ):
        try:
            workflow_transition(
                WORKFLOW,
                application,
                Status.EXPIRED,
                actor=Actor.SYSTEM,
                reason=history.expiry_note(application.deliverables_due),
                base_url=base_url,
            )
        except VoucherError:  # delivered or withdrawn in the meantime
            continue
        count += 1
    return count
