"""The desk's question list as CSV and XLSX (formula-safe, language's CSV dialect)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from werklandschap.lib.spreadsheet import formula_safe, neutralise_formulas
from werklandschap.portal.exports import csv_dialect

from .models import Question
from .reporting import EXPORT_COLUMNS, export_rows


def _csv_cell(value: Any, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, Decimal | float | int):
        return str(value).replace(".", decimal)
    if isinstance(value, date):
        return value.isoformat()
    return formula_safe(value)


def questions_csv(questions: QuerySet[Question]) -> str:
    dialect = csv_dialect()
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([str(label) for _key, label in EXPORT_COLUMNS])
    for row in export_rows(questions):
        writer.writerow([_csv_cell(row[key], dialect.decimal) for key, _label in EXPORT_COLUMNS])
    return buf.getvalue()


def questions_xlsx(questions: QuerySet[Question]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("Vragen")[:31]
    sheet.append([str(label) for _key, label in EXPORT_COLUMNS])
    for row in export_rows(questions):
        values = []
        for key, _label in EXPORT_COLUMNS:
            value = row[key]
            if isinstance(value, bool):
                value = _("ja") if value else _("nee")
            elif isinstance(value, Decimal):
                value = float(value)
            values.append(value)
        sheet.append(values)
    neutralise_formulas(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
