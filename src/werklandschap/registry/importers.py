"""Import park outlines from GeoJSON, GeoPackage or Shapefile into the registry.

The import is written for the files the programme actually receives: IBIS
werklocaties exports (the national register of business parks), OpenStreetMap
``landuse=industrial`` extracts, and plain "name + outline" files drawn by a
municipality. All three arrive in whatever CRS the sender used, with the
usual defects (self-touching rings, empty RIN numbers, a layer in the wrong
CRS). The rules, all documented in ``docs/import-parks.md``:

* Whole file or nothing: the file is read, every row checked and matched
  first; only then is anything written, in one transaction. A file that
  cannot be read at all raises :class:`ImportFileError` and changes nothing.
* Idempotent: a row is matched to an existing park by its external id
  (``ParkIdentifier``); a row without a trustworthy id matches a park whose
  outline overlaps it strongly (intersection over union >= 0.5). Otherwise a
  park is created. Importing the same file twice changes nothing.
* A row that cannot be used is rejected with a reason (Dutch, for the
  operator); the other rows are still imported.
* The import owns only a park's name, outline and external ids. Role, phase,
  organisation degree and description belong to the programme and are never
  overwritten.

The functions here return an :class:`ImportReport`; the management command and
the web upload only present it.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
import shapely.errors
from django.conf import settings
from django.db import transaction
from pyproj import CRS
from pyproj.exceptions import CRSError, ProjError
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from werklandschap.lib import vectorfile
from werklandschap.lib.geo import (
    RD_NEW,
    GeometryError,
    check_within_netherlands,
    clean_polygon,
    reproject,
)

from .models import Municipality, Park, ParkIdentifier, Province
from .services import (
    MATCH_MIN_IOU,
    assign_areas,
    outline_overlap,
    park_matching_outline,
    unique_park_slug,
)

logger = logging.getLogger("werklandschap.registry.import")

SOURCES = ("auto", "ibis", "osm", "plain")
SUPPORTED_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".zip"}

# A row without a trustworthy id is the same park as an existing one when
# their outlines overlap at least MATCH_MIN_IOU (registry.services, the one
# "same park" rule shared with the sign-up).
# A park may lie this far outside the (generalised) provincial outlines and
# still count as Dutch: CBS generalised the coast and borders by up to ~100 m.
PROVINCE_TOLERANCE_M = 250.0
# Two outlines closer than this (1 mm) in every vertex are the same outline.
GEOMETRY_TOLERANCE_M = 0.001

# IBIS werklocaties attribute names (shared/data/README.md).
IBIS_FIELDS = (
    "RIN_NUMMER", "JAAR", "PLAN_NAAM", "KERN_NAAM", "STATUS", "TER_BEHEER", "HA_BRUTO",
    "HA_NETTO", "HA_UITGEG", "WLOC_TYPE", "PLAN_FASE", "MAX_MILIEU", "VEROUDERD",
    "GEM_CODES", "GEM_NAMEN", "PROV_CODES", "PROV_NAMEN", "COROPCODES", "COROPNAMEN",
)  # fmt: skip
# Id fields of the usual OSM exports: overpass-turbo GeoJSON (@id, id = "way/1"),
# QuickOSM (osm_id + osm_type, full_id = "w1"), GDAL's OSM driver (osm_id for
# relations, osm_way_id for ways), Geofabrik shapefiles (osm_id).
OSM_ID_FIELDS = ("@id", "osm_way_id", "osm_id", "full_id", "id")
OSM_MARKER_FIELDS = {"@id", "osm_id", "osm_way_id", "full_id"}
PLAIN_NAME_FIELDS = ("name", "naam", "terreinnaam", "bedrijventerrein", "terrein", "titel")

SOURCE_LABELS = {
    "ibis": "IBIS werklocaties",
    "osm": "OpenStreetMap",
    "plain": "bestand met naam en geometrie",
}
SCHEMES = {
    "ibis": ParkIdentifier.Scheme.IBIS,
    "osm": ParkIdentifier.Scheme.OSM,
    "plain": ParkIdentifier.Scheme.SOURCE,
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no CRS, wrong fields).

    The message is Dutch and meant for the operator; nothing has been written.
    """


@dataclass
class RowResult:
    """The outcome of one row (feature) of the file; ``row`` counts from 1."""

    row: int
    name: str
    action: str  # created | updated | unchanged | rejected
    park_id: int | None = None
    external_id: str = ""
    reason: str = ""  # why a row was rejected
    notes: list[str] = field(default_factory=list)  # repairs, matches, warnings


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), row by row."""

    path: str
    source: str
    layer: str
    crs: str
    dry_run: bool = False
    rows: list[RowResult] = field(default_factory=list)

    def _with(self, action: str) -> list[RowResult]:
        return [r for r in self.rows if r.action == action]

    @property
    def created(self) -> list[RowResult]:
        return self._with("created")

    @property
    def updated(self) -> list[RowResult]:
        return self._with("updated")

    @property
    def unchanged(self) -> list[RowResult]:
        return self._with("unchanged")

    @property
    def rejected(self) -> list[RowResult]:
        return self._with("rejected")

    def summary_lines(self) -> list[str]:
        """The operator's summary, in Dutch: counts, then each rejection and note."""
        head = "Proefdraai, niets opgeslagen" if self.dry_run else "Import voltooid"
        lines = [
            f"{head}: {Path(self.path).name}, laag '{self.layer}', "
            f"bron: {SOURCE_LABELS.get(self.source, self.source)}, {self.crs}.",
            f"Nieuw: {len(self.created)}, bijgewerkt: {len(self.updated)}, "
            f"ongewijzigd: {len(self.unchanged)}, afgewezen: {len(self.rejected)}.",
        ]
        lines += [f"  Afgewezen rij {r.row} ({r.name or '-'}): {r.reason}" for r in self.rejected]
        lines += [
            f"  Rij {r.row} ({r.name}): {note}"
            for r in self.rows
            if r.action != "rejected"
            for note in r.notes
        ]
        return lines


@dataclass
class ParsedRow:
    """A row that passed every check that needs no database: ready to match."""

    row: int
    name: str
    geometry: MultiPolygon
    scheme: str
    external_id: str | None
    notes: list[str] = field(default_factory=list)
    municipality_code: str = ""  # from the file (IBIS GEM_CODES), used without boundaries
    province_code: str = ""
    description: str = ""


@dataclass
class Mapping:
    """Which column means what, for the detected or chosen source."""

    source: str
    name_field: str | None
    id_field: str | None
    fields: dict[str, str]  # lower-case name -> name as in the file

    def get(self, values: dict[str, object], name: str) -> str:
        """A field's value as trimmed text ("" when the field is absent or empty)."""
        column = self.fields.get(name.lower())
        return _text(values.get(column)) if column else ""


# --------------------------------------------------------------------------- reading


def _text(value: object) -> str:
    """Text of a field value; empty for None/NaN, integral floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        if float(value).is_integer():
            return str(int(value))
    return str(value).strip()


# The team imports national files (IBIS: ~4,000 parks); the caps only stop a file
# that cannot be a park register (a national land-use map, a zip bomb).
TEAM_IMPORT_LIMITS = vectorfile.Limits(
    max_bytes=2 * 1024**3,
    max_unpacked_bytes=4 * 1024**3,
    max_features=200_000,
    max_vertices=50_000_000,
)


def _choose_layer(
    path: Path, layer: str | None, limits: vectorfile.Limits, *, detail: bool = True
) -> str:
    try:
        layers = vectorfile.list_layers(path, limits)
    except vectorfile.VectorFileError as exc:
        raise ImportFileError(str(exc)) from exc
    names = [name for name, _kind in layers]
    if not names:
        raise ImportFileError(f"{path.name} bevat geen (leesbare) laag met objecten.")
    if layer:
        if layer not in names:
            raise ImportFileError(
                f"Laag '{layer}' bestaat niet in {path.name}; lagen: {', '.join(names)}."
            )
        return layer
    if len(layers) == 1:
        return names[0]
    polygonal = [name for name, kind in layers if "polygon" in kind.lower()]
    if len(polygonal) == 1:
        return polygonal[0]
    if not detail:  # layer names are the file's content: not repeated to the public
        raise ImportFileError(
            f"{path.name} heeft meerdere lagen; bewaar alleen de laag met de begrenzing."
        )
    raise ImportFileError(
        f"{path.name} heeft meerdere lagen ({', '.join(names) or 'geen'}); kies er een met --layer."
    )


def _read(path: Path, layer: str, limits: vectorfile.Limits) -> vectorfile.VectorLayer:
    """The layer, read by :mod:`werklandschap.lib.vectorfile` (never by GDAL: it follows
    references in VRT and SQLite files, see docs/security.md)."""
    try:
        return vectorfile.read_layer(path, limits, layer)
    except vectorfile.VectorFileError as exc:
        raise ImportFileError(str(exc)) from exc


def _source_crs(path: Path, data: vectorfile.VectorLayer) -> str:
    """The file's CRS; GeoJSON without one is WGS84 by its specification (RFC 7946)."""
    if data.crs:
        return data.crs
    hint = " (ontbreekt het .prj-bestand?)" if data.kind != vectorfile.GEOPACKAGE else ""
    raise ImportFileError(
        f"{path.name} heeft geen coördinatenstelsel{hint}. Zonder weten we niet waar de "
        "terreinen liggen; exporteer opnieuw met coördinatenstelsel, bij voorkeur "
        "RD New (EPSG:28992)."
    )


