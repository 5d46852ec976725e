"""Business rules of the support desk: intake, routing, putting out, proposals, choice.

Every change of a question's state goes through ``move`` (and so through the
shared ``lib.workflow.transition``): it locks the question row, so two
directors putting out the same question, or a partner proposing while the
asker withdraws, end in one consistent state. The limits (3 partners, 3
proposals, one A4, attachments) are data (``data/support/desk.yaml``) and are
enforced here, not only in forms.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werklandschap.accounts.roles import Role, roles_of
from werklandschap.lib.workflow import Step, TransitionRefused, Workflow, history_fields
from werklandschap.lib.workflow import transition as workflow_transition
from werklandschap.registry.choices import OrganisationKind
from werklandschap.registry.models import Organisation, Park, Region

from . import calendar, emails
from .desk_rules import rules
from .models import Assignment, Attachment, Expertise, PoolMember, Proposal, Question, QuestionEvent
from .workflow import ANSWERABLE, CLOSED_STATUSES, OPEN_STATUSES, TABLE, Actor, Status

logger = logging.getLogger("werklandschap.support")

TOKEN_SALT = "werklandschap.support.confirm"  # noqa: S105 (a salt, not a secret)


def confirm_max_age_s() -> int:
    """How long a confirmation link is valid (desk.yaml ``intake.confirm_days``)."""
    return rules().confirm_days * 24 * 3600


# A refused step: the message is for the person acting.
DeskError = TransitionRefused


# --------------------------------------------------------------------------- who is who


def director_of(user, question: Question) -> bool:
    """The user works for the regional-director organisation the question is routed to."""
    return (
        user is not None
        and user.is_authenticated
        and user.organisation_id is not None
        and question.director_id == user.organisation_id
        and Role.REGIONAL_DIRECTOR in roles_of(user)
    )


def partner_of(user, question: Question) -> bool:
    """The user works for a coalition partner the question is put out to."""
    return (
        user is not None
        and user.is_authenticated
        and user.organisation_id is not None
        and Role.COALITION_PARTNER in roles_of(user)
        and question.assignments.filter(organisation_id=user.organisation_id).exists()
    )


def asker_of(user, question: Question) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and question.asker_user_id is not None
        and question.asker_user_id == user.pk
    )


def actors_of(user, question: Question) -> set[str]:
    """Every part ``user`` plays in ``question`` (empty: none, so no access)."""
    actors: set[str] = set()
    if user is None or not user.is_authenticated:
        return actors
    if Role.PROGRAMME_TEAM in roles_of(user):
        actors.add(Actor.TEAM)
    if director_of(user, question):
        actors.add(Actor.DIRECTOR)
    if partner_of(user, question):
        actors.add(Actor.PARTNER)
    if asker_of(user, question):
        actors.add(Actor.ASKER)
    return actors


def visible_questions(user) -> QuerySet[Question]:
    """The questions ``user`` may see: the team all, a director their routed ones,
    a partner those put out to it, an asker their own. Unconfirmed questions
    (``new``) are the asker's alone."""
    if user is None or not user.is_authenticated:
        return Question.objects.none()
    roles = roles_of(user)
    if Role.PROGRAMME_TEAM in roles:
        return Question.objects.exclude(status=Status.NEW)
    condition = Q(asker_user=user)
    if user.organisation_id is not None:
        if Role.REGIONAL_DIRECTOR in roles:
            condition |= Q(director_id=user.organisation_id) & ~Q(status=Status.NEW)
        if Role.COALITION_PARTNER in roles:
            condition |= Q(
                pk__in=Assignment.objects.filter(organisation_id=user.organisation_id).values(
                    "question_id"
                )
            )
    # A subquery, not a join: no duplicates, so no DISTINCT over whole rows.
    return Question.objects.filter(condition)


def proposal_count() -> Coalesce:
    """Each question's number of proposals, counted for the rows a list fetches
    (a correlated subquery), not grouped over every question in view."""
    per_question = (
        Proposal.objects.filter(question=OuterRef("pk"))
        .order_by()
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_question, output_field=IntegerField()), 0)


def can_take_intake(user) -> bool:
    """Programme team and regional directors enter questions received live (events)."""
    roles = roles_of(user)
    return Role.PROGRAMME_TEAM in roles or Role.REGIONAL_DIRECTOR in roles


