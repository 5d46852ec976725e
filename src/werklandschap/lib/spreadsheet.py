"""Spreadsheet (CSV/XLSX) injection: text from users never becomes a formula.

Park names, reasons and labels reach our downloads from public sign-ups and
imported files. A spreadsheet program evaluates a cell that starts with a
formula character, so ``=HYPERLINK("http://evil","klik")`` in a park name
would become a live link (or worse, DDE) in the consultant's Excel. Following
the OWASP "CSV Injection" guidance, a text cell starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is neutralised; numbers are written
as numbers and are never touched.

One rule (``looks_like_formula``), two encodings of "this is text":

- CSV: the cell gets a leading apostrophe (``formula_safe``), as OWASP advises;
  Excel shows the text and does not evaluate it.
- XLSX: the cell keeps its exact text, typed as a string with Excel's
  quote-prefix flag (``neutralise_formulas``): what Excel itself stores when a
  user types a leading apostrophe, so the text stays text even when edited.
"""

from __future__ import annotations

from typing import Any

from openpyxl.workbook.workbook import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet program read this text cell as a formula?"""
    return text.startswith(FORMULA_START)


def formula_safe(value: Any) -> str:
    """A CSV text cell a spreadsheet will not evaluate (OWASP: prefix a ')."""
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def neutralise_formulas(workbook: Workbook) -> int:
    """Make every formula-like text cell of ``workbook`` plain text; returns how many.

    openpyxl turns any string that starts with ``=`` into a formula cell; our
    exports write values, never formulas, so every such cell is data and is
    typed back to a string. Run it on the finished workbook, so no sheet or
    column added later can skip it.
    """
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and looks_like_formula(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed
