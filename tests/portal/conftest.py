"""Fixtures for the portal tests: two parks in different regions and provinces, users
for every role on either side, and real scans of both from a small synthetic bundle.

Scans go through the real queue (``request_scan`` + ``process_pending``) with a
bundle from the engine's SYNTHETIC generator, so the dashboard, report and
downloads are tested on what the engine really produces, not on hand-made dicts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import Polygon

from tests.conftest import make_user
from werklandschap.accounts.models import ParkContact
from werklandschap.accounts.roles import Role
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park, Region
from werklandschap.registry.services import unique_park_slug
from werklandschap.scanengine.synthetic import make_bundle
from werklandschap.scans.models import ParkScan
from werklandschap.scans.queue import process_pending
from werklandschap.scans.services import latest_scan, request_scan

# Eindhoven area (RD New): an L-shaped park of ~9 ha, far from the Delft test park.
EINDHOVEN_L = Polygon(
    [
        (160000, 383000),
        (160400, 383000),
        (160400, 383150),
        (160150, 383150),
        (160150, 383300),
        (160000, 383300),
    ]
)


@pytest.fixture
def other_park(reference_data):
    region = Region.objects.get(name="Metropoolregio Eindhoven")
    return Park.objects.create(
        name="Bedrijventerrein De Hurk-Zuid",
        slug=unique_park_slug("Bedrijventerrein De Hurk-Zuid"),
        geometry=EINDHOVEN_L,
        region=region,
        province=region.municipalities.first().province,
        swarm_role=SwarmRole.PARTNER,
    )


@pytest.fixture
def people(users, park, other_park):
    """Every role of the access matrix, for ``park`` (own) and ``other_park`` (other)."""
    assert park.region.director_id != other_park.region.director_id
    assert park.province_id != other_park.province_id
    other_contact = make_user(Role.PARK_CONTACT, "contact-elders")
    ParkContact.objects.create(
        user=other_contact, park=other_park, capacity=ParkContact.Capacity.ASSOCIATION
    )
    return {
        "team": users[Role.PROGRAMME_TEAM],
        "contact": users[Role.PARK_CONTACT],
        "other_contact": other_contact,
        "director": users[Role.REGIONAL_DIRECTOR],
        "other_director": make_user(
            Role.REGIONAL_DIRECTOR, "regisseur-elders", other_park.region.director
        ),
        "partner": users[Role.COALITION_PARTNER],
        "province": users[Role.PROVINCE_OFFICER],
        "other_province": make_user(
            Role.PROVINCE_OFFICER, "provincie-elders", other_park.province.organisation
        ),
    }


@pytest.fixture
def bundle(tmp_path_factory, park, other_park) -> Path:
    """A SYNTHETIC bundle covering both parks (one per test: park ids differ per test)."""
    out = tmp_path_factory.mktemp("bundle")
    return make_bundle(
        [(str(park.pk), park.geometry), (str(other_park.pk), other_park.geometry)], out, seed=3
    )


def scan(park: Park, manifest: Path) -> ParkScan:
    """Queue and run a baseline scan of ``park`` the way the platform does."""
    request_scan(park, reason="test")
    process_pending(manifest)
    result = latest_scan(park)
    assert result is not None, list(park.scan_requests.values("status", "message"))
    return result


@pytest.fixture
def scanned(park, other_park, bundle, settings, tmp_path):
    """Both parks scanned once; returns (scan of park, scan of other park)."""
    settings.HOME_DIR = tmp_path / "home"
    return scan(park, bundle), scan(other_park, bundle)