def _check_coordinates_fit(
    path: Path, crs: str, geometries: Sequence[BaseGeometry | None], *, detail: bool = True
):
    """Refuse a file whose coordinates cannot be in its CRS (e.g. metres declared as degrees).

    Typical case: a GeoJSON in RD New without a ``crs`` member. Each row would
    be rejected as "outside the Netherlands"; one clear file-level message helps more.
    """
    parsed = CRS.from_user_input(crs)
    if not parsed.is_geographic:
        return
    present = [g for g in geometries if g is not None and not g.is_empty]
    if not present:
        return
    minx, miny, maxx, maxy = shapely.total_bounds(present)
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        # Coordinates of a file from the public are never echoed (they could carry data).
        example = f" (b.v. {minx:.0f}, {miny:.0f})" if detail else ""
        raise ImportFileError(
            f"{path.name}: de coördinaten{example} zijn geen graden, maar "
            f"het bestand zegt {crs}. Staan ze in RD New? Geef dan het coördinatenstelsel "
            "mee in het bestand (GeoJSON: 'crs'-lid, of exporteer als GeoPackage)."
        )


# --------------------------------------------------------------------------- mapping


def detect_source(field_names: Iterable[str]) -> str:
    """Guess the source from the field names: ibis, osm or plain."""
    lower = {name.lower() for name in field_names}
    ibis = {name.lower() for name in IBIS_FIELDS}
    if "rin_nummer" in lower or len(lower & ibis) >= 3:
        return "ibis"
    if lower & OSM_MARKER_FIELDS or {"id", "landuse"} <= lower:
        return "osm"
    return "plain"


def build_mapping(
    field_names: Sequence[str],
    source: str = "auto",
    *,
    name_field: str | None = None,
    id_field: str | None = None,
) -> Mapping:
    """Resolve which columns hold the name and the id; raise if the file lacks them."""
    fields = {name.lower(): name for name in field_names}
    available = ", ".join(field_names) or "geen"
    for option, value in (("--name-field", name_field), ("--id-field", id_field)):
        if value and value.lower() not in fields:
            raise ImportFileError(f"Veld '{value}' ({option}) ontbreekt; velden: {available}.")
    if source not in SOURCES:
        raise ImportFileError(f"Onbekende bron '{source}'; kies uit {', '.join(SOURCES)}.")
    if source == "auto":
        source = detect_source(field_names)

    def first(candidates: Iterable[str]) -> str | None:
        return next((fields[c.lower()] for c in candidates if c.lower() in fields), None)

    if source == "ibis":
        name = fields[name_field.lower()] if name_field else first(["PLAN_NAAM", "KERN_NAAM"])
        ident = fields[id_field.lower()] if id_field else first(["RIN_NUMMER"])
        if name is None or ident is None:
            raise ImportFileError(
                "Dit lijkt geen IBIS-bestand: verwacht RIN_NUMMER en PLAN_NAAM of KERN_NAAM; "
                f"velden: {available}."
            )
    elif source == "osm":
        name = fields[name_field.lower()] if name_field else first(["name"])
        ident = fields[id_field.lower()] if id_field else first(OSM_ID_FIELDS)
        if ident is None:
            raise ImportFileError(
                "Dit lijkt geen OSM-export: geen id-veld (@id, id, osm_id, osm_way_id of "
                f"full_id); gebruik --id-field. Velden: {available}."
            )
    else:
        name = fields[name_field.lower()] if name_field else first(PLAIN_NAME_FIELDS)
        ident = fields[id_field.lower()] if id_field else None
    if name is None:
        raise ImportFileError(
            f"Geen naamveld gevonden (verwacht: {', '.join(PLAIN_NAME_FIELDS)}); "
            f"gebruik --name-field. Velden: {available}."
        )
    return Mapping(source=source, name_field=name, id_field=ident, fields=fields)


