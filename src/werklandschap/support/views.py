"""Pages of the support desk. Thin: forms check input, ``services`` decides.

Access is per question (``services.actors_of``): the team sees every
question, a director those routed to their organisation, a partner those put
out to it (without the asker's e-mail address), an asker their own. A
question a user may not see is a 404, so its existence is not revealed.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werklandschap.lib.http import base_url, client_address, form_error_codes
from werklandschap.partnership import limits
from werklandschap.registry.models import Park

from . import calendar, exports, reporting, services
from .forms import ChooseForm, IntakeForm, ProposalForm, PutOutForm, QuestionForm, StepForm
from .models import Expertise, Proposal, Question
from .scope import rule_for, scope_rules
from .workflow import TABLE, Actor, Status

logger = logging.getLogger("werklandschap.support")
SESSION_SENT = "support_sent"


# --------------------------------------------------------------------------- intake


def _prefill(request: HttpRequest) -> tuple[dict, Park | None]:
    park = Park.objects.filter(slug=request.GET.get("park", "")).first()
    initial: dict = {}
    if park is not None:
        initial.update(park=park.slug, region=park.region_id, level="park")
    # ?stap=<slug>: the toolbox's "ask about this step" link chooses the step (issue 20).
    step = Expertise.objects.filter(
        kind=Expertise.Kind.TOOLBOX_STEP, slug=request.GET.get("stap", "")[:120]
    ).first()
    if step is not None:
        initial["toolbox_step"] = step.pk
    user = request.user
    if user.is_authenticated:
        initial.update(
            asker_name=user.get_full_name() or "",
            asker_organisation=str(user.organisation or ""),
        )
        if park is not None and park.contacts.filter(user=user).exists():
            initial["asker_type"] = "business_park"
    return initial, park


def ask(request: HttpRequest) -> HttpResponse:
    """The public question form (prefilled from ``?park=`` and the account)."""
    initial, park = _prefill(request)
    account_email = (request.user.email or None) if request.user.is_authenticated else None
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST, request.FILES, account_email=account_email)
        if form.is_valid():
            intake = form.intake()
            try:
                if account_email is None:
                    # Double opt-in mails an address someone typed: the same
                    # per-address and per-connection limits as the sign-up.
                    limits.reserve(
                        intake.asker_email, client_address(request), form.cleaned_data["nonce"]
                    )
                question, _created = services.submit_question(
                    intake,
                    user=request.user,
                    idempotency_key=form.cleaned_data["nonce"],
                    base_url=base_url(request),
                )
            except limits.SignUpLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            else:
                request.session[SESSION_SENT] = question.pk
                return redirect("support:sent")
        else:
            logger.info("question form refused: %s", form_error_codes(form))
            status = 400
        park = form.cleaned_data.get("park") if hasattr(form, "cleaned_data") else park
    else:
        form = QuestionForm(initial=initial, account_email=account_email)
    return render(
        request,
        "support/ask.html",
        {"form": form, "park": park, "scope_rules": scope_rules()},
        status=status,
    )


def sent(request: HttpRequest) -> HttpResponse:
    pk = request.session.get(SESSION_SENT)
    question = Question.objects.filter(pk=pk).first() if pk else None
    if question is None:
        return redirect("support:ask")
    return render(request, "support/sent.html", {"question": question})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The asker's e-mailed link: a GET shows a button, the POST confirms (no prefetch effects)."""
    question = services.question_for_token(token)
    if question is None:
        return render(request, "support/link_invalid.html", status=404)
    if request.method == "POST":
        services.confirm(question, base_url=base_url(request))
        follow_url = reverse("support:follow", kwargs={"token": services.asker_token(question)})
        response = render(
            request, "support/confirmed.html", {"question": question, "follow_url": follow_url}
        )
        response["Referrer-Policy"] = "no-referrer"
        return response
    return render(request, "support/confirm.html", {"question": question, "token": token})


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """The team's and directors' entry of a question received live."""
    if not services.can_take_intake(request.user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        if form.is_valid():
            question, _created = services.submit_question(
                form.intake(),
                user=request.user,
                idempotency_key=form.cleaned_data["nonce"],
                via=form.cleaned_data["received_via"].strip(),
                base_url=base_url(request),
            )
            messages.success(
                request, _("Vraag %(ref)s is ingevoerd.") % {"ref": question.reference}
            )
            return redirect("support:detail", reference=question.reference)
        logger.info("intake form refused: %s", form_error_codes(form))
        status = 400
    else:
        form = IntakeForm()
    return render(request, "support/intake.html", {"form": form}, status=status)


# --------------------------------------------------------------------------- lists


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """My questions: the asker's own, a partner's put out to it, a director's and the
    team's work list with what is soon due and overdue."""
    visible = services.visible_questions(request.user)
    questions = visible.select_related("park", "region", "director").annotate(
        proposal_count=services.proposal_count()
    )
    state = request.GET.get("status", "")
    if state in Status.values:
        questions = questions.filter(status=state)
    today = calendar.local_today()
    return render(
        request,
        "support/desk.html",
        {
            "questions": questions.order_by("due_date", "-created_at")[:500],
            "overdue": services.overdue(visible, today).select_related("region")[:100],
            "soon_due": services.soon_due(visible, today).select_related("region")[:100],
            "statuses": Status.choices,
            "status_filter": state,
            "today": today,
            "can_intake": services.can_take_intake(request.user),
            # The light figures (two counts); the full ones are on the report page.
            "figures": {"total": visible.count(), **reporting.two_week_figures(visible)},
        },
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The desk's figures: the team for all questions, a director for their own."""
    if not services.can_take_intake(request.user):
        raise PermissionDenied
    visible = services.visible_questions(request.user)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        if fmt == "csv":
            response = HttpResponse(
                exports.questions_csv(visible), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                exports.questions_xlsx(visible),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="vragen.{fmt}"'
        return response
    return render(
        request,
        "support/report.html",
        {
            "figures": reporting.summary(visible),
            "dimensions": [
                (label, reporting.by_dimension(visible, key)) for key, label in reporting.DIMENSIONS
            ],
        },
    )


# --------------------------------------------------------------------------- one question


def _visible_question(request: HttpRequest, reference: str) -> tuple[Question, set[str]]:
    question = get_object_or_404(
        Question.objects.select_related("park", "region", "director", "theme", "toolbox_step"),
        reference=reference,
    )
    actors = services.actors_of(request.user, question)
    if not actors or (question.status == Status.NEW and Actor.ASKER not in actors):
        raise Http404
    return question, actors


def _detail_context(request: HttpRequest, question: Question, actors: set[str], **forms) -> dict:
    user = request.user
    staff = bool(actors & {Actor.TEAM, Actor.DIRECTOR})
    sees_all_proposals = staff or Actor.ASKER in actors
    proposals = question.proposals.select_related("organisation")
    if not sees_all_proposals:  # a partner sees only its own proposal
        proposals = proposals.filter(organisation_id=user.organisation_id)
    moves = [
        {
            "target": target,
            "label": TABLE.label(target),
            "rule": TABLE.rule_for(question.status, target),
        }
        for target in TABLE.allowed_targets(question.status)
        if set(TABLE.rule_for(question.status, target).actors) & actors
        and target not in (Status.PUT_OUT, Status.PROPOSALS_IN, Status.DECIDED)
    ]
    my_assignment = None
    if Actor.PARTNER in actors:
        my_assignment = question.assignments.filter(organisation_id=user.organisation_id).first()
    context = {
        "question": question,
        "actors": actors,
        "is_staff_actor": staff,
        "is_asker": Actor.ASKER in actors,
        "shows_asker": staff or Actor.ASKER in actors,
        "proposals": list(proposals),
        "assignments": list(question.assignments.select_related("organisation")),
        "attachments": list(question.attachments.all()),
        "events": list(question.events.select_related("by")) if staff else [],
        "moves": moves,
        "step_form": forms.get("step_form") or StepForm(),
        "scope_rules": scope_rules(),
        "can_put_out": staff and question.status == Status.SHARPENING,
        "can_pause": staff and question.status in services.PAUSABLE,
        "can_propose": my_assignment is not None
        and question.status in (Status.PUT_OUT, Status.PROPOSALS_IN)
        and not question.proposals.filter(organisation_id=user.organisation_id).exists(),
        "can_choose": bool(actors & {Actor.ASKER, Actor.TEAM})
        and question.status == Status.PROPOSALS_IN,
        "today": calendar.local_today(),
        "scope_label": getattr(rule_for(question.scope_rule), "label", question.scope_rule),
    }
    if question.due_date:
        context["working_days_left"] = calendar.working_days_between(
            context["today"], question.due_date
        )
    return context


@login_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    question, actors = _visible_question(request, reference)
    return render(request, "support/detail.html", _detail_context(request, question, actors))


@login_required
@require_POST
def step(request: HttpRequest, reference: str) -> HttpResponse:
    """One move of the workflow (sharpen, out of scope, withdraw, execute, complete, reopen)."""
    question, actors = _visible_question(request, reference)
    form = StepForm(request.POST)
    if form.is_valid():
        target = form.cleaned_data["target"]
        try:
            services.move(
                question,
                target,
                by=request.user,
                reason=form.cleaned_data["reason"],
                scope_rule=form.cleaned_data["scope_rule"],
                base_url=base_url(request),
            )
        except services.DeskError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("De vraag staat nu op: %(s)s.") % {"s": TABLE.label(target)}
            )
            return redirect("support:detail", reference=question.reference)
    context = _detail_context(request, question, actors, step_form=form)
    return render(request, "support/detail.html", context, status=400)


@login_required
@require_POST
def wait(request: HttpRequest, reference: str) -> HttpResponse:
    """Record that the desk waits for the asker, or that the asker replied."""
    question, _actors = _visible_question(request, reference)
    try:
        services.set_waiting_on_asker(
            question,
            request.POST.get("waiting") == "1",
            by=request.user,
            reason=request.POST.get("reason", "")[:2000],
        )
    except services.DeskError as exc:
        messages.error(request, str(exc))
    return redirect("support:detail", reference=question.reference)


@login_required
def put_out(request: HttpRequest, reference: str) -> HttpResponse:
    question, actors = _visible_question(request, reference)
    if not actors & {Actor.TEAM, Actor.DIRECTOR}:
        raise PermissionDenied
    suggestions = services.suggest_partners(question)
    status = 200
    if request.method == "POST":
        form = PutOutForm(request.POST, suggestions=suggestions)
        if form.is_valid():
            try:
                services.put_out(
                    question,
                    list(form.cleaned_data["partners"]),
                    by=request.user,
                    override_reason=form.cleaned_data["override_reason"],
                    base_url=base_url(request),
                )
            except services.DeskError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("De vraag is uitgezet."))
                return redirect("support:detail", reference=question.reference)
        status = 400
    else:
        top = [s.organisation.pk for s in suggestions[:3]]
        form = PutOutForm(initial={"partners": top}, suggestions=suggestions)
    return render(
        request,
        "support/put_out.html",
        {"question": question, "form": form, "suggestions": suggestions[:10]},
        status=status,
    )


@login_required
def propose(request: HttpRequest, reference: str) -> HttpResponse:
    question, actors = _visible_question(request, reference)
    if Actor.PARTNER not in actors:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST)
        if form.is_valid():
            try:
                services.submit_proposal(
                    question, form.proposal_input(), by=request.user, base_url=base_url(request)
                )
            except services.DeskError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Uw voorstel is ingediend."))
                return redirect("support:detail", reference=question.reference)
        status = 400
    else:
        form = ProposalForm()
    return render(
        request, "support/propose.html", {"question": question, "form": form}, status=status
    )


