"""Helpers that write small geodata files for the import and boundary tests.

Test files are generated into ``tmp_path`` with pyogrio rather than committed:
binary fixtures hide what they contain, and here each test shows the exact
rows and CRS it feeds the importer. Outlines are defined in RD New and
reprojected to whatever CRS the file should be in.
"""

from __future__ import annotations

import json
import os
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyogrio
import shapely
from pyogrio.raw import write as _write
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from werklandschap.lib.geo import RD_NEW, reproject

# Outlines in RD New (EPSG:28992).
# Delft, Schieweg area: 400 x 300 m = 12 ha, wholly in Delft (GM0503).
DELFT = box(85000.0, 447000.0, 85400.0, 447300.0)
# South of it, also in Delft: 300 x 200 m = 6 ha.
DELFT_SOUTH = box(85000.0, 446200.0, 85300.0, 446400.0)
# Across the border of Woerden (GM0632, Utrecht, region U16) and
# Bodegraven-Reeuwijk (GM1901, Zuid-Holland, Midden-Holland), 600 x 400 m:
# about 70 % of the first lies in Woerden, about 70 % of the second in Bodegraven.
MOSTLY_WOERDEN = box(116200.0, 456000.0, 116800.0, 456400.0)
MOSTLY_BODEGRAVEN = box(115900.0, 456000.0, 116500.0, 456400.0)
# Emmerich am Rhein (Germany): inside the RD bounding box, outside every province.
EMMERICH = box(212200.0, 428100.0, 212600.0, 428400.0)


def _geometry_type(geometries: Sequence[BaseGeometry | None]) -> str:
    kinds = {g.geom_type for g in geometries if g is not None}
    return kinds.pop() if len(kinds) == 1 else "Unknown"


def write_layer(
    path: Path,
    geometries: Sequence[BaseGeometry | None],
    fields: dict[str, Sequence[object]] | None = None,
    *,
    crs: str | None = RD_NEW,
    source_crs: str = RD_NEW,
    layer: str | None = None,
    driver: str | None = None,
    append: bool = False,
) -> Path:
    """Write ``geometries`` (given in ``source_crs``) to ``path`` in ``crs``.

    ``crs=None`` writes a file without a coordinate system (a shapefile
    without .prj); the coordinates then stay in ``source_crs``.
    """
    target = crs or source_crs
    converted = [None if g is None else reproject(g, source_crs, target) for g in geometries]
    fields = fields or {}
    names = list(fields)
    data = [_column(fields[name]) for name in names]
    kwargs = {"layer": layer} if layer else {}
    with warnings.catch_warnings():
        # Writing without CRS is deliberate in the "missing CRS" tests.
        warnings.filterwarnings("ignore", message="'crs' was not provided")
        _write(
            str(path),
            np.array([None if g is None else shapely.to_wkb(g) for g in converted], dtype=object),
            data,
            fields=names,
            crs=crs,
            geometry_type=_geometry_type(converted),
            driver=driver,
            append=append,
            **kwargs,
        )
    return path


def _column(values: Sequence[object]) -> np.ndarray:
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype=np.int64)
    if all(isinstance(v, float | int) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype=np.float64)
    return np.array([None if v is None else str(v) for v in values], dtype=object)


def write_geojson(
    path: Path,
    features: Sequence[tuple[BaseGeometry | None, dict[str, object]]],
    *,
    source_crs: str = RD_NEW,
    crs_member: str | None = None,
) -> Path:
    """A GeoJSON FeatureCollection in WGS84 (RFC 7946) written by hand.

    By hand rather than with GDAL so that OSM-style keys such as ``@id`` and
    feature-level ids appear exactly as overpass-turbo writes them. With
    ``crs_member`` the coordinates stay in ``source_crs`` and the old-style
    ``crs`` member is written (or, with ``crs_member=""``, left out: the common
    mistake of an RD New GeoJSON without CRS).
    """
    out = []
    for geom, props in features:
        props = dict(props)
        feature: dict[str, object] = {"type": "Feature", "properties": props}
        if "id" in props:
            feature["id"] = props.pop("id")
        if geom is not None and crs_member is None:
            geom = reproject(geom, source_crs, "EPSG:4326")
        feature["geometry"] = None if geom is None else shapely.geometry.mapping(geom)
        out.append(feature)
    collection: dict[str, object] = {"type": "FeatureCollection", "features": out}
    if crs_member:
        collection["crs"] = {"type": "name", "properties": {"name": crs_member}}
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def zip_shapefile(shp: Path, target: Path) -> Path:
    """Pack a shapefile and its side files into ``target`` (the usual download form)."""
    with zipfile.ZipFile(target, "w") as archive:
        for sidecar in shp.parent.glob(shp.stem + ".*"):
            archive.write(sidecar, sidecar.name)
    return target


def ibis_fields(rows: Sequence[dict[str, object]]) -> dict[str, list[object]]:
    """IBIS werklocaties columns for ``rows``, filling the attributes a test leaves out."""
    defaults: dict[str, object] = {
        "RIN_NUMMER": 0,
        "JAAR": 2023,
        "PLAN_NAAM": "",
        "KERN_NAAM": "",
        "STATUS": "Bestaand",
        "TER_BEHEER": "Nee",
        "HA_BRUTO": 0.0,
        "HA_NETTO": 0.0,
        "HA_UITGEG": 0.0,
        "WLOC_TYPE": "Gemengd terrein",
        "PLAN_FASE": "",
        "MAX_MILIEU": "4",
        "VEROUDERD": "",
        "GEM_CODES": "",
        "GEM_NAMEN": "",
        "PROV_CODES": "",
        "PROV_NAMEN": "",
        "COROPCODES": "",
        "COROPNAMEN": "",
    }
    return {key: [row.get(key, default) for row in rows] for key, default in defaults.items()}


def garbage(path: Path, size: int = 2048, *, seed: int = 7) -> Path:
    """A file of random bytes: what a broken download or a wrong attachment looks like."""
    rng = np.random.default_rng(seed)
    path.write_bytes(rng.integers(0, 256, size, dtype=np.uint8).tobytes())
    return path


def layer_names(path: Path) -> list[str]:
    return [str(name) for name, _kind in pyogrio.list_layers(os.fspath(path))]
