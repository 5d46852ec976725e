"""The Green Deal pages, the voucher report's downloads and the letters. Thin views:
``access`` decides who, ``greendeal``/``reporting``/``exports``/``letters`` what."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from . import access, exports, greendeal, letters
from .models import VoucherApplication
from .reporting import voucher_report


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Every province side by side (programme team)."""
    if not access.can_view_all_green_deals(request.user):
        raise PermissionDenied
    return render(request, "vouchers/green_deals.html", {"report": voucher_report()})


@login_required
def province(request: HttpRequest, province: str) -> HttpResponse:
    """One province's Green Deal, parks, rounds and vouchers (team; that province's officers)."""
    found = greendeal.province_by_slug(province)
    if not access.can_view_green_deal(request.user, found):
        raise PermissionDenied
    context = greendeal.province_page(found)
    context["show_overview_link"] = access.can_view_all_green_deals(request.user)
    return render(request, "vouchers/green_deal.html", context)


@login_required
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The report as CSV or XLSX, in the language of the page it was asked from (team)."""
    if not access.can_view_all_green_deals(request.user):
        raise PermissionDenied
    report = voucher_report()
    if fmt == "csv":
        response = HttpResponse(exports.report_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.report_xlsx(report), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(fmt)}"'
    return response


def _letter_application(request: HttpRequest, reference: str) -> VoucherApplication:
    application = get_object_or_404(
        VoucherApplication.objects.select_related(
            "park", "round__green_deal__province", "round__scheme", "supporter__organisation"
        ),
        reference=reference,
    )
    if not access.can_download_letters(request.user, application):
        raise PermissionDenied
    return application


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def award_letter(request: HttpRequest, reference: str) -> HttpResponse:
    application = _letter_application(request, reference)
    try:
        pdf = letters.award_letter_pdf(application, language=get_language())
    except letters.NotYet as exc:
        raise Http404(str(exc)) from exc
    return _pdf(pdf, letters.filename(application, "award"))


@login_required
def payout_statement(request: HttpRequest, reference: str) -> HttpResponse:
    application = _letter_application(request, reference)
    try:
        pdf = letters.payout_statement_pdf(application, language=get_language())
    except letters.NotYet as exc:
        raise Http404(str(exc)) from exc
    return _pdf(pdf, letters.filename(application, "payout"))
