"""The demo data: plausible, spread out, every role present, always labelled synthetic."""

from django.core.management import call_command

from werklandschap.accounts.models import User
from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park


def test_demo_builds_labelled_parks_in_all_roles(db, capsys):
    call_command("demo", no_serve=True)
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
    call_command("demo", no_serve=True)
    names = sorted(Park.objects.values_list("name", flat=True))
    call_command("demo", no_serve=True)
    assert sorted(Park.objects.values_list("name", flat=True)) == names
