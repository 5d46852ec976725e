"""A voucher from application to payout in headless Chromium, through the pages people use.

A park contact applies for a voucher for a partner park, the province officer
takes it into assessment and awards it, the process supporter uploads the green
vision and the financing plan (real PDFs) and submits them, the officer approves
them, and the programme team records two partial payments that add up to the
award exactly, after which the voucher is paid. The database is only read.

Screenshots at 1280 and 390 px go to test-artifacts/vouchers-<page>-<width>.png;
nothing may be wider than the screen, axe-core finds no serious or critical
violation on the form and the application page, and no page causes a
Content-Security-Policy violation or a script error.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.support.test_desk_browser import WIDTHS, Visitor, one_page_pdf
from tests.vouchers.fixtures import *  # noqa: F403
from werklandschap.accounts.roles import Role
from werklandschap.vouchers.models import Payout, VoucherApplication
from werklandschap.vouchers.workflow import Status

pytestmark = BROWSER_MARKS


class VoucherVisitor(Visitor):
    def shots(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        for width in WIDTHS:
            self.resize(width)
            self.page.screenshot(
                path=str(ARTIFACTS / f"vouchers-{name}-{width}.png"), full_page=True
            )
            wide = self.page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{name} is {wide} px wide at {width} px"
        self.resize(WIDTHS[0])

    def press(self, name: str) -> None:
        self.page.get_by_role("button", name=name).click()
        self.page.wait_for_load_state()


def test_a_voucher_from_application_to_payout(
    live_server, browser, users, partner_park, voucher_round, supporter, supporter_user, tmp_path
):
    from django.conf import settings as django_settings

    assert Path(django_settings.NODE_MODULES_DIR, "axe-core", "axe.min.js").exists()
    contact, officer = users[Role.PARK_CONTACT], users[Role.PROVINCE_OFFICER]
    team = users[Role.PROGRAMME_TEAM]

    # 1. The park contact applies.
    applicant = VoucherVisitor(browser, live_server, contact, "/vouchers/")
    applicant.shots("list-contact")
    applicant.page.get_by_role("link", name="Voucher aanvragen").click()
    applicant.page.wait_for_url(f"**/vouchers/aanvragen/{partner_park.slug}/")
    applicant.page.get_by_label("Procesbegeleider").select_option(str(supporter.pk))
    applicant.page.get_by_label("Plan van aanpak").fill(
        "Drie werksessies met de ondernemers en de gemeente; daarna een groenvisie."
    )
    applicant.page.get_by_label("Planning").fill("Maart tot september.")
    applicant.page.get_by_label("Begroting (EUR)").fill("18000,00")
    applicant.shots("apply")
    applicant.axe()
    applicant.press("Aanvraag indienen")
    application = VoucherApplication.objects.get()
    applicant.page.wait_for_url(f"**/vouchers/{application.reference}/")
    assert "Ingediend" in applicant.text()
    applicant.shots("detail-submitted")
    applicant.goto(f"/vouchers/aanvragen/{partner_park.slug}/")
    assert "heeft al een voucheraanvraag of voucher" in applicant.text()
    applicant.shots("apply-refused")
    applicant.close()

    # 2. The province officer assesses and awards.
    assessor = VoucherVisitor(browser, live_server, officer, "/vouchers/")
    assert application.reference in assessor.text()
    assessor.shots("list-officer")
    assessor.goto(f"/vouchers/{application.reference}/")
    assessor.press("In behandeling nemen")
    assessor.press("Toekennen")
    assert "Toegekend" in assessor.text()
    assessor.shots("detail-awarded")

    # 3. The supporter uploads both PDFs and submits them.
    helper = VoucherVisitor(browser, live_server, supporter_user, "/vouchers/")
    helper.goto(f"/vouchers/{application.reference}/")
    for kind, label in (("green_vision", "Groenvisie"), ("financing_plan", "Financieringsplan")):
        helper.page.get_by_label("Wat is het").select_option(kind)
        helper.page.get_by_label("Bestand (PDF)").set_input_files(
            str(one_page_pdf(tmp_path / f"{kind}.pdf"))
        )
        helper.press("Bestand toevoegen")
        assert f"{label}: {kind}.pdf" in helper.text()
    helper.shots("detail-deliverables")
    helper.press("Producten indienen")
    assert "Producten ingediend" in helper.text()
    helper.close()

    # 4. The officer approves.
    assessor.goto(f"/vouchers/{application.reference}/")
    assessor.press("Producten goedkeuren")
    assert "Goedgekeurd" in assessor.text()
    # With the flash message shown: base.html's message list must pass axe too (its
    # role="status" sat on the <ul> once, an axe 'listitem' violation).
    assessor.axe()
    assessor.close()

    # 5. The team pays in two parts; the second completes the award exactly.
    payer = VoucherVisitor(browser, live_server, team, f"/vouchers/{application.reference}/")
    for amount in ("6000,00", "9000,00"):
        payer.page.get_by_label("Bedrag (EUR)").fill(amount)
        payer.page.get_by_label("Betaald op").fill("2026-06-01")
        payer.press("Betaling vastleggen")
    assert "Uitbetaald" in payer.text()
    assert "Betaald € 15.000,00 van € 15.000,00; nog € 0,00." in payer.text()
    payer.shots("detail-paid")
    payer.close()

    application.refresh_from_db()
    assert application.status == Status.PAID
    assert sorted(Payout.objects.values_list("amount_cents", flat=True)) == [600_000, 900_000]
    steps = list(application.events.values_list("to_status", flat=True))
    assert steps == [
        Status.SUBMITTED,
        Status.IN_ASSESSMENT,
        Status.AWARDED,
        Status.DELIVERABLES_SUBMITTED,
        Status.APPROVED,
        Status.PAID,
    ]
