"""Read vector files that come from outside the platform, without GDAL.

A park outline uploaded by the public and a park file imported by the team
are data from people we do not control. GDAL is the wrong tool to open them:
it chooses a driver by the content, not by the extension, and several of its
drivers follow references. An ``OGRVRTDataSource`` XML file named
``park.geojson`` names another data source (``CSV:/etc/passwd``, the SQLite
database, ``/vsicurl/https://...``) and GDAL opens it; that is how the first
slice leaked the session table through the sign-up form (issue 14).

This module therefore reads the three formats the platform accepts with
readers that cannot follow anything:

* GeoJSON with Python's :mod:`json` (RFC 7946; the legacy ``crs`` member is
  accepted only as a named EPSG or CRS84 code, never as a link);
* GeoPackage with Python's :mod:`sqlite3`, opened read-only and immutable,
  with an authorizer that allows only reading tables and ``count``, and the
  geometry blobs decoded here (GeoPackage 1.x, clause 2.1.3);
* Shapefile, zipped or (for operators) as ``.shp`` with its sidecar files,
  with pyshp (pure Python), members taken from the zip in memory.

The format is sniffed from the first bytes and must match the extension.
Every read is capped before and while reading (bytes, unpacked bytes, zip
members, features, vertices) by :class:`Limits`. Errors are
:class:`VectorFileError` with a Dutch message that never repeats data read
from the file (no coordinates, no field values), so a refused file cannot
be used to read anything back.
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import math
import re
import sqlite3
import stat
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import shapefile  # pyshp
import shapely
import shapely.errors
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)
from shapely.geometry import shape as geometry_from_interface
from shapely.geometry.base import BaseGeometry

logger = logging.getLogger("werklandschap.vectorfile")

WGS84 = "EPSG:4326"

GEOJSON, GEOPACKAGE, ZIPPED_SHAPEFILE, SHAPEFILE = "geojson", "gpkg", "zip", "shp"
# Which extensions may hold which sniffed format.
SUFFIX_KINDS = {
    ".geojson": GEOJSON,
    ".json": GEOJSON,
    ".gpkg": GEOPACKAGE,
    ".zip": ZIPPED_SHAPEFILE,
    ".shp": SHAPEFILE,
}
KIND_LABELS = {
    GEOJSON: "GeoJSON",
    GEOPACKAGE: "GeoPackage",
    ZIPPED_SHAPEFILE: gettext_lazy("ingepakte Shapefile"),
    SHAPEFILE: "Shapefile",
}

_SQLITE_MAGIC = b"SQLite format 3\x00"
# GeoPackage application ids: "GPKG" (1.2 and later), "GP10", "GP11" (1.0, 1.1).
_GPKG_APPLICATION_IDS = {0x47504B47, 0x47503130, 0x47503131}
_SHP_MAGIC = b"\x00\x00\x27\x0a"  # file code 9994, big-endian
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# Shapefile parts read from a zip or beside a .shp; everything else is ignored.
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_SIDECAR_MAX_BYTES = 64 * 1024  # .prj and .cpg are a few hundred bytes
_CODEPAGES = {
    "utf-8", "utf8", "latin1", "latin-1", "iso-8859-1", "iso8859-1", "iso-8859-15",
    "cp1252", "windows-1252", "ascii", "us-ascii", "cp850",
}  # fmt: skip


class VectorFileError(ValueError):
    """A file that cannot be read safely; the message is Dutch and names no file content."""


@dataclass(frozen=True)
class Limits:
    """Caps checked before and while reading; a file over any of them is refused."""

    max_bytes: int  # the file as stored (the upload, the zip, the .shp)
    max_unpacked_bytes: int  # everything read out of a zip together
    max_features: int
    max_vertices: int  # over all features together
    max_zip_members: int = 32
    # Shapefile polygon rings over all features together: pyshp sorts holes into shells
    # pair by pair in Python, so 4,400 nested rings (20,000 vertices) took 18 s and 250 MB.
    max_rings: int = 1_000_000
    # Columns of a GeoPackage layer (SQLite's own maximum is 2000). Each value may be as
    # long as SQLITE_LIMIT_LENGTH, and a generated column or records sharing overflow
    # pages make a small file yield that for every column of every row.
    max_columns: int = 2000


@dataclass
class VectorLayer:
    """One layer read from a file: geometries (or None) with their attribute rows."""

    name: str
    kind: str  # GEOJSON | GEOPACKAGE | ZIPPED_SHAPEFILE | SHAPEFILE
    crs: str | None  # "EPSG:n", a WKT string, or None when the file has none
    fields: list[str] = field(default_factory=list)
    geometries: list[BaseGeometry | None] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)


# --------------------------------------------------------------------------- entry points


def sniff(path: Path) -> str:
    """The format of ``path`` by its first bytes, which must agree with its extension."""
    path = Path(path)
    expected = SUFFIX_KINDS.get(path.suffix.lower())
    if expected is None:
        raise VectorFileError(
            _(
                "%(name)s: niet-ondersteund bestandstype; gebruik GeoJSON (.geojson/.json), "
                "GeoPackage (.gpkg) of Shapefile (.shp, of ingepakt als .zip)."
            )
            % {"name": path.name}
        )
    with path.open("rb") as fh:
        head = fh.read(128)
    found = _kind_of(head)
    if found != expected:
        raise VectorFileError(
            _(
                "%(name)s is geen leesbaar GeoJSON-, GeoPackage- of Shapefile-bestand (de inhoud "
                "is geen %(kind)s)."
            )
            % {"name": path.name, "kind": KIND_LABELS[expected]}
        )
    return found


def list_layers(path: Path, limits: Limits) -> list[tuple[str, str]]:
    """(name, geometry type) of every vector layer in the file."""
    path = Path(path)
    kind = _checked_kind(path, limits)
    if kind == GEOPACKAGE:
        with _open_geopackage(path, limits) as conn:
            return [(name, gtype) for name, gtype, _col, _srs in _gpkg_layers(conn)]
    return [(path.stem, "Unknown")]


def read_layer(path: Path, limits: Limits, layer: str | None = None) -> VectorLayer:
    """Read one layer (the only one, or ``layer`` of a GeoPackage) within ``limits``."""
    path = Path(path)
    kind = _checked_kind(path, limits)
    try:
        if kind == GEOJSON:
            return _read_geojson(path, limits)
        if kind == GEOPACKAGE:
            return _read_geopackage(path, limits, layer)
        if kind == ZIPPED_SHAPEFILE:
            return _read_shapefile(path.stem, _zip_members(path, limits), limits, ZIPPED_SHAPEFILE)
        return _read_shapefile(path.stem, _sidecars(path, limits), limits, SHAPEFILE)
    except RecursionError as exc:
        # E.g. a GeoJSON nested thousands of levels deep.
        raise VectorFileError(
            _("%(name)s is te diep genest om te lezen.") % {"name": path.name}
        ) from exc
    except MemoryError as exc:
        raise VectorFileError(_("%(name)s is te groot om te lezen.") % {"name": path.name}) from exc


# --------------------------------------------------------------------------- shared checks


def _kind_of(head: bytes) -> str | None:
    if head.startswith(_SQLITE_MAGIC):
        return GEOPACKAGE
    if head.startswith(_ZIP_MAGICS):
        return ZIPPED_SHAPEFILE
    if head.startswith(_SHP_MAGIC):
        return SHAPEFILE
    text = head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    if text.startswith(b"{"):
        return GEOJSON
    return None


def _checked_kind(path: Path, limits: Limits) -> str:
    if not path.is_file():
        raise VectorFileError(_("Bestand niet gevonden: %(name)s") % {"name": path.name})
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise VectorFileError(
            _("%(name)s is te groot (%(size)s MB); het maximum is %(max)s MB.")
            % {
                "name": path.name,
                "size": f"{size / 1_048_576:.1f}",
                "max": f"{limits.max_bytes / 1_048_576:.0f}",
            }
        )
    return sniff(path)


class _Counter:
    """Counts features and vertices against the limits while a file is read."""

    def __init__(self, name: str, limits: Limits):
        self.name, self.limits = name, limits
        self.features = 0
        self.vertices = 0
        self.rings = 0

    def feature(self) -> None:
        self.features += 1
        if self.features > self.limits.max_features:
            raise VectorFileError(
                _(
                    "%(name)s bevat meer dan %(max_features)s objecten; dat is meer dan hier "
                    "gelezen wordt."
                )
                % {"name": self.name, "max_features": self.limits.max_features}
            )

    def add_rings(self, count: int) -> None:
        self.rings += count
        if self.rings > self.limits.max_rings:
            raise VectorFileError(
                _(
                    "%(name)s bevat meer dan %(max_rings)s ringen (losse delen en gaten); "
                    "vereenvoudig de begrenzing en probeer het opnieuw."
                )
                % {"name": self.name, "max_rings": self.limits.max_rings}
            )

    def expect_vertices(self, count: int) -> None:
        """Refuse before parsing when ``count`` more vertices would exceed the limit."""
        if self.vertices + count > self.limits.max_vertices:
            self.add_vertices(count)

    def add_vertices(self, count: int) -> None:
        self.vertices += count
        if self.vertices > self.limits.max_vertices:
            raise VectorFileError(
                _(
                    "%(name)s bevat meer dan %(max_vertices)s hoekpunten; vereenvoudig de "
                    "begrenzing en probeer het opnieuw."
                )
                % {"name": self.name, "max_vertices": self.limits.max_vertices}
            )


# WKT that makes PROJ open a file (or, with PROJ_NETWORK on, a URL) when it builds a
# transformation: a grid named in a PARAMETERFILE, or a "PROJ-based" method whose
# PROJ string names one (+grids=, +nadgrids=, +file= of tinshift). Checked on the
# WKT2 that PROJ writes back, so every spelling of the input ends up here.
_CRS_FILE_REFERENCES = re.compile(r"PARAMETERFILE|PROJ-based|\+\w*grids=|\+file=", re.IGNORECASE)


def _epsg_or_wkt(crs: CRS, name: str = "") -> str | None:
    """'EPSG:n' when PROJ recognises the CRS, else its WKT (how GDAL reports it).

    None for a CRS that places nothing on the earth (GDAL writes "Undefined SRS"
    as a LOCAL_CS when a file has no coordinate system). A CRS whose WKT names a
    file (a grid, a PROJ pipeline step) is refused: PROJ would open that path on
    the server when the outline is reprojected.
    """
    if not (crs.is_geographic or crs.is_projected):
        return None
    code = crs.to_epsg()
    if code:
        return f"EPSG:{code}"
    wkt = crs.to_wkt()
    if not wkt or _CRS_FILE_REFERENCES.search(wkt):
        raise VectorFileError(
            _(
                "%(name)s: het coördinatenstelsel verwijst naar een ander bestand; dat wordt "
                "niet gelezen. Exporteer opnieuw met een EPSG-code, bij voorkeur RD New "
                "(EPSG:28992)."
            )
            % {"name": name}
        )
    return wkt


# --------------------------------------------------------------------------- GeoJSON

_EPSG_NAME = re.compile(r"(?:urn:ogc:def:crs:EPSG:[0-9.]*:|EPSG:)(\d{4,6})", re.IGNORECASE)
_CRS84_NAME = re.compile(r"urn:ogc:def:crs:OGC:1\.3:CRS84|OGC:CRS84|CRS:84", re.IGNORECASE)


def _geojson_crs(data: dict, name: str) -> str:
    """RFC 7946 GeoJSON is WGS84; the pre-2016 ``crs`` member may name an EPSG code."""
    member = data.get("crs")
    if member is None:
        return WGS84
    props = member.get("properties") if isinstance(member, dict) else None
    value = props.get("name") if isinstance(props, dict) else None
    if not (isinstance(member, dict) and member.get("type") == "name" and isinstance(value, str)):
        raise VectorFileError(
            _(
                "%(name)s: het 'crs'-lid wordt niet ondersteund; gebruik een EPSG-code (b.v. "
                "urn:ogc:def:crs:EPSG::28992) of laat het weg voor WGS84."
            )
            % {"name": name}
        )
    if _CRS84_NAME.fullmatch(value.strip()):
        return WGS84
    match = _EPSG_NAME.fullmatch(value.strip())
    if not match:
        raise VectorFileError(
            _("%(name)s: onbekend coördinatenstelsel in het 'crs'-lid.") % {"name": name}
        )
    code = f"EPSG:{int(match[1])}"
    try:
        CRS.from_user_input(code)
    except CRSError as exc:
        raise VectorFileError(
            _("%(name)s: onbekend coördinatenstelsel in het 'crs'-lid.") % {"name": name}
        ) from exc
    return code


def _check_json_containers(raw: bytes, name: str, limits: Limits) -> None:
    """Refuse before parsing when the text holds more arrays and objects than a file within
    the limits can need: ``[],`` is 3 bytes of JSON but a 64-byte Python list, so 5 MB of
    them would take ~120 MB and seconds to parse only to be refused for its vertex count.
    A bracket inside a string counts too; the margin leaves room for that."""
    allowed = 2 * limits.max_vertices + 100 * limits.max_features + 10_000
    if raw.count(b"[") + raw.count(b"{") > allowed:
        raise VectorFileError(
            _("%(name)s is te diep genest of bevat te veel lijsten en objecten om te lezen.")
            % {"name": name}
        )


def _read_geojson(path: Path, limits: Limits) -> VectorLayer:
    name = path.name
    raw = path.read_bytes()
    _check_json_containers(raw, name, limits)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise VectorFileError(
            _(
                "%(name)s is geen leesbaar GeoJSON-, GeoPackage- of Shapefile-bestand (geen "
                "geldige JSON)."
            )
            % {"name": name}
        ) from exc
    if not isinstance(data, dict):
        raise VectorFileError(_("%(name)s is geen GeoJSON (verwacht een object).") % {"name": name})
    crs = _geojson_crs(data, name)
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise VectorFileError(
                _("%(name)s is geen geldige GeoJSON (geen 'features').") % {"name": name}
            )
    elif kind == "Feature":
        features = [data]
    elif kind in _GEOMETRY_TYPES:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        raise VectorFileError(_("%(name)s is geen GeoJSON (onbekend 'type').") % {"name": name})

    counter = _Counter(name, limits)
    layer = VectorLayer(name=path.stem, kind=GEOJSON, crs=crs)
    seen: dict[str, None] = {}
    for number, feature in enumerate(features, start=1):
        counter.feature()
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise VectorFileError(
                _("%(name)s: object %(number)s is geen GeoJSON-Feature.")
                % {"name": name, "number": number}
            )
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise VectorFileError(
                _("%(name)s: object %(number)s heeft ongeldige eigenschappen.")
                % {"name": name, "number": number}
            )
        row = {str(k): _scalar(v) for k, v in props.items()}
        # GDAL exposes a feature's own "id" as a field when the properties lack one;
        # OSM exports (overpass) put the way id there.
        if "id" in feature and "id" not in row:
            row["id"] = _scalar(feature["id"])
        for key in row:
            seen.setdefault(key, None)
        try:
            geometry = _geojson_geometry(feature.get("geometry"), counter)
        except (
            TypeError,
            ValueError,
            IndexError,
            OverflowError,  # an integer of hundreds of digits as a coordinate
            shapely.errors.GEOSException,
        ) as exc:
            if isinstance(exc, VectorFileError):
                raise
            raise VectorFileError(
                _("%(name)s: object %(number)s heeft onleesbare geometrie.")
                % {"name": name, "number": number}
            ) from exc
        layer.geometries.append(geometry)
        layer.rows.append(row)
    layer.fields = list(seen)
    for row in layer.rows:
        for key in layer.fields:
            row.setdefault(key, None)
    return layer


_GEOMETRY_TYPES = {
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    "GeometryCollection",
}  # fmt: skip


def _scalar(value: object) -> object:
    """A property value as GDAL would give it: scalars as they are, the rest as JSON text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _points(coords: object, counter: _Counter, *, min_points: int = 1) -> np.ndarray:
    """An (n, 2) array of finite numbers; extra dimensions (z, m) are dropped."""
    array = np.asarray(coords, dtype=float)
    if array.ndim != 2 or array.shape[1] < 2 or len(array) < min_points:
        raise ValueError("bad coordinate array")
    counter.add_vertices(len(array))
    array = array[:, :2]
    if not np.isfinite(array).all():
        raise ValueError("non-finite coordinate")
    return array


