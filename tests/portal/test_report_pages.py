"""Every page of the PDF report, looked at as an image, and the PDF's accessibility tags.

The report of a scanned park is made the way the platform makes it (the report
job, then the download), every page is rendered to PNG with ``pdftoppm`` and
checked: not blank, a running head above the text, and on the ambitions page a
chart with its bars, target lines and step arrows in their colours, every row's
label inside the page's text area (issue 16: page 11's chart had no bars, lost its
last two labels and had the running head printed inside it). The pages are kept in
test-artifacts/report-pages/ for a person to look at.

The PDF must be tagged (PDF/UA-1 as far as WeasyPrint goes): pdfinfo reports
"Tagged: yes", the catalog carries /Lang of the report's language, the XMP metadata
the PDF/UA identifier and the title, and WeasyPrint reports no missing alt text.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from django.urls import reverse
from PIL import Image

from werklandschap.portal import charts
from werklandschap.portal.ambitions import ambition_rows, set_ambitions
from werklandschap.portal.report import render_pdf
from werklandschap.portal.report_jobs import run_pending_reports
from werklandschap.scanengine.catalog import INDICATORS

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report-pages"
DPI = 50
PT_PER_PX = 72 / DPI


def _need(tool: str) -> None:
    assert shutil.which(tool), f"{tool} missing: apt-get install -y poppler-utils"


def fetch_report(client, park) -> bytes:
    """Ask for the report like a browser, run the report worker once, download it."""
    url = reverse("portal:report", kwargs={"slug": park.slug})
    assert client.get(url).status_code == 302
    assert run_pending_reports() == 1
    r = client.get(url)
    assert r.status_code == 200, r.status_code
    return b"".join(r.streaming_content)


def catalog_lang(pdf: bytes) -> str | None:
    """/Lang of the document catalog, also when the catalog sits in a compressed object stream."""
    chunks = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    for chunk in chunks:
        for cat in re.finditer(rb"<<(?:(?!>>).)*?/Type\s*/Catalog(?:(?!>>).)*", chunk, re.S):
            lang = re.search(rb"/Lang\s*\(([^)]*)\)", cat.group(0))
            if lang:
                return lang.group(1).decode("latin-1")
        lang = re.search(rb"/Type\s*/Catalog.{0,400}?/Lang\s*\(([^)]*)\)", chunk, re.S)
        if lang:
            return lang.group(1).decode("latin-1")
        lang = re.search(rb"/Lang\s*\(([^)]*)\).{0,400}?/Type\s*/Catalog", chunk, re.S)
        if lang:
            return lang.group(1).decode("latin-1")
    return None


def page_images(pdf_path: Path, out_dir: Path) -> list[Path]:
    _need("pdftoppm")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("page-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", str(pdf_path), str(out_dir / "page")], check=True
    )
    return sorted(out_dir.glob("page-*.png"))


def page_words(pdf_path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) in points for one page (pdftotext -bbox)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf_path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        (float(a), float(b), float(c), float(d), w)
        for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            html,
        )
    ]


def colour_pixels(rgb: np.ndarray, hex_colour: str, tol: int = 18) -> int:
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(rgb.astype(int) - target).max(axis=2) <= tol).sum())


def test_every_page_of_the_report_renders_and_the_pdf_is_tagged(
    client, park, people, scanned, tmp_path, caplog
):
    _need("pdfinfo")
    _need("pdftotext")
    set_ambitions(park, {"canopy_share_pct": 37.5}, by=people["contact"])
    client.force_login(people["contact"])
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = fetch_report(client, park)
    # WeasyPrint logs an error for every figure without alt text and for a missing lang
    errors = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert not [e for e in errors if "alt" in e or "lang" in e], errors

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / "report.pdf"
    pdf_path.write_bytes(pdf)

    # ---- tagged, language, title, PDF/UA identifier
    info = subprocess.run(
        ["pdfinfo", str(pdf_path)], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(rf"^Title:\s+Nulmeting {re.escape(park.name)}$", info, re.M), info
    meta = subprocess.run(
        ["pdfinfo", "-meta", str(pdf_path)], check=True, capture_output=True, text=True
    ).stdout
    assert 'pdfuaid:part="1"' in meta
    assert catalog_lang(pdf) == "nl"
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))

    # ---- every page as an image: not blank, running head at the top
    images = page_images(pdf_path, ARTIFACTS)
    assert len(images) == pages
    for number, path in enumerate(images, start=1):
        rgb = np.asarray(Image.open(path).convert("RGB"))
        # ink in the text area (between the 20 mm margins), not counting head and foot
        margin = round(20 / 25.4 * DPI)
        ink = (rgb[margin:-margin].min(axis=2) < 200).mean()
        assert ink > 0.003, f"page {number} is (nearly) blank: {ink:.4f} of its pixels inked"
        if number == 1:
            continue  # the cover has no running head
        words = page_words(pdf_path, number)
        assert words, f"page {number} has no text"
        head = [w for w in words if w[4] == "Werklandschappen"]
        assert head and head[0][1] < 20 / 25.4 * 72, f"page {number}: running head missing"
        head_bottom = max(w[3] for w in words if abs(w[1] - head[0][1]) < 2)
        body_top = min(w[1] for w in words if w[1] > head_bottom + 1)
        assert body_top >= 20 / 25.4 * 72 - 1, f"page {number}: text inside the top margin"

    # ---- the ambitions page: its chart has bars, arrows, targets and all its labels
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf_path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, pages + 1)
    ]
    number = next(i for i, t in enumerate(texts, start=1) if "Ambities en duurzaamheidsstap" in t)
    rgb = np.asarray(Image.open(images[number - 1]).convert("RGB"))
    assert colour_pixels(rgb, charts.NOW) > 150, "no grey bars of values not yet met"
    assert colour_pixels(rgb, charts.PARK) > 40, "no orange step arrows"
    assert colour_pixels(rgb, charts.TARGET) > 20, "no blue target lines"

    words = page_words(pdf_path, number)
    head_bottom = max(w[3] for w in words if w[4] == "Werklandschappen")
    page_h = rgb.shape[0] * PT_PER_PX
    notes = [w for w in words if w[4] in ("(hoger", "(lager")]
    rows = [
        r["key"]
        for r in ambition_rows(park, scanned[0])
        if r["current"] is not None or r["target"] is not None
    ]
    # every chart row keeps its label (with the direction from the catalogue) ...
    assert len(notes) == len(rows), (len(notes), rows)
    down = sum(1 for k in rows if INDICATORS[k].better == "down")
    assert sum(1 for w in notes if w[4] == "(lager") == down
    # ... and the chart lies in the text area, below the running head and above the foot
    for w in notes:
        assert head_bottom + 10 < w[1] < page_h - 20 / 25.4 * 72, w


def test_english_report_is_tagged_with_its_language(park, scanned, tmp_path):
    pdf = render_pdf(park, scanned[0], language="en")
    path = tmp_path / "report-en.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M)
    assert catalog_lang(pdf) == "en"
