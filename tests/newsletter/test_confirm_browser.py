"""The confirmation link from the mail, clicked through in Chromium, in Dutch and English.

The pages reached by a personal link were sent with ``Referrer-Policy:
no-referrer``; Chromium then sends the confirm button's POST with
``Origin: null`` and Django's CSRF check answered 403, so nobody could
confirm a subscription in a real browser (the test client sends no Origin).
"""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from werklandschap.newsletter import services
from werklandschap.newsletter.models import Subscriber

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize(
    ("prefix", "button", "heading"),
    [
        ("", "Ja, ik wil de nieuwsbrief ontvangen", "Bedankt"),
        ("/en", "Yes, I want to receive the newsletter", "Thank you"),
    ],
)
def test_the_confirm_button_confirms_in_a_browser(live_server, browser, prefix, button, heading):
    subscriber = Subscriber.objects.create(email="lezer@example.nl", source="form")
    token = services.confirmation_token(subscriber)
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}/nieuwsbrief/bevestigen/{token}/")
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"newsletter-confirmed{prefix.replace('/', '-')}-390.png"))
    assert heading in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    context.close()
