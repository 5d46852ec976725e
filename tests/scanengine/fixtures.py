"""Writers for small fixtures in the real formats (GeoPackage with BGT attribute
names as GDAL's BGT import names them, GeoTIFF in RD New), and a manifest writer.

The tests compute expected values by hand from the fixture's known geometry; these
helpers only write files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio.raw
import rasterio
import shapely
import yaml
from affine import Affine

RD = "EPSG:28992"

# GDAL BGT import layer names and the columns the scan reads
BGT_LAYERS = {
    "pand": ("buildingpart", ["gml_id", "bgt_status", "relatievehoogteligging"]),
    "wegdeel": (
        "trafficarea",
        ["gml_id", "bgt_status", "relatievehoogteligging", "function", "surfacematerial"],
    ),
    "begroeidterreindeel": (
        "plantcover",
        ["gml_id", "bgt_status", "relatievehoogteligging", "class", "plus_fysiekvoorkomen"],
    ),
    "onbegroeidterreindeel": (
        "onbegroeidterreindeel",
        ["gml_id", "bgt_status", "relatievehoogteligging", "bgt_fysiekvoorkomen"],
    ),
    "waterdeel": ("waterdeel", ["gml_id", "bgt_status", "relatievehoogteligging", "class"]),
    "overigbouwwerk": (
        "overigbouwwerk",
        ["gml_id", "bgt_status", "relatievehoogteligging", "bgt_type"],
    ),
}


def write_layer(
    path: Path, layer: str, geoms: list, fields: dict[str, list], crs: str | None = RD
) -> None:
    """Write one polygon layer with pyogrio (append when the file exists)."""
    wkb = np.array([shapely.to_wkb(g) for g in geoms], dtype=object)
    names = list(fields)
    data = (
        [
            np.asarray(fields[n], dtype=object if isinstance(fields[n][0], str) else None)
            for n in names
        ]
        if geoms
        else [np.array([], dtype=object) for _ in names]
    )
    gtype = "Point" if geoms and geoms[0].geom_type == "Point" else "MultiPolygon"
    if gtype == "MultiPolygon":
        wkb = np.array(
            [
                shapely.to_wkb(g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]))
                for g in geoms
            ],
            dtype=object,
        )
    kwargs = {"crs": crs} if crs else {}
    pyogrio.raw.write(
        str(path),
        wkb,
        data,
        names,
        layer=layer,
        driver="GPKG",
        geometry_type=gtype,
        append=Path(path).exists(),
        **kwargs,
    )


def write_bgt(path: Path, features: dict[str, list[tuple]]) -> None:
    """features: object_type -> list of (geometry, {attr: value}); writes a GeoPackage
    with one layer per object type, all BGT columns present."""
    for otype, feats in features.items():
        layer, cols = BGT_LAYERS[otype]
        fields: dict[str, list] = {c: [] for c in cols}
        geoms = []
        for i, (g, attrs) in enumerate(feats):
            geoms.append(g)
            for c in cols:
                default = {
                    "gml_id": f"{otype}.{i}",
                    "bgt_status": "bestaand",
                    "relatievehoogteligging": 0,
                }.get(c, "waardeOnbekend")
                fields[c].append(attrs.get(c, default))
        # integer level column
        fields["relatievehoogteligging"] = [int(v) for v in fields["relatievehoogteligging"]]
        write_layer(path, layer, geoms, fields)


def write_tif(
    path: Path, array: np.ndarray, transform: Affine, crs: str | None = RD, nodata=None
) -> None:
    profile = {
        "driver": "GTiff",
        "width": array.shape[1],
        "height": array.shape[0],
        "count": 1,
        "dtype": "float32",
        "transform": transform,
    }
    if crs:
        profile["crs"] = crs
    if nodata is not None:
        profile["nodata"] = nodata
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(array.astype("float32"), 1)


def write_manifest(path: Path, layers: dict, **extra) -> Path:
    data = {"name": "test bundle", "date": "2025-01-01", "crs": RD, **extra, "layers": layers}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def bgt_landcover_entries(gpkg: Path, types: list[str]) -> list[dict]:
    return [
        {"name": f"BGT {t}", "file": gpkg.name, "layer": BGT_LAYERS[t][0], "object_type": t}
        for t in types
    ]
