"""End to end in headless Chromium: from sign-up to the park's PDF report.

A park manager signs the park up on the public form, confirms the e-mail link,
the programme team approves it in the review queue, the queue worker computes
the baseline scan on a synthetic bundle made for that park, the new contact
sets a password through the link in the approval e-mail, logs in, watches the
dashboard turn from "in de wachtrij" to the scan, sets an ambition and
asks for the PDF report: a status page waits while the queue worker makes it,
then the download starts by itself. The PDF's text must hold the park's name and the
indicator values stored for it.

Screenshots of every step and the report's pages go to test-artifacts/e2e-*.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from pathlib import Path

from django.core import mail
from django.db import close_old_connections, connections

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.partnership.conftest import CONFIRM_LINK
from tests.portal.test_report import check_values_equal_stored, pdf_text
from werklandschap.accounts.models import ParkContact
from werklandschap.portal.models import ParkAmbition
from werklandschap.portal.report_jobs import run_pending_reports
from werklandschap.registry.services import assign_areas
from werklandschap.scanengine.synthetic import make_bundle
from werklandschap.scans.models import ScanRequest
from werklandschap.scans.queue import process_pending
from werklandschap.scans.services import latest_scan

RESET_LINK = re.compile(r"https?://[^/\s]+(/account/reset/\S+/)")
EMAIL = "sam@parkschieweg.example"
PASSWORD = "Groen-terrein-2030!"

pytestmark = BROWSER_MARKS


class QueueWorker:
    """The scan queue worker of ``serve``, as a thread the test starts when it wants."""

    def __init__(self, manifest: Path):
        self.manifest = manifest
        self.stop = threading.Event()
        self.handled = 0
        self.thread = threading.Thread(target=self._loop, name="test-scan-worker", daemon=True)

    def _loop(self) -> None:
        try:
            while not self.stop.is_set():
                try:
                    self.handled += process_pending(self.manifest)
                finally:
                    close_old_connections()
                self.stop.wait(0.3)
        finally:
            # this thread's own connection, or the test database cannot be dropped
            connections.close_all()

    def __enter__(self) -> QueueWorker:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


def shot(page, name: str, **kwargs) -> None:
    page.screenshot(path=str(ARTIFACTS / f"e2e-{name}.png"), **kwargs)


def test_sign_up_to_pdf_report(live_server, boundaries, users, park, browser, settings, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    assign_areas(park)
    park.save()
    # The data bundle the queue worker scans with: synthetic data made for this park.
    settings.HOME_DIR = tmp_path / "home"
    manifest = make_bundle([(str(park.pk), park.geometry)], tmp_path / "bundle", seed=7)
    settings.SCAN_BUNDLE = str(manifest)

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, reduced_motion="reduce", accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # 1. The public sign-up form: find the park, fill in, tick the commitments.
    page.goto(live_server.url + "/aanmelden/")
    page.wait_for_selector("#park-picker-map[data-state=ready]", timeout=20_000)
    page.get_by_role("combobox", name="Zoek het terrein op naam of gemeente").fill("Schieweg")
    page.get_by_role("option", name="Testterrein Schieweg").wait_for(timeout=5_000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator("[data-chosen-park]").wait_for(state="visible", timeout=5_000)
    assert page.input_value("#id_park") == str(park.pk)
    page.get_by_label("Organisatie", exact=True).fill("Parkmanagement Schieweg")
    page.get_by_label("Parkmanagement / parkmanager").check()
    page.get_by_label("Uw naam (optioneel)").fill("Sam de Vries")
    page.get_by_label("E-mailadres", exact=True).fill(EMAIL)
    for box in page.locator(".choice--check input[type=checkbox]").all():
        box.check()
    shot(page, "01-signup", full_page=True)
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.wait_for_url("**/aanmelden/verstuurd/")

    # 2. Double opt-in: the link in the e-mail.
    (confirm_mail,) = mail.outbox
    page.goto(live_server.url + CONFIRM_LINK.search(confirm_mail.body).group(1))
    page.get_by_role("button", name="Ja, bevestig mijn aanmelding").click()
    page.wait_for_selector("text=uw aanmelding is bevestigd")

    # 3. The programme team approves in the queue.
    page.goto(live_server.url + "/account/login/?next=/aanmelden/beoordelen/")
    page.get_by_label("Gebruikersnaam").fill("team")
    page.get_by_label("Wachtwoord").fill("pw-team")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/aanmelden/beoordelen/")
    page.get_by_role("link", name="Beoordelen Testterrein Schieweg").click()
    page.wait_for_selector("#review-map[data-state=ready]", timeout=15_000)
    shot(page, "02-review", full_page=True)
    page.get_by_role("button", name="Goedkeuren").click()
    page.wait_for_url("**/aanmelden/beoordelen/")
    assert ScanRequest.objects.filter(park=park, status=ScanRequest.Status.PENDING).exists()
    contact = ParkContact.objects.get(park=park, user__email=EMAIL).user
    page.get_by_role("button", name="Uitloggen").click()

    # 4. The new contact chooses a password through the link in the approval e-mail.
    approval = mail.outbox[-1]
    assert EMAIL in approval.to and "is partnerterrein" in approval.subject
    page.goto(live_server.url + RESET_LINK.search(approval.body).group(1))
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    page.locator("input[type=submit], button[type=submit]").last.click()
    page.wait_for_url("**/account/reset/done/")

    # 5. Log in and open the dashboard: the scan is still in the queue.
    page.goto(f"{live_server.url}/account/login/?next=/portaal/{park.slug}/")
    page.get_by_label("Gebruikersnaam").fill(contact.get_username())
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"**/portaal/{park.slug}/")
    assert page.locator("[data-scan-pending]").is_visible()
    shot(page, "03-dashboard-waiting")

    # 6. The queue worker computes the scan; the page reloads itself when it is there.
    with QueueWorker(manifest) as worker:
        page.wait_for_selector("#park-dashboard-map[data-state=ready]", timeout=90_000)
    assert worker.handled == 1
    scan = latest_scan(park)
    assert scan is not None and scan.run.is_synthetic
    assert page.locator("[data-scan-pending]").count() == 0
    green = scan.indicators["green_share_pct"]["value"]
    card = page.locator("[data-indicator=green_share_pct] .indicator-card__value")
    card.evaluate("c => { c.closest('details').open = true; }")  # themes are folded
    assert card.inner_text().startswith(f"{green:.1f}".replace(".", ","))
    shot(page, "04-dashboard")
    page.locator("#vergelijking").scroll_into_view_if_needed()
    shot(page, "05-comparison")

    # 7. An own ambition: 35% canopy; the step is shown against it.
    page.get_by_label("Ambitie voor Aandeel boomkroon").fill("35")
    page.get_by_role("button", name="Ambities opslaan").click()
    page.wait_for_selector(".message--success")
    assert ParkAmbition.objects.get(park=park, indicator="canopy_share_pct").target == 35.0
    page.locator("#ambities").scroll_into_view_if_needed()
    shot(page, "06-ambitions")

    # 8. The PDF report: the link opens a status page while the queue worker makes
    #    it (never the web request); the page reloads itself and the download starts.
    page.get_by_role("link", name="Rapport downloaden (PDF)").click()
    page.wait_for_url(f"**/portaal/{park.slug}/rapport/")
    assert page.locator("[data-report-status=queued]").is_visible()
    shot(page, "06b-report-waiting")
    with page.expect_download(timeout=60_000) as download:
        assert run_pending_reports() == 1
    pdf_path = ARTIFACTS / "e2e-report.pdf"
    download.value.save_as(pdf_path)
    text = pdf_text(pdf_path.read_bytes(), tmp_path)
    assert park.name in text
    assert "Delft" in text  # the municipality on the cover
    assert check_values_equal_stored(text, scan) >= 30
    assert "35,0 %" in text  # the ambition just set
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf_path), str(ARTIFACTS / "e2e-report-page")],
            check=True,
        )

    # 9. Someone else sees the public summary only.
    other = browser.new_page()
    other.goto(f"{live_server.url}/portaal/{park.slug}/")
    assert other.locator("[data-scan-summary]").is_visible()
    assert other.locator("#ambities").count() == 0
    shot(other, "07-public-summary", full_page=True)
    assert errors == []
