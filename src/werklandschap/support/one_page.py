"""A coalition partner's proposal as a one-page A4 PDF, and whether it fits.

Seed 001 section 4.2: the asker receives "1 tot max. 3 voorstellen voor
ondersteuning in een A4". The limit is a page, not a number of characters - a
proposal with a short approach and a long list of deliverables, or a table of
costs, fills a page differently - so the proposal is rendered exactly as it is
sent (template ``support/proposal_pdf.html`` with the stylesheet
``support/proposal_pdf.css``, WeasyPrint, A4) and the pages of that one layout
are counted: the PDF that passed the check is the PDF that is stored and sent.

Everything in a proposal is typed by people outside the team. It reaches the
PDF only through Django's autoescaping (never ``|safe``), so markup in a field
is printed as text. WeasyPrint gets no base URL and a URL fetcher that refuses
every URL, so nothing in a proposal can make the server fetch a file or a page.

The PDF is tagged and claims PDF/UA-1, with the document language from
``<html lang>`` and the title from ``<title>``, as the park report does
(``portal/report.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, translation

from werklandschap.lib import numbers

from .calendar import local_today
from .desk_rules import rules

TEMPLATE = "support/proposal_pdf.html"
STYLESHEET = Path(__file__).resolve().parent.parent / "templates" / "support" / "proposal_pdf.css"
# The park report's variant (portal/report.py PDF_VARIANT): tagged, /Lang, title.
PDF_VARIANT = "pdf/ua-1"

REQUIRED_FIELDS = (
    "question_title",
    "partner",
    "approach",
    "deliverables",
    "duration",
    "cost",
)
OPTIONAL_FIELDS = ("question_reference", "own_contribution", "date")


@dataclass(frozen=True)
class OnePageResult:
    """The rendered proposal and whether it keeps to the page limit (desk.yaml)."""

    pdf: bytes
    pages: int
    fits: bool
    max_pages: int


def refusing_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that allows no protocol at all and stops the render on a fetch.

    The proposal needs no image, font or stylesheet from a URL (the stylesheet is
    read from its file); a fetch could only come from text that escaped the
    template's escaping, so it ends the render instead of being skipped. Any other
    WeasyPrint render of text from outside (the park report) can use it as well.
    """
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=frozenset(), fail_on_errors=True)


def _euro(value: Any) -> str:
    """'€ 4.500' or '€ 4.500,50' in the active language; text is passed through."""
    if value is None or value == "":
        return numbers.DASH
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        try:
            amount = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            return str(value)  # "in overleg": a person's words, escaped by the template
    places = 0 if amount == amount.to_integral_value() else 2
    return f"€{numbers.NBSP}{numbers.format_number(amount, places)}"


def _date_text(value: Any) -> str:
    if value in (None, ""):
        value = local_today()
    if isinstance(value, dt.datetime | dt.date):
        return formats.date_format(value, "j F Y")
    return str(value)


def proposal_context(proposal: Mapping[str, Any]) -> dict[str, Any]:
    """The template's values; a missing required field is a programming error (ValueError)."""
    missing = [f for f in REQUIRED_FIELDS if proposal.get(f) in (None, "")]
    if missing:
        raise ValueError(f"proposal lacks {', '.join(missing)}")
    deliverables = proposal["deliverables"]
    listed = (
        [str(item) for item in deliverables if str(item).strip()]
        if isinstance(deliverables, Sequence) and not isinstance(deliverables, str)
        else None
    )
    own = proposal.get("own_contribution")
    return {
        "question_title": str(proposal["question_title"]),
        "question_reference": str(proposal.get("question_reference") or numbers.DASH),
        "partner": str(proposal["partner"]),
        "approach": str(proposal["approach"]),
        "deliverables": "" if listed is not None else str(deliverables),
        "deliverables_list": listed,
        "duration": str(proposal["duration"]),
        "cost_text": _euro(proposal["cost"]),
        "own_contribution_text": _euro(own) if own not in (None, "") else numbers.DASH,
        "date_text": _date_text(proposal.get("date")),
    }


def render_proposal_html(proposal: Mapping[str, Any], language: str = "nl") -> str:
    with translation.override(language):
        return render_to_string(TEMPLATE, proposal_context(proposal))


def render_proposal(proposal: Mapping[str, Any], language: str = "nl") -> tuple[bytes, int]:
    """The PDF and its number of pages, from one layout (the pages counted are the pages sent)."""
    from weasyprint import CSS, HTML  # heavy; only rendering needs it

    fetcher = refusing_url_fetcher()
    html = render_proposal_html(proposal, language)
    options = {
        "stylesheets": [CSS(filename=str(STYLESHEET), url_fetcher=fetcher)],
        "pdf_variant": PDF_VARIANT,
    }
    document = HTML(string=html, base_url=None, url_fetcher=fetcher).render(**options)
    return document.write_pdf(**options), len(document.pages)


def render_proposal_pdf(proposal: Mapping[str, Any], language: str = "nl") -> bytes:
    """The proposal as PDF bytes (A4), whatever its length."""
    return render_proposal(proposal, language)[0]


def check_fits_one_page(proposal: Mapping[str, Any], language: str = "nl") -> OnePageResult:
    """Render the proposal and measure it against ``proposals.max_pages`` (one A4).

    A caller refuses the proposal when ``fits`` is False (message: the proposal is
    ``pages`` pages, at most ``max_pages`` is allowed) and otherwise stores ``pdf``.
    """
    pdf, pages = render_proposal(proposal, language)
    limit = rules().proposal_max_pages
    return OnePageResult(pdf=pdf, pages=pages, fits=pages <= limit, max_pages=limit)
