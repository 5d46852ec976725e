"""The log-in and password-reset pages in headless Chromium: their fields look alike.

The reset form's only field is an e-mail input; the site's stylesheet once styled
text and password inputs only, so it rendered as a small unstyled browser box
next to the log-in page's full-width fields. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS

pytestmark = BROWSER_MARKS

FIELD_BOX = """sel => { const f = document.querySelector(sel); const form = f.closest('form');
  const cs = getComputedStyle(form), s = getComputedStyle(f);
  const inner = form.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  const box = f.getBoundingClientRect();
  return {width: box.width, inner: inner, height: box.height, radius: s.borderTopLeftRadius}; }"""


@pytest.mark.parametrize("width", [1280, 390])
def test_reset_email_field_is_styled_like_the_login_fields(live_server, browser, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}/account/login/")
    login = page.evaluate(FIELD_BOX, "input[name=username]")
    page.goto(f"{live_server.url}/account/password_reset/")
    page.screenshot(path=str(ARTIFACTS / f"password-reset-{width}.png"), full_page=True)
    reset = page.evaluate(FIELD_BOX, "input[name=email]")
    page.close()
    assert reset["width"] == pytest.approx(reset["inner"], abs=1), reset
    assert reset["height"] == pytest.approx(login["height"], abs=1), (reset, login)
    assert reset["radius"] == login["radius"]
