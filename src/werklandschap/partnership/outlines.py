"""Turn an outline drawn on the sign-up map or uploaded as a file into a park outline.

The checks are the registry import's (``registry.importers``): the same CRS
handling, repair of trivial faults only, "inside the Netherlands", and the
PARK_MIN_AREA_HA / PARK_MAX_AREA_HA limits. A park proposed through the
sign-up must pass exactly what a park imported from IBIS must pass, so the
rules live there and are only called from here.

Every function raises :class:`OutlineError` with a Dutch message meant to be
shown next to the form field; nothing is stored or kept on disk.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import shapely
import shapely.errors
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, shape

from werklandschap.lib import numbers, vectorfile
from werklandschap.lib.geo import WGS84, GeometryError
from werklandschap.registry import importers

logger = logging.getLogger("werklandschap.partnership.outlines")

UPLOAD_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip")
# A park outline is one object of a few hundred to a few thousand vertices. Files
# from the public are read within these caps (upload size: PARTNERSHIP_UPLOAD_MAX_BYTES);
# more objects than this are refused before they are read.
UPLOAD_MAX_FEATURES = 100
# Rings (parts and holes) of an uploaded Shapefile together; a park has a few at most.
UPLOAD_MAX_RINGS = 500
# Columns of an uploaded GeoPackage layer; an outline needs one, exports carry a few dozen.
UPLOAD_MAX_COLUMNS = 100


class OutlineError(ValueError):
    """An outline that cannot be used; the message is for the applicant (Dutch)."""


@dataclass(frozen=True)
class Outline:
    geometry: MultiPolygon  # RD New, checked and (trivially) repaired
    note: str  # what was repaired or where it came from, for the programme team

    @property
    def area_ha(self) -> float:
        return self.geometry.area / 10_000


def upload_max_bytes() -> int:
    return int(settings.PARTNERSHIP_UPLOAD_MAX_BYTES)


def max_vertices() -> int:
    """Most vertices an outline from the public may have (drawn or uploaded)."""
    return int(settings.PARTNERSHIP_OUTLINE_MAX_VERTICES)


def upload_limits() -> vectorfile.Limits:
    """Caps for reading an outline file from the public (checked before and while reading)."""
    return vectorfile.Limits(
        max_bytes=upload_max_bytes(),
        max_unpacked_bytes=4 * upload_max_bytes(),
        max_features=UPLOAD_MAX_FEATURES,
        max_vertices=max_vertices(),
        max_zip_members=16,
        max_rings=UPLOAD_MAX_RINGS,
        max_columns=UPLOAD_MAX_COLUMNS,
    )


def _too_many_vertices() -> OutlineError:
    return OutlineError(
        _(
            "De begrenzing heeft meer dan %(max)s hoekpunten. Vereenvoudig de begrenzing "
            "(een terrein heeft er meestal enkele honderden) en probeer het opnieuw."
        )
        % {"max": max_vertices()}
    )


def format_ha(value: float) -> str:
    """Hectares in the active language, as the sign-up map writes them (park-picker.js).

    Grouped ("27.014,3" in Dutch, "27,014.3" in English), one decimal from 1 ha up,
    two below, no trailing zeros: the page and the server's message say the same.
    """
    text = numbers.format_number(value, 2 if value < 1 else 1)
    decimal_sep = numbers.decimal_separator()
    if decimal_sep in text:
        text = text.rstrip("0").rstrip(decimal_sep)
    return text


def _area_message(exc: importers.AreaOutOfRange, *, drawn: bool) -> str:
    """The size refusal in the applicant's language: a drawing is not a file.

    A file may be in a coordinate system other than the one it states, so its message
    suggests checking that; a drawing has no coordinate system to check.
    """
    values = {
        "area": format_ha(exc.area_ha),
        "min": format_ha(exc.min_ha),
        "max": format_ha(exc.max_ha),
    }
    if exc.area_ha > exc.max_ha:
        if drawn:
            return (
                _(
                    "De getekende begrenzing is %(area)s ha; een bedrijventerrein is "
                    "hoogstens %(max)s ha. Zoom in op het terrein en teken alleen het "
                    "terrein zelf."
                )
                % values
            )
        return (
            _(
                "De begrenzing in het bestand is %(area)s ha; een bedrijventerrein is "
                "hoogstens %(max)s ha. Controleer het coördinatenstelsel van het bestand "
                "en of het één terrein is."
            )
            % values
        )
    if drawn:
        return (
            _(
                "De getekende begrenzing is %(area)s ha; een bedrijventerrein is minstens "
                "%(min)s ha. Teken de hele omtrek van het terrein."
            )
            % values
        )
    return (
        _(
            "De begrenzing in het bestand is %(area)s ha; een bedrijventerrein is minstens "
            "%(min)s ha. Controleer het coördinatenstelsel van het bestand."
        )
        % values
    )


def _checked(geom, crs: str, note: str, *, drawn: bool = False) -> Outline:
    """Apply the registry's outline rules (reprojection, validity, NL, area)."""
    try:
        outline, notes = importers.check_outline(geom, crs)
    except importers.AreaOutOfRange as exc:
        raise OutlineError(_area_message(exc, drawn=drawn)) from exc
    except GeometryError as exc:
        raise OutlineError(str(exc)) from exc
    return Outline(outline, "; ".join([note, *notes]))


