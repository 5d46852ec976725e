"""import-parks: good and bad files, each source's fields, idempotency, one transaction."""

from __future__ import annotations

import logging

import pyogrio
import pytest
import shapely
from django.core.management import CommandError, call_command
from shapely.geometry import MultiPolygon, Point, Polygon, box

from werklandschap.lib.geo import RD_NEW
from werklandschap.registry.importers import (
    ImportFileError,
    detect_source,
    import_parks,
    normalise_osm_id,
    normalise_rin,
)
from werklandschap.registry.models import Municipality, Park, ParkIdentifier, Region

from .fixtures_geo import (
    DELFT,
    DELFT_SOUTH,
    EMMERICH,
    MOSTLY_BODEGRAVEN,
    MOSTLY_WOERDEN,
    garbage,
    ibis_fields,
    write_geojson,
    write_layer,
    zip_shapefile,
)

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[list[tuple], list[tuple]]:
    """Every park and identifier row, for 'the database is unchanged' assertions."""
    parks = [
        (p.pk, p.name, p.slug, None if p.geometry is None else shapely.to_wkb(p.geometry))
        for p in Park.objects.order_by("pk")
    ]
    idents = list(
        ParkIdentifier.objects.order_by("pk").values_list("pk", "park_id", "scheme", "value")
    )
    return parks, idents


def ids_of(park: Park) -> set[tuple[str, str]]:
    return set(park.identifiers.values_list("scheme", "value"))


def ibis_gpkg(path, rows, geometries, **kwargs):
    return write_layer(path, geometries, ibis_fields(rows), driver="GPKG", **kwargs)


# --------------------------------------------------------------------------- good files


def test_plain_geojson_in_wgs84(db, tmp_path, capsys):
    path = write_geojson(tmp_path / "terreinen.geojson", [(DELFT, {"naam": "Schieweg"})])

    call_command("import_parks", str(path))

    park = Park.objects.get()
    assert park.name == "Schieweg"
    # Back from WGS84 to RD New: same place and size to well under a metre.
    assert park.geometry.area == pytest.approx(DELFT.area, rel=1e-4)
    assert park.geometry.centroid.distance(DELFT.centroid) < 0.5
    assert float(park.gross_area_ha) == pytest.approx(12.0, abs=0.01)
    assert park.source == "bestand met naam en geometrie: terreinen.geojson"
    assert not park.identifiers.exists()  # a plain file has no trustworthy id
    out = capsys.readouterr().out
    assert "Nieuw: 1, bijgewerkt: 0, ongewijzigd: 0, afgewezen: 0" in out


def test_ibis_geopackage_in_rd(reference_data, tmp_path):
    rows = [
        {"RIN_NUMMER": 1234567, "PLAN_NAAM": "Schieweg", "KERN_NAAM": "Delft", "HA_BRUTO": 99.0},
        {"RIN_NUMMER": 0, "PLAN_NAAM": "Zonder RIN", "KERN_NAAM": "Delft"},
    ]
    path = ibis_gpkg(tmp_path / "ibis.gpkg", rows, [DELFT, DELFT_SOUTH])

    report = import_parks(path)

    assert report.source == "ibis" and report.crs == RD_NEW
    assert [r.action for r in report.rows] == ["created", "created"]
    schieweg = Park.objects.get(name="Schieweg")
    assert ids_of(schieweg) == {("ibis", "1234567")}
    assert float(schieweg.gross_area_ha) == pytest.approx(12.0)  # from geometry, not HA_BRUTO
    assert any("HA_BRUTO 99,00 ha wijkt af" in n for n in report.rows[0].notes)
    assert "kern: Delft" in schieweg.description and "Gemengd terrein" in schieweg.description
    zonder = Park.objects.get(name="Zonder RIN")
    assert not zonder.identifiers.exists()  # RIN 0 is no identifier
    assert any("RIN_NUMMER '0' is geen bruikbaar kenmerk" in n for n in report.rows[1].notes)


def test_ibis_without_boundaries_uses_gem_codes(reference_data, tmp_path):
    rows = [{"RIN_NUMMER": 42, "PLAN_NAAM": "Putkop", "GEM_CODES": "0503", "PROV_CODES": "28"}]
    path = ibis_gpkg(tmp_path / "ibis.gpkg", rows, [DELFT])

    import_parks(path)

    park = Park.objects.get()
    assert park.municipality.code == "GM0503"
    assert park.province.code == "PV28"
    assert park.region.name == "Rotterdam-Den Haag"
    assert not park.areas_from_geometry  # stated by the file, not derived