def _polygon(rings: object, counter: _Counter) -> Polygon:
    if not isinstance(rings, list):
        raise ValueError("polygon is not a list of rings")
    if not rings:
        return Polygon()
    shell, *holes = (_points(r, counter, min_points=4) for r in rings)
    return Polygon(shell, holes)


def _geojson_geometry(geom: object, counter: _Counter, depth: int = 0) -> BaseGeometry | None:
    if geom is None:
        return None
    if not isinstance(geom, dict) or depth > 2:
        raise ValueError("not a geometry object")
    kind, coords = geom.get("type"), geom.get("coordinates")
    if kind == "GeometryCollection":
        parts = geom.get("geometries")
        if not isinstance(parts, list):
            raise ValueError("collection without geometries")
        return GeometryCollection([_geojson_geometry(g, counter, depth + 1) for g in parts if g])
    if not isinstance(coords, list):
        raise ValueError("geometry without coordinates")
    if kind == "Point":
        return Point(_points([coords], counter)[0]) if coords else Point()
    if kind == "MultiPoint":
        return MultiPoint(_points(coords, counter)) if coords else MultiPoint()
    if kind == "LineString":
        return LineString(_points(coords, counter, min_points=2)) if coords else LineString()
    if kind == "MultiLineString":
        return MultiLineString([_points(c, counter, min_points=2) for c in coords])
    if kind == "Polygon":
        return _polygon(coords, counter)
    if kind == "MultiPolygon":
        return MultiPolygon([_polygon(p, counter) for p in coords])
    raise ValueError("unknown geometry type")


