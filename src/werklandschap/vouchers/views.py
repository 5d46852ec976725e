"""Pages of the voucher scheme. Thin: forms check input, ``services`` decides.

Access is per application (``services.visible_applications``): the team sees
every application, a province officer those of their province, a park contact
those of their parks, a process supporter those naming their organisation. An
application a user may not see is a 404, so its existence is not revealed.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werklandschap.lib.http import base_url, form_error_codes
from werklandschap.registry.models import Park

from . import access, greendeal, history, services
from .eligibility import check_eligibility
from .forms import ApplicationForm, DeliverableForm, PayoutForm, StepForm
from .models import Deliverable, VoucherApplication
from .money import to_cents
from .workflow import AWAITING_ASSESSMENT, TABLE, Actor, Status

logger = logging.getLogger("werklandschap.vouchers")


def _visible(request: HttpRequest, reference: str) -> tuple[VoucherApplication, set[str]]:
    application = get_object_or_404(
        services.visible_applications(request.user).select_related(
            "park", "round__green_deal__province", "supporter__organisation"
        ),
        reference=reference,
    )
    return application, services.actors_of(request.user, application)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Each role's own list: what waits for assessment, and every visible application."""
    user = request.user
    applications = services.visible_applications(user).select_related(
        "park", "round__green_deal__province", "supporter__organisation"
    )
    status_filter = request.GET.get("status", "")
    if status_filter in Status.values:
        applications = applications.filter(status=status_filter)
    assessor = services.can_assess_any(user)
    waiting = (
        services.visible_applications(user)
        .filter(status__in=AWAITING_ASSESSMENT)
        .select_related("park", "round")
        .order_by("submitted_at")
        if assessor
        else []
    )
    parks = [
        (park, check_eligibility(park)) for park in services.parks_user_may_apply_for(user)[:20]
    ]
    return render(
        request,
        "vouchers/list.html",
        {
            "applications": applications.order_by("-submitted_at")[:500],
            "waiting": list(waiting),
            "assessor": assessor,
            "parks": parks,
            "statuses": Status.choices,
            "status_filter": status_filter,
            "green_deal_url": _green_deal_url(user),
        },
    )


def _green_deal_url(user) -> str | None:
    """The team's overview of every Green Deal, or a province officer's own deal."""
    if access.can_view_all_green_deals(user):
        return reverse("vouchers:green-deals")
    province = access.own_province(user)
    if province is not None and access.can_view_green_deal(user, province):
        return reverse(
            "vouchers:green-deal", kwargs={"province": greendeal.province_slug(province)}
        )
    return None


@login_required
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """A park contact applies for a voucher; every refusal is explained."""
    park = get_object_or_404(Park.objects.select_related("province"), slug=slug)
    if not services.may_apply_for(request.user, park):
        raise PermissionDenied
    eligibility = check_eligibility(park)
    form = ApplicationForm(province_id=park.province_id)
    status = 200
    if request.method == "POST":
        form = ApplicationForm(request.POST, province_id=park.province_id)
        if form.is_valid():
            try:
                application, _created = services.apply(
                    park,
                    form.application_input(),
                    by=request.user,
                    idempotency_key=form.cleaned_data["nonce"],
                    base_url=base_url(request),
                )
            except services.NotEligible as exc:
                eligibility.refusals = exc.refusals
                status = 409
            except services.VoucherError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(
                    request,
                    _("Uw aanvraag %(ref)s is ingediend.") % {"ref": application.reference},
                )
                return redirect("vouchers:detail", reference=application.reference)
        else:
            logger.info("voucher application form refused: %s", form_error_codes(form))
            status = 400
    return render(
        request,
        "vouchers/apply.html",
        {"park": park, "eligibility": eligibility, "form": form},
        status=status,
    )