def test_ibis_empty_plan_name_falls_back_to_kern(db, tmp_path):
    rows = [
        {"RIN_NUMMER": 77, "PLAN_NAAM": "", "KERN_NAAM": "Delft"},
        {"RIN_NUMMER": 0, "PLAN_NAAM": "", "KERN_NAAM": "Delft"},
    ]
    path = ibis_gpkg(tmp_path / "ibis.gpkg", rows, [DELFT, DELFT_SOUTH])

    report = import_parks(path)

    assert Park.objects.get().name == "Delft (RIN 77)"
    assert report.rejected[0].row == 2 and "Geen naam" in report.rejected[0].reason


def test_shapefile_in_etrs_laea_is_reprojected(db, tmp_path):
    shp = write_layer(
        tmp_path / "laea.shp",
        [DELFT],
        {"name": ["Schieweg"]},
        crs="EPSG:3035",
        driver="ESRI Shapefile",
    )
    assert shapely.from_wkb(pyogrio.raw.read(shp)[2][0]).bounds[0] > 3_900_000  # LAEA

    report = import_parks(shp)

    assert report.crs == "EPSG:3035"
    park = Park.objects.get()
    assert park.geometry.area == pytest.approx(DELFT.area, rel=1e-3)
    assert park.geometry.centroid.distance(DELFT.centroid) < 1.0


def test_zipped_shapefile_in_utm31n(db, tmp_path):
    shp = write_layer(
        tmp_path / "utm.shp",
        [MOSTLY_WOERDEN],
        {"naam": ["Barwoutswaarder"]},
        crs="EPSG:32631",
        driver="ESRI Shapefile",
    )
    archive = zip_shapefile(shp, tmp_path / "download.zip")

    report = import_parks(archive)

    assert report.crs == "EPSG:32631"
    park = Park.objects.get()
    assert park.geometry.area == pytest.approx(MOSTLY_WOERDEN.area, rel=1e-3)
    assert park.geometry.centroid.distance(MOSTLY_WOERDEN.centroid) < 1.0


def test_geojson_with_rd_crs_member(db, tmp_path):
    path = write_geojson(
        tmp_path / "rd.geojson",
        [(DELFT, {"name": "Schieweg"})],
        crs_member="urn:ogc:def:crs:EPSG::28992",
    )

    import_parks(path)

    geometry = Park.objects.get().geometry
    assert isinstance(geometry, MultiPolygon)
    assert geometry.symmetric_difference(DELFT).area < 1e-3  # taken as RD New, not reprojected


def test_osm_overpass_export(db, tmp_path, caplog):
    features = [
        (DELFT, {"id": "way/123", "@id": "way/123", "name": "Schieweg", "landuse": "industrial"}),
        (
            DELFT_SOUTH,
            {"id": "way/124", "@id": "way/124", "name": "Wijk", "landuse": "residential"},
        ),
        (MOSTLY_WOERDEN, {"id": "relation/9", "@id": "relation/9", "landuse": "industrial"}),
    ]
    path = write_geojson(tmp_path / "export.geojson", features)

    with caplog.at_level(logging.WARNING, logger="werklandschap.registry.import"):
        report = import_parks(path)

    assert report.source == "osm"
    assert ids_of(Park.objects.get()) == {("osm", "way/123")}
    reasons = {r.row: r.reason for r in report.rejected}
    assert "landuse=residential" in reasons[2]
    assert "Geen naam" in reasons[3]
    logged = [r.getMessage() for r in caplog.records if r.name == "werklandschap.registry.import"]
    assert len(logged) == 2 and "row 2" in logged[0] and "landuse=residential" in logged[0]


def test_osm_gdal_driver_layout(db, tmp_path):
    """GDAL's OSM driver: osm_id holds a relation id, osm_way_id a way id."""
    path = write_layer(
        tmp_path / "osm.gpkg",
        [DELFT, DELFT_SOUTH],
        {
            "osm_id": ["", "555"],
            "osm_way_id": ["321", ""],
            "name": ["A", "B"],
            "landuse": ["industrial", "industrial"],
        },
        driver="GPKG",
    )

    import_parks(path)

    values = set(ParkIdentifier.objects.values_list("value", flat=True))
    assert values == {"way/321", "relation/555"}


