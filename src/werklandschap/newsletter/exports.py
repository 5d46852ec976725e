"""Confirmed subscribers as CSV and XLSX for an external mailing tool (team only).

Addresses are typed by the public: ``=1+2@example.nl`` is a valid address, so
every text cell goes through ``lib.spreadsheet`` (a leading apostrophe in CSV,
Excel's quote-prefix in XLSX) and never becomes a formula. Only what a
mailing tool needs leaves the platform: address, language, where the consent
came from and when it was given.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from werklandschap.lib.spreadsheet import formula_safe, neutralise_formulas
from werklandschap.portal.exports import csv_dialect

from .models import Subscriber


def _columns() -> list[str]:
    # Capitalised like the other exports' headers (the texts are shared with field names).
    return [
        capfirst(t) for t in (_("e-mailadres"), _("taal"), _("herkomst"), _("toestemming sinds"))
    ]


def rows() -> list[list[str]]:
    """One row per confirmed subscriber, ordered by address."""
    result = []
    for sub in Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).order_by("email"):
        since = (
            timezone.localtime(sub.confirmed_at).strftime("%Y-%m-%d %H:%M")
            if sub.confirmed_at
            else ""
        )
        result.append([sub.email, sub.language, sub.source, since])
    return result


def subscribers_csv() -> str:
    dialect = csv_dialect()
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow(_columns())
    for row in rows():
        writer.writerow([formula_safe(value) for value in row])
    return buf.getvalue()


def subscribers_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Abonnees")[:31]
    sheet.append(_columns())
    for row in rows():
        sheet.append(row)
    neutralise_formulas(workbook)
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


def _download(content, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response() -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    return _download(
        subscribers_csv(), "text/csv; charset=utf-8", f"nieuwsbrief-abonnees-{stamp}.csv"
    )


def xlsx_response() -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    return _download(
        subscribers_xlsx(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"nieuwsbrief-abonnees-{stamp}.xlsx",
    )
