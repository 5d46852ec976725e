"""The account page ("Mijn account") and the password pages in the site's own style.

Each role sees its own record and nothing of anyone else's; anonymous
visitors are sent to the log-in page; the password change pages are ours,
not the admin's ("Django-beheer").
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from werklandschap.accounts.roles import ROLE_LABELS, Role

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_log_in(client):
    r = client.get(reverse("account"))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PUBLIC])
def test_each_role_sees_only_its_own_data(client, users, outsiders, park, other_park, role):
    me = users[role]
    me.email = f"{me.username}@example.org"
    me.save()
    others = [u for u in [*users.values(), *outsiders.values()] if u.pk != me.pk]
    for other in others:
        other.email = f"{other.username}@elders.example"
        other.save()
    client.force_login(me)
    r = client.get(reverse("account"))
    assert r.status_code == 200
    html = r.content.decode()
    assert f'data-account="username">{me.username}<' in html
    assert f"{me.username}@example.org" in html
    assert str(ROLE_LABELS[role]) in html
    if me.organisation:
        assert f'data-account="organisation">{me.organisation}<' in html
    for other in others:
        assert f"{other.username}@elders.example" not in html
    # the park contact lists its park (and only its own); nobody else lists a park
    if role == Role.PARK_CONTACT:
        assert reverse("portal:dashboard", kwargs={"slug": park.slug}) in html
    else:
        assert reverse("portal:dashboard", kwargs={"slug": park.slug}) not in html
    assert reverse("portal:dashboard", kwargs={"slug": other_park.slug}) not in html
    assert reverse("password_change") in html and reverse("logout") in html


def test_the_header_links_to_the_account_page(client, users):
    client.force_login(users[Role.COALITION_PARTNER])
    html = client.get(reverse("workspace:start")).content.decode()
    assert f'href="{reverse("account")}"' in html


def test_the_account_page_reads_no_id_from_the_url(client, users):
    """Nothing to enumerate: /account/?user=<pk> still shows one's own record."""
    client.force_login(users[Role.COALITION_PARTNER])
    other = users[Role.PARK_CONTACT]
    html = client.get(reverse("account"), {"user": other.pk, "pk": other.pk}).content.decode()
    assert 'data-account="username">partner<' in html


@pytest.mark.parametrize("name", ["password_change", "password_change_done"])
def test_password_change_pages_are_in_the_site_style(client, users, name):
    client.force_login(users[Role.PARK_CONTACT])
    html = client.get(reverse(name)).content.decode()
    assert "Django-beheer" not in html and "Thema wisselen" not in html
    assert "beheer" not in html.split("<main", 1)[1].split("</main>", 1)[0].lower()
    assert reverse("account") in html


def test_password_change_works_and_keeps_one_logged_in(client, users):
    me = users[Role.PARK_CONTACT]
    client.force_login(me)
    r = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-contact",
            "new_password1": "een-lang-nieuw-wachtwoord-42",
            "new_password2": "een-lang-nieuw-wachtwoord-42",
        },
    )
    assert r.status_code == 302 and r["Location"] == reverse("password_change_done")
    me.refresh_from_db()
    assert me.check_password("een-lang-nieuw-wachtwoord-42")
    assert client.get(reverse("account")).status_code == 200  # session kept


def test_password_change_with_a_wrong_old_password_says_so_in_dutch(client, users):
    client.force_login(users[Role.PARK_CONTACT])
    r = client.post(
        reverse("password_change"),
        {
            "old_password": "fout",
            "new_password1": "x-lang-genoeg-1",
            "new_password2": "x-lang-genoeg-1",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'class="field field--error"' in html
    assert "Huidig wachtwoord" in html
