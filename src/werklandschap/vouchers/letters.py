"""The award letter and the payout statement of a voucher, as PDF (WeasyPrint).

Rendered exactly as safely as the park report and the support desk's
proposals: text typed by people (park names, plans, payout notes, a round's
conditions) reaches the PDF only through Django's autoescaping, WeasyPrint gets
no base URL and ``support.one_page.refusing_url_fetcher`` (no protocol allowed,
a fetch stops the render), and the stylesheet is read from its file. The
fonts are the report's (Liberation Sans, DejaVu Sans: installed on the
server, never downloaded). The PDF is tagged (PDF/UA-1, ``/Lang`` from
``<html lang>``, the title from ``<title>``), as the report is.

Letters are in Dutch unless another language is active (or asked for); amounts
are exact euros with cents from the integer cents (``money.euros``), dates are
written out, and every letter carries the application's reference and its own
document number (``<reference>-T`` for the award, ``<reference>-B<n>`` for the
statement after the n-th payment).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .models import Payout, VoucherApplication
from .money import euros
from .workflow import Status

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "vouchers"
STYLESHEET = TEMPLATE_DIR / "letter.css"
PDF_VARIANT = "pdf/ua-1"  # as portal/report.py and support/one_page.py
PROGRAMME = "Werklandschappen van de Toekomst"


class NotYet(Exception):
    """The letter does not exist yet (no award, no payment); the message says why."""


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return formats.date_format(value, "j F Y")


def _award_moment(application: VoucherApplication) -> dt.datetime | None:
    """When the voucher was awarded, from its history (the first award), else the field."""
    event = (
        application.events.filter(to_status=Status.AWARDED, from_status=Status.IN_ASSESSMENT)
        .order_by("at", "id")
        .first()
    )
    return event.at if event else application.awarded_at


def _common(application: VoucherApplication) -> dict[str, Any]:
    park = application.park
    voucher_round = application.round
    return {
        "programme": PROGRAMME,
        "application": application,
        "park_name": park.name,
        "municipality": park.municipality.name if park.municipality_id else "",
        "province": voucher_round.green_deal.province.name,
        "round_name": voucher_round.name,
        "scheme": voucher_round.scheme.name if voucher_round.scheme_id else "",
        "supporter": application.supporter.organisation.name,
        "reference": application.reference,
        "made_on": _date(timezone.localdate()),
    }


def award_letter_context(application: VoucherApplication) -> dict[str, Any]:
    if application.awarded_cents is None:
        raise NotYet(_("Deze aanvraag is (nog) niet toegekend; er is geen toekenningsbrief."))
    awarded_at = _award_moment(application)
    context = _common(application)
    context.update(
        {
            "document_number": f"{application.reference}-T",
            "title": _("Toekenningsbrief voucher %(reference)s")
            % {"reference": application.reference},
            "letter_date": _date(awarded_at),
            "submitted_on": _date(application.submitted_at),
            "amount": euros(application.awarded_cents),
            "budget": euros(application.budget_cents),
            "due": _date(application.deliverables_due),
            "conditions": application.round.conditions,
            "released": application.status in (Status.WITHDRAWN, Status.EXPIRED),
            "status_label": application.get_status_display(),
            "closed_on": _date(application.closed_at),
        }
    )
    return context


def _statement_payouts(target: Payout | VoucherApplication) -> tuple[VoucherApplication, list]:
    if isinstance(target, Payout):
        application = target.application
        payouts = [
            p
            for p in application.payouts.order_by("paid_on", "id")
            if (p.paid_on, p.pk) <= (target.paid_on, target.pk)
        ]
    else:
        application = target
        payouts = list(application.payouts.order_by("paid_on", "id"))
    return application, payouts


def payout_statement_context(target: Payout | VoucherApplication) -> dict[str, Any]:
    application, payouts = _statement_payouts(target)
    if not payouts:
        raise NotYet(_("Op deze voucher is nog niets betaald; er is geen betaaloverzicht."))
    paid = sum(p.amount_cents for p in payouts)
    awarded = application.awarded_cents or 0
    running = 0
    rows = []
    for number, payout in enumerate(payouts, start=1):
        running += payout.amount_cents
        rows.append(
            {
                "number": number,
                "date": _date(payout.paid_on),
                "note": payout.note,
                "amount": euros(payout.amount_cents),
                "running": euros(running),
            }
        )
    context = _common(application)
    context.update(
        {
            "document_number": f"{application.reference}-B{len(payouts)}",
            "title": _("Betaaloverzicht voucher %(reference)s")
            % {"reference": application.reference},
            "letter_date": _date(payouts[-1].paid_on),
            "rows": rows,
            "awarded": euros(awarded),
            "paid": euros(paid),
            "left": euros(awarded - paid),
            "complete": paid == awarded,
            "status_label": application.get_status_display(),
        }
    )
    return context


def _render(template: str, context: dict[str, Any], language: str | None) -> bytes:
    from weasyprint import CSS, HTML  # heavy; only rendering needs it

    from werklandschap.support.one_page import refusing_url_fetcher

    fetcher = refusing_url_fetcher()
    html = render_html(template, context, language)
    options = {
        "stylesheets": [CSS(filename=str(STYLESHEET), url_fetcher=fetcher)],
        "pdf_variant": PDF_VARIANT,
    }
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(**options)


def render_html(template: str, context: dict[str, Any], language: str | None) -> str:
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return render_to_string(template, context)


def _in_language(build, target, language: str | None) -> dict[str, Any]:
    """Build the context in the letter's language (dates and amounts are formatted there)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return build(target)


def award_letter_pdf(application: VoucherApplication, *, language: str | None = None) -> bytes:
    """The award letter (A4). Raises :class:`NotYet` before the award."""
    context = _in_language(award_letter_context, application, language)
    return _render("vouchers/award_letter.html", context, language)


def payout_statement_pdf(
    payout_or_application: Payout | VoucherApplication, *, language: str | None = None
) -> bytes:
    """Every payment up to the given one (or all of the application's), with the total and
    what is left of the award. Raises :class:`NotYet` before the first payment."""
    context = _in_language(payout_statement_context, payout_or_application, language)
    return _render("vouchers/payout_statement.html", context, language)


def filename(application: VoucherApplication, kind: str) -> str:
    prefix = _("toekenningsbrief") if kind == "award" else _("betaaloverzicht")
    return f"{prefix}-{application.reference}.pdf"