# --------------------------------------------------------------------------- the workflow


def _authorise(step: Step) -> str | None:
    """The actor named must really be that party of this question."""
    user, question = step.by, step.subject
    if step.actor == Actor.SYSTEM:  # only ever named by this module's own code
        return None
    if step.actor == Actor.ASKER and user is None:
        # The holder of the confirmation link (no account): only to confirm or withdraw.
        return None if step.context.get("token_holder") else _("Deze stap is niet aan u.")
    if step.actor not in actors_of(user, question):
        return _("Deze stap is niet aan u.")
    return None


def _effects(step: Step) -> None:
    question: Question = step.subject
    base_url = step.context.get("base_url", "")
    target = step.target
    if target == Status.RECEIVED:
        question.confirmed_at = question.confirmed_at or step.at
        step.notify(emails.notify_director, question, base_url)
    elif target == Status.SHARPENING:
        question.sharpened_at = question.sharpened_at or step.at
    elif target == Status.PUT_OUT:
        _put_out_effects(step)
    elif target == Status.PROPOSALS_IN:
        question.first_proposal_at = question.first_proposal_at or step.at
    elif target == Status.DECIDED:
        _decide_effects(step)
    elif target == Status.OUT_OF_SCOPE:
        from .scope import rule_for

        rule = step.context.get("scope_rule", "")
        if rule_for(rule) is None:
            raise DeskError(_("Kies welke regel van de werkwijze deze vraag uitsluit."))
        question.scope_rule = rule
        step.notify(emails.notify_out_of_scope, question, step.reason, base_url)
    if target not in PAUSABLE:
        question.waiting_on_asker_since = None
    if target in CLOSED_STATUSES:
        question.closed_at = step.at
    elif target == Status.REOPENED:
        question.closed_at = None


def _record(step: Step) -> QuestionEvent:
    return QuestionEvent.objects.create(question=step.subject, **history_fields(step))


WORKFLOW = Workflow(
    name="question",
    model=Question,
    transitions=TABLE,
    record=_record,
    authorise=_authorise,
    effects=_effects,
    logger_name=logger.name,
    not_allowed=gettext_lazy("Een vraag met status '%(source)s' kan niet naar '%(target)s'."),
)


def move(
    question: Question,
    target: str,
    *,
    by,
    actor: str | None = None,
    reason: str = "",
    **context: Any,
) -> Question:
    """Move ``question`` to ``target`` as ``by``; the actor is the part ``by`` plays
    that the table allows for this move (the team before the director)."""
    if actor is None:
        rule = TABLE.rule_for(question.status, target)
        mine = actors_of(by, question)
        allowed = [a for a in (rule.actors if rule else ()) if a in mine]
        order = [Actor.TEAM, Actor.DIRECTOR, Actor.ASKER, Actor.PARTNER]
        allowed.sort(key=lambda a: order.index(a) if a in order else len(order))
        actor = allowed[0] if allowed else (next(iter(mine)) if mine else Actor.ASKER)
    return workflow_transition(
        WORKFLOW, question, target, actor=actor, by=by, reason=reason, **context
    )


# --------------------------------------------------------------------------- intake


def routed_director(
    park: Park | None, region: Region | None
) -> tuple[Region | None, Organisation | None]:
    """The region of a question and its regional director (table 4.1 as data).

    A park's region wins over a region picked on the form. A park without a
    region, or a question without either, goes to the programme team (no
    director).
    """
    if park is not None and park.region_id is not None:
        region = park.region
    if region is None:
        return None, None
    return region, region.director


def _new_reference(question: Question) -> str:
    return f"V{question.created_at:%Y}-{question.pk:05d}"


@dataclass
class Intake:
    """What the question form delivers (validated by the form)."""

    asker_type: str
    level: str
    title: str
    body: str
    asker_name: str
    asker_organisation: str = ""
    asker_email: str = ""
    park: Park | None = None
    region: Region | None = None
    theme: Expertise | None = None
    toolbox_step: Expertise | None = None
    # (attachments.CheckedAttachment, the uploaded file) pairs, checked by the form.
    files: list[tuple[Any, Any]] = field(default_factory=list)


