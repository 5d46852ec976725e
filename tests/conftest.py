"""Shared fixtures: reference data, users per role, parks with real-looking shapes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from shapely.geometry import box

from werklandschap.accounts.models import ParkContact, User
from werklandschap.accounts.roles import Role
from werklandschap.registry.models import Organisation, Park, Region
from werklandschap.registry.services import unique_park_slug

# Delft, Schieweg area (RD New): a 400 x 300 m rectangle well inside the municipality.
DELFT_BOX = (85000.0, 447000.0, 85400.0, 447300.0)


@pytest.fixture
def reference_data(db):
    call_command("load_reference", verbosity=0)


@pytest.fixture
def boundaries(reference_data):
    """The bundled CBS 2023 provinces and municipalities."""
    call_command("load_boundaries", verbosity=0)


def make_user(role: Role, username: str, organisation: Organisation | None = None) -> User:
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username=username, password="pw-" + username)
    user.organisation = organisation
    if role == Role.PROGRAMME_TEAM:
        user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def park(reference_data):
    region = Region.objects.get(name="Rotterdam-Den Haag")
    return Park.objects.create(
        name="Testterrein Schieweg",
        slug=unique_park_slug("Testterrein Schieweg"),
        geometry=box(*DELFT_BOX),
        region=region,
        province=region.municipalities.first().province,
    )


@pytest.fixture
def users(reference_data, park):
    """One user per role; the park contact and the regional director belong to ``park``."""
    director_org = park.region.director
    province_org = park.province.organisation
    result = {
        Role.PROGRAMME_TEAM: make_user(Role.PROGRAMME_TEAM, "team"),
        Role.REGIONAL_DIRECTOR: make_user(Role.REGIONAL_DIRECTOR, "regisseur", director_org),
        Role.COALITION_PARTNER: make_user(
            Role.COALITION_PARTNER, "partner", Organisation.objects.get(name="Heijmans")
        ),
        Role.PARK_CONTACT: make_user(Role.PARK_CONTACT, "contact"),
        Role.PROVINCE_OFFICER: make_user(Role.PROVINCE_OFFICER, "provincie", province_org),
    }
    ParkContact.objects.create(
        user=result[Role.PARK_CONTACT], park=park, capacity=ParkContact.Capacity.PARK_MANAGEMENT
    )
    return result


@pytest.fixture
def browser(monkeypatch):
    """Headless Debian Chromium (see tests/browser.py for the marks to use with it)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    # Playwright's sync API runs an event loop in this thread; the ORM calls a
    # test makes between browser steps are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