def normalise_rin(raw: str) -> str | None:
    """An IBIS RIN number as digits without leading zeros; None when not an identifier.

    Real exports leave RIN_NUMMER empty, 0 or a placeholder ("-", "n.v.t.");
    matching on those would merge unrelated parks.
    """
    raw = raw.strip()
    if not raw.isdigit() or int(raw) == 0:
        return None
    return str(int(raw))


_OSM_PREFIX = {"n": "node", "w": "way", "r": "relation"}


def normalise_osm_id(raw: str, osm_type: str = "", *, relation_field: bool = False) -> str | None:
    """An OSM id as ``way/123`` or ``relation/123`` where the type is known, else ``123``.

    Accepts "way/123" (overpass), "w123" (QuickOSM full_id), a number with a
    type column, a negative number (osm2pgsql: relation), or GDAL's ``osm_id``
    next to ``osm_way_id`` (which then holds a relation id).
    """
    raw = raw.strip().lower()
    if m := re.fullmatch(r"(node|way|relation)/(\d+)", raw):
        return f"{m[1]}/{int(m[2])}" if int(m[2]) else None
    if m := re.fullmatch(r"([nwr])(\d+)", raw):
        return f"{_OSM_PREFIX[m[1]]}/{int(m[2])}" if int(m[2]) else None
    if not re.fullmatch(r"-?\d+", raw) or int(raw) == 0:
        return None
    number = int(raw)
    osm_type = osm_type.strip().lower()
    if number < 0 or relation_field:
        return f"relation/{abs(number)}"
    if osm_type in {"node", "way", "relation"}:
        return f"{osm_type}/{number}"
    return str(number)


def _external_id(mapping: Mapping, values: dict[str, object]) -> str | None:
    if mapping.id_field is None:
        return None
    raw = _text(values.get(mapping.id_field))
    if mapping.source == "ibis":
        return normalise_rin(raw)
    if mapping.source == "osm":
        field_lower = mapping.id_field.lower()
        if field_lower in {"osm_id", "osm_way_id"} and {"osm_id", "osm_way_id"} <= set(
            mapping.fields
        ):
            # GDAL's OSM driver: a row has either a way id or a relation id.
            if way := mapping.get(values, "osm_way_id"):
                return normalise_osm_id(way, "way")
            return normalise_osm_id(mapping.get(values, "osm_id"), relation_field=True)
        if field_lower == "osm_way_id":
            return normalise_osm_id(raw, "way")
        return normalise_osm_id(raw, mapping.get(values, "osm_type"))
    return raw[:100] or None


def _codes(raw: str, prefix: str, width: int) -> list[str]:
    """CBS codes from an IBIS list field ("0503,0518" or "GM0503") as GM0503 / PV28."""
    codes = []
    for part in re.split(r"[,;/\s]+", raw.upper()):
        digits = part.removeprefix(prefix)
        if digits.isdigit() and int(digits):
            codes.append(f"{prefix}{int(digits):0{width}d}")
    return codes


def _fmt_ha(value: float) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


# --------------------------------------------------------------------------- row checks


class AreaOutOfRange(GeometryError):
    """An outline outside PARK_MIN/MAX_AREA_HA; carries the figures so that a caller
    (the sign-up's drawn outline) can say it in its own words."""

    def __init__(self, message: str, *, area_ha: float, min_ha: float, max_ha: float) -> None:
        super().__init__(message)
        self.area_ha, self.min_ha, self.max_ha = area_ha, min_ha, max_ha


@dataclass
class _Limits:
    min_ha: float
    max_ha: float
    provinces: shapely.STRtree | None


def _limits() -> _Limits:
    geoms = [p.geometry for p in Province.objects.exclude(geometry=None) if p.geometry is not None]
    return _Limits(
        min_ha=float(settings.PARK_MIN_AREA_HA),
        max_ha=float(settings.PARK_MAX_AREA_HA),
        provinces=shapely.STRtree(geoms) if geoms else None,
    )


# Self-crossings an invalid outline may have and still be repaired by make_valid. Its
# cost grows much faster than the crossings: a 201-vertex star polygon (~20,000
# crossings) took 115 s, 5,000 stacked squares (20,000 vertices) ran out of memory;
# 200 crossings take well under 0.1 s. A real outline has a handful at most.
MAX_REPAIR_CROSSINGS = 200
# GEOS's validity check compares segments whose boxes overlap: a valid 20,000-vertex
# outline of long parallel strips (every box overlaps every other) took 3 s per check.
# A real outline's segments are short and overlap a few neighbours' boxes.
MAX_OVERLAPS_PER_SEGMENT = 20
_CROSSING_CHUNK = 64