def submit_question(
    intake: Intake,
    *,
    user=None,
    idempotency_key: uuid.UUID | None = None,
    via: str = "",
    base_url: str = "",
) -> tuple[Question, bool]:
    """Store a question once (a repeated post returns the first), with its attachments.

    A logged-in asker, or a question taken in by the team or a director, is
    received at once; an anonymous asker first confirms the e-mail address
    (double opt-in). Files are written inside the transaction and removed again
    when it fails: the intake completes or leaves no trace.
    """
    key = idempotency_key or uuid.uuid4()
    existing = Question.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    region, director = routed_director(intake.park, intake.region)
    staff_intake = bool(via) and user is not None and can_take_intake(user)
    asker_user = None if staff_intake or user is None or not user.is_authenticated else user
    stored: list[Any] = []
    try:
        with transaction.atomic():
            question = Question.objects.create(
                reference=f"tmp-{uuid.uuid4().hex[:11]}",
                status=Status.NEW,
                asker_type=intake.asker_type,
                level=intake.level,
                park=intake.park,
                region=region,
                director=director,
                theme=intake.theme,
                toolbox_step=intake.toolbox_step,
                title=intake.title,
                body=intake.body,
                asker_name=intake.asker_name,
                asker_organisation=intake.asker_organisation,
                asker_email=intake.asker_email or (asker_user.email if asker_user else ""),
                asker_user=asker_user,
                received_via=via,
                idempotency_key=key,
            )
            question.reference = _new_reference(question)
            question.save(update_fields=["reference"])
            for checked, upload in intake.files:
                attachment = Attachment(
                    question=question,
                    name=checked.name,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                )
                upload.seek(0)
                attachment.file.save(checked.name, File(upload), save=False)
                stored.append(attachment.file)
                attachment.save()
            QuestionEvent.objects.create(
                question=question,
                to_status=Status.NEW,
                actor=Actor.TEAM if staff_intake else Actor.ASKER,
                by=user if user is not None and user.is_authenticated else None,
                note=via,
            )
            if asker_user is not None or staff_intake:
                # An account's address is known, and the team or a director took
                # the question in person: no e-mail confirmation needed.
                workflow_transition(
                    WORKFLOW,
                    question,
                    Status.RECEIVED,
                    actor=Actor.ASKER if asker_user is not None else Actor.SYSTEM,
                    by=asker_user or user,
                    base_url=base_url,
                )
            else:
                transaction.on_commit(lambda: emails.send_confirmation(question, base_url))
    except IntegrityError:
        for stored_file in stored:
            stored_file.delete(save=False)
        existing = Question.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False
    except Exception:
        for stored_file in stored:
            stored_file.delete(save=False)
        raise
    logger.info(
        "question %s received (%s, via %s)", question.reference, question.status, via or "form"
    )
    question.refresh_from_db()
    return question, True


ASKER_SALT = "werklandschap.support.asker"
# An asker without an account follows the question through this link (in each
# e-mail to them); valid for desk.yaml ``intake.follow_link_days``.


def asker_token(question: Question) -> str:
    """The private link of an asker without an account to their question."""
    return signing.dumps({"q": question.pk}, salt=ASKER_SALT)


def question_for_asker_token(token: str) -> Question | None:
    question = _question_of(token, ASKER_SALT, rules().follow_link_days * 24 * 3600)
    return None if question is None or question.status == Status.NEW else question


def expire_unconfirmed(now=None) -> int:
    """Withdraw anonymous questions whose confirmation link expired unused.

    Run daily with the digest; the asker can simply ask again.
    """
    cutoff = (now or timezone.now()) - timezone.timedelta(seconds=confirm_max_age_s())
    count = 0
    for question in Question.objects.filter(status=Status.NEW, created_at__lt=cutoff):
        workflow_transition(
            WORKFLOW,
            question,
            Status.WITHDRAWN,
            actor=Actor.SYSTEM,
            reason=_("E-mailadres niet bevestigd binnen de geldigheid van de link."),
        )
        count += 1
    return count


def _question_of(token: str, salt: str, max_age_s: int) -> Question | None:
    """The question a signed link names, or None for an altered or expired link."""
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age_s).get("q")
    except (signing.BadSignature, AttributeError):
        return None
    return Question.objects.filter(pk=pk).first()


def confirmation_token(question: Question) -> str:
    return signing.dumps({"q": question.pk}, salt=TOKEN_SALT)


