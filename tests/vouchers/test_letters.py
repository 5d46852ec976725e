"""Award letter and payout statement: the PDF's text (pdftotext), exact amounts, Dutch
and English, who may download them, user text printed as text and no URL ever fetched.
Every page goes to test-artifacts/voucher-letters/ as PNG (pdftoppm) to look at."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.vouchers import report_data
from werklandschap.accounts.roles import Role
from werklandschap.registry.models import Province
from werklandschap.vouchers import letters
from werklandschap.vouchers.models import Payout
from werklandschap.vouchers.workflow import Status

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "voucher-letters"


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(out.stdout.decode().split())


def save_pages(pdf: bytes, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],
            check=True,
        )


@pytest.fixture
def scenario(reference_data):
    return report_data.build(
        Province.objects.get(name="Zuid-Holland"), Province.objects.get(name="Noord-Brabant")
    )


def test_award_letter_in_dutch(scenario):
    application = scenario.apps["VO2026-00003"]
    pdf = letters.award_letter_pdf(application)
    save_pages(pdf, "award-letter-nl")
    text = text_of(pdf)
    assert "Toekenning voucher voor procesbegeleiding" in text
    assert "€ 15.000,00" in text
    assert "VO2026-00003" in text and "VO2026-00003-T" in text
    assert "Terrein VO2026-00003" in text and "Groen Proces BV" in text
    assert "4 maart 2026" in text  # the award in the history: 2 days after 2 March
    assert "1 september 2026" in text  # deliverables due
    assert "€ 18.000,00" in text  # the application's budget
    assert "Ronde 1 Zuid-Holland" in text and "provincie Zuid-Holland" in text


def test_award_letter_in_english_and_exact_odd_amount(scenario):
    application = scenario.apps["VO2026-00008"]  # EUR 15,500.25
    pdf = letters.award_letter_pdf(application, language="en")
    save_pages(pdf, "award-letter-en")
    text = text_of(pdf)
    assert "€ 15,500.25" in text
    assert "7 March 2026" in text
    assert '<html lang="en"' in letters.render_html(
        "vouchers/award_letter.html", letters.award_letter_context(application), "en"
    )
    nl = text_of(letters.award_letter_pdf(application, language="nl"))
    assert "€ 15.500,25" in nl


def test_no_letter_before_the_award(scenario):
    with pytest.raises(letters.NotYet):
        letters.award_letter_pdf(scenario.apps["VO2026-00001"])
    with pytest.raises(letters.NotYet):
        letters.payout_statement_pdf(scenario.apps["VO2026-00003"])  # awarded, nothing paid


def test_payout_statement_adds_up_to_the_cent(scenario):
    pdf = letters.payout_statement_pdf(scenario.apps["VO2026-00004"])
    save_pages(pdf, "payout-statement-nl")
    text = text_of(pdf)
    assert "Betaaloverzicht voucher" in text and "VO2026-00004-B2" in text
    assert "€ 6.000,00" in text and "€ 9.000,00" in text
    assert "Toegekend € 15.000,00" in text
    assert "Nog te betalen € 0,00" in text
    assert "volledig uitbetaald" in text
    partial = text_of(letters.payout_statement_pdf(scenario.apps["VO2026-00008"]))
    # EUR 15,500.25 awarded, 7,750.12 paid: 7,750.13 left.
    assert "Betaald € 7.750,12" in partial and "Nog te betalen € 7.750,13" in partial


def test_statement_up_to_one_payout(scenario):
    first = Payout.objects.filter(application=scenario.apps["VO2026-00004"]).order_by("paid_on")[0]
    text = text_of(letters.payout_statement_pdf(first))
    assert "VO2026-00004-B1" in text
    assert "€ 6.000,00" in text
    assert "Nog te betalen € 9.000,00" in text
    assert text.count("€ 9.000,00") == 2  # what is left (table and sentence), not a payment


def test_text_typed_by_people_is_printed_as_text(scenario):
    application = scenario.apps["VO2026-00008"]
    application.park.name = '<img src="http://127.0.0.1:9/x.png"> Terrein & Co'
    application.park.save()
    Payout.objects.filter(application=application).update(
        note='<b>vet</b> <link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
    )
    text = text_of(letters.payout_statement_pdf(application))
    assert '<img src="http://127.0.0.1:9/x.png"> Terrein & Co' in text
    assert "<b>vet</b>" in text


def test_a_url_in_the_html_stops_the_render(scenario, monkeypatch):
    """The fetcher refuses every URL: markup that escaped the template could not fetch."""
    real = letters.render_html

    def with_image(template, context, language):
        return real(template, context, language).replace(
            "<body>", '<body><img src="http://127.0.0.1:9/x.png" alt="">'
        )

    monkeypatch.setattr(letters, "render_html", with_image)
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError, match=r"127\.0\.0\.1:9"):
        letters.award_letter_pdf(scenario.apps["VO2026-00003"])


def test_pdf_is_tagged_with_its_language_and_title(scenario):
    from tests.support.test_one_page import catalog_lang

    pdf = letters.award_letter_pdf(scenario.apps["VO2026-00003"])
    assert catalog_lang(pdf) == "nl"
    assert (
        catalog_lang(letters.award_letter_pdf(scenario.apps["VO2026-00003"], language="en")) == "en"
    )
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    assert b"Tagged:          yes" in info
    assert b"Toekenningsbrief voucher VO2026-00003" in info


@pytest.fixture
def own_application(scenario, park, users):
    """An awarded and partly paid voucher of ``park`` (whose contact is users[PARK_CONTACT])."""
    return report_data.make_application(
        "VO2026-00100",
        park,
        scenario.zh_round,
        scenario.supporter,
        Status.AWARDED,
        awarded_cents=15_000_00,
        payouts=(5_000_00,),
        history=((Status.IN_ASSESSMENT, Status.AWARDED, report_data.DAY * 3),),
    )


def _urls(reference):
    return [
        reverse(name, kwargs={"reference": reference})
        for name in ("vouchers:award-letter", "vouchers:payout-statement")
    ]


@pytest.mark.parametrize("role", [Role.PARK_CONTACT, Role.PROGRAMME_TEAM, Role.PROVINCE_OFFICER])
def test_who_may_download(client, users, own_application, role):
    client.force_login(users[role])
    for url in _urls(own_application.reference):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
    assert (
        "toekenningsbrief-VO2026-00100.pdf"
        in client.get(_urls("VO2026-00100")[0])["Content-Disposition"]
    )


@pytest.mark.parametrize("role", [Role.REGIONAL_DIRECTOR, Role.COALITION_PARTNER])
def test_others_are_refused(client, users, own_application, role):
    client.force_login(users[role])
    for url in _urls(own_application.reference):
        assert client.get(url).status_code == 403


def test_other_parks_and_provinces_are_refused(client, outsiders, own_application):
    for role in (Role.PARK_CONTACT, Role.PROVINCE_OFFICER):
        client.force_login(outsiders[role])
        for url in _urls(own_application.reference):
            assert client.get(url).status_code == 403


def test_anonymous_is_asked_to_log_in_and_no_letter_yet_is_404(client, users, scenario):
    response = client.get(_urls("VO2026-00003")[0])
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(users[Role.PROGRAMME_TEAM])
    assert client.get(_urls("VO2026-00001")[0]).status_code == 404  # not awarded
    assert client.get(_urls("VO2026-00003")[1]).status_code == 404  # nothing paid
    assert client.get(_urls("VO2099-99999")[0]).status_code == 404


def test_english_page_gives_an_english_letter(client, users, own_application):
    client.force_login(users[Role.PROGRAMME_TEAM])
    pdf = client.get("/en" + _urls(own_application.reference)[1]).content
    assert "€ 5,000.00" in text_of(pdf)