# --------------------------------------------------------------------------- GeoPackage

_ALLOWED_SQL_FUNCTIONS = {"count"}
# SQLite VM instructions a GeoPackage read may take, per feature allowed, checked every
# _SQL_STEP_INTERVAL instructions. A 110 kB file whose b-tree pages point at the same
# child pages thousands of times holds "billions" of rows: count(*) walked them for
# seconds (3 levels) to hours (4 and more). Reads step row by row under this budget.
_SQL_STEPS_PER_FEATURE = 20_000
_SQL_STEPS_BASE = 2_000_000
_SQL_STEP_INTERVAL = 1_000


def _gpkg_authorizer(action: int, arg1, arg2, _db, _trigger) -> int:
    """Allow only plain reads of tables (and count): no ATTACH, PRAGMA, writes or functions."""
    if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ):
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _ALLOWED_SQL_FUNCTIONS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


class _open_geopackage:
    """A read-only, immutable connection that can only read tables."""

    def __init__(self, path: Path, limits: Limits):
        self.path, self.limits = path, limits

    def __enter__(self) -> sqlite3.Connection:
        name = self.path.name
        with self.path.open("rb") as fh:
            header = fh.read(100)
        (application_id,) = struct.unpack(">I", header[68:72])
        if application_id not in _GPKG_APPLICATION_IDS:
            raise VectorFileError(
                _(
                    "%(name)s is geen leesbaar GeoJSON-, GeoPackage- of Shapefile-bestand "
                    "(SQLite-bestand, maar geen GeoPackage)."
                )
                % {"name": name}
            )
        uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=True)
        except sqlite3.Error as exc:
            raise VectorFileError(
                _("%(name)s is geen leesbare GeoPackage.") % {"name": name}
            ) from exc
        self.conn = conn
        try:
            # Functions in views and triggers of an untrusted schema are never run, the
            # connection cannot write, and no value may be larger than the file limit.
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA query_only = ON")
            # A value needs at most a geometry of max_vertices (16-32 bytes a vertex).
            longest = 40 * self.limits.max_vertices + 65_536
            conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, min(max(longest, 10**6), 10**9))
            conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, self.limits.max_columns)
            conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
            conn.set_authorizer(_gpkg_authorizer)
            budget = _SQL_STEPS_BASE + _SQL_STEPS_PER_FEATURE * self.limits.max_features
            steps = iter(range(budget // _SQL_STEP_INTERVAL))
            # Returning True interrupts the statement (sqlite3.OperationalError).
            conn.set_progress_handler(lambda: next(steps, None) is None, _SQL_STEP_INTERVAL)
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
        except sqlite3.Error as exc:
            conn.close()
            raise VectorFileError(
                _(
                    "%(name)s is geen leesbaar GeoJSON-, GeoPackage- of Shapefile-bestand "
                    "(beschadigde GeoPackage)."
                )
                % {"name": name}
            ) from exc
        return conn

    def __exit__(self, *exc_info) -> None:
        self.conn.close()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


_METADATA_MAX_BYTES = 4 * 1024 * 1024  # the schema and gpkg_* tables of a real file: kBs


def _bounded(cursor: sqlite3.Cursor) -> Iterator[tuple]:
    """Rows of a metadata query, refused once their text passes _METADATA_MAX_BYTES."""
    total = 0
    for row in cursor:
        total += sum(len(v) for v in row if isinstance(v, str | bytes))
        if total > _METADATA_MAX_BYTES:
            raise sqlite3.DatabaseError("metadata larger than a GeoPackage needs")
        yield row


def _gpkg_layers(conn: sqlite3.Connection) -> list[tuple[str, str, str, int]]:
    """(table, geometry type, geometry column, srs id) of each plain feature table."""
    try:
        tables = {
            name: (sql or "")
            for name, sql in _bounded(
                conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'")
            )
        }
        rows = list(
            _bounded(
                conn.execute(
                    "SELECT c.table_name, g.geometry_type_name, g.column_name, g.srs_id "
                    "FROM gpkg_contents c JOIN gpkg_geometry_columns g "
                    "ON g.table_name = c.table_name "
                    "WHERE c.data_type = 'features' ORDER BY c.table_name LIMIT 1000"
                )
            )
        )
    except sqlite3.Error as exc:
        raise VectorFileError(_("De GeoPackage heeft geen geldige inhoudsopgave.")) from exc
    layers = []
    for table, gtype, column, srs_id in rows:
        # Views and virtual tables can stand for other sources (GDAL's VirtualOGR);
        # only plain tables are read.
        sql = tables.get(str(table))
        if sql is None or sql.lstrip().upper().startswith("CREATE VIRTUAL"):
            continue
        layers.append((str(table), str(gtype or "Unknown"), str(column), int(srs_id or 0)))
    return layers


def _gpkg_crs(conn: sqlite3.Connection, srs_id: int, name: str) -> str | None:
    try:
        row = conn.execute(
            "SELECT organization, organization_coordsys_id, definition "
            "FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
            (srs_id,),
        ).fetchone()
    except sqlite3.Error as exc:  # no such table, a damaged page, the step budget
        raise VectorFileError(_("%(name)s: onbekend coördinatenstelsel.") % {"name": name}) from exc
    if row is None or srs_id in (0, -1):  # 0 and -1: "undefined" by the specification
        return None
    organization, code, definition = row
    if str(organization or "").upper() == "EPSG" and isinstance(code, int) and code > 0:
        return f"EPSG:{code}"
    if isinstance(definition, str) and definition.strip() not in ("", "undefined"):
        try:
            return _epsg_or_wkt(CRS.from_wkt(definition), name)
        except CRSError as exc:
            raise VectorFileError(
                _("%(name)s: onbekend coördinatenstelsel.") % {"name": name}
            ) from exc
    return None


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def gpkg_blob_to_wkb(blob: bytes) -> bytes | None:
    """The WKB inside a GeoPackage geometry blob (clause 2.1.3); None for an empty one."""
    if len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    flags = blob[3]
    if flags & 0b0010_0000:
        raise ValueError("extended GeoPackage geometry")
    envelope = _ENVELOPE_BYTES.get((flags >> 1) & 0b111)
    if envelope is None:
        raise ValueError("bad envelope indicator")
    if flags & 0b0001_0000:
        return None
    return bytes(blob[8 + envelope :])


def _read_geopackage(path: Path, limits: Limits, layer: str | None) -> VectorLayer:
    name = path.name
    with _open_geopackage(path, limits) as conn:
        layers = _gpkg_layers(conn)
        chosen = [entry for entry in layers if layer is None or entry[0] == layer]
        if not chosen:
            raise VectorFileError(
                _("%(name)s bevat geen (leesbare) laag met objecten.") % {"name": name}
            )
        table, _gtype, column, srs_id = chosen[0]
        crs = _gpkg_crs(conn, srs_id, name)
        quoted = _quote(table)
        try:
            # Not count(*) of the table: SQLite counts a b-tree in one instruction, which
            # the progress handler cannot interrupt. Stepping at most max + 1 rows is bounded.
            (count,) = conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {quoted} LIMIT ?)",  # noqa: S608
                (limits.max_features + 1,),
            ).fetchone()
            if count > limits.max_features:
                raise VectorFileError(
                    _(
                        "%(name)s bevat meer dan %(max_features)s objecten; dat is meer dan hier "
                        "gelezen wordt."
                    )
                    % {"name": name, "max_features": limits.max_features}
                )
            cursor = conn.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            columns = [d[0] for d in cursor.description]
            out = VectorLayer(name=table, kind=GEOPACKAGE, crs=crs)
            out.fields = [c for c in columns if c != column and c.lower() != "fid"]
            counter = _Counter(name, limits)
            fetched = 0
            for number, values in enumerate(cursor, start=1):
                counter.feature()
                # Values are not bounded by the file: a generated column computes them, and
                # rows can share overflow pages. Stop at what the file could hold unpacked.
                fetched += sum(len(v) for v in values if isinstance(v, str | bytes))
                if fetched > limits.max_unpacked_bytes:
                    raise VectorFileError(
                        _("%(name)s is uitgepakt te groot; het maximum is %(max)s MB.")
                        % {"name": name, "max": f"{limits.max_unpacked_bytes / 1_048_576:.0f}"}
                    )
                record = dict(zip(columns, values, strict=True))
                out.geometries.append(_gpkg_geometry(record.get(column), counter, name, number))
                out.rows.append({f: _gpkg_value(record[f]) for f in out.fields})
        except sqlite3.Error as exc:
            raise VectorFileError(
                _("%(name)s: laag kan niet gelezen worden.") % {"name": name}
            ) from exc
    return out


