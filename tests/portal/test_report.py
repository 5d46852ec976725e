"""The PDF report: its text holds the park's name and the stored indicator values.

Text is extracted with ``pdftotext -layout`` (poppler-utils). The appendix lists
every indicator as "code  value  unit ..."; each available value must equal the
stored one at the precision shown, each missing one must read "n.b." (never 0).
The rendered pages go to test-artifacts/ as PNG (pdftoppm) for a person to look at.

The report is made in the background (portal/report_jobs.py): these tests ask
for it like a browser, run one step of the queue worker, and ask again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from werklandschap.portal import presentation
from werklandschap.portal.ambitions import set_ambitions
from werklandschap.portal.report_jobs import run_pending_reports

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NUMBER = r"-?\d{1,3}(?:\.\d{3})*(?:,\d+)?|-?\d+(?:,\d+)?"


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    assert shutil.which("pdftotext"), "pdftotext missing: apt-get install -y poppler-utils"
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def parse_nl(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def appendix_values(text: str, keys: list[str]) -> dict[str, str]:
    """The token after each indicator code in the appendix ('n.b.' or a Dutch number)."""
    out = {}
    for key in keys:
        match = re.search(rf"^\s*{re.escape(key)}\s+(n\.b\.|ja|nee|{NUMBER})(?=\s)", text, re.M)
        assert match, f"{key} not found in the report's appendix"
        out[key] = match.group(1)
    return out


def fetch_report(client, park) -> bytes:
    """Ask for the report, let the worker make it, and download it (the PDF's bytes)."""
    url = reverse("portal:report", kwargs={"slug": park.slug})
    first = client.get(url)
    assert first.status_code == 302, first.status_code
    assert first["Location"] == reverse("portal:report-status", kwargs={"slug": park.slug})
    assert run_pending_reports() == 1
    r = client.get(url)
    assert r.status_code == 200, r.status_code
    assert r["Content-Type"] == "application/pdf"
    return b"".join(r.streaming_content)


def check_values_equal_stored(text: str, scan) -> int:
    shown = appendix_values(text, list(scan.indicators))
    checked = 0
    for key, entry in scan.indicators.items():
        if entry["status"] != "ok":
            assert shown[key] == "n.b.", f"{key}: missing value shown as {shown[key]!r}"
            continue
        if entry["unit"] == "ja=1/nee=0":
            assert shown[key] == ("ja" if entry["value"] >= 0.5 else "nee"), key
            continue
        places = presentation.decimals(entry["unit"])
        assert parse_nl(shown[key]) == pytest.approx(
            entry["value"], abs=0.5 * 10**-places + 1e-9
        ), f"{key}: report {shown[key]} vs stored {entry['value']}"
        checked += 1
    return checked


def test_report_text_has_the_park_and_its_stored_values(client, park, people, scanned, tmp_path):
    scan, _ = scanned
    set_ambitions(park, {"canopy_share_pct": 37.5}, by=people["contact"])
    client.force_login(people["contact"])
    pdf = fetch_report(client, park)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert park.name in text
    assert check_values_equal_stored(text, scan) >= 30
    # cover: synthetic run is flagged; ambitions and provenance are in the report
    assert "SYNTHETISCHE GEGEVENS" in text
    assert "37,5 %" in text  # the park's own ambition
    assert scan.run.engine_version in text
    for heading in (
        "Samenvatting",
        "Kaart en landgebruik",
        "Indicatoren per thema",
        "Vergelijking met andere terreinen",
        "Ambities en duurzaamheidsstap",
        "Methode en bronnen",
    ):
        assert heading in text, heading

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "portal-report.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                str(ARTIFACTS / "portal-report.pdf"),
                str(ARTIFACTS / "portal-report-page"),
            ],
            check=True,
        )


def test_report_of_a_park_with_two_scans_has_its_history(
    client, park, people, scanned, bundle, tmp_path
):
    from tests.portal.conftest import scan as run_scan

    second = run_scan(park, bundle)
    client.force_login(people["team"])
    text = pdf_text(fetch_report(client, park), tmp_path)
    assert "Ontwikkeling over de metingen" in text
    check_values_equal_stored(text, second)


def test_report_without_scan_is_404(client, park, people):
    client.force_login(people["contact"])
    assert client.get(reverse("portal:report", kwargs={"slug": park.slug})).status_code == 404