@pytest.mark.parametrize(
    ("raw", "osm_type", "expected"),
    [
        ("way/123", "", "way/123"),
        ("w123", "", "way/123"),
        ("r7", "", "relation/7"),
        ("123", "way", "way/123"),
        ("-88", "", "relation/88"),
        ("123", "", "123"),
        ("0", "", None),
        ("", "", None),
        ("abc", "", None),
    ],
)
def test_normalise_osm_id(raw, osm_type, expected):
    assert normalise_osm_id(raw, osm_type) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1234567", "1234567"), ("0012", "12"), ("0", None), ("", None), ("n.v.t.", None)],
)
def test_normalise_rin(raw, expected):
    assert normalise_rin(raw) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (["RIN_NUMMER", "PLAN_NAAM"], "ibis"),
        (["plan_naam", "kern_naam", "gem_codes"], "ibis"),
        (["@id", "name"], "osm"),
        (["osm_id", "name", "fclass"], "osm"),
        (["id", "name", "landuse"], "osm"),
        (["id", "naam"], "plain"),
    ],
)
def test_detect_source(fields, expected):
    assert detect_source(fields) == expected


def test_name_and_id_field_options(db, tmp_path):
    path = write_layer(
        tmp_path / "gemeente.gpkg",
        [DELFT],
        {"omschrijving": ["Schieweg"], "kenmerk": ["DLF-01"]},
        driver="GPKG",
    )
    with pytest.raises(ImportFileError, match="Geen naamveld gevonden"):
        import_parks(path)
    with pytest.raises(ImportFileError, match="Veld 'bestaatniet'"):
        import_parks(path, name_field="bestaatniet")

    import_parks(path, name_field="omschrijving", id_field="kenmerk")

    assert ids_of(Park.objects.get(name="Schieweg")) == {("source", "DLF-01")}


def test_multi_layer_geopackage_needs_layer(db, tmp_path):
    path = tmp_path / "twee.gpkg"
    write_layer(path, [DELFT], {"name": ["A"]}, layer="terreinen", driver="GPKG")
    write_layer(path, [DELFT_SOUTH], {"name": ["B"]}, layer="plannen", driver="GPKG", append=True)

    with pytest.raises(ImportFileError, match=r"meerdere lagen.*--layer"):
        import_parks(path)
    import_parks(path, layer="plannen")
    with pytest.raises(ImportFileError, match="Laag 'wegen' bestaat niet"):
        import_parks(path, layer="wegen")

    assert list(Park.objects.values_list("name", flat=True)) == ["B"]


# --------------------------------------------------------------------------- idempotency


def test_reimport_is_idempotent_and_applies_changes(reference_data, tmp_path):
    rows = [
        {"RIN_NUMMER": 1, "PLAN_NAAM": "Schieweg"},
        {"RIN_NUMMER": 2, "PLAN_NAAM": "Delftse Hout"},
    ]
    path = ibis_gpkg(tmp_path / "v1.gpkg", rows, [DELFT, DELFT_SOUTH])
    first = import_parks(path)
    before = snapshot()
    created_ids = sorted(r.park_id for r in first.created)

    again = import_parks(path)

    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 2)
    assert sorted(r.park_id for r in again.unchanged) == created_ids
    assert snapshot() == before

    rows[0]["PLAN_NAAM"] = "Schieweg-Noord"
    moved = box(85000.0, 447000.0, 85400.0, 447350.0)
    path2 = ibis_gpkg(tmp_path / "v2.gpkg", rows, [moved, DELFT_SOUTH])
    third = import_parks(path2)

    assert (len(third.created), len(third.updated), len(third.unchanged)) == (0, 1, 1)
    park = Park.objects.get(pk=third.updated[0].park_id)
    assert park.name == "Schieweg-Noord"
    assert park.slug == "schieweg"  # the URL stays stable across renames
    assert float(park.gross_area_ha) == pytest.approx(14.0)
    assert Park.objects.count() == 2 and ParkIdentifier.objects.count() == 2


