"""The demo data: plausible, spread out, every role present, always labelled synthetic."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from werklandschap.accounts.models import User
from werklandschap.demo.generator import scan_demo_parks
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park
from werklandschap.scans.models import ParkScan


def test_demo_builds_labelled_parks_in_all_roles(db, capsys):
    call_command("demo", no_serve=True, no_scan=True)
    parks = Park.objects.filter(is_demo=True)
    assert 30 <= parks.count() <= 60
    assert Park.objects.filter(is_demo=False).count() == 0
    assert set(parks.values_list("swarm_role", flat=True)) == set(SwarmRole.values)
    assert parks.values("province").distinct().count() >= 10
    assert parks.values("region").distinct().count() >= 15
    for park in parks:
        assert "(demo)" in park.name
        assert park.areas_from_geometry and park.municipality is not None
        assert park.geometry.is_valid
        assert 1 <= park.gross_area_ha <= 500
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    assert "programmateam" in out
    assert User.objects.get(username="parkcontact").park_contacts.count() == 1


def test_demo_is_idempotent(db):
    call_command("demo", no_serve=True, no_scan=True)
    names = sorted(Park.objects.values_list("name", flat=True))
    call_command("demo", no_serve=True, no_scan=True)
    assert sorted(Park.objects.values_list("name", flat=True)) == names


def test_demo_parks_get_a_scan_flagged_synthetic(db, settings, tmp_path):
    settings.DEMO_BUNDLE_DIR = tmp_path / "bundle"
    call_command("demo", no_serve=True, no_scan=True)
    assert scan_demo_parks(limit=3) == 3
    scans = ParkScan.objects.select_related("run")
    assert scans.count() == 3
    for scan in scans:
        assert scan.status == "ok"
        assert scan.run.is_synthetic
        assert scan.indicators and any(v["status"] == "ok" for v in scan.indicators.values())
    # A second call does not scan the same parks again.
    assert scan_demo_parks(limit=3) == 3
    assert ParkScan.objects.count() == 3


def test_demo_refused_outside_development(db, settings):
    settings.DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_ALLOWED"):
        call_command("demo", no_serve=True, no_scan=True)