def from_drawn_geojson(text: str) -> Outline:
    """An outline drawn with Leaflet-Geoman: GeoJSON (geometry, Feature or collection), WGS84.

    The text comes from the browser and may be anything: it is parsed with
    :mod:`json` only, nesting too deep to parse is a plain error, and the
    vertex count is capped before any geometry is built.
    """
    # Before parsing: ``[],`` is 3 bytes of text but a 64-byte list, so a 6 MB body of
    # them took ~125 MB to parse. An outline within the vertex cap needs fewer.
    if text.count("[") + text.count("{") > 2 * max_vertices() + 1_000:
        raise _too_many_vertices()
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise OutlineError(_("De getekende begrenzing kon niet worden gelezen.")) from exc
    except (TypeError, ValueError) as exc:
        raise OutlineError(_("De getekende begrenzing kon niet worden gelezen.")) from exc
    if not isinstance(data, dict):
        raise OutlineError(_("De getekende begrenzing kon niet worden gelezen."))
    if data.get("type") == "FeatureCollection":
        geometries = [f.get("geometry") for f in data.get("features") or [] if isinstance(f, dict)]
    elif data.get("type") == "Feature":
        geometries = [data.get("geometry")]
    else:
        geometries = [data]
    if _count_positions(geometries) > max_vertices():
        raise _too_many_vertices()
    try:
        shapes = [shape(g) for g in geometries if g]
    except (
        AttributeError,
        KeyError,
        TypeError,
        ValueError,
        RecursionError,
        shapely.errors.GEOSException,
    ) as exc:
        raise OutlineError(_("De getekende begrenzing kon niet worden gelezen.")) from exc
    polygons = [g for g in shapes if g.geom_type in {"Polygon", "MultiPolygon"}]
    if not polygons:
        raise OutlineError(_("Teken de begrenzing van het terrein als vlak op de kaart."))
    parts = []
    for g in polygons:
        parts.extend(g.geoms if g.geom_type == "MultiPolygon" else [g])
    geom = parts[0] if len(parts) == 1 else MultiPolygon(parts)
    return _checked(geom, WGS84, _("op de kaart getekend"), drawn=True)


def _count_positions(value: object, depth: int = 0) -> int:
    """Number of coordinate pairs in GeoJSON geometries (lists of numbers at the leaves)."""
    if depth > 8:  # a MultiPolygon is 4 levels deep; deeper is not GeoJSON
        raise OutlineError(_("De getekende begrenzing kon niet worden gelezen."))
    if isinstance(value, dict):
        return _count_positions(value.get("coordinates"), depth + 1)
    if isinstance(value, list):
        if value and all(isinstance(v, int | float) for v in value):
            return 1
        return sum(_count_positions(v, depth + 1) for v in value)
    return 0


def from_upload(upload: UploadedFile) -> Outline:
    """An outline from an uploaded GeoJSON, GeoPackage or zipped Shapefile (any CRS).

    The file must hold exactly one (multi)polygon: the park. It is written to
    a private temporary directory and read there by :mod:`werklandschap.lib.vectorfile`
    (never by GDAL, which would follow references in the file), then removed.
    """
    limit = upload_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise OutlineError(
            _("Het bestand is te groot (%(size)s MB); het maximum is %(max)s MB.")
            % {"size": f"{upload.size / 1_048_576:.1f}", "max": f"{limit / 1_048_576:.0f}"}
        )
    name = get_valid_filename(Path(upload.name or "begrenzing").name) or "begrenzing"
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise OutlineError(
            _(
                "Dit bestandstype wordt niet ondersteund. Gebruik GeoJSON (.geojson), "
                "GeoPackage (.gpkg) of een ingepakte Shapefile (.zip met .shp, .shx, .dbf "
                "en .prj)."
            )
        )
    with tempfile.TemporaryDirectory(prefix="aanmelding-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        try:
            crs, geometries = importers.read_geometries(path, upload_limits())
        except importers.ImportFileError as exc:
            logger.info("outline upload refused: %s", exc)
            raise OutlineError(str(exc)) from exc
        except (shapely.errors.GEOSException, ValueError) as exc:
            raise OutlineError(_("%(name)s bevat onleesbare geometrie.") % {"name": name}) from exc
    present = [g for g in geometries if g is not None and not g.is_empty]
    if not present:
        raise OutlineError(_("%(name)s bevat geen begrenzing.") % {"name": name})
    if len(present) > 1:
        raise OutlineError(
            _(
                "%(name)s bevat %(count)d objecten. Upload alleen de begrenzing van dit ene "
                "terrein (voeg losse delen samen tot één object)."
            )
            % {"name": name, "count": len(present)}
        )
    return _checked(
        present[0],
        crs,
        _("geüpload bestand %(name)s (%(crs)s)")
        % {
            "name": name,
            "crs": crs,
        },
    )
