"""A plan as an Excel workbook: the figures and every parameter with its source.

Issue 18: "download ... XLSX with every parameter and its source". A consultant or a
municipality checks the calculation in their own spreadsheet, so the workbook holds
what the page shows and everything it rests on:

- **Plan**: title, park, date, and the measures with quantity and unit, each with its
  present value of costs, benefits and balance;
- **Resultaat**: totals and per party (present values, NPV, benefit/cost ratio,
  payback year, Monte Carlo p10/p50/p90 and the probability of NPV > 0), the
  redistribution proposal and the parameters that move the result most;
- **Per jaar**: the yearly flows (undiscounted) with the discount factor, per benefit
  category and per party, and the Monte Carlo band of the cumulative balance;
- **Parameters**: every number the calculation used, low / expected / high, with its
  source text and whether it is an assumption (``plan_figures.parameters``).

Figures are numbers (Excel shows them in the reader's own notation), never text. The
title, park name and sources come from users and data files: every text cell passes
``lib.spreadsheet.neutralise_formulas`` on the finished workbook, so a title
``=HYPERLINK(...)`` stays text. Headers are Dutch msgids (gettext, active language).
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from werklandschap.costbenefit.model import Plan
from werklandschap.costbenefit.montecarlo import TOTAL
from werklandschap.costbenefit.types import PARTIES, Catalogue
from werklandschap.lib.spreadsheet import neutralise_formulas

from .plan_figures import PlanFigures, category_name, party_label, plan_figures, sensitivity_label

EURO = "#,##0"
RATIO = "0.00"
SHARE = "0%"
FACTOR = "0.0000"
SENSITIVITY_ROWS = 10

_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="14532D")  # the portal's XLSX header colour
_BOLD = Font(bold=True)


def _header(ws: Worksheet, names: list[str]) -> int:
    """Append a styled header row; returns its row number."""
    ws.append(names)
    row = ws.max_row
    for cell in ws[row]:
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    return row


def _section(ws: Worksheet, title: str) -> None:
    if ws.max_row > 1:
        ws.append([])
    ws.append([title])
    ws.cell(ws.max_row, 1).font = _BOLD


def _formats(ws: Worksheet, row: int, formats: dict[int, str]) -> None:
    for column, number_format in formats.items():
        ws.cell(row, column).number_format = number_format


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nee")


def _plan_sheet(ws: Worksheet, f: PlanFigures, title: str, park_name: str | None) -> None:
    r = f.result
    for label, value, number_format in (
        (_("Titel"), title, None),
        (_("Terrein"), park_name or "–", None),
        (_("Gemaakt op"), timezone.localdate(), "yyyy-mm-dd"),
        (_("Prijspeil"), f.catalogue.price_year, None),
        (_("Discontovoet (reëel, per jaar)"), r.discount_rate, "0.00%"),
        (_("Looptijd (jaar)"), r.horizon, None),
    ):
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = _BOLD
        if number_format:
            ws.cell(ws.max_row, 2).number_format = number_format
    ws.append([])
    head = _header(
        ws,
        [
            _("Maatregel"),
            _("Sleutel"),
            _("Hoeveelheid"),
            _("Eenheid"),
            _("Investering per eenheid (EUR, verwacht)"),
            _("Kosten (contante waarde, EUR)"),
            _("Baten (contante waarde, EUR)"),
            _("Saldo (contante waarde, EUR)"),
        ],
    )
    ws.freeze_panes = ws.cell(head + 1, 1)
    money = {5: EURO, 6: EURO, 7: EURO, 8: EURO}
    for line in f.lines:
        m = r.measures[line.key]
        ws.append(
            [
                line.name,
                line.key,
                line.quantity,
                line.unit,
                line.investment_per_unit,
                m.pv_costs,
                m.pv_benefits,
                m.npv,
            ]
        )
        _formats(ws, ws.max_row, {3: "#,##0.##", **money})
    ws.append([_("Totaal"), None, None, None, None, r.pv_costs, r.pv_benefits, r.npv])
    ws.cell(ws.max_row, 1).font = _BOLD
    _formats(ws, ws.max_row, money)
    _widths(ws, [36, 24, 14, 10, 20, 20, 20, 20])


def _result_sheet(ws: Worksheet, f: PlanFigures) -> None:
    r, mc = f.result, f.mc
    never = _("niet binnen de looptijd")
    _section(ws, _("Totaal"))
    for label, value, number_format in (
        (_("Kosten (contante waarde, EUR)"), r.pv_costs, EURO),
        (_("Baten (contante waarde, EUR)"), r.pv_benefits, EURO),
        (_("Saldo (netto contante waarde, EUR)"), r.npv, EURO),
        (_("Baten/kosten-verhouding"), r.bcr, RATIO),
        (_("Terugverdiend in jaar"), r.payback_year if r.payback_year is not None else never, None),
    ):
        ws.append([label, value])
        if number_format:
            ws.cell(ws.max_row, 2).number_format = number_format

    _section(ws, _("Per partij"))
    _header(
        ws,
        [
            _("Partij"),
            _("Kosten (contante waarde, EUR)"),
            _("Baten (contante waarde, EUR)"),
            _("Saldo (netto contante waarde, EUR)"),
            _("Baten/kosten-verhouding"),
            _("Terugverdiend in jaar"),
            _("Saldo p10 (EUR)"),
            _("Saldo p50 (EUR)"),
            _("Saldo p90 (EUR)"),
            _("Kans saldo > 0"),
        ],
    )
    formats = {2: EURO, 3: EURO, 4: EURO, 5: RATIO, 7: EURO, 8: EURO, 9: EURO, 10: SHARE}
    for party in PARTIES:
        p = r.parties[party]
        p10, p50, p90 = mc.percentiles[party]
        payback = p.payback_year if p.payback_year is not None else (never if p.pv_costs else "–")
        ws.append(
            [
                party_label(party),
                p.pv_costs,
                p.pv_benefits,
                p.npv,
                p.bcr,
                payback,
                p10,
                p50,
                p90,
                mc.probability_positive[party],
            ]
        )
        _formats(ws, ws.max_row, formats)
    p10, p50, p90 = mc.percentiles[TOTAL]
    ws.append(
        [
            _("Totaal"),
            r.pv_costs,
            r.pv_benefits,
            r.npv,
            r.bcr,
            r.payback_year if r.payback_year is not None else never,
            p10,
            p50,
            p90,
            mc.probability_positive[TOTAL],
        ]
    )
    ws.cell(ws.max_row, 1).font = _BOLD
    _formats(ws, ws.max_row, formats)

    red = r.redistribution
    _section(ws, _("Voorstel voor herverdeling"))
    ws.append([_("Iedereen quitte mogelijk"), _yes_no(red.feasible)])
    ws.append([_("Tekort (EUR)"), red.shortfall])
    ws.cell(ws.max_row, 2).number_format = EURO
    ws.append([_("Totaal overgedragen (EUR)"), red.total_transferred])
    ws.cell(ws.max_row, 2).number_format = EURO
    _header(ws, [_("Van"), _("Aan"), _("Bedrag (contante waarde, EUR)")])
    for t in red.transfers:
        ws.append([party_label(t.from_party), party_label(t.to_party), t.amount])
        ws.cell(ws.max_row, 3).number_format = EURO
    if not red.transfers:
        ws.append([_("Geen overdrachten nodig.")])
    _header(ws, [_("Partij"), _("Saldo voor (EUR)"), _("Saldo na herverdeling (EUR)")])
    for party in PARTIES:
        ws.append([party_label(party), red.npv_before[party], red.npv_after[party]])
        _formats(ws, ws.max_row, {2: EURO, 3: EURO})

    _section(ws, _("Onzekerheid (Monte Carlo)"))
    ws.append([_("Trekkingen"), mc.draws])
    ws.append([_("Startgetal (seed)"), mc.seed])
    ws.append([_("Verdeling"), mc.distribution])
    _header(ws, [_("Parameter"), _("Rangcorrelatie met het saldo (Spearman)")])
    for s in mc.sensitivity[:SENSITIVITY_ROWS]:
        ws.append([sensitivity_label(f.catalogue, s), s.rho])
        ws.cell(ws.max_row, 2).number_format = RATIO
    _widths(ws, [40, 22, 22, 24, 16, 18, 16, 16, 16, 14])


def _yearly_sheet(ws: Worksheet, f: PlanFigures) -> None:
    r, band = f.result, f.mc.band
    categories = list(r.benefits_by_category)
    names = [
        _("Jaar"),
        _("Disconteringsfactor"),
        _("Investering (EUR)"),
        _("Onderhoud (EUR)"),
        _("Vervanging (EUR)"),
        _("Kosten (EUR)"),
        *(
            _("Baten: %(category)s (EUR)") % {"category": category_name(f.catalogue, c)}
            for c in categories
        ),
        _("Baten (EUR)"),
        _("Saldo (EUR)"),
        _("Saldo contant, opgeteld (EUR)"),
        _("Idem p10 (EUR)"),
        _("Idem p50 (EUR)"),
        _("Idem p90 (EUR)"),
        *(_("Kosten %(party)s (EUR)") % {"party": party_label(p)} for p in PARTIES),
        *(_("Baten %(party)s (EUR)") % {"party": party_label(p)} for p in PARTIES),
    ]
    _header(ws, names)
    ws.freeze_panes = "B2"
    for t in range(r.horizon):
        row: list[Any] = [
            int(r.years[t]),
            float(r.discount_factors[t]),
            float(r.investment[t]),
            float(r.maintenance[t]),
            float(r.replacement[t]),
            float(r.costs[t]),
            *(float(r.benefits_by_category[c][t]) for c in categories),
            float(r.benefits[t]),
            float(r.net[t]),
            float(r.cumulative_discounted_net[t]),
            float(band[0, t]),
            float(band[1, t]),
            float(band[2, t]),
            *(float(r.costs_by_party[p][t]) for p in PARTIES),
            *(float(r.benefits_by_party[p][t]) for p in PARTIES),
        ]
        ws.append(row)
        ws.cell(ws.max_row, 2).number_format = FACTOR
        for column in range(3, len(row) + 1):
            ws.cell(ws.max_row, column).number_format = EURO
    _widths(ws, [8, 14, *([16] * (len(names) - 2))])


def _parameter_sheet(ws: Worksheet, f: PlanFigures) -> None:
    _header(
        ws,
        [
            _("Maatregel of categorie"),
            _("Sleutel"),
            _("Parameter"),
            # "Laag" alone is also the msgid of a map layer ("Layer"): a context keeps
            # the low end of a range apart.
            pgettext("bandbreedte", "Laag"),
            _("Verwacht"),
            _("Hoog"),
            _("Bron"),
            _("Aanname"),
        ],
    )
    ws.freeze_panes = "A2"
    for p in f.parameters:
        ws.append(
            [p.group, p.key, p.label, p.low, p.expected, p.high, p.source, _yes_no(p.assumption)]
        )
        ws.cell(ws.max_row, 7).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(ws, [32, 22, 44, 12, 12, 12, 90, 10])


def plan_xlsx(catalogue: Catalogue, plan: Plan, *, title: str, park_name: str | None) -> bytes:
    """The plan's workbook (sheets Plan, Resultaat, Per jaar, Parameters) as bytes.

    Raises ``costbenefit.model.PlanError`` for a plan the model refuses.
    """
    f = plan_figures(catalogue, plan)
    # Control characters cannot be stored in XLSX (openpyxl refuses them): drop them
    # from the two texts a user typed rather than fail the download.
    title = ILLEGAL_CHARACTERS_RE.sub("", title)
    park_name = ILLEGAL_CHARACTERS_RE.sub("", park_name) if park_name else park_name
    wb = Workbook()
    ws = wb.active
    ws.title = _("Plan")
    _plan_sheet(ws, f, title, park_name)
    _result_sheet(wb.create_sheet(_("Resultaat")), f)
    _yearly_sheet(wb.create_sheet(_("Per jaar")), f)
    _parameter_sheet(wb.create_sheet(_("Parameters")), f)
    wb.properties.title = title[:250]
    wb.properties.creator = "Werklandschappen van de Toekomst"
    neutralise_formulas(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
