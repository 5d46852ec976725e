"""The voucher report (``reporting.voucher_report``) as CSV and XLSX.

One row per province and a last row for the country. Money is written exactly:
euros with two decimals from integer cents (``money.to_euros``, a Decimal), never
through a float. The CSV uses the separators a spreadsheet of the active
language expects (``portal.exports.csv_dialect``, as the park downloads do);
the XLSX stores amounts as numbers with a two-decimal format and has a second
sheet with co-financing per party per Green Deal. Text cells go through
``lib.spreadsheet`` (formula-safe), one rule for both formats.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from werklandschap.lib.spreadsheet import formula_safe, neutralise_formulas
from werklandschap.portal.exports import csv_dialect

from .money import to_euros
from .reporting import PartyFinancing, VoucherFigures, VoucherReport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EURO_FORMAT = "#,##0.00"

# (header, value of a row, is money). A row is (area name, Green Deal status, figures).
Row = tuple[str, str, VoucherFigures]


def _columns() -> list[tuple[str, Callable[[Row], Any], bool]]:
    def fig(attr: str) -> Callable[[Row], Any]:
        return lambda row: getattr(row[2], attr)

    return [
        (_("Provincie"), lambda row: row[0], False),
        (_("Green Deal"), lambda row: row[1], False),
        (_("Doel (vouchers)"), fig("target"), False),
        (_("Aangevraagd"), fig("applied"), False),
        (_("Toegekend"), fig("awarded"), False),
        (_("Uitbetaald (vouchers)"), fig("paid"), False),
        (_("Nog toe te kennen tot het doel"), fig("remaining"), False),
        (_("Rondes"), fig("rounds"), False),
        (_("Vouchers in de rondes"), fig("round_vouchers"), False),
        (_("Budget rondes (EUR)"), fig("budget_cents"), True),
        (_("Voucherbudget Green Deal (EUR)"), fig("deal_budget_cents"), True),
        (_("Toegezegd (EUR)"), fig("committed_cents"), True),
        (_("Betaald (EUR)"), fig("paid_cents"), True),
        (_("Budget niet toegezegd (EUR)"), fig("uncommitted_cents"), True),
        (_("Mediaan dagen aanvraag tot toekenning"), fig("median_days_to_award"), False),
    ]


def _rows(report: VoucherReport) -> list[Row]:
    rows: list[Row] = [(p.name, p.deal_status_label, p.figures) for p in report.provinces]
    rows.append((_("Nederland"), "", report.national))
    return rows


def _party_rows(report: VoucherReport) -> list[tuple[str, PartyFinancing]]:
    rows = [(p.name, party) for p in report.provinces for party in p.co_financing]
    rows += [(_("Nederland"), party) for party in report.co_financing]
    return rows


def filename(suffix: str) -> str:
    return f"vouchers-rapportage-{timezone.localdate().isoformat()}.{suffix}"


def _csv_value(value: Any, money: bool, decimal: str) -> str:
    if value is None:
        return ""
    if money:
        return str(to_euros(value)).replace(".", decimal)
    if isinstance(value, Decimal | int):
        return str(value).replace(".", decimal)
    return formula_safe(value)


def report_csv(report: VoucherReport) -> str:
    """The province table and the national row; a BOM so Excel reads UTF-8."""
    dialect = csv_dialect()
    columns = _columns()
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([formula_safe(header) for header, _value, _money in columns])
    for row in _rows(report):
        writer.writerow(
            [_csv_value(value(row), money, dialect.decimal) for _h, value, money in columns]
        )
    return buf.getvalue()


def _xlsx_value(value: Any, money: bool) -> Any:
    if value is None:
        return None
    if money:
        return to_euros(value)  # a Decimal: openpyxl writes its exact digits
    return value


def report_xlsx(report: VoucherReport) -> bytes:
    """Sheets 'Vouchers' (provinces and the country) and 'Cofinanciering' (per party)."""
    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    ws.title = _("Vouchers")[:31]
    columns = _columns()
    ws.append([header for header, _value, _money in columns])
    for row in _rows(report):
        ws.append([_xlsx_value(value(row), money) for _h, value, money in columns])
    for index, (_header, _value, money) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = 16 if index > 2 else 20
        if money:
            for cell in ws[letter][1:]:
                cell.number_format = EURO_FORMAT
    for cell in ws[1]:
        cell.font = bold
    for cell in ws[ws.max_row]:
        cell.font = bold
    ws.freeze_panes = "B2"

    sheet = wb.create_sheet(_("Cofinanciering")[:31])
    sheet.append(
        [
            _("Provincie"),
            _("Partij"),
            _("Toegezegd (EUR)"),
            _("Gerealiseerd (EUR)"),
            _("Nog te realiseren (EUR)"),
            _("Gerealiseerd (%)"),
        ]
    )
    for name, party in _party_rows(report):
        sheet.append(
            [
                name,
                party.label,
                to_euros(party.committed_cents),
                to_euros(party.realised_cents),
                to_euros(party.outstanding_cents),
                party.realised_pct,
            ]
        )
    for letter in "CDE":
        for cell in sheet[letter][1:]:
            cell.number_format = EURO_FORMAT
    for cell in sheet[1]:
        cell.font = bold
    for index, width in enumerate((20, 20, 18, 18, 22, 16), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    sources = wb.create_sheet(_("Bron")[:31])
    sources.append([_("Doel van het programma"), report.national.target])
    sources.append([_("Bron van het doel"), report.target_source])
    sources.append([_("Gemaakt op"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    sources.append(
        [_("Bedragen"), _("in euro's met centen, exact uit de administratie in eurocent")]
    )
    neutralise_formulas(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