def question_for_token(token: str) -> Question | None:
    """The question of a confirmation link, or None for an altered or expired link."""
    return _question_of(token, TOKEN_SALT, confirm_max_age_s())


def confirm(question: Question, *, base_url: str = "") -> Question:
    """The asker confirmed the address: the question reaches the desk (idempotent)."""
    if question.status != Status.NEW:
        return question
    return workflow_transition(
        WORKFLOW,
        question,
        Status.RECEIVED,
        actor=Actor.ASKER,
        by=None,
        token_holder=True,
        base_url=base_url,
    )


# --------------------------------------------------------------------------- routing


@dataclass(frozen=True)
class Suggestion:
    """A coalition partner suggested for a question, with the reasons for its rank."""

    organisation: Organisation
    score: float
    step_match: bool
    theme_match: bool
    in_pool: bool
    open_work: int

    @property
    def reasons(self) -> list[str]:
        parts = []
        if self.step_match:
            parts.append(_("kent deze stap van de toolbox"))
        if self.theme_match:
            parts.append(_("expertise in dit onderwerp"))
        if self.in_pool:
            parts.append(_("in de flexibele pool"))
        parts.append(_("%(n)s open vragen") % {"n": self.open_work})
        return parts


def suggest_partners(question: Question, limit: int | None = None) -> list[Suggestion]:
    """Coalition partners ranked for ``question``.

    Score (weights in desk.yaml ``routing``, today 2 / 2 / 1 / 0.5): points for
    the question's toolbox step in the partner's matrix, for its theme
    (expertise area) and for membership of the flexible pool, minus a penalty
    per question the partner has open (put out, no decision yet), so work is
    spread. Ties go by name. Three queries, whatever the number of partners.
    """
    wanted = [e for e in (question.toolbox_step_id, question.theme_id) if e is not None]
    partners = Organisation.objects.filter(kind=OrganisationKind.COALITION_PARTNER).annotate(
        open_work=Count(
            "support_assignments",
            filter=Q(support_assignments__question__status__in=ANSWERABLE),
            distinct=True,
        )
    )
    expertise_of: dict[int, set[int]] = {}
    for org_id, expertise_id in Expertise.partners.through.objects.filter(
        expertise_id__in=wanted
    ).values_list("organisation_id", "expertise_id"):
        expertise_of.setdefault(org_id, set()).add(expertise_id)
    pool = set(PoolMember.objects.values_list("organisation_id", flat=True))
    result = []
    for org in partners:
        known = expertise_of.get(org.pk, set())
        step_match = question.toolbox_step_id in known
        theme_match = question.theme_id in known
        in_pool = org.pk in pool
        w = rules().routing_weights
        score = (
            w.toolbox_step * step_match
            + w.theme * theme_match
            + w.pool * in_pool
            - w.per_open_question * org.open_work
        )
        result.append(Suggestion(org, score, step_match, theme_match, in_pool, org.open_work))
    result.sort(key=lambda s: (-s.score, s.organisation.name))
    return result[:limit] if limit else result


def _put_out_effects(step: Step) -> None:
    question: Question = step.subject
    partners: list[Organisation] = step.context.get("partners") or []
    limit = rules().max_partners_per_question
    already = set(question.assignments.values_list("organisation_id", flat=True))
    new = [p for p in partners if p.pk not in already]
    if not partners:
        raise DeskError(_("Kies ten minste één coalitiepartner."))
    if len(already) + len(new) > limit:
        raise DeskError(_("Een vraag gaat naar hoogstens %(n)s coalitiepartners.") % {"n": limit})
    if any(p.kind != OrganisationKind.COALITION_PARTNER for p in partners):
        raise DeskError(_("Alleen coalitiepartners krijgen vragen uitgezet."))
    ranks = {s.organisation.pk: i for i, s in enumerate(suggest_partners(question), start=1)}
    top = set(list(ranks)[: len(partners)])
    override = step.context.get("override_reason", "").strip()
    if {p.pk for p in partners} != top and not override:
        raise DeskError(_("U wijkt af van de voorgestelde partners; geef de reden daarvoor."))
    for partner in new:
        Assignment.objects.create(
            question=question,
            organisation=partner,
            assigned_by=step.by,
            assigned_at=step.at,
            rank=ranks.get(partner.pk),
            override_reason=override,
        )
    names = ", ".join(p.name for p in partners)
    step.notes.append(_("Uitgezet bij: %(names)s.") % {"names": names})
    if override:
        step.notes.append(_("Afwijking van de suggestie: %(why)s") % {"why": override})
    if question.due_date is None:  # the clock starts once; reassignment never moves it
        question.due_date = calendar.due_date(step.at)
    step.notify(
        emails.notify_partners, question, [p.pk for p in new], step.context.get("base_url", "")
    )