def test_rows_without_id_match_by_overlap(db, tmp_path):
    path = write_geojson(tmp_path / "a.geojson", [(DELFT, {"name": "Schieweg"})])
    import_parks(path)
    park = Park.objects.get()

    # Redrawn outline, 80 % overlap with the stored one: the same park.
    redrawn = box(85000.0, 447000.0, 85400.0, 447240.0)
    report = import_parks(write_geojson(tmp_path / "b.geojson", [(redrawn, {"name": "Schieweg"})]))

    assert report.updated[0].park_id == park.pk
    assert "overlap" in report.updated[0].notes[0]
    assert Park.objects.count() == 1
    # A neighbour sharing only a border is another park.
    neighbour = box(85400.0, 447000.0, 85800.0, 447300.0)
    report = import_parks(write_geojson(tmp_path / "c.geojson", [(neighbour, {"name": "Buur"})]))
    assert len(report.created) == 1 and Park.objects.count() == 2


def test_id_row_attaches_to_park_found_by_overlap(db, tmp_path):
    import_parks(write_geojson(tmp_path / "plain.geojson", [(DELFT, {"name": "Schieweg"})]))
    park = Park.objects.get()

    report = import_parks(
        ibis_gpkg(tmp_path / "ibis.gpkg", [{"RIN_NUMMER": 9, "PLAN_NAAM": "Schieweg"}], [DELFT])
    )

    assert [r.action for r in report.rows] == ["updated"]
    assert Park.objects.get().pk == park.pk
    assert ids_of(park) == {("ibis", "9")}


def test_duplicates_within_file_are_rejected(db, tmp_path):
    rows = [{"RIN_NUMMER": 5, "PLAN_NAAM": "A"}, {"RIN_NUMMER": 5, "PLAN_NAAM": "B"}]
    report = import_parks(ibis_gpkg(tmp_path / "dup.gpkg", rows, [DELFT, DELFT_SOUTH]))
    assert report.rejected[0].row == 2 and "ook in rij 1" in report.rejected[0].reason

    plain = write_geojson(
        tmp_path / "dup.geojson", [(DELFT_SOUTH, {"name": "C"}), (DELFT_SOUTH, {"name": "D"})]
    )
    report = import_parks(plain)
    assert [r.action for r in report.rows] == ["created", "rejected"]
    assert "Overlapt sterk met rij 1" in report.rejected[0].reason
    assert Park.objects.count() == 2  # A and C


def test_duplicate_without_id_stays_rejected_on_reimport(db, tmp_path):
    """A row without id that repeats an earlier row must not turn into a park the second time."""
    redrawn = box(85000.0, 447000.0, 85400.0, 447280.0)
    rows = [{"RIN_NUMMER": 1, "PLAN_NAAM": "Met RIN"}, {"RIN_NUMMER": 0, "PLAN_NAAM": "Zonder"}]
    path = ibis_gpkg(tmp_path / "dubbel.gpkg", rows, [DELFT, redrawn])

    first = import_parks(path)
    second = import_parks(path)

    assert [r.action for r in first.rows] == ["created", "rejected"]
    assert [r.action for r in second.rows] == ["unchanged", "rejected"]
    assert "rij 1" in first.rejected[0].reason and "rij 1" in second.rejected[0].reason
    assert Park.objects.count() == 1


# --------------------------------------------------------------------------- bad rows


def test_bowtie_repaired_badly_invalid_rejected(db, tmp_path):
    x, y = 85000.0, 447000.0
    # A rectangle whose last corner was clicked twice, crossing over: a tiny bow-tie.
    corners = [(0, 0), (400, 0), (400, 300), (2, 300), (0, 298), (0.5, 301)]
    small_bowtie = Polygon([(x + dx, y + dy) for dx, dy in corners])
    # A figure-eight: two lobes, no sensible single outline.
    figure_eight = Polygon([(x, y - 900), (x + 400, y - 600), (x + 400, y - 900), (x, y - 600)])
    assert not small_bowtie.is_valid and not figure_eight.is_valid
    path = write_geojson(
        tmp_path / "ongeldig.geojson",
        [(small_bowtie, {"name": "Strik"}), (figure_eight, {"name": "Acht"})],
    )

    report = import_parks(path)

    park = Park.objects.get()
    assert park.name == "Strik" and park.geometry.is_valid
    assert park.geometry.area == pytest.approx(120_000, rel=0.01)
    assert any(n.startswith("hersteld") for n in report.created[0].notes)
    assert "Ongeldige geometrie" in report.rejected[0].reason
    assert "geen eenduidig vlak" in report.rejected[0].reason


