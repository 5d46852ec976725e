"""The voucher report as CSV and XLSX: exact euros, the language's CSV dialect, formula-safe."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tests.vouchers import report_data
from werklandschap.registry.models import Province
from werklandschap.vouchers.exports import report_csv, report_xlsx
from werklandschap.vouchers.reporting import voucher_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(reference_data):
    return report_data.build(
        Province.objects.get(name="Zuid-Holland"), Province.objects.get(name="Noord-Brabant")
    )


def _csv_rows(text: str, delimiter: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=delimiter))


def test_csv_in_dutch_has_exact_euros_with_a_decimal_comma(scenario):
    rows = {r["Provincie"]: r for r in _csv_rows(report_csv(voucher_report()), ";")}
    assert len(rows) == 13  # twelve provinces and the country
    zh = rows["Zuid-Holland"]
    assert zh["Budget rondes (EUR)"] == "95000,50"
    assert zh["Toegezegd (EUR)"] == "33000,00"
    assert zh["Betaald (EUR)"] == "18000,00"
    assert zh["Budget niet toegezegd (EUR)"] == "62000,50"
    assert zh["Mediaan dagen aanvraag tot toekenning"] == "3,5"
    assert (zh["Aangevraagd"], zh["Toegekend"], zh["Nog toe te kennen tot het doel"]) == (
        "7",
        "3",
        "9",
    )
    nl = rows["Nederland"]
    assert nl["Doel (vouchers)"] == "150"
    assert nl["Toegezegd (EUR)"] == "64000,50"
    assert nl["Betaald (EUR)"] == "25750,12"
    assert rows["Groningen"]["Doel (vouchers)"] == ""


def test_csv_in_english_uses_commas_and_points(scenario):
    with translation.override("en"):
        text = report_csv(voucher_report())
    rows = _csv_rows(text, ",")
    first = text[1:].splitlines()[0]
    assert "," in first and ";" not in first
    zh = next(r for r in rows if "Zuid-Holland" in r.values())
    assert "95000.50" in zh.values()


def test_xlsx_has_exact_amounts_and_co_financing(scenario):
    book = load_workbook(io.BytesIO(report_xlsx(voucher_report())))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {
        r[0]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    zh = rows["Zuid-Holland"]
    assert Decimal(str(zh["Budget rondes (EUR)"])) == Decimal("95000.50")
    assert Decimal(str(rows["Nederland"]["Betaald (EUR)"])) == Decimal("25750.12")
    assert zh["Aangevraagd"] == 7
    column = header.index("Betaald (EUR)") + 1
    assert sheet.cell(row=2, column=column).number_format == "#,##0.00"
    parties = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    zh_programme = next(p for p in parties if p[:2] == ("Zuid-Holland", "Programma"))
    assert Decimal(str(zh_programme[2])) == Decimal("1000000.00")
    assert Decimal(str(zh_programme[4])) == Decimal("750000.00")
    assert Decimal(str(zh_programme[5])) == Decimal("25.0")
    national = [p for p in parties if p[0] == "Nederland"]
    assert Decimal(str(national[0][3])) == Decimal("750000.00")
    assert "150 vouchers" in book.worksheets[2]["B2"].value


def test_a_name_that_looks_like_a_formula_stays_text(scenario):
    from werklandschap.vouchers.models import CoFinancing

    Province.objects.filter(pk=scenario.zh.pk).update(name='=HYPERLINK("http://x","y")')
    rows = _csv_rows(report_csv(voucher_report()), ";")
    assert any(r["Provincie"] == '\'=HYPERLINK("http://x","y")' for r in rows)
    book = load_workbook(io.BytesIO(report_xlsx(voucher_report())))
    cells = [c for c in book.worksheets[0]["A"] if str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert CoFinancing.objects.exists()