def put_out(
    question: Question,
    partners: list[Organisation],
    *,
    by,
    override_reason: str = "",
    base_url: str = "",
) -> Question:
    """Put ``question`` out to at most three partners (validated under the row lock)."""
    return move(
        question,
        Status.PUT_OUT,
        by=by,
        partners=list(partners),
        override_reason=override_reason,
        base_url=base_url,
    )


# --------------------------------------------------------------------------- proposals


@dataclass
class ProposalInput:
    approach: str
    deliverables: str
    duration: str
    cost: Decimal
    own_contribution: Decimal


def render_proposal(question: Question, organisation: Organisation, data: ProposalInput):
    """Render the proposal as its one-A4 PDF (``one_page``); outside any transaction."""
    from .one_page import check_fits_one_page

    return check_fits_one_page(
        {
            "question_reference": question.reference,
            "question_title": question.title,
            "partner": organisation.name,
            "approach": data.approach,
            "deliverables": data.deliverables,
            "duration": data.duration,
            "cost": data.cost,
            "own_contribution": data.own_contribution,
            "date": timezone.localdate(),
        }
    )


def submit_proposal(question: Question, data: ProposalInput, *, by, base_url: str = "") -> Proposal:
    """A partner's proposal: one A4 measured on the rendered PDF, at most three per
    question, one per partner, only while the question is open to proposals."""
    organisation = by.organisation if by is not None else None
    if organisation is None or not partner_of(by, question):
        raise DeskError(_("Deze vraag is niet aan uw organisatie voorgelegd."))
    rendered = render_proposal(question, organisation, data)
    if not rendered.fits:
        raise DeskError(
            _(
                "Uw voorstel beslaat %(pages)s pagina's; het mag hoogstens één A4 zijn. "
                "Maak de tekst korter."
            )
            % {"pages": rendered.pages}
        )
    limit = rules().max_proposals_per_question
    stored = None
    try:
        with transaction.atomic():
            locked = Question.objects.select_for_update().get(pk=question.pk)
            if locked.status not in ANSWERABLE:
                raise DeskError(
                    _("Deze vraag neemt geen voorstellen meer aan (status: %(status)s).")
                    % {"status": locked.get_status_display()}
                )
            if locked.proposals.filter(organisation=organisation).exists():
                raise DeskError(_("Uw organisatie heeft al een voorstel ingediend."))
            if locked.proposals.count() >= limit:
                raise DeskError(
                    _("Deze vraag heeft al %(n)s voorstellen, het maximum.") % {"n": limit}
                )
            proposal = Proposal(
                question=locked,
                organisation=organisation,
                approach=data.approach,
                deliverables=data.deliverables,
                duration=data.duration,
                cost=data.cost,
                own_contribution=data.own_contribution,
                submitted_by=by,
            )
            proposal.pdf.save(
                f"{locked.reference}-{organisation.slug}.pdf", ContentFile(rendered.pdf), save=False
            )
            stored = proposal.pdf
            proposal.save()
            if locked.status == Status.PUT_OUT:
                workflow_transition(
                    WORKFLOW,
                    locked,
                    Status.PROPOSALS_IN,
                    actor=Actor.PARTNER,
                    by=by,
                    reason=_("Voorstel van %(org)s") % {"org": organisation.name},
                    base_url=base_url,
                )
            else:
                QuestionEvent.objects.create(
                    question=locked,
                    from_status=locked.status,
                    to_status=locked.status,
                    actor=Actor.PARTNER,
                    by=by,
                    note=_("Voorstel van %(org)s") % {"org": organisation.name},
                )
            transaction.on_commit(lambda: emails.notify_proposal(proposal, base_url))
    except Exception:
        if stored is not None:
            stored.delete(save=False)
        raise
    logger.info("proposal %s for question %s by %s", proposal.pk, question.reference, organisation)
    return proposal


