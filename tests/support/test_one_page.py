"""A proposal on one A4: measured from the real WeasyPrint render, escaped, tagged, looked at.

Page counts come from the layout that produced the PDF and are checked against
poppler's ``pdfinfo``; the text layer is read with ``pdftotext``. Every page of
the rendered proposals goes to test-artifacts/support-proposal/ as PNG
(``pdftoppm``) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zlib
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from werklandschap.support import one_page
from werklandschap.support.one_page import check_fits_one_page, render_proposal, render_proposal_pdf

# No test database: run once, not again in the PostgreSQL phase.
pytestmark = pytest.mark.engine

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "support-proposal"

APPROACH = (
    "We beginnen met een werksessie van een dagdeel met de parkmanager, de "
    "ondernemersvereniging en de gemeente. Samen brengen we in kaart welke groene ambities er "
    "al zijn, welke kavels en openbare ruimte kansen bieden en wie er eigenaar is van welke "
    "strook. Daarna lopen we het terrein samen af en leggen we de kansen vast op een kaart.\n\n"
    "Op basis van de nulmeting uit de scan van het platform stellen we drie maatregelen voor "
    "die binnen een jaar uitvoerbaar zijn: het vergroenen van de bermen langs de hoofdontsluiting "
    "met inheemse beplanting, het afkoppelen van twee grote daken naar een wadi en een proef met "
    "een groendak op het verzamelgebouw. Voor elke maatregel geven we kosten, baten en wie er "
    "profijt van heeft.\n\n"
    "Tot slot organiseren we een bijeenkomst voor alle ondernemers op het terrein, waar we de "
    "maatregelen toelichten en ondernemers uitnodigen om mee te doen. We sluiten af met een kort "
    "advies over de financiering, waaronder de vouchers van het programma en de provinciale "
    "regeling.\n\n"
    "We werken met een vast team van twee adviseurs: een ecoloog en een adviseur "
    "klimaatadaptatie. Zij zijn het aanspreekpunt voor de parkmanager en houden de gemeente op "
    "de hoogte. Na de eerste bijeenkomst stemmen we af welke ondernemers een eigen kavel willen "
    "vergroenen; voor hen maken we een korte schets met plantlijst. Waar mogelijk sluiten we aan "
    "bij de Green Deal van de provincie en bij lopende projecten van het waterschap, zodat de "
    "maatregelen elkaar versterken."
)
DELIVERABLES = [
    "Verslag van de werksessie met kansenkaart (pdf)",
    "Notitie met drie maatregelen, kosten en baten",
    "Bijeenkomst voor ondernemers, inclusief uitnodiging en presentatie",
    "Advies over financiering (1 pagina)",
]


def proposal(**changes) -> dict:
    base = {
        "question_title": "Vergroening van bedrijventerrein De Hoek: waar beginnen we?",
        "question_reference": "WL-2026-0042",
        "partner": "IVN Natuureducatie",
        "approach": APPROACH,
        "deliverables": DELIVERABLES,
        "duration": "3 maanden (maart tot en met mei 2026)",
        "cost": Decimal("4500"),
        "own_contribution": "€ 1.000 en twee dagdelen inzet van de parkmanager",
        "date": dt.date(2026, 3, 2),
    }
    return {**base, **changes}


def characters(p: dict) -> int:
    return sum(
        len(v) if isinstance(v, str) else sum(len(x) for x in v)
        for v in p.values()
        if isinstance(v, str | list)
    )


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} missing: apt-get install -y poppler-utils"
    return path


def pdfinfo(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [_tool("pdfinfo"), str(path)], check=True, capture_output=True, text=True
    ).stdout


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [_tool("pdftotext"), "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def catalog_lang(pdf: bytes) -> str | None:
    """/Lang of the catalog, also inside compressed object streams."""
    chunks = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    for chunk in chunks:
        if b"/Catalog" in chunk:
            lang = re.search(rb"/Lang\s*\(([^)]*)\)", chunk)
            if lang:
                return lang.group(1).decode("latin-1")
    return None


def save_pages(pdf: bytes, name: str) -> list[Path]:
    """Every page as PNG in test-artifacts/support-proposal/ (72 dpi)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    pdf_path = ARTIFACTS / f"{name}.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-r", "72", "-png", str(pdf_path), str(ARTIFACTS / name)], check=True
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def test_a_short_proposal_fits_one_page(tmp_path):
    p = proposal(approach=APPROACH.split("\n\n")[0], deliverables=DELIVERABLES[:2])
    result = check_fits_one_page(p)
    assert (result.pages, result.fits, result.max_pages) == (1, True, 1)
    info = pdfinfo(result.pdf, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert "(A4)" in info


def test_a_reasonable_proposal_of_2500_characters_fits_one_page_at_10_pt(tmp_path):
    extra = (
        "\n\nWe leggen de resultaten vast in de toolbox van het programma, zodat andere "
        "terreinen in de regio ervan kunnen leren. De kansenkaart blijft eigendom van de "
        "ondernemersvereniging en mag vrij gedeeld worden met de gemeente en de provincie."
        " Wij vragen geen exclusiviteit voor een vervolgopdracht; de uitvoering kan door elke "
        "partij worden gedaan.\n\nDe kosten bestaan uit 36 uur advies (ecoloog en adviseur "
        "klimaatadaptatie), de voorbereiding en begeleiding van de bijeenkomst en het uitwerken "
        "van de notitie. Reiskosten zijn inbegrepen. De eigen bijdrage van de vraagsteller "
        "bestaat uit de zaal voor de bijeenkomst, de uitnodiging aan de leden en de inzet van "
        "de parkmanager bij de werksessie."
    )
    p = proposal(approach=APPROACH + extra)
    assert 2400 <= characters(p) <= 2800, characters(p)
    result = check_fits_one_page(p)
    assert (result.pages, result.fits) == (1, True)
    assert re.search(r"^Pages:\s+1$", pdfinfo(result.pdf, tmp_path), re.M)
    css = one_page.STYLESHEET.read_text(encoding="utf-8")
    size = re.search(r"html \{[^}]*font-size: ([\d.]+)pt", css)
    assert size and 10 <= float(size.group(1)) <= 11  # readable, not shrunk to fit

    pages = save_pages(result.pdf, "reasonable")
    assert len(pages) == 1
    rgb = np.asarray(Image.open(pages[0]).convert("RGB"))
    height = rgb.shape[0]
    ink = (rgb < 200).any(axis=2)
    assert ink[: height // 2].mean() > 0.02  # the page is written on, from the top
    # Nothing is printed in the outer 10 mm (about 28 px at 72 dpi), 5 mm at the bottom.
    edge = 28
    assert not ink[:, :edge].any() and not ink[:, -edge:].any()
    assert not ink[:edge].any() and not ink[-edge // 2 :].any()  # the foot sits in the margin


def test_a_long_proposal_does_not_fit(tmp_path):
    """9,000 characters of approach: refused on the measured page count, not a character limit."""
    approach = (APPROACH + "\n\n") * (9000 // len(APPROACH) + 1)
    approach = approach[:9000]
    result = check_fits_one_page(proposal(approach=approach))
    assert result.pages >= 2
    assert result.fits is False
    assert re.search(rf"^Pages:\s+{result.pages}$", pdfinfo(result.pdf, tmp_path), re.M)
    save_pages(result.pdf, "long")


def test_one_layout_gives_pdf_and_page_count(tmp_path):
    pdf, pages = render_proposal(proposal())
    assert pdf.startswith(b"%PDF-")
    assert pages == 1
    assert render_proposal_pdf(proposal()).startswith(b"%PDF-")


def test_markup_in_every_field_is_printed_as_text(tmp_path):
    """Every field carries a script, a tag and an image tag; the PDF shows them as text."""

    def evil(field: str) -> str:
        return f'<script>alert("{field}")</script><b>vet-{field}</b><img src="file:///etc/passwd">'

    fields = [
        "question_title",
        "question_reference",
        "partner",
        "approach",
        "duration",
        "cost",
        "own_contribution",
        "date",
    ]
    p = proposal(**{f: evil(f) for f in fields}, deliverables=[evil("deliverable")])
    html = one_page.render_proposal_html(p)
    assert "<script" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    pdf, _pages = render_proposal(p)  # the fetcher would have stopped the render on a fetch
    text = pdf_text(pdf, tmp_path)
    flat = re.sub(r"\s+", "", text)
    for field in [*fields, "deliverable"]:
        assert f"<b>vet-{field}</b>" in flat, field
        assert f'<script>alert("{field}")</script>' in flat.replace("“", '"').replace("”", '"')


def test_weasyprint_may_fetch_nothing():
    """The fetcher refuses every URL - file, http, data - and stops the render."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "data:image/png;base64,AA=="):
        with pytest.raises(FatalURLFetchingError):
            HTML(
                string=f'<img src="{url}" alt="x">', url_fetcher=one_page.refusing_url_fetcher()
            ).render()


def test_tagged_pdf_with_language_and_title(tmp_path):
    pdf = render_proposal_pdf(proposal())
    info = pdfinfo(pdf, tmp_path)
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(
        r"^Title:\s+Voorstel: Vergroening van bedrijventerrein De Hoek: waar beginnen we\?$",
        info,
        re.M,
    ), info
    assert re.search(r"^Author:\s+IVN Natuureducatie$", info, re.M), info
    assert catalog_lang(pdf) == "nl"
    assert catalog_lang(render_proposal_pdf(proposal(), language="en")) == "en"


def test_dutch_labels_and_amounts(tmp_path):
    text = pdf_text(render_proposal_pdf(proposal()), tmp_path)
    for label in ("Coalitiepartner", "Looptijd", "Kosten", "Eigen bijdrage", "Aanpak"):
        assert label in text
    assert "Op te leveren" in text
    assert "€ 4.500" in text.replace("\u00a0", " ")
    assert "2 maart 2026" in text
    assert "Voorstel van IVN Natuureducatie op vraag WL-2026-0042" in text  # running foot
    assert "1 / 1" in text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4500, "€\u00a04.500"),
        (Decimal("1234.5"), "€\u00a01.234,50"),
        ("2500", "€\u00a02.500"),
        ("in overleg", "in overleg"),
        (None, "–"),
    ],
)
def test_euro(value, text):
    assert one_page._euro(value) == text


def test_a_missing_field_is_a_programming_error():
    p = proposal()
    del p["approach"]
    with pytest.raises(ValueError, match="approach"):
        render_proposal_pdf(p)
