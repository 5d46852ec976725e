"""Fixtures for the portal tests: two parks in different regions and provinces, users
for every role on either side (from tests/conftest.py), and real scans of both from a
small synthetic bundle.

Scans go through the real queue (``request_scan`` + ``process_pending``) with a
bundle from the engine's SYNTHETIC generator, so the dashboard, report and
downloads are tested on what the engine really produces, not on hand-made dicts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import conftest as shared
from werklandschap.accounts.roles import Role
from werklandschap.registry.models import Park
from werklandschap.scanengine.synthetic import make_bundle
from werklandschap.scans.models import ParkScan
from werklandschap.scans.queue import process_pending
from werklandschap.scans.services import latest_scan, request_scan

# The Eindhoven park now lives in tests/conftest.py; the name stays importable
# from here (``from tests.portal.conftest import other_park``).
other_park = shared.other_park


@pytest.fixture
def people(users, outsiders, park, other_park):
    """Every role of the access matrix, for ``park`` (own) and ``other_park`` (other)."""
    return {
        "team": users[Role.PROGRAMME_TEAM],
        "contact": users[Role.PARK_CONTACT],
        "other_contact": outsiders[Role.PARK_CONTACT],
        "director": users[Role.REGIONAL_DIRECTOR],
        "other_director": outsiders[Role.REGIONAL_DIRECTOR],
        "partner": users[Role.COALITION_PARTNER],
        "province": users[Role.PROVINCE_OFFICER],
        "other_province": outsiders[Role.PROVINCE_OFFICER],
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