def _detail_context(request: HttpRequest, application: VoucherApplication, actors, **forms):
    moves = [
        {"target": target, "label": TABLE.label(target)}
        for target in services.allowed_moves(request.user, application)
        if target != Status.RESUBMITTED  # through the revision form
    ]
    shown_note = history.translator(application)  # the platform's own lines in this language
    events = [
        {
            "at": e.at,
            "from": TABLE.label(e.from_status) if e.from_status else "",
            "to": TABLE.label(e.to_status),
            "actor": e.actor,
            "note": shown_note(e.note),
        }
        for e in application.events.all()
    ]
    paid = services.paid_cents(application)
    return {
        "application": application,
        "actors": actors,
        "is_assessor": Actor.ASSESSOR in actors,
        "is_team": Actor.TEAM in actors,
        "moves": moves,
        "events": events,
        "deliverables": list(application.deliverables.all()),
        "payouts": list(application.payouts.all()),
        "paid_cents": paid,
        "left_cents": (application.awarded_cents or 0) - paid,
        "may_upload": services.may_upload(request.user, application),
        "may_revise": application.status == Status.RETURNED_FOR_CHANGES
        and Actor.APPLICANT in actors,
        "may_pay": Actor.TEAM in actors and application.status in services.PAYABLE_STATUSES,
        "step_form": forms.get("step_form") or StepForm(),
        "deliverable_form": forms.get("deliverable_form") or DeliverableForm(),
        "payout_form": forms.get("payout_form") or PayoutForm(),
        "max_mb": services.deliverable_limits().max_bytes // 1_048_576,
        "may_download_letters": access.can_download_letters(request.user, application),
    }


@login_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    application, actors = _visible(request, reference)
    return render(request, "vouchers/detail.html", _detail_context(request, application, actors))


@login_required
@require_POST
def step(request: HttpRequest, reference: str) -> HttpResponse:
    application, actors = _visible(request, reference)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.move(
                application,
                form.cleaned_data["target"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                base_url=base_url(request),
            )
        except services.VoucherError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De aanvraag is bijgewerkt."))
            return redirect("vouchers:detail", reference=application.reference)
    context = _detail_context(request, application, actors, step_form=form)
    return render(request, "vouchers/detail.html", context, status=400)


@login_required
def revise(request: HttpRequest, reference: str) -> HttpResponse:
    """The applicant changes a returned application and submits it again."""
    application, actors = _visible(request, reference)
    if Actor.APPLICANT not in actors or application.status != Status.RETURNED_FOR_CHANGES:
        raise PermissionDenied
    province_id = application.park.province_id
    status = 200
    if request.method == "POST":
        form = ApplicationForm(request.POST, province_id=province_id)
        if form.is_valid():
            try:
                services.revise(
                    application,
                    form.application_input(),
                    by=request.user,
                    base_url=base_url(request),
                )
            except services.VoucherError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("Uw aanvraag is opnieuw ingediend."))
                return redirect("vouchers:detail", reference=application.reference)
        else:
            status = 400
    else:
        form = ApplicationForm(
            initial=ApplicationForm.initial_for(application), province_id=province_id
        )
    return render(
        request,
        "vouchers/apply.html",
        {"park": application.park, "form": form, "application": application},
        status=status,
    )


@login_required
@require_POST
def deliverable(request: HttpRequest, reference: str) -> HttpResponse:
    """Upload the green vision or the financing plan (a PDF; checked before it is kept)."""
    application, actors = _visible(request, reference)
    if not services.may_upload(request.user, application):
        raise PermissionDenied
    form = DeliverableForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.store_deliverable(
                application, form.cleaned_data["kind"], form.cleaned_data["file"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        except services.VoucherError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Het bestand is toegevoegd."))
            return redirect("vouchers:detail", reference=application.reference)
    logger.info("voucher deliverable refused: %s", form_error_codes(form))
    context = _detail_context(request, application, actors, deliverable_form=form)
    return render(request, "vouchers/detail.html", context, status=400)


@login_required
def deliverable_file(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """A deliverable, for everyone who may see the application (always as a download)."""
    application, _actors = _visible(request, reference)
    item = get_object_or_404(Deliverable, pk=pk, application=application)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
    response["Content-Type"] = "application/pdf"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def payout(request: HttpRequest, reference: str) -> HttpResponse:
    """The programme team records a (partial) payment."""
    application, actors = _visible(request, reference)
    if Actor.TEAM not in actors:
        raise PermissionDenied
    form = PayoutForm(request.POST)
    if form.is_valid():
        try:
            services.register_payout(
                application,
                to_cents(form.cleaned_data["amount"]),
                by=request.user,
                paid_on=form.cleaned_data["paid_on"],
                note=form.cleaned_data["note"],
                base_url=base_url(request),
            )
        except services.VoucherError as exc:
            form.add_error("amount", str(exc))
        else:
            messages.success(request, _("De betaling is vastgelegd."))
            return redirect("vouchers:detail", reference=application.reference)
    context = _detail_context(request, application, actors, payout_form=form)
    return render(request, "vouchers/detail.html", context, status=400)
