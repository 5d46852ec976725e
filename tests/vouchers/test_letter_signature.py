"""The award letter's closing greeting and its signatory stay on one page.

With the round's conditions filling the first page, "Met vriendelijke groet,"
ended page 1 and the signatory stood alone on page 2 (seen in the demo, in
Dutch and English). The letter is rendered with ever longer conditions, one
line at a time across more than a page, so the block meets the page end at
every offset.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.vouchers import report_data
from werklandschap.registry.models import Province
from werklandschap.vouchers import letters

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]


def pages_of(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode().split("\f")


def test_greeting_and_signatory_are_never_split_over_two_pages(reference_data):
    scenario = report_data.build(
        Province.objects.get(name="Zuid-Holland"), Province.objects.get(name="Noord-Brabant")
    )
    application = scenario.apps["VO2026-00003"]
    voucher_round = application.round
    split = []
    for lines in range(0, 48, 1):
        voucher_round.conditions = "\n".join(f"Voorwaarde {n + 1}." for n in range(lines))
        voucher_round.save(update_fields=["conditions"])
        application.round = voucher_round
        pages = pages_of(letters.award_letter_pdf(application, language="nl"))
        greeting = [i for i, p in enumerate(pages) if "Met vriendelijke groet," in p]
        signatory = [i for i, p in enumerate(pages) if "Het programmateam" in p]
        assert len(greeting) == 1 and len(signatory) == 1, lines
        if greeting != signatory:
            split.append(lines)
    assert split == []
