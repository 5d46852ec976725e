"""The main menu and the footer are kept per worker (the "fragments" cache); what their
keys name must still change them: role set, staff flag, language, page, source address."""

from __future__ import annotations

from django.core.cache import caches
from django.urls import reverse

from werklandschap.accounts.roles import Role


def _nav(html: str) -> str:
    return html[html.index('<nav class="site-nav"') : html.index("</nav>")]


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer"') : html.index("</footer>")]


def test_the_menu_follows_the_role_the_staff_flag_and_the_page(client, users):
    url = reverse("registry:park-list")
    anonymous = _nav(client.get(url).content.decode())
    client.force_login(users[Role.PARK_CONTACT])
    contact = _nav(client.get(url).content.decode())
    client.force_login(users[Role.PROGRAMME_TEAM])
    team = _nav(client.get(url).content.decode())
    home = _nav(client.get(reverse("front:home")).content.decode())
    assert "Mijn werkplek" not in anonymous and "Mijn terrein" not in anonymous
    assert "Mijn terrein" in contact and "Aanmeldingen" not in contact
    assert "Mijn werkplek" in team and "Aanmeldingen" in team and "Beheer" in team
    # The current page is marked in the menu of each page, not the first one cached.
    assert 'href="/terreinen/" aria-current="page"' in team
    assert 'href="/" aria-current="page"' in home and 'href="/terreinen/" aria-current' not in home
    team_user = users[Role.PROGRAMME_TEAM]
    team_user.is_staff = False
    team_user.save()
    assert "Beheer" not in _nav(client.get(url).content.decode())


def test_the_menu_and_footer_follow_the_language(client, users):
    caches["fragments"].clear()
    dutch = client.get(reverse("registry:park-list")).content.decode()
    english = client.get("/en/terreinen/").content.decode()
    assert "Terreinen" in _nav(dutch) and "Parks" in _nav(english)
    assert "Over dit platform" in _footer(dutch) and "Over dit platform" not in _footer(english)
    assert 'href="/en/toolbox/"' in _footer(english)


def test_the_footer_follows_the_source_code_address(client, db, settings):
    settings.SOURCE_CODE_URL = ""
    assert "#contact-source" in _footer(client.get("/").content.decode())
    settings.SOURCE_CODE_URL = "https://code.example/werklandschap"
    assert 'href="https://code.example/werklandschap"' in _footer(client.get("/").content.decode())