def test_outside_netherlands_rejected(boundaries, tmp_path):
    paris = reproject_box(2.30, 48.85)
    path = write_geojson(
        tmp_path / "buitenland.geojson",
        [(paris, {"name": "Parijs"}), (EMMERICH, {"name": "Emmerich"}), (DELFT, {"name": "Delft"})],
    )

    report = import_parks(path)

    reasons = {r.name: r.reason for r in report.rejected}
    assert "buiten Nederland" in reasons["Parijs"]
    assert "in geen enkele provincie" in reasons["Emmerich"]
    assert list(Park.objects.values_list("name", flat=True)) == ["Delft"]


def reproject_box(lon: float, lat: float):
    from werklandschap.lib.geo import reproject

    centre = reproject(Point(lon, lat), "EPSG:4326", RD_NEW)
    return box(centre.x, centre.y, centre.x + 300, centre.y + 300)


def test_non_polygon_and_empty_geometry_rejected(db, tmp_path):
    path = write_geojson(
        tmp_path / "gemengd.geojson",
        [
            (Point(85100, 447100), {"name": "Punt"}),
            (None, {"name": "Leeg"}),
            (DELFT, {"name": "Vlak"}),
        ],
    )

    report = import_parks(path)

    reasons = {r.name: r.reason for r in report.rejected}
    assert reasons["Punt"] == "Geometrie is een Point, geen vlak (polygoon)."
    assert reasons["Leeg"] == "Geen geometrie."
    assert list(Park.objects.values_list("name", flat=True)) == ["Vlak"]


def test_absurd_sizes_rejected(db, tmp_path, settings):
    settings.PARK_MIN_AREA_HA = 1.0
    settings.PARK_MAX_AREA_HA = 10.0
    tiny = box(85000.0, 447000.0, 85050.0, 447050.0)  # 0.25 ha
    path = write_geojson(
        tmp_path / "maten.geojson",
        [(tiny, {"name": "Klein"}), (DELFT, {"name": "Groot"}), (DELFT_SOUTH, {"name": "Goed"})],
    )

    report = import_parks(path)

    reasons = {r.name: r.reason for r in report.rejected}
    assert reasons["Klein"] == "Te klein: 0,25 ha (minimum 1,00 ha)."
    assert reasons["Groot"].startswith("Te groot: 12,00 ha (maximum 10,00 ha)")
    assert list(Park.objects.values_list("name", flat=True)) == ["Goed"]


# --------------------------------------------------------------------------- bad files


def _existing_parks(tmp_path) -> None:
    rows = [{"RIN_NUMMER": 1, "PLAN_NAAM": "Bestaand"}]
    import_parks(ibis_gpkg(tmp_path / "bestaand.gpkg", rows, [DELFT]))


def _truncated_json(tmp_path):
    full = write_geojson(tmp_path / "heel.geojson", [(DELFT_SOUTH, {"name": "Nieuw"})])
    text = full.read_text()
    path = tmp_path / "afgebroken.geojson"
    path.write_text(text[: len(text) // 2])
    return path


def _empty_geojson(tmp_path):
    path = tmp_path / "leeg.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    return path


def _shapefile_without_prj(tmp_path):
    return write_layer(
        tmp_path / "zonder.shp",
        [DELFT_SOUTH],
        {"name": ["Nieuw"]},
        crs=None,
        driver="ESRI Shapefile",
    )


def _rd_geojson_without_crs(tmp_path):
    return write_geojson(tmp_path / "rd.geojson", [(DELFT_SOUTH, {"name": "Nieuw"})], crs_member="")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "bestaat-niet.geojson", "Bestand niet gevonden"),
        (lambda tmp: garbage(tmp / "kapot.geojson"), "geen leesbaar GeoJSON-, GeoPackage- of"),
        (_truncated_json, "geen leesbaar GeoJSON-, GeoPackage- of"),
        (lambda tmp: garbage(tmp / "kapot.gpkg", 8192), "geen leesbaar"),
        (lambda tmp: garbage(tmp / "kapot.zip"), "geen leesbaar"),
        (_empty_geojson, "bevat geen objecten"),
        (lambda tmp: garbage(tmp / "tabel.csv"), "niet-ondersteund bestandstype"),
        (_shapefile_without_prj, r"geen coördinatenstelsel \(ontbreekt het .prj-bestand\?\)"),
        (_rd_geojson_without_crs, "zijn geen graden"),
    ],
    ids=[
        "missing",
        "garbage-geojson",
        "truncated-json",
        "garbage-gpkg",
        "garbage-zip",
        "empty",
        "csv",
        "no-crs",
        "rd-as-wgs84",
    ],
)
def test_malformed_file_is_a_clear_error_and_changes_nothing(db, tmp_path, make, message):
    _existing_parks(tmp_path)
    before = snapshot()

    with pytest.raises(CommandError, match=f"Niets geïmporteerd: .*{message}"):
        call_command("import_parks", str(make(tmp_path)), verbosity=0)

    assert snapshot() == before
    assert len(before[0]) == 1