def _decide_effects(step: Step) -> None:
    question: Question = step.subject
    chosen: Proposal = step.context["proposal"]
    if chosen.question_id != question.pk:
        raise DeskError(_("Dit voorstel hoort niet bij deze vraag."))
    question.agreed_cost = step.context.get("agreed_cost", chosen.cost)
    question.agreed_own_contribution = step.context.get(
        "agreed_own_contribution", chosen.own_contribution
    )
    Proposal.objects.filter(pk=chosen.pk).update(state=Proposal.State.CHOSEN)
    others = list(question.proposals.exclude(pk=chosen.pk).values_list("pk", flat=True))
    Proposal.objects.filter(pk__in=others).update(state=Proposal.State.NOT_CHOSEN)
    step.notes.append(_("Gekozen: voorstel van %(org)s.") % {"org": chosen.organisation.name})
    step.notify(
        emails.notify_decision, question, chosen.pk, others, step.context.get("base_url", "")
    )


def choose_proposal(
    question: Question,
    proposal: Proposal,
    *,
    by,
    agreed_cost: Decimal | None = None,
    agreed_own_contribution: Decimal | None = None,
    base_url: str = "",
    token_holder: bool = False,
) -> Question:
    """The asker (or the team) chooses one proposal; the others are closed with notice.

    ``token_holder``: an asker without an account, through their private link.
    """
    return move(
        question,
        Status.DECIDED,
        by=by,
        actor=Actor.ASKER if token_holder else None,
        token_holder=token_holder,
        proposal=proposal,
        agreed_cost=proposal.cost if agreed_cost is None else agreed_cost,
        agreed_own_contribution=(
            proposal.own_contribution
            if agreed_own_contribution is None
            else agreed_own_contribution
        ),
        base_url=base_url,
    )


# --------------------------------------------------------------------------- waiting for the asker

PAUSABLE = (Status.RECEIVED, Status.SHARPENING, Status.PUT_OUT, Status.PROPOSALS_IN)


def set_waiting_on_asker(question: Question, waiting: bool, *, by, reason: str = "") -> Question:
    """Record that the desk waits for the asker (or no longer does).

    Not a state of the workflow: the question keeps its state and its due date;
    the pause is written to the audit trail (from = to = the current state) and
    shown on the question and in the lists.
    """
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if not actors_of(by, locked) & {Actor.TEAM, Actor.DIRECTOR}:
            raise DeskError(_("Deze stap is niet aan u."))
        if locked.status not in PAUSABLE:
            raise DeskError(_("Bij een vraag in deze status wacht u niet op de vrager."))
        if waiting == (locked.waiting_on_asker_since is not None):
            return locked
        now = timezone.now()
        if waiting:
            locked.waiting_on_asker_since = now
            note = _("Wacht op de vrager.")
        else:
            days = (now - locked.waiting_on_asker_since).days
            locked.waiting_on_asker_since = None
            note = _("De vrager heeft gereageerd (%(days)s dagen gewacht).") % {"days": days}
        locked.save(update_fields=["waiting_on_asker_since"])
        QuestionEvent.objects.create(
            question=locked,
            from_status=locked.status,
            to_status=locked.status,
            actor=Actor.TEAM if Actor.TEAM in actors_of(by, locked) else Actor.DIRECTOR,
            by=by,
            at=now,
            note="\n".join(filter(None, [note, reason.strip()])),
        )
    question.refresh_from_db()
    return question


# --------------------------------------------------------------------------- deadlines


def open_questions() -> QuerySet[Question]:
    return Question.objects.filter(status__in=OPEN_STATUSES)


def soon_due(queryset: QuerySet[Question], today=None) -> QuerySet[Question]:
    """Awaiting proposals and due within the next working days (desk.yaml)."""
    today = today or calendar.local_today()
    return queryset.filter(
        status=Status.PUT_OUT, due_date__gte=today, due_date__lte=calendar.soon_due_cutoff(today)
    )


def overdue(queryset: QuerySet[Question], today=None) -> QuerySet[Question]:
    """Awaiting proposals past the due date: the two-week promise is broken."""
    today = today or calendar.local_today()
    return queryset.filter(status=Status.PUT_OUT, due_date__lt=today)
