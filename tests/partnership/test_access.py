"""Who may open which sign-up page: the role x endpoint matrix."""

from __future__ import annotations

import pytest

from werklandschap.accounts.roles import Role
from werklandschap.partnership import services
from werklandschap.partnership.workflow import Status

ROLES = [
    Role.PUBLIC,
    Role.PROGRAMME_TEAM,
    Role.REGIONAL_DIRECTOR,
    Role.COALITION_PARTNER,
    Role.PARK_CONTACT,
    Role.PROVINCE_OFFICER,
]
PUBLIC_PAGES = ["/aanmelden/", "/aanmelden/zoeken/?q=test"]


def login(client, users, role):
    if role != Role.PUBLIC:
        client.force_login(users[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_open_for_everyone(client, users, role, url):
    login(client, users, role)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_confirmation_link_works_whoever_is_logged_in(client, users, submitted, role):
    login(client, users, role)
    token = services.confirmation_token(submitted)
    assert client.get(f"/aanmelden/bevestigen/{token}/").status_code == 200


def expected(role) -> str:
    if role == Role.PROGRAMME_TEAM:
        return "allowed"
    return "login" if role == Role.PUBLIC else "forbidden"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["list", "detail"])
def test_review_pages(client, users, confirmed, role, page):
    login(client, users, role)
    url = "/aanmelden/beoordelen/" + (f"{confirmed.pk}/" if page == "detail" else "")
    response = client.get(url)
    outcome = expected(role)
    if outcome == "allowed":
        assert response.status_code == 200
        assert confirmed.organisation_name in response.content.decode()
    elif outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/?next=")
    else:
        assert response.status_code == 403
        assert confirmed.organisation_name not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["goedkeuren", "afwijzen"])
def test_decisions(client, users, confirmed, role, action):
    login(client, users, role)
    url = f"/aanmelden/beoordelen/{confirmed.pk}/{action}/"
    response = client.post(url, {"reason": "Geen bedrijventerrein.", "note": ""})
    confirmed.refresh_from_db()
    outcome = expected(role)
    if outcome == "allowed":
        assert response.status_code == 302
        assert response["Location"] == "/aanmelden/beoordelen/"
        assert confirmed.status == (Status.APPROVED if action == "goedkeuren" else Status.REJECTED)
    else:
        assert response.status_code == (302 if outcome == "login" else 403)
        assert confirmed.status == Status.CONFIRMED


@pytest.mark.parametrize("action", ["goedkeuren", "afwijzen"])
def test_decisions_are_post_only(client, users, confirmed, action):
    client.force_login(users[Role.PROGRAMME_TEAM])
    assert client.get(f"/aanmelden/beoordelen/{confirmed.pk}/{action}/").status_code == 405
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED


def test_decisions_need_the_csrf_token(users, confirmed):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.PROGRAMME_TEAM])
    response = client.post(f"/aanmelden/beoordelen/{confirmed.pk}/goedkeuren/", {"note": ""})
    assert response.status_code == 403
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED


def test_admin_lists_applications_read_only(admin_client, confirmed):
    response = admin_client.get("/beheer/partnership/partnerapplication/")
    assert response.status_code == 200
    assert confirmed.organisation_name in response.content.decode()
    change = admin_client.get(f"/beheer/partnership/partnerapplication/{confirmed.pk}/change/")
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()  # decisions go through the queue
    assert admin_client.get("/beheer/partnership/partnerapplication/add/").status_code == 403