def test_geopackage_without_crs_is_an_error(db, tmp_path):
    path = write_layer(tmp_path / "zonder.gpkg", [DELFT], {"name": ["A"]}, crs=None, driver="GPKG")
    with pytest.raises(ImportFileError, match="heeft geen coördinatenstelsel"):
        import_parks(path)
    assert not Park.objects.exists()


def test_failure_while_writing_rolls_back_everything(db, tmp_path, monkeypatch):
    rows = [{"RIN_NUMMER": 1, "PLAN_NAAM": "A"}, {"RIN_NUMMER": 2, "PLAN_NAAM": "B"}]
    path = ibis_gpkg(tmp_path / "twee.gpkg", rows, [DELFT, DELFT_SOUTH])
    real_create = ParkIdentifier.objects.create
    calls = []

    def failing_create(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("schijf vol")
        return real_create(**kwargs)

    monkeypatch.setattr(ParkIdentifier.objects, "create", failing_create)

    with pytest.raises(RuntimeError, match="schijf vol"):
        import_parks(path)

    assert len(calls) == 2  # the first park and its id were written, then rolled back
    assert not Park.objects.exists() and not ParkIdentifier.objects.exists()


def test_dry_run_writes_nothing(db, tmp_path, capsys):
    _existing_parks(tmp_path)
    before = snapshot()
    rows = [{"RIN_NUMMER": 1, "PLAN_NAAM": "Hernoemd"}, {"RIN_NUMMER": 2, "PLAN_NAAM": "Nieuw"}]
    path = ibis_gpkg(tmp_path / "proef.gpkg", rows, [DELFT, DELFT_SOUTH])

    call_command("import_parks", str(path), "--dry-run")

    out = capsys.readouterr().out
    assert "Proefdraai, niets opgeslagen" in out
    assert "Nieuw: 1, bijgewerkt: 1, ongewijzigd: 0, afgewezen: 0" in out
    assert snapshot() == before


# --------------------------------------------------------------------------- areas


def test_areas_follow_geometry_after_boundaries(boundaries, tmp_path):
    path = write_geojson(
        tmp_path / "grens.geojson",
        [(MOSTLY_WOERDEN, {"name": "Oost"}), (MOSTLY_BODEGRAVEN, {"name": "West"})],
    )

    import_parks(path)

    east, west = Park.objects.get(name="Oost"), Park.objects.get(name="West")
    assert (east.municipality.code, east.province.code) == ("GM0632", "PV26")
    assert east.region == Region.objects.get(name="U16")
    assert (west.municipality.code, west.province.code) == ("GM1901", "PV28")
    assert west.region == Region.objects.get(name="Midden-Holland")
    assert east.areas_from_geometry and west.areas_from_geometry
    assert west.region.director is not None
    # Both straddle the border: each outline really lies partly in the other municipality.
    woerden = Municipality.objects.get(code="GM0632").geometry
    assert 0.5 < woerden.intersection(east.geometry).area / east.geometry.area < 0.9
    assert 0.1 < woerden.intersection(west.geometry).area / west.geometry.area < 0.5


def test_command_summary_lists_rejections(db, tmp_path, capsys):
    path = write_geojson(
        tmp_path / "mix.geojson",
        [(DELFT, {"name": "Goed"}), (Point(85000, 447000), {"name": "Punt"})],
    )

    call_command("import_parks", str(path), "--source", "plain")

    out = capsys.readouterr().out
    assert "Nieuw: 1, bijgewerkt: 0, ongewijzigd: 0, afgewezen: 1" in out
    assert "Afgewezen rij 2 (Punt): Geometrie is een Point" in out


def test_cli_exit_code_on_failure(tmp_path, capsys):
    from werklandschap.cli import main

    assert main(["import-parks", str(tmp_path / "bestaat-niet.gpkg")]) == 1
    assert "Bestand niet gevonden" in capsys.readouterr().err
