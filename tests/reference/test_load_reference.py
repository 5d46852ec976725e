"""Reference data: loaded from the data files, complete, sourced, idempotent, all-or-nothing."""

import csv
import shutil

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from werklandschap.lib.refdata import DEFAULT_REFERENCE_DIR
from werklandschap.monitoring.models import ProgrammeTarget
from werklandschap.registry.choices import OrganisationKind
from werklandschap.registry.models import Municipality, Organisation, Province, Region
from werklandschap.support.models import Expertise, PartnerExpertise, PoolMember
from werklandschap.vouchers.models import GreenDeal


def test_regions_and_their_directors_match_table_4_1(reference_data):
    assert Region.objects.count() == 30
    per_director = {
        org.name: set(org.directed_regions.values_list("name", flat=True))
        for org in Organisation.objects.filter(kind=OrganisationKind.REGIONAL_DIRECTOR)
    }
    assert len(per_director["VNO-NCW Midden"]) == 9
    assert per_director["LWV"] == {"Zuid-Limburg", "Noord- en Midden-Limburg"}
    assert len(per_director["VNO-NCW Brabant en Zeeland"]) == 5
    assert len(per_director["Transitiemakers"]) == 14
    assert Region.objects.filter(director=None).count() == 0


def test_uncertain_region_assignments_are_marked(reference_data):
    assert Region.objects.exclude(note="").count() == 5
    assert Region.objects.get(name="West-Overijssel").note


def test_every_municipality_has_a_region_and_province(reference_data):
    with (DEFAULT_REFERENCE_DIR / "res_regions_2023.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert Municipality.objects.count() == len(rows) == 342
    assert not Municipality.objects.filter(region=None).exists()
    assert not Municipality.objects.filter(province=None).exists()
    assert Municipality.objects.get(code="GM0503").region.name == "Rotterdam-Den Haag"  # Delft


def test_provinces_targets_green_deals_expertise(reference_data):
    assert Province.objects.count() == 12
    assert Province.objects.get(code="PV26").organisation.kind == OrganisationKind.PROVINCE
    assert ProgrammeTarget.objects.get(key="parks-in-transition").value == 1000
    assert ProgrammeTarget.objects.get(key="living-labs").value == 4
    assert ProgrammeTarget.objects.get(key="ambassador-parks").value == 10
    assert ProgrammeTarget.objects.get(key="vouchers").value == 150
    assert ProgrammeTarget.objects.get(key="voucher-minimum-value").value == 15000
    assert set(GreenDeal.objects.values_list("province__name", flat=True)) == {
        "Utrecht",
        "Noord-Brabant",
        "Zuid-Holland",
        "Gelderland",
    }
    nulmeting = Expertise.objects.get(slug="uitvoeren-van-een-nulmeting")
    assert set(nulmeting.partners.values_list("name", flat=True)) == {
        "Stichting CLOK",
        "Natuur en Milieufederaties",
        "NL Greenlabel",
    }
    assert PoolMember.objects.count() == 10


def test_every_value_has_a_source(reference_data):
    for model in (Region, ProgrammeTarget, GreenDeal, Expertise):
        assert not model.objects.filter(source="").exists(), model
    assert not Organisation.objects.filter(source="").exists()


def test_reload_is_idempotent(reference_data):
    counts = [m.objects.count() for m in (Organisation, Region, Municipality, PartnerExpertise)]
    call_command("load_reference", verbosity=0)
    assert [
        m.objects.count() for m in (Organisation, Region, Municipality, PartnerExpertise)
    ] == counts


def test_edit_in_file_is_applied_on_reload(reference_data, tmp_path):
    directory = tmp_path / "ref"
    shutil.copytree(DEFAULT_REFERENCE_DIR, directory)
    data = yaml.safe_load((directory / "targets.yaml").read_text())
    data["targets"][0]["value"] = 1200
    (directory / "targets.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    call_command("load_reference", str(directory), verbosity=0)
    assert ProgrammeTarget.objects.get(key="parks-in-transition").value == 1200


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("regions.yaml", "directors:\n  Onbekende Organisatie: [X]\n", "Onbekende Organisatie"),
        ("targets.yaml", "targets: [ {key: a, label: b, value: x, source: s} ]\n", "geen getal"),
        ("expertise.yaml", "{{{ not yaml", "geen geldige YAML"),
    ],
)
def test_bad_file_is_refused_and_changes_nothing(db, tmp_path, filename, content, message):
    directory = tmp_path / "ref"
    shutil.copytree(DEFAULT_REFERENCE_DIR, directory)
    (directory / filename).write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("load_reference", str(directory), verbosity=0)
    assert Province.objects.count() == 0
    assert Organisation.objects.count() == 0
