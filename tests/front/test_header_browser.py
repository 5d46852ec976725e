"""The site header at phone width: the programme team's longer menu wraps.

The team sees two extra menu items (Aanmeldingen, Beheer); the menu was a
non-wrapping flex row, so at 390 px it ran 200 px past the screen and every
page of a logged-in team member scrolled sideways. Screenshot in test-artifacts/.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.browser import ARTIFACTS, BROWSER_MARKS
from werklandschap.accounts.roles import Role

pytestmark = BROWSER_MARKS


def test_team_menu_fits_a_phone_screen(live_server, browser, users):
    user = users[Role.PROGRAMME_TEAM]
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context(viewport={"width": 390, "height": 900})
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "domain": live_server.url.split("//", 1)[1].split(":")[0],
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/terreinen/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "header-team-390.png"))
    assert page.locator(".site-nav a", has_text="Beheer").count() == 1  # the long menu
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.site-nav li')]"
        ".map(li => li.getBoundingClientRect().right))"
    )
    assert right <= 390, f"menu reaches {right}px on a 390px screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
