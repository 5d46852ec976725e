"""Fixtures for the sign-up tests: a valid form, outlines in WGS84, e-mail links."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from shapely.geometry import box, mapping

from werklandschap.lib.geo import RD_NEW, WGS84, reproject
from werklandschap.partnership import services
from werklandschap.partnership.models import ApplicantCapacity, PartnerApplication
from werklandschap.partnership.services import SignUp
from werklandschap.partnership.workflow import Actor, Status

SIGNUP_URL = "/aanmelden/"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/aanmelden/bevestigen/[^/\s]+/)")
# A field of Delft south of the test park (RD New), not overlapping it.
NEW_PARK_BOX = (85000.0, 446000.0, 85300.0, 446250.0)


def drawn(geom_rd) -> str:
    """An RD New geometry as the map would post it: GeoJSON geometry in WGS84."""
    return json.dumps(mapping(reproject(geom_rd, RD_NEW, WGS84)))


def form_data(for_park=None, **overrides) -> dict:
    """A complete, valid sign-up POST for ``for_park`` (None: a new park, fill in the outline)."""
    park = for_park
    data = {
        "nonce": str(uuid.uuid4()),
        "park_mode": "existing" if park is not None else "new",
        "park": str(park.pk) if park is not None else "",
        "park_query": park.name if park is not None else "",
        "proposed_name": "",
        "outline_drawn": "",
        "organisation_name": "Parkmanagement Schieweg",
        "capacity": ApplicantCapacity.PARK_MANAGEMENT,
        "contact_name": "Sam de Vries",
        "contact_email": "sam@parkschieweg.example",
        "commits_to_green_goal": "on",
        "commits_to_bring_knowledge": "on",
        "commits_to_share_knowledge": "on",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def confirm_path(message) -> str:
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def signup(park=None, *, email="sam@parkschieweg.example", capacity=None, **kwargs) -> SignUp:
    values = {
        "organisation_name": "Parkmanagement Schieweg",
        "capacity": capacity or ApplicantCapacity.PARK_MANAGEMENT,
        "contact_email": email,
        "park": park,
        "commitments": (True, True, True),
        "consent": True,
    }
    values.update(kwargs)
    return SignUp(**values)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the e-mails) inside the test's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def submitted(park) -> PartnerApplication:
    return services.submit_application(signup(park), idempotency_key=uuid.uuid4()).application


@pytest.fixture
def confirmed(submitted) -> PartnerApplication:
    return services.transition(submitted, Status.CONFIRMED, actor=Actor.APPLICANT)


@pytest.fixture
def new_park_outline():
    return box(*NEW_PARK_BOX)
