"""An asker without an account chooses a proposal through the private link, in Chromium.

The follow page was sent with ``Referrer-Policy: no-referrer``; Chromium then
posts its forms with ``Origin: null`` and Django's CSRF check answered 403, so
the asker could neither choose a proposal nor withdraw (the test client sends
no Origin, which is why the page test passed).
"""

from __future__ import annotations

import pytest

from tests.browser import BROWSER_MARKS
from tests.support.desk_fixtures import put_out_to, sharpen, short_proposal
from werklandschap.accounts.roles import Role
from werklandschap.support import services
from werklandschap.support.workflow import Status

pytestmark = [*BROWSER_MARKS, pytest.mark.usefixtures("addresses")]


@pytest.mark.parametrize(("prefix", "button"), [("", "Kies het voorstel"), ("/en", "Choose")])
def test_the_asker_chooses_a_proposal_in_a_browser(
    live_server, browser, users, partners, park, prefix, button
):
    question, _ = services.submit_question(
        services.Intake(
            asker_type="entrepreneur",
            level="park",
            title="Vraag zonder account",
            body="Hoe beginnen we?",
            asker_name="C. Vrager",
            asker_email="zonder-account@example.org",
            park=park,
        )
    )
    services.confirm(question)
    director = users[Role.REGIONAL_DIRECTOR]
    sharpen(question, director)
    put_out_to(question, director, ["Heijmans", "Arcadis"])
    services.submit_proposal(question, short_proposal(), by=partners["Heijmans"])
    token = services.asker_token(question)
    page = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    page.goto(f"{live_server.url}{prefix}/vragen/volgen/{token}/")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("main form button[type=submit]").filter(has_text=button).first.click()
    assert posted.value.status in (200, 302), posted.value.status
    question.refresh_from_db()
    assert question.status == Status.DECIDED