@login_required
@require_POST
def choose(request: HttpRequest, reference: str) -> HttpResponse:
    question, _actors = _visible_question(request, reference)
    form = ChooseForm(request.POST)
    if not form.is_valid():
        raise Http404
    proposal = get_object_or_404(Proposal, pk=form.cleaned_data["proposal"], question=question)
    try:
        services.choose_proposal(question, proposal, by=request.user, base_url=base_url(request))
    except services.DeskError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("U hebt een voorstel gekozen."))
    return redirect("support:detail", reference=question.reference)


def _followed(token: str) -> Question:
    question = services.question_for_asker_token(token)
    if question is None:
        raise Http404
    return question


def follow(request: HttpRequest, token: str) -> HttpResponse:
    """An asker without an account follows, chooses or withdraws through the
    private link in their e-mails (they see what an asker with an account sees)."""
    question = _followed(token)
    if request.method == "POST":
        try:
            if request.POST.get("proposal", "").isdigit():
                proposal = get_object_or_404(
                    Proposal, pk=int(request.POST["proposal"]), question=question
                )
                services.choose_proposal(
                    question, proposal, by=None, token_holder=True, base_url=base_url(request)
                )
                messages.success(request, _("U hebt een voorstel gekozen."))
            elif request.POST.get("target") == Status.WITHDRAWN:
                services.move(
                    question,
                    Status.WITHDRAWN,
                    by=None,
                    actor=Actor.ASKER,
                    token_holder=True,
                    reason=request.POST.get("reason", "")[:2000],
                )
                messages.success(request, _("Uw vraag is ingetrokken."))
        except services.DeskError as exc:
            messages.error(request, str(exc))
        return redirect("support:follow", token=token)
    context = _detail_context(request, question, {Actor.ASKER})
    context["follow_token"] = token
    response = render(request, "support/detail.html", context)
    # The link is the key: never leak it to another site. Not "no-referrer": under that
    # policy a browser posts this page's forms (choose a proposal, withdraw) with
    # "Origin: null", which Django's CSRF check refuses (403).
    response["Referrer-Policy"] = "same-origin"
    return response


def follow_pdf(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    question = _followed(token)
    proposal = get_object_or_404(Proposal, pk=pk, question=question)
    return _file_response(proposal.pdf, proposal.pdf.name.rsplit("/", 1)[-1], "application/pdf")


def _file_response(field_file, name: str, content_type: str) -> FileResponse:
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """An attachment, for those who may see the question (partners need it to answer)."""
    question, _actors = _visible_question(request, reference)
    item = get_object_or_404(question.attachments, pk=pk)
    return _file_response(item.file, item.name, item.content_type)


@login_required
def proposal_pdf(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """A proposal's PDF: for the asker, the director and the team, and its own author."""
    question, actors = _visible_question(request, reference)
    proposal = get_object_or_404(Proposal, pk=pk, question=question)
    if not actors & {Actor.TEAM, Actor.DIRECTOR, Actor.ASKER} and (
        proposal.organisation_id != request.user.organisation_id
    ):
        raise Http404
    return _file_response(proposal.pdf, proposal.pdf.name.rsplit("/", 1)[-1], "application/pdf")
