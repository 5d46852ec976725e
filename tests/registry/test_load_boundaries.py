"""load-boundaries: CBS province and municipality outlines, in either order with load-reference."""

from __future__ import annotations

import os
from pathlib import Path

import pyogrio
import pytest
import shapely
from django.core.management import CommandError, call_command

from werklandschap.lib.geo import RD_NEW
from werklandschap.registry.boundaries import (
    DEFAULT_BOUNDARIES_PATH,
    MUNICIPALITY_LAYER,
    PROVINCE_LAYER,
    REGISTER_LAYER,
    load_boundaries,
)
from werklandschap.registry.models import Municipality, Park, Province, Region
from werklandschap.registry.services import unique_park_slug

from .fixtures_geo import DELFT, MOSTLY_WOERDEN, garbage, write_layer

pytestmark = pytest.mark.django_db

SHARED_CBS = (
    Path(
        os.environ.get("WERKLANDSCHAP_SHARED_DATA") or Path(__file__).parents[3] / "shared" / "data"
    )
    / "cbs-gebiedsindelingen-2023"
    / "cbsgebiedsindelingen2023.gpkg"
)


def _geometry_snapshot() -> dict[str, bytes | None]:
    rows = [*Province.objects.all(), *Municipality.objects.all()]
    return {r.code: None if r.geometry is None else shapely.to_wkb(r.geometry) for r in rows}


def test_after_reference_adds_geometry_and_keeps_reference_links(reference_data, capsys):
    before = {m.code: (m.name, m.province_id, m.region_id) for m in Municipality.objects.all()}

    call_command("load_boundaries")

    out = capsys.readouterr().out
    assert "Provincies: 0 nieuw, 12 bijgewerkt" in out
    assert "Gemeenten: 0 nieuw, 342 bijgewerkt" in out
    assert "geen regio" not in out
    assert Province.objects.exclude(geometry=None).count() == 12
    assert Municipality.objects.exclude(geometry=None).count() == 342
    after = {m.code: (m.name, m.province_id, m.region_id) for m in Municipality.objects.all()}
    assert after == before  # names, provinces and regions come from the reference data
    delft = Municipality.objects.get(code="GM0503")
    assert delft.geometry.contains(DELFT)
    assert delft.minx is not None and delft.minx <= DELFT.bounds[0]
    # Generalised outlines, yet the 12 provinces cover the Netherlands' ~35,000 km2 of land.
    total_km2 = sum(p.geometry.area for p in Province.objects.all()) / 1e6
    assert 33_000 < total_km2 < 37_000


def test_before_reference_creates_areas_then_reference_links_regions(db):
    report = load_boundaries()

    assert (report.provinces_created, report.municipalities_created) == (12, 342)
    assert report.municipalities_without_region == 342
    assert any("load-reference" in line for line in report.summary_lines())
    delft = Municipality.objects.get(code="GM0503")
    assert delft.name == "Delft" and delft.region is None
    assert delft.province.code == "PV28" and delft.province.name == "Zuid-Holland"
    assert Province.objects.get(code="PV21").name == "Fryslân"
    geometry_before = shapely.to_wkb(delft.geometry)

    call_command("load_reference", verbosity=0)

    assert Municipality.objects.count() == 342
    assert Province.objects.count() == 12
    assert not Municipality.objects.filter(region=None).exists()
    delft.refresh_from_db()
    assert delft.region.name == "Rotterdam-Den Haag"
    assert delft.province.organisation.name == "Provincie Zuid-Holland"
    assert shapely.to_wkb(delft.geometry) == geometry_before  # geometry survives the reference load


def test_existing_parks_get_areas_from_geometry(reference_data):
    park = Park.objects.create(
        name="Over de grens", slug=unique_park_slug("Over de grens"), geometry=MOSTLY_WOERDEN
    )
    assert park.municipality is None

    report = load_boundaries()

    park.refresh_from_db()
    assert report.parks_reassigned == 1
    assert park.areas_from_geometry
    assert park.municipality.code == "GM0632"  # Woerden holds most of its area
    assert park.province.code == "PV26"
    assert park.region == Region.objects.get(name="U16")


def test_reload_is_idempotent(boundaries):
    snapshot = _geometry_snapshot()
    ids = sorted(Municipality.objects.values_list("pk", flat=True))

    report = load_boundaries()

    assert (report.provinces_created, report.municipalities_created) == (0, 0)
    assert (report.provinces_updated, report.municipalities_updated) == (12, 342)
    assert sorted(Municipality.objects.values_list("pk", flat=True)) == ids
    assert _geometry_snapshot() == snapshot


def test_municipality_missing_from_file_loses_its_outline(boundaries):
    old = Municipality.objects.create(
        code="GM9999", name="Opgeheven gemeente", geometry=DELFT, province=Province.objects.first()
    )

    report = load_boundaries()

    old.refresh_from_db()
    assert old.geometry is None and old.minx is None
    assert report.municipalities_cleared == ["GM9999 Opgeheven gemeente"]