def _check_checkable(geom_rd: BaseGeometry) -> None:
    """Refuse an outline whose validity check or repair would take unbounded time.

    Counts pairs of ring segments whose boxes overlap with a spatial index, a chunk
    at a time, stopping as soon as there are more than MAX_OVERLAPS_PER_SEGMENT per
    segment; and pairs that touch or cross (neighbours in a ring excepted): an
    invalid outline with more than MAX_REPAIR_CROSSINGS is not given to make_valid.
    """
    rings = shapely.get_rings(shapely.get_parts(shapely.remove_repeated_points(geom_rd)))
    starts, ends, ring_of, first, last = [], [], [], [], []
    offset = 0
    for number, ring in enumerate(rings):
        coords = shapely.get_coordinates(ring)
        count = len(coords) - 1
        if count < 1:
            continue
        starts.append(coords[:-1])
        ends.append(coords[1:])
        ring_of.append(np.full(count, number))
        first.append(np.full(count, offset))
        last.append(np.full(count, offset + count - 1))
        offset += count
    if not offset:
        return
    segments = shapely.linestrings(np.stack([np.concatenate(starts), np.concatenate(ends)], axis=1))
    ring_of, first, last = np.concatenate(ring_of), np.concatenate(first), np.concatenate(last)
    tree = shapely.STRtree(segments)
    overlaps_allowed = MAX_OVERLAPS_PER_SEGMENT * len(segments) + 10_000
    overlaps = crossings = 0
    for start in range(0, len(segments), _CROSSING_CHUNK):
        left, right = tree.query(segments[start : start + _CROSSING_CHUNK])
        overlaps += len(left)
        if overlaps > overlaps_allowed:
            raise GeometryError(
                "De begrenzing is te ingewikkeld om te controleren (veel lange lijnstukken "
                "die elkaar overlappen); vereenvoudig de begrenzing en probeer het opnieuw."
            )
        left = left + start
        keep = right > left
        left, right = left[keep], right[keep]
        neighbours = (ring_of[left] == ring_of[right]) & (
            (right - left == 1) | ((left == first[left]) & (right == last[left]))
        )
        left, right = left[~neighbours], right[~neighbours]
        crossings += int(shapely.intersects(segments[left], segments[right]).sum())
    if crossings > MAX_REPAIR_CROSSINGS and not geom_rd.is_valid:
        raise GeometryError(
            "Ongeldige geometrie: de omtrek kruist zichzelf te vaak om automatisch te "
            "herstellen. Herstel de begrenzing in uw GIS-programma en probeer het opnieuw."
        )


def _check_geometry(
    geom: BaseGeometry | None, crs: str, limits: _Limits, *, detail: bool = True
) -> tuple[MultiPolygon, list[str]]:
    """Reproject, check and repair one outline; :class:`GeometryError` says why not."""
    if geom is None or geom.is_empty:
        raise GeometryError("Geen geometrie.")
    if geom.geom_type not in {"Polygon", "MultiPolygon"}:
        raise GeometryError(f"Geometrie is een {geom.geom_type}, geen vlak (polygoon).")
    try:
        rd = reproject(shapely.force_2d(geom), crs, RD_NEW)
    except (shapely.errors.GEOSException, ProjError, CRSError):
        # A ring that came out of pyproj as NaN; a CRS PROJ cannot transform to RD New.
        rd = None
    if rd is None or not np.isfinite(shapely.get_coordinates(rd)).all():
        # A WKT from a file from the public is not repeated (it is the file's content).
        source = crs if detail or crs.startswith("EPSG:") else "het coördinatenstelsel"
        raise GeometryError(
            f"Geometrie is niet om te rekenen van {source} naar RD New; ligt buiten Nederland "
            "of het coördinatenstelsel van het bestand klopt niet."
        )
    check_within_netherlands(rd, detail=detail)
    _check_checkable(rd)
    try:
        cleaned = clean_polygon(rd)
    except GeometryError as exc:
        if detail:
            raise
        # GEOS's reason names the point ("Self-intersection[85400 446150]"); the public
        # gets the reason without it.
        raise GeometryError(re.sub(r"\[[^\]]*\]", "", str(exc))) from exc
    outline = cleaned.geometry
    if limits.provinces is not None and not len(
        limits.provinces.query(outline, predicate="dwithin", distance=PROVINCE_TOLERANCE_M)
    ):
        raise GeometryError("Geometrie ligt buiten Nederland (in geen enkele provincie).")
    area_ha = outline.area / 10_000
    figures = {"area_ha": area_ha, "min_ha": limits.min_ha, "max_ha": limits.max_ha}
    if area_ha < limits.min_ha:
        raise AreaOutOfRange(
            f"Te klein: {_fmt_ha(area_ha)} ha (minimum {_fmt_ha(limits.min_ha)} ha).", **figures
        )
    if area_ha > limits.max_ha:
        raise AreaOutOfRange(
            f"Te groot: {_fmt_ha(area_ha)} ha (maximum {_fmt_ha(limits.max_ha)} ha); "
            "controleer het coördinatenstelsel en of dit één terrein is.",
            **figures,
        )
    return outline, [cleaned.note] if cleaned.repaired else []