def _gpkg_value(value: object) -> object:
    return None if isinstance(value, bytes | bytearray | memoryview) else value


# WKB geometry types shapely reads (ISO and EWKB dimension flags stripped): 1 Point ..
# 7 GeometryCollection. Curves (8 and up) make shapely raise NotImplementedError.
_WKB_MAX_DEPTH = 3  # a collection of multipolygons of polygons


def _check_wkb(wkb: bytes) -> int:
    """Vertices in ``wkb``, after checking its structure without building anything.

    GEOS reads nested collections recursively: ~20,000 nested GeometryCollections
    (180 kB) overflow the C stack and kill the worker (SIGSEGV), so depth, types and
    counts are checked here first. Raises ValueError for anything shapely should not see.
    """
    view = memoryview(wkb)

    def geometry(pos: int, depth: int) -> tuple[int, int]:
        if depth > _WKB_MAX_DEPTH or pos + 5 > len(view):
            raise ValueError("WKB nested too deep or truncated")
        order = view[pos]
        if order not in (0, 1):
            raise ValueError("bad WKB byte order")
        endian = "<" if order == 1 else ">"
        (code,) = struct.unpack_from(endian + "I", view, pos + 1)
        pos += 5
        dims = 2
        if code & 0x20000000:  # EWKB SRID follows
            pos += 4
        if code & 0x80000000:
            dims += 1
        if code & 0x40000000:
            dims += 1
        code &= 0x0FFFFFFF
        kind, iso = code % 1000, code // 1000
        if iso not in (0, 1, 2, 3) or not 1 <= kind <= 7:
            raise ValueError("unsupported WKB geometry type")
        dims += {0: 0, 1: 1, 2: 1, 3: 2}[iso]
        dims = min(dims, 4)
        if kind == 1:
            return pos + 8 * dims, 1
        count, pos = _wkb_count(view, pos, endian)
        if kind == 2:
            return _wkb_points(view, pos, count, dims)
        if kind == 3:
            total = 0
            for _ring in range(count):
                points, pos = _wkb_count(view, pos, endian)
                pos, _n = _wkb_points(view, pos, points, dims)
                total += points
            return pos, total
        total = 0
        for _part in range(count):
            pos, n = geometry(pos, depth + 1)
            total += n
        return pos, total

    end, vertices = geometry(0, 0)
    if end > len(view):
        raise ValueError("WKB truncated")
    return vertices