def _copy_layers(
    target: Path, crs: str, provinces: set[str], municipalities: set[str], *, register: bool = True
) -> Path:
    """A small GeoPackage with the CBS layout (optionally without register), in ``crs``."""
    for layer, keep in ((PROVINCE_LAYER, provinces), (MUNICIPALITY_LAYER, municipalities)):
        meta, _fids, wkb, data = pyogrio.raw.read(DEFAULT_BOUNDARIES_PATH, layer=layer)
        columns = dict(zip(meta["fields"], data, strict=True))
        picked = [i for i, code in enumerate(columns["statcode"]) if code in keep]
        write_layer(
            target,
            [shapely.from_wkb(wkb[i]) for i in picked],
            {name: [columns[name][i] for i in picked] for name in ("statcode", "statnaam")},
            crs=crs,
            layer=layer,
            driver="GPKG",
            append=target.exists(),
        )
    if not register:
        return target
    meta, _fids, _wkb, data = pyogrio.raw.read(
        DEFAULT_BOUNDARIES_PATH, layer=REGISTER_LAYER, read_geometry=False
    )
    table = dict(zip(meta["fields"], data, strict=True))
    picked = [i for i, code in enumerate(table["gm_code"]) if code in municipalities]
    pyogrio.raw.write(
        str(target),
        None,
        [table[name][picked] for name in ("gm_code", "pv_code")],
        fields=["gm_code", "pv_code"],
        layer=REGISTER_LAYER,
        driver="GPKG",
        append=True,
    )
    return target


def test_file_in_another_crs_is_reprojected(db, tmp_path):
    path = _copy_layers(tmp_path / "wgs84.gpkg", "EPSG:4326", {"PV28"}, {"GM0503", "GM0518"})
    meta, _f, wkb, data = pyogrio.raw.read(DEFAULT_BOUNDARIES_PATH, layer=MUNICIPALITY_LAYER)
    original = shapely.from_wkb(wkb[list(data[1]).index("GM0503")])

    report = load_boundaries(path)

    assert report.crs == "EPSG:4326"
    delft = Municipality.objects.get(code="GM0503")
    assert delft.province.code == "PV28"
    # Back in RD New: same area and place as the original to well under a metre.
    assert delft.geometry.area == pytest.approx(original.area, rel=1e-4)
    assert delft.geometry.centroid.distance(original.centroid) < 0.5
    assert delft.geometry.bounds[0] > 70_000  # metres, not degrees
    assert Municipality.objects.count() == 2
    assert meta["crs"] == RD_NEW


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "ontbreekt.gpkg", "Bestand niet gevonden"),
        (lambda tmp: garbage(tmp / "kapot.gpkg"), "geen leesbaar GeoPackage"),
        (
            lambda tmp: write_layer(tmp / "x.gpkg", [DELFT], {"statcode": ["PV28"]}, layer="iets"),
            "laag 'provincie_gegeneraliseerd' ontbreekt",
        ),
        (
            lambda tmp: write_layer(
                tmp / "x.gpkg", [DELFT], {"code": ["PV28"]}, layer=PROVINCE_LAYER
            ),
            "mist veld(en) statcode, statnaam",
        ),
    ],
    ids=["missing-file", "garbage", "missing-layer", "missing-field"],
)
def test_unusable_file_is_a_clear_error_and_changes_nothing(boundaries, tmp_path, make, message):
    snapshot = _geometry_snapshot()

    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("load_boundaries", str(make(tmp_path)), verbosity=0)

    assert _geometry_snapshot() == snapshot


def test_missing_register_layer_is_an_error(db, tmp_path):
    path = _copy_layers(tmp_path / "b.gpkg", RD_NEW, {"PV28"}, {"GM0503"}, register=False)

    with pytest.raises(CommandError, match="gebiedsindelingen_register' ontbreekt"):
        call_command("load_boundaries", str(path), verbosity=0)

    assert not Province.objects.exists()


@pytest.mark.skipif(
    not SHARED_CBS.is_file(),
    reason=f"shared CBS GeoPackage not found at {SHARED_CBS} (set WERKLANDSCHAP_SHARED_DATA)",
)
def test_full_pdok_file_from_shared_data(reference_data, capsys):
    call_command("load_boundaries", str(SHARED_CBS))

    assert "Gemeenten: 0 nieuw, 342 bijgewerkt" in capsys.readouterr().out
    assert Municipality.objects.exclude(geometry=None).count() == 342
    park = Park.objects.create(name="Delft", slug="delft", geometry=DELFT)
    from werklandschap.registry.services import assign_areas

    assert assign_areas(park)
    assert (park.municipality.code, park.province.code) == ("GM0503", "PV28")
    assert park.region.director is not None