def check_outline(geom: BaseGeometry | None, crs: str) -> tuple[MultiPolygon, list[str]]:
    """The registry's rules for one park outline, for callers outside the import.

    Reprojects to RD New, repairs trivial faults, and refuses what lies outside
    the Netherlands or has an implausible size (:class:`GeometryError`). The
    sign-up form uses it so a drawn or uploaded outline meets the same rules as
    an imported one. Its messages repeat no coordinates: the outline comes from
    the public, and an error must not echo what a file made GDAL or PROJ read.
    """
    return _check_geometry(geom, crs, _limits(), detail=False)


def read_geometries(path: Path, limits: vectorfile.Limits) -> tuple[str, list[BaseGeometry | None]]:
    """CRS and geometries of the first polygon layer of a file from the public.

    Raises :class:`ImportFileError` with a plain message for unreadable files,
    a missing CRS or coordinates that do not fit the stated CRS; the message
    repeats nothing read from the file.
    """
    layer = _choose_layer(path, None, limits, detail=False)
    data = _read(path, layer, limits)
    crs = _source_crs(path, data)
    _check_coordinates_fit(path, crs, data.geometries, detail=False)
    return crs, data.geometries


def _ibis_details(
    mapping: Mapping, values: dict[str, object], area_ha: float
) -> tuple[str, list[str]]:
    """Description for a new park and notes on figures the file disagrees with."""
    parts = [
        f"{label}: {value}"
        for label, key in (("kern", "KERN_NAAM"), ("type", "WLOC_TYPE"), ("jaar", "JAAR"))
        if (value := mapping.get(values, key)) and value != "0"
    ]
    description = f"Uit IBIS werklocaties ({', '.join(parts)})." if parts else ""
    notes = []
    stated = mapping.get(values, "HA_BRUTO").replace(",", ".")
    try:
        stated_ha = float(stated) if stated else 0.0
    except ValueError:
        stated_ha = 0.0
    if stated_ha > 0 and abs(stated_ha - area_ha) > 0.25 * max(stated_ha, area_ha):
        notes.append(
            f"HA_BRUTO {_fmt_ha(stated_ha)} ha wijkt af van de geometrie ({_fmt_ha(area_ha)} ha); "
            "de oppervlakte uit de geometrie is gebruikt."
        )
    return description, notes


