"""The PDF report's running heads are in the report's language.

The page header and footer live in report.css's @page rules; they were fixed
Dutch strings ("Nulmeting · ...", "pagina 2 van 16"), so an English report had
Dutch on every page, and <html lang="nl"> made WeasyPrint treat English text as Dutch.
"""

from __future__ import annotations

import re

import pytest

from werklandschap.portal.report import render_html

pytestmark = pytest.mark.django_db


def page_rule(html: str) -> str:
    """The first @page block of the report's stylesheet (the running heads)."""
    match = re.search(r"@page \{.*?\n\}", html, re.S)
    assert match, "no @page rule in the report"
    return match.group(0)


def test_english_report_has_english_running_heads(park, scanned):
    scan, _ = scanned
    html = render_html(park, scan, "en")
    assert '<html lang="en">' in html
    rule = page_rule(html)
    assert "Baseline scan" in rule
    assert "Nulmeting" not in rule
    assert "pagina" not in rule
    assert "{%" not in html and "{{" not in html


def test_dutch_report_keeps_dutch_running_heads(park, scanned):
    scan, _ = scanned
    html = render_html(park, scan, "nl")
    assert '<html lang="nl">' in html
    rule = page_rule(html)
    assert "Werklandschappen van de Toekomst · Nulmeting" in rule
    assert 'counter(page) " / " counter(pages)' in rule
