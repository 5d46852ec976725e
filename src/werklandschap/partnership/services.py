"""Business rules of the partner-park sign-up.

* ``capacity_refusal``: the one place that says who may sign up a park.
* ``submit_application``: store a sign-up once (idempotency key), recognise a
  second sign-up for the same park and join it to the first.
* ``transition``: the one function that moves an application between the
  states of ``workflow.TRANSITIONS``; it validates, applies the effects
  (approval makes the park a partner park), records an ``ApplicationEvent``
  and sends the e-mails after the database commit.
* ``decide``: the programme team's approve/reject of a park's group of
  sign-ups, each member through ``transition``.
* The double opt-in token: ``confirmation_token`` / ``application_for_token``.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry.base import BaseGeometry

from werklandschap.accounts import policies
from werklandschap.accounts.models import ParkContact, User
from werklandschap.accounts.roles import Role
from werklandschap.lib.workflow import Step, TransitionRefused, Workflow, history_fields
from werklandschap.lib.workflow import transition as workflow_transition
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park
from werklandschap.registry.services import (
    MATCH_MIN_IOU,
    assign_areas,
    change_park_status,
    outline_overlap,
    park_matching_outline,
    unique_park_slug,
)
from werklandschap.scans.services import request_scan

from . import emails, limits
from .models import (
    CONSENT_VERSION,
    ApplicantCapacity,
    ApplicationEvent,
    OutlineSource,
    PartnerApplication,
)
from .workflow import OPEN_STATUSES, TABLE, Actor, Status

logger = logging.getLogger("werklandschap.partnership")

TOKEN_SALT = "werklandschap.partnership.confirm"  # noqa: S105 (a salt, not a secret)
# The park source recorded when a park is created from an approved sign-up.
PARK_SOURCE = "Aanmelding partnerterrein"


# A move the workflow does not allow; the message is Dutch, for the person acting.
TransitionError = TransitionRefused


class TokenInvalid(Exception):
    """A confirmation link that was altered, truncated or belongs to no application."""


class TokenExpired(Exception):
    """A genuine confirmation link used after its validity; carries the application."""

    def __init__(self, application: PartnerApplication | None):
        super().__init__("expired")
        self.application = application


# --------------------------------------------------------------------------- who may sign up


def capacity_refusal(capacity: str) -> str | None:
    """Why someone in ``capacity`` may not sign up a park; None when they may.

    Seed 001, section 2.2: sign-up is at the level of the business park, "not
    as an individual company on a park (unless you represent the whole park)".
    Representing the whole park is its own capacity (owner of the whole park),
    so a single company is always refused here, with the explanation the
    form shows.
    """
    if capacity == ApplicantCapacity.SINGLE_COMPANY:
        return _(
            "Aanmelden kan alleen per bedrijventerrein, niet als individueel bedrijf. "
            "Vraag de parkmanager, de ondernemersvereniging of de gemeente om het terrein "
            "aan te melden. Bent u eigenaar van het hele terrein? Kies dan 'Eigenaar van "
            "het hele terrein'."
        )
    if capacity not in ApplicantCapacity.values:
        return _("Kies in welke hoedanigheid u het terrein aanmeldt.")
    return None


# --------------------------------------------------------------------------- same park


def _application_matching_outline(
    geometry: BaseGeometry,
) -> tuple[PartnerApplication | None, float]:
    """An open sign-up proposing (nearly) the same new park."""
    best, best_iou = None, 0.0
    candidates = (
        PartnerApplication.objects.open()
        .filter(park=None)
        .exclude(geometry=None)
        .intersecting_bbox(geometry.bounds)
    )
    for other in candidates:
        iou = outline_overlap(other.geometry, geometry)
        if iou > best_iou:
            best, best_iou = other, iou
    return (best, best_iou) if best_iou >= MATCH_MIN_IOU else (None, best_iou)


def _primary_for_park(park: Park) -> PartnerApplication | None:
    """The first still-relevant sign-up of ``park``: open, or approved (the park is in)."""
    first = (
        PartnerApplication.objects.filter(park=park, status__in=[*OPEN_STATUSES, Status.APPROVED])
        .order_by("created_at", "id")
        .first()
    )
    return first.primary if first else None


def group_of(application: PartnerApplication) -> list[PartnerApplication]:
    """The primary sign-up of the park followed by every sign-up joined to it."""
    primary = application.primary
    return [primary, *primary.joined.order_by("created_at", "id")]


# --------------------------------------------------------------------------- submission


@dataclass
class SignUp:
    """A validated sign-up form, independent of the HTTP request."""

    organisation_name: str
    capacity: str
    contact_email: str
    contact_name: str = ""
    park: Park | None = None
    proposed_name: str = ""
    outline: BaseGeometry | None = None  # RD New, already checked (outlines.py)
    outline_source: str = OutlineSource.NONE
    outline_note: str = ""
    commitments: tuple[bool, bool, bool] = (False, False, False)
    consent: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class Submission:
    application: PartnerApplication
    created: bool  # False: the same form (or the same person for the same park) again
    mailed: bool = False  # a confirmation mail was queued


def submit_application(
    signup: SignUp,
    *,
    idempotency_key: uuid.UUID | str,
    base_url: str = "",
    client: str | None = None,
) -> Submission:
    """Store a sign-up exactly once and send the confirmation e-mail.

    A repeated or concurrent POST of the same form carries the same key; the
    unique constraint keeps one row and the loser of a race gets the winner's
    row (``created=False``, no second e-mail). A sign-up for a park that
    already has an open or approved sign-up is joined to that one; the same
    e-mail address signing up the same park again gets its open application
    back (and a fresh confirmation link if it was not yet confirmed, valid
    until the application's own deadline, see ``confirm_deadline``).

    Raises ``limits.SignUpLimited`` (and stores nothing) when the e-mail
    address or the ``client`` address has had too many mails or sign-ups
    in the limits' window.
    """
    refusal = capacity_refusal(signup.capacity)
    if refusal:
        raise ValueError(refusal)
    if not all(signup.commitments) or not signup.consent:
        raise ValueError("commitments and consent are required")
    if (signup.park is None) == (signup.outline is None):
        raise ValueError("exactly one of park and outline")
    key = uuid.UUID(str(idempotency_key))
    existing = PartnerApplication.objects.filter(idempotency_key=key).first()
    if existing is not None:
        logger.info("sign-up form %s posted again: application %s", key, existing.pk)
        return Submission(existing, created=False)

    reservation = limits.reserve(signup.contact_email, client, form_key=key)
    try:
        submission = _store(signup, key, base_url)
    except BaseException:
        reservation.release()
        raise
    reservation.settle(mailed=submission.mailed, created=submission.created)
    return submission


def _store(signup: SignUp, key: uuid.UUID, base_url: str) -> Submission:
    """``submit_application`` once the limits let it through."""
    park, notes = signup.park, list(signup.notes)
    if park is None:
        park, iou = park_matching_outline(signup.outline)
        if park is not None:
            notes.append(
                _(
                    "De getekende begrenzing is herkend als bestaand terrein '%(name)s' "
                    "(overlap %(iou)s)."
                )
                % {"name": park.name, "iou": f"{iou:.0%}"}
            )
    try:
        with transaction.atomic():
            if park is not None:
                # Serialises sign-ups of the same park, so two people signing up
                # at once are joined rather than both becoming the first.
                Park.objects.select_for_update().filter(pk=park.pk).first()
                # A concurrent post of this very form may have won the lock.
                existing = PartnerApplication.objects.filter(idempotency_key=key).first()
                if existing is not None:
                    return Submission(existing, created=False)
                # Overdue sign-ups of this park expire first: this one must not
                # join, or re-send the link of, a sign-up whose link ran out.
                _expire_overdue(PartnerApplication.objects.filter(park=park))
                primary = _primary_for_park(park)
            else:
                # No park row to lock: re-check the key, then rely on the unique constraint.
                existing = PartnerApplication.objects.filter(idempotency_key=key).first()
                if existing is not None:
                    return Submission(existing, created=False)
                _expire_overdue(
                    PartnerApplication.objects.filter(park=None).intersecting_bbox(
                        signup.outline.bounds
                    )
                )
                primary, iou = _application_matching_outline(signup.outline)
                primary = primary.primary if primary else None
                if primary is not None:
                    notes.append(
                        _("Begrenzing overlapt sterk (%(iou)s) met aanmelding #%(pk)s.")
                        % {"iou": f"{iou:.0%}", "pk": primary.pk}
                    )
            if primary is not None:
                same_person = next(
                    (
                        a
                        for a in group_of(primary)
                        if a.status in OPEN_STATUSES
                        and a.contact_email.lower() == signup.contact_email.lower()
                    ),
                    None,
                )
                if same_person is not None and same_person.idempotency_key == key:
                    # This very form, committed by a concurrent post meanwhile.
                    return Submission(same_person, created=False)
                if same_person is not None:
                    logger.info(
                        "sign-up for %s by the same address again: application %s",
                        same_person.park_name,
                        same_person.pk,
                    )
                    if same_person.status == Status.SUBMITTED:
                        # The same link again: still valid only until the
                        # application's own deadline (not extended).
                        _after_commit(emails.send_confirmation, same_person, base_url)
                        return Submission(same_person, created=False, mailed=True)
                    return Submission(same_person, created=False)
            application = PartnerApplication.objects.create(
                park=park,
                proposed_name=signup.proposed_name if park is None else "",
                geometry=signup.outline,
                outline_source=signup.outline_source,
                outline_note=signup.outline_note[:300],
                organisation_name=signup.organisation_name,
                capacity=signup.capacity,
                contact_email=signup.contact_email,
                contact_name=signup.contact_name,
                commits_to_green_goal=True,
                commits_to_bring_knowledge=True,
                commits_to_share_knowledge=True,
                consent_version=CONSENT_VERSION,
                consent_given_at=timezone.now(),
                joined_to=primary,
                idempotency_key=key,
            )
            if primary is not None:
                notes.append(
                    _("Gekoppeld aan eerdere aanmelding #%(pk)s voor hetzelfde terrein.")
                    % {"pk": primary.pk}
                )
            ApplicationEvent.objects.create(
                application=application,
                to_status=Status.SUBMITTED,
                actor=Actor.APPLICANT,
                note="\n".join(notes),
            )
    except IntegrityError:
        existing = PartnerApplication.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        logger.info("concurrent post of sign-up form %s: application %s", key, existing.pk)
        return Submission(existing, created=False)
    logger.info(
        "application %s submitted for %s%s",
        application.pk,
        application.park_name,
        f" (joined to {primary.pk})" if primary else "",
    )
    _after_commit(emails.send_confirmation, application, base_url)
    return Submission(application, created=True, mailed=True)


# --------------------------------------------------------------------------- double opt-in


def confirm_days() -> int:
    return int(settings.PARTNERSHIP_CONFIRM_DAYS)


def confirm_deadline(application: PartnerApplication):
    """Until when the application can be confirmed: ``confirm_days`` after the sign-up.

    Counted from the application, not from the link: a link sent again for
    the same application (the same person signing up the same park again)
    carries a newer timestamp but ends at the same moment, so signing up
    again never extends an older sign-up's validity.
    """
    return application.created_at + timezone.timedelta(days=confirm_days())


def is_past_deadline(application: PartnerApplication, now=None) -> bool:
    return (now or timezone.now()) > confirm_deadline(application)


def _expire_overdue(applications) -> None:
    """Expire the unconfirmed ones among ``applications`` whose deadline has passed."""
    cutoff = timezone.now() - timezone.timedelta(days=confirm_days())
    for application in applications.filter(status=Status.SUBMITTED, created_at__lt=cutoff):
        expire(application)


def confirmation_token(application: PartnerApplication) -> str:
    """A signed, timestamped token for the confirmation link.

    It carries the application's id and part of its unguessable form key, so
    the link cannot be built for another application without the secret key.
    """
    payload = {"a": application.pk, "k": application.idempotency_key.hex[:16]}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def application_for_token(token: str) -> PartnerApplication:
    """The application a confirmation link is for; raises TokenInvalid / TokenExpired."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=confirm_days() * 86400)
    except signing.SignatureExpired as exc:
        payload = signing.loads(token, salt=TOKEN_SALT)  # genuine, only too old
        raise TokenExpired(_lookup(payload)) from exc
    except signing.BadSignature as exc:
        raise TokenInvalid from exc
    application = _lookup(payload)
    if application is None:
        raise TokenInvalid
    if application.status == Status.SUBMITTED and is_past_deadline(application):
        raise TokenExpired(application)
    return application


def _lookup(payload) -> PartnerApplication | None:
    if not isinstance(payload, dict):
        return None
    application = PartnerApplication.objects.filter(pk=payload.get("a")).first()
    if application is None or application.idempotency_key.hex[:16] != payload.get("k"):
        return None
    return application


def confirm(application: PartnerApplication, *, base_url: str = "") -> PartnerApplication:
    """The applicant used a valid link: the sign-up enters the programme team's queue."""
    return transition(application, Status.CONFIRMED, actor=Actor.APPLICANT, base_url=base_url)


def expire(application: PartnerApplication) -> PartnerApplication:
    """An unconfirmed sign-up whose link ran out: nothing more will happen to it."""
    return transition(application, Status.EXPIRED, actor=Actor.SYSTEM)


def expire_stale(now=None) -> int:
    """Expire every sign-up left unconfirmed past its deadline (``confirm_deadline``)."""
    cutoff = (now or timezone.now()) - timezone.timedelta(days=confirm_days())
    count = 0
    for application in PartnerApplication.objects.filter(
        status=Status.SUBMITTED, created_at__lt=cutoff
    ):
        expire(application)
        count += 1
    return count


# --------------------------------------------------------------------------- the transition


def _after_commit(send, application: PartnerApplication, *args) -> None:
    """Send an e-mail once the sign-up is committed, never for a rolled-back one."""

    def run() -> None:
        try:
            send(application, *args)
        except Exception:  # the sign-up stands; the operator must resend by hand
            logger.exception("e-mail %s for application %s failed", send.__name__, application.pk)

    transaction.on_commit(run)


def _authorise(step: Step) -> str | None:
    if step.actor == Actor.REVIEWER and not policies.can_review_applications(step.by):
        return _("Alleen het programmateam beoordeelt aanmeldingen.")
    return None


def _effects(step: Step) -> None:
    """What a move does beyond its state; e-mails are queued for after the commit."""
    application: PartnerApplication = step.subject
    base_url = step.context.get("base_url", "")
    if step.target == Status.CONFIRMED:
        application.confirmed_at = step.at
        step.notify(emails.notify_team, application, base_url)
    if step.target in (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN):
        application.decided_at = step.at
        application.decided_by = step.by
        application.decision_reason = step.reason
    if step.target == Status.APPROVED:
        step.notes.extend(_approve(step, base_url))
    elif step.target == Status.REJECTED:
        step.notify(emails.send_rejected, application)


def _record(step: Step) -> ApplicationEvent:
    return ApplicationEvent.objects.create(application=step.subject, **history_fields(step))


WORKFLOW = Workflow(
    name="application",
    model=PartnerApplication,
    transitions=TABLE,
    record=_record,
    authorise=_authorise,
    effects=_effects,
    logger_name=logger.name,
    not_allowed=gettext_lazy("Een aanmelding met status '%(source)s' kan niet naar '%(target)s'."),
)


def transition(
    application: PartnerApplication,
    target: str,
    *,
    actor: Actor,
    by: User | None = None,
    reason: str = "",
    base_url: str = "",
) -> PartnerApplication:
    """Move ``application`` to ``target``: the only way its status changes.

    Goes through the shared ``lib.workflow.transition``: validated against
    ``workflow.TRANSITIONS`` (source state, actor, reason), effects applied
    (approval makes the park a partner park), an ``ApplicationEvent`` recorded
    and the e-mails sent after the commit. Raises :class:`TransitionError` (and
    changes nothing) when the move is not allowed.
    """
    return workflow_transition(
        WORKFLOW, application, target, actor=actor, by=by, reason=reason, base_url=base_url
    )


def _approve(step: Step, base_url: str) -> list[str]:
    """Effects of approval: the park (created if proposed) becomes a partner park,
    the applicant becomes its contact, and its baseline scan is queued.

    Returns notes for the application's history.
    """
    application: PartnerApplication = step.subject
    by: User | None = step.by
    refusal = capacity_refusal(application.capacity)
    if refusal:
        raise TransitionError(refusal)
    notes = []
    park, created = _park_for(application, by)
    application.park = park
    if created:
        notes.append(
            _("Nieuw terrein '%(name)s' aangemaakt in het register.") % {"name": park.name}
        )
    became_partner = False
    if park.swarm_role == SwarmRole.NONE:
        change_park_status(
            park,
            by=by,
            note=_("Aanmelding partnerterrein #%(pk)s goedgekeurd") % {"pk": application.pk},
            swarm_role=SwarmRole.PARTNER,
        )
        became_partner = True
        notes.append(_("Terrein is nu partnerterrein."))
    else:
        notes.append(
            _("Terrein was al %(role)s; rol ongewijzigd.") % {"role": park.get_swarm_role_display()}
        )
    user, new_user = _contact_user(application)
    ParkContact.objects.get_or_create(
        user=user, park=park, defaults={"capacity": application.capacity}
    )
    notes.append(
        _("Contactpersoon %(email)s gekoppeld (%(state)s account).")
        % {"email": user.email, "state": _("nieuw") if new_user else _("bestaand")}
    )
    if became_partner or not park.scan_requests.exists():
        request_scan(park, by=by, reason=_("Nulmeting na aanmelding als partnerterrein"))
        notes.append(_("Nulmeting in de wachtrij gezet."))
    step.notify(emails.send_approved, application, user, base_url)
    return notes


def _park_for(application: PartnerApplication, by: User | None) -> tuple[Park, bool]:
    """The registry park of an approved sign-up; created now if it was only proposed.

    A proposed park may meanwhile exist: created by an earlier approval of a
    sign-up in the same group, or imported. Both are found before creating.
    """
    if application.park_id:
        return application.park, False
    for other in group_of(application):
        if other.park_id and other.status == Status.APPROVED:
            return other.park, False
    park, _iou_value = park_matching_outline(application.geometry)
    if park is not None:
        return park, False
    park = Park(
        name=application.proposed_name,
        slug=unique_park_slug(application.proposed_name),
        geometry=application.geometry,
        source=PARK_SOURCE,
    )
    assign_areas(park)
    park.save()
    logger.info("park %s created from application %s", park.pk, application.pk)
    return park, True


def _contact_user(application: PartnerApplication) -> tuple[User, bool]:
    """The applicant's account: found by e-mail address, else created without password.

    A new account gets no password: the approval e-mail carries a link of
    Django's password-reset machinery to set one.
    """
    email = application.contact_email.strip()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    created = False
    if user is None:
        user = User.objects.filter(username__iexact=email).first()
    if user is None:
        user = User(username=email[:150], email=email, first_name=application.contact_name[:150])
        user.set_unusable_password()
        user.save()
        created = True
    group, _created = Group.objects.get_or_create(name=Role.PARK_CONTACT.value)
    user.groups.add(group)
    return user, created


# --------------------------------------------------------------------------- decisions


def decide(
    application: PartnerApplication,
    *,
    approve: bool,
    by: User,
    reason: str = "",
    base_url: str = "",
) -> list[PartnerApplication]:
    """Approve or reject a park's sign-up together with the confirmed ones joined to it.

    The programme team decides once per park: every confirmed sign-up of the
    group gets the same decision (and each applicant the e-mail). Sign-ups
    not yet confirmed are left alone; they reach the queue on confirmation.
    All or nothing: one refused move undoes the others.
    """
    target = Status.APPROVED if approve else Status.REJECTED
    with transaction.atomic():
        if application.status != Status.CONFIRMED:
            # Lets transition() refuse it with the workflow's own message.
            return [transition(application, target, actor=Actor.REVIEWER, by=by, reason=reason)]
        members = [application] + [
            a
            for a in group_of(application)
            if a.pk != application.pk and a.status == Status.CONFIRMED
        ]
        return [
            transition(a, target, actor=Actor.REVIEWER, by=by, reason=reason, base_url=base_url)
            for a in members
        ]
