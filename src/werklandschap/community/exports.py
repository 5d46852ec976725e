"""The organiser's attendee list as CSV and XLSX.

Names and organisations are typed by people, so every text cell goes through
``lib.spreadsheet`` (a name like ``=HYPERLINK(...)`` stays text); the CSV uses
the separators of the page's language (``portal.exports.csv_dialect``), as the
desk's export does.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from werklandschap.lib.spreadsheet import formula_safe, neutralise_formulas
from werklandschap.portal.exports import csv_dialect

from .models import Event, Registration, RegistrationStatus


def columns() -> list[str]:
    return [
        _("Naam"),
        _("E-mailadres"),
        _("Organisatie"),
        _("Status"),
        _("Plaats op de wachtlijst"),
        _("Aangemeld op"),
        _("Aanwezig"),
    ]


def _attended(value: bool | None) -> str:
    if value is None:
        return ""
    return _("ja") if value else _("nee")


def rows(event: Event) -> list[list[Any]]:
    """Confirmed people first, then the waiting list in its order (cancelled left out)."""
    registrations = (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user", "user__organisation")
        .order_by("status", "listed_at", "registered_at", "id")
    )
    result = []
    position = 0
    for reg in sorted(registrations, key=_order):
        waiting = reg.status == RegistrationStatus.WAITING
        position += waiting
        result.append(
            [
                reg.user.get_full_name() or reg.user.get_username(),
                reg.user.email,
                str(reg.user.organisation or ""),
                reg.get_status_display(),
                position if waiting else None,
                timezone.localtime(reg.registered_at).replace(tzinfo=None),
                _attended(reg.attended),
            ]
        )
    return result


def _order(reg: Registration) -> tuple:
    waiting = reg.status == RegistrationStatus.WAITING
    return (waiting, reg.listed_at or reg.registered_at, reg.pk)


def attendees_csv(event: Event) -> str:
    dialect = csv_dialect()
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow(columns())
    for row in rows(event):
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return formula_safe(value)


def attendees_xlsx(event: Event) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Deelnemers")[:31]
    sheet.append(columns())
    for row in rows(event):
        sheet.append(row)
    for cell in sheet["F"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"
    neutralise_formulas(workbook)
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()