def parse_rows(
    path: Path,
    *,
    source: str = "auto",
    layer: str | None = None,
    name_field: str | None = None,
    id_field: str | None = None,
) -> tuple[ImportReport, list[ParsedRow]]:
    """Read and check the whole file without writing anything.

    Returns the report (holding the rejected rows so far) and the usable rows.
    Raises :class:`ImportFileError` when the file as a whole is unusable.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"Bestand niet gevonden: {path}")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ImportFileError(
            f"{path.name}: niet-ondersteund bestandstype; gebruik GeoJSON (.geojson/.json), "
            "GeoPackage (.gpkg) of Shapefile (.shp, of ingepakt als .zip)."
        )
    layer = _choose_layer(path, layer, TEAM_IMPORT_LIMITS)
    data = _read(path, layer, TEAM_IMPORT_LIMITS)
    values, geometries = data.rows, data.geometries
    if not values:
        raise ImportFileError(f"{path.name}: laag '{layer}' bevat geen objecten.")
    crs = _source_crs(path, data)
    mapping = build_mapping(data.fields, source, name_field=name_field, id_field=id_field)
    _check_coordinates_fit(path, crs, geometries)

    report = ImportReport(path=str(path), source=mapping.source, layer=layer, crs=crs)
    limits = _limits()
    scheme = SCHEMES[mapping.source]
    parsed: list[ParsedRow] = []
    seen_ids: dict[str, int] = {}
    for number, (geom, row) in enumerate(zip(geometries, values, strict=True), start=1):
        name = _row_name(mapping, row)
        external_id = _external_id(mapping, row)

        def reject(reason: str, *, _n=number, _name=name, _id=external_id) -> None:
            report.rows.append(
                RowResult(_n, _name, "rejected", external_id=_id or "", reason=reason)
            )

        if mapping.source == "osm" and (use := mapping.get(row, "landuse")) and use != "industrial":
            reject(f"landuse={use}, geen bedrijventerrein (landuse=industrial).")
            continue
        if not name:
            reject(f"Geen naam (veld {mapping.name_field} is leeg).")
            continue
        try:
            outline, notes = _check_geometry(geom, crs, limits)
        except GeometryError as exc:
            reject(str(exc))
            continue
        if external_id is not None and external_id in seen_ids:
            reject(f"Kenmerk {external_id} staat ook in rij {seen_ids[external_id]}.")
            continue
        if external_id is not None:
            seen_ids[external_id] = number
        elif mapping.id_field and mapping.source != "plain":
            raw = _text(row.get(mapping.id_field))
            notes.append(
                f"{mapping.id_field} '{raw}' is geen bruikbaar kenmerk; gekoppeld op geometrie."
                if raw
                else f"{mapping.id_field} is leeg; gekoppeld op geometrie."
            )
        area_ha = outline.area / 10_000
        description, extra = (
            _ibis_details(mapping, row, area_ha) if mapping.source == "ibis" else ("", [])
        )
        parsed.append(
            ParsedRow(
                row=number,
                name=name[:200],
                geometry=outline,
                scheme=scheme,
                external_id=external_id,
                notes=notes + extra,
                municipality_code=next(iter(_codes(mapping.get(row, "GEM_CODES"), "GM", 4)), ""),
                province_code=next(iter(_codes(mapping.get(row, "PROV_CODES"), "PV", 2)), ""),
                description=description,
            )
        )
    return report, parsed


def _row_name(mapping: Mapping, row: dict[str, object]) -> str:
    name = _text(row.get(mapping.name_field)) if mapping.name_field else ""
    if not name and mapping.source == "ibis" and (kern := mapping.get(row, "KERN_NAAM")):
        rin = normalise_rin(mapping.get(row, "RIN_NUMMER"))
        name = f"{kern} (RIN {rin})" if rin else ""
    from werklandschap.lib.text import clean_name  # bidi overrides, zero-width characters

    return clean_name(name)


# --------------------------------------------------------------------------- matching


@dataclass
class _Plan:
    parsed: ParsedRow
    action: str  # created | updated | unchanged
    park: Park | None = None
    add_identifier: bool = False


def _same_outline(a: BaseGeometry | None, b: BaseGeometry) -> bool:
    if a is None:
        return False
    return bool(
        shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), GEOMETRY_TOLERANCE_M)
    )


def _existing_by_id(rows: list[ParsedRow]) -> dict[tuple[str, str], Park]:
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.external_id:
            wanted.setdefault(row.scheme, set()).add(row.external_id)
    found: dict[tuple[str, str], Park] = {}
    for scheme, values in wanted.items():
        ordered = sorted(values)
        for start in range(0, len(ordered), 500):  # stay under SQLite's variable limit
            chunk = ordered[start : start + 500]
            qs = ParkIdentifier.objects.filter(scheme=scheme, value__in=chunk).select_related(
                "park"
            )
            found.update({(scheme, ident.value): ident.park for ident in qs})
    return found


def plan_rows(report: ImportReport, rows: list[ParsedRow]) -> list[_Plan]:
    """Match each usable row to an existing park (by id, else by overlap) or plan a new one.

    Rows that would be the same park as an earlier row of the file are
    rejected here, so the file never creates a park twice.
    """
    by_id = _existing_by_id(rows)
    claimed: dict[int, int] = {}  # park pk -> row number that matched it
    new_outlines: list[tuple[int, BaseGeometry]] = []
    plans: list[_Plan] = []
    for row in rows:
        park = by_id.get((row.scheme, row.external_id)) if row.external_id else None
        matched_by = "kenmerk" if park else ""
        if park is None:
            # A row with an id of its own is never the duplicate of a park another
            # row already matched (the register says they differ); a row without
            # one whose best match is such a park is a duplicate, however the file
            # is ordered, which keeps a re-import's outcome equal to the first.
            park, iou = _match_by_geometry(row, skip=claimed if row.external_id else {})
            matched_by = f"geometrie (overlap {iou:.0%})" if park else ""
        if park is not None and park.pk in claimed:
            report.rows.append(_rejected(row, f"Zelfde terrein als rij {claimed[park.pk]}."))
            continue
        if park is None and row.external_id is None:
            twin = next(
                (n for n, g in new_outlines if outline_overlap(g, row.geometry) >= MATCH_MIN_IOU),
                None,
            )
            if twin is not None:
                report.rows.append(
                    _rejected(row, f"Overlapt sterk met rij {twin}; zelfde terrein twee keer?")
                )
                continue
        if park is None:
            new_outlines.append((row.row, row.geometry))
            plans.append(_Plan(row, "created", add_identifier=row.external_id is not None))
            continue
        claimed[park.pk] = row.row
        add_identifier = row.external_id is not None and matched_by != "kenmerk"
        if matched_by != "kenmerk":
            row.notes.append(f"Gekoppeld aan bestaand terrein '{park.name}' op {matched_by}.")
        changed = add_identifier or park.name != row.name
        changed = changed or not _same_outline(park.geometry, row.geometry)
        plans.append(_Plan(row, "updated" if changed else "unchanged", park, add_identifier))
    return plans


def _rejected(row: ParsedRow, reason: str) -> RowResult:
    return RowResult(
        row.row, row.name, "rejected", external_id=row.external_id or "", reason=reason
    )


def _match_by_geometry(row: ParsedRow, *, skip: Container[int]) -> tuple[Park | None, float]:
    """The existing park ``row`` describes (``registry.services.park_matching_outline``).

    For a row with an id, parks that already carry a different id of the same
    register are left out: by that register they are another park.
    """
    scheme = row.scheme if row.external_id is not None else None
    return park_matching_outline(row.geometry, exclude_scheme=scheme, skip=skip)


# --------------------------------------------------------------------------- writing


def _apply_area_hints(park: Park, row: ParsedRow) -> None:
    """Without loaded boundaries, use the municipality/province the file states (IBIS)."""
    if assign_areas(park):
        return
    municipality = (
        Municipality.objects.select_related("province", "region")
        .filter(code=row.municipality_code)
        .first()
        if row.municipality_code
        else None
    )
    if municipality is not None:
        park.municipality = municipality
        park.province = municipality.province or park.province
        park.region = municipality.region or park.region
    elif row.province_code:
        park.province = Province.objects.filter(code=row.province_code).first() or park.province


def _write(report: ImportReport, plans: list[_Plan], label: str) -> None:
    for plan in plans:
        row = plan.parsed
        result = RowResult(row.row, row.name, plan.action, external_id=row.external_id or "")
        result.notes = row.notes
        if plan.action != "unchanged" and not report.dry_run:
            park = plan.park or Park(
                name=row.name, slug=unique_park_slug(row.name), description=row.description
            )
            park.name = row.name
            park.geometry = row.geometry
            park.source = f"{label}: {Path(report.path).name}"[:300]
            _apply_area_hints(park, row)
            park.save()
            if plan.add_identifier:
                ParkIdentifier.objects.create(park=park, scheme=row.scheme, value=row.external_id)
            result.park_id = park.pk
        elif plan.park is not None:
            result.park_id = plan.park.pk
        report.rows.append(result)


def import_parks(
    path: Path | str,
    *,
    source: str = "auto",
    layer: str | None = None,
    name_field: str | None = None,
    id_field: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import park outlines from ``path``; see the module docstring for the rules.

    Raises :class:`ImportFileError` if the file cannot be used at all; in that
    case (and in a dry run) the database is unchanged.
    """
    report, rows = parse_rows(
        Path(path), source=source, layer=layer, name_field=name_field, id_field=id_field
    )
    report.dry_run = dry_run
    with transaction.atomic():
        plans = plan_rows(report, rows)
        _write(report, plans, SOURCE_LABELS[report.source])
        if dry_run:
            transaction.set_rollback(True)
    report.rows.sort(key=lambda r: r.row)
    for result in report.rejected:
        logger.warning(
            "import %s row %d (%s) rejected: %s",
            report.path,
            result.row,
            result.name,
            result.reason,
        )
    logger.info(
        "import %s%s: %d created, %d updated, %d unchanged, %d rejected",
        report.path,
        " (dry run)" if dry_run else "",
        len(report.created),
        len(report.updated),
        len(report.unchanged),
        len(report.rejected),
    )
    return report