def _wkb_count(view: memoryview, pos: int, endian: str) -> tuple[int, int]:
    if pos + 4 > len(view):
        raise ValueError("WKB truncated")
    (count,) = struct.unpack_from(endian + "I", view, pos)
    # Every element takes at least 4 bytes: a count larger than what is left is a lie.
    if count * 4 > len(view) - pos:
        raise ValueError("WKB count larger than the data")
    return count, pos + 4


def _wkb_points(view: memoryview, pos: int, count: int, dims: int) -> tuple[int, int]:
    end = pos + count * 8 * dims
    if end > len(view):
        raise ValueError("WKB truncated")
    return end, count


def _gpkg_geometry(blob: object, counter: _Counter, name: str, number: int):
    if blob is None:
        return None
    if not isinstance(blob, bytes | bytearray | memoryview):
        raise VectorFileError(
            _("%(name)s: object %(number)s heeft onleesbare geometrie.")
            % {"name": name, "number": number}
        )
    blob = bytes(blob)
    # A WKB coordinate pair takes 16 bytes: refuse before GEOS builds anything big.
    counter.expect_vertices((len(blob) - 8) // 16)
    try:
        wkb = gpkg_blob_to_wkb(blob)
        if wkb is not None:
            counter.expect_vertices(_check_wkb(wkb))
        geometry = None if wkb is None else shapely.from_wkb(wkb)
    except VectorFileError:
        raise
    except (ValueError, struct.error, NotImplementedError, shapely.errors.GEOSException) as exc:
        raise VectorFileError(
            _("%(name)s: object %(number)s heeft onleesbare geometrie.")
            % {"name": name, "number": number}
        ) from exc
    if geometry is not None:
        counter.add_vertices(int(shapely.get_num_coordinates(geometry)))
        geometry = shapely.force_2d(geometry)
        if not geometry.is_empty and not all(math.isfinite(v) for v in geometry.bounds):
            raise VectorFileError(
                _("%(name)s: object %(number)s heeft ongeldige coördinaten.")
                % {"name": name, "number": number}
            )
    return geometry


# --------------------------------------------------------------------------- Shapefile


def _safe_member_name(info: zipfile.ZipInfo) -> PurePosixPath | None:
    """The member's path, or None for a directory; refuses traversal, links and encryption."""
    raw = info.filename
    mode = info.external_attr >> 16
    if "\\" in raw or raw.startswith("/") or re.match(r"^[A-Za-z]:", raw):
        raise VectorFileError(_("Het zip-bestand bevat een ongeldige bestandsnaam."))
    path = PurePosixPath(raw)
    if any(part in ("..", "") for part in path.parts if part != "/"):
        raise VectorFileError(_("Het zip-bestand bevat een ongeldige bestandsnaam."))
    if stat.S_ISLNK(mode):
        raise VectorFileError(_("Het zip-bestand bevat een koppeling; dat wordt niet gelezen."))
    if info.flag_bits & 0x1:
        raise VectorFileError(_("Het zip-bestand is versleuteld."))
    return None if info.is_dir() else path


def _zip_members(path: Path, limits: Limits) -> dict[str, bytes]:
    """The Shapefile parts in a zip, read into memory (never extracted to disk)."""
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise VectorFileError(
            _(
                "%(name)s is geen leesbaar GeoJSON-, GeoPackage- of Shapefile-bestand (beschadigd "
                "zip-bestand)."
            )
            % {"name": name}
        ) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_zip_members:
            raise VectorFileError(
                _(
                    "%(name)s bevat %(count)s bestanden; verwacht alleen de delen van één "
                    "Shapefile (.shp, .shx, .dbf, .prj)."
                )
                % {"name": name, "count": len(infos)}
            )
        members = [(info, _safe_member_name(info)) for info in infos]
        shps = [(i, p) for i, p in members if p is not None and p.suffix.lower() == ".shp"]
        if len(shps) != 1:
            raise VectorFileError(
                _("%(name)s moet precies één Shapefile (.shp) bevatten; gevonden: %(count)s.")
                % {"name": name, "count": len(shps)}
            )
        stem = str(shps[0][1].with_suffix("")).lower()
        wanted = {
            p.suffix.lower(): i
            for i, p in members
            if p is not None
            and p.suffix.lower() in _SHAPEFILE_PARTS
            and str(p.with_suffix("")).lower() == stem
        }
        total = sum(info.file_size for info in wanted.values())
        if total > limits.max_unpacked_bytes:
            raise VectorFileError(
                _("%(name)s is uitgepakt te groot (%(size)s MB); het maximum is %(max)s MB.")
                % {
                    "name": name,
                    "size": f"{total / 1_048_576:.0f}",
                    "max": f"{limits.max_unpacked_bytes / 1_048_576:.0f}",
                }
            )
        parts: dict[str, bytes] = {}
        try:
            for suffix, info in wanted.items():
                cap = _SIDECAR_MAX_BYTES if suffix in (".prj", ".cpg") else info.file_size
                with archive.open(info) as fh:
                    data = fh.read(min(cap, info.file_size) + 1)
                if len(data) > min(cap, info.file_size):
                    raise VectorFileError(
                        _("%(name)s: een onderdeel is groter dan opgegeven.") % {"name": name}
                    )
                parts[suffix] = data
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise VectorFileError(
                _("%(name)s: het zip-bestand kan niet uitgepakt worden.") % {"name": name}
            ) from exc
    return parts


def _sidecars(path: Path, limits: Limits) -> dict[str, bytes]:
    """A .shp on disk with its sidecar files (an operator's file, same caps)."""
    parts: dict[str, bytes] = {}
    siblings = {p.suffix.lower(): p for p in path.parent.glob(path.stem + ".*") if p.is_file()}
    siblings[".shp"] = path
    total = 0
    for suffix in _SHAPEFILE_PARTS:
        sibling = siblings.get(suffix)
        if sibling is None:
            continue
        size = sibling.stat().st_size
        cap = _SIDECAR_MAX_BYTES if suffix in (".prj", ".cpg") else limits.max_bytes
        if size > cap:
            raise VectorFileError(_("%(name)s is te groot.") % {"name": sibling.name})
        total += size
        if total > limits.max_unpacked_bytes:
            raise VectorFileError(
                _("%(name)s is met de bijbehorende bestanden te groot.") % {"name": path.name}
            )
        parts[suffix] = sibling.read_bytes()
    return parts


def _shapefile_crs(parts: dict[str, bytes], name: str) -> str | None:
    prj = parts.get(".prj")
    if not prj:
        return None
    try:
        return _epsg_or_wkt(CRS.from_wkt(prj.decode("latin-1").strip()), name)
    except CRSError as exc:
        message = _("%(name)s: het .prj-bestand beschrijft geen bekend coördinatenstelsel.") % {
            "name": name
        }
        raise VectorFileError(message) from exc


def _shapefile_encoding(parts: dict[str, bytes]) -> str:
    declared = parts.get(".cpg", b"").decode("ascii", "replace").strip().lower()
    return declared if declared in _CODEPAGES else "utf-8"


class _BudgetedShp(io.BytesIO):
    """The .shp for pyshp, refusing reads beyond what ``limits`` can need.

    pyshp reads a whole record (its length is declared in the record header) and
    unpacks every point into Python objects before we can count them: a 20 kB zip
    holding one 20 MB record of 1.2 million points took ~200 MB and 4 s only to be
    refused for its vertex count. A record takes at most 40 bytes per vertex (x, y,
    z, m and a part index) plus a fixed header, so the bytes read are capped by that.
    """

    def __init__(self, data: bytes, counter: _Counter):
        super().__init__(data)
        self.counter = counter
        limits = counter.limits
        self.budget = 100 + 200 * (limits.max_features + 1) + 40 * limits.max_vertices
        self.consumed = 0

    def read(self, size: int | None = -1, /) -> bytes:
        remaining = len(self.getbuffer()) - self.tell()
        wanted = remaining if size is None or size < 0 else min(size, remaining)
        self.consumed += max(wanted, 0)
        if self.consumed > self.budget:
            # Same refusal as counting the vertices after reading would give.
            self.counter.add_vertices(self.counter.limits.max_vertices + 1)
        return super().read(size)


def _read_shapefile(stem: str, parts: dict[str, bytes], limits: Limits, kind: str) -> VectorLayer:
    name = f"{stem}.shp" if kind == SHAPEFILE else f"{stem}.zip"
    if ".shp" not in parts:
        raise VectorFileError(_("%(name)s bevat geen .shp-bestand.") % {"name": name})
    if not parts[".shp"].startswith(_SHP_MAGIC):
        raise VectorFileError(_("%(name)s: het .shp-bestand is geen Shapefile.") % {"name": name})
    crs = _shapefile_crs(parts, name)
    counter = _Counter(name, limits)
    layer = VectorLayer(name=stem, kind=kind, crs=crs)
    try:
        reader = shapefile.Reader(
            shp=_BudgetedShp(parts[".shp"], counter),
            shx=io.BytesIO(parts[".shx"]) if ".shx" in parts else None,
            dbf=io.BytesIO(parts[".dbf"]) if ".dbf" in parts else None,
            encoding=_shapefile_encoding(parts),
            encodingErrors="replace",
        )
        with reader:
            layer.fields = [f[0] for f in reader.fields[1:]] if ".dbf" in parts else []
            for shape, values in _shapes_and_records(reader, layer.fields):
                counter.feature()
                layer.geometries.append(_shape_geometry(shape, counter))
                layer.rows.append(dict(zip(layer.fields, values, strict=True)))
    except VectorFileError:
        raise
    except Exception as exc:  # pyshp raises many kinds of error on a hostile file
        logger.info("unreadable shapefile %s: %s", name, type(exc).__name__)
        raise VectorFileError(
            _(
                "%(name)s is geen leesbaar GeoJSON-, GeoPackage- of Shapefile-bestand "
                "(beschadigde Shapefile)."
            )
            % {"name": name}
        ) from exc
    return layer


def _shapes_and_records(reader, fields: list[str]) -> Iterator[tuple[object, list[object]]]:
    if fields:
        for item in reader.iterShapeRecords():
            yield item.shape, list(item.record)
    else:
        for shape in reader.iterShapes():
            yield shape, []


def _shape_geometry(shape, counter: _Counter) -> BaseGeometry | None:
    counter.add_vertices(len(shape.points))
    if shape.shapeType == shapefile.NULL or not shape.points:
        return None
    counter.add_rings(len(getattr(shape, "parts", ())))
    geometry = geometry_from_interface(shape.__geo_interface__)
    geometry = shapely.force_2d(geometry)
    if not all(math.isfinite(v) for v in geometry.bounds):
        raise ValueError("non-finite coordinate")
    return geometry
