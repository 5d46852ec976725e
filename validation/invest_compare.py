"""Compare the scan engine's heat indicators with InVEST 3.20.2's urban cooling model.

Run with the project's interpreter (InVEST is NOT a project dependency; it lives in
its own virtualenv, built as in ../shared/research/invest-build.md)::

    .venv/bin/python validation/invest_compare.py [--invest-python /tmp/invest-venv/bin/python]

For each comparison scene the script

1. writes a scan-engine data bundle: a complete BGT-like land-cover tessellation
   (GeoPackage in RD New, attributes as GDAL's BGT import names them) reaching
   ``MARGIN_M`` (2.5 km) around the park, beyond the 5 x d_cool = 2,250 m reach of
   InVEST's exponential kernel, and a manifest;
2. rasterises exactly that land cover (the engine's own class mapping) to a 5 m
   GeoTIFF by the cell-centre rule, and writes InVEST's inputs: the biophysical
   table from ``data/scan/heat.yaml`` (shade, albedo, kc; green_area = 1 for the
   classes ``classes.yaml`` marks green), a constant ET0 raster and an AOI vector;
3. runs ``natcap.invest.urban_cooling_model.execute`` (factors method, d_cool 450 m,
   weights 0.6/0.2/0.2) in the InVEST interpreter as a subprocess, twice:
   ``aoi=park`` (the park polygon as AOI, as a user would start) and ``aoi=extent``
   (the whole land-cover extent as AOI). InVEST clips every raster to the AOI's
   bounding box (``align_and_resize_raster_stack(..., 'intersection',
   base_vector_path_list=[aoi])``), so with the park as AOI nothing outside the
   park's bounding box enters GA or CC_park; with the extent as AOI the park's
   surroundings count. The park means are InVEST's own zonal statistics
   (``pygeoprocessing.zonal_statistics``, the routine behind ``avg_cc``) of
   ``intermediate/cc.tif`` and ``hm.tif`` over the park;
4. scans the park with the engine (``scan_park`` on the bundle) for
   ``cooling_capacity_mean`` and ``heat_mitigation_mean``;
5. recomputes InVEST's steps in numpy on the rasterised land cover (``reference``,
   below: pygeoprocessing semantics, including the AOI clip) and reports its
   per-cell agreement with InVEST's ``hm.tif``/``cc.tif``, so that it can stand in
   for InVEST where InVEST is not installed.

The last line is ``RESULT max_abs_diff_hm=... max_abs_diff_cc=...``: the largest
engine-vs-InVEST difference over the scenes for the ``--aoi`` variant the result
is taken from (default ``extent``: the engine reads the park's surroundings, as
InVEST does when the AOI covers them). Without InVEST the numpy reference is the
comparison (said on the line before RESULT).

Nothing here is imported by the platform; the work directory (default
``$TMPDIR/werklandschap-invest-compare``) holds the bundles and InVEST workspaces,
and an InVEST run is reused while its inputs are unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CELL_M = 5.0
D_COOL_M = 450.0
MARGIN_M = 2500.0
ET0 = 5.0  # mm/day, constant: ETI = Kc * ET0 / max(ET0) = Kc
WEIGHTS = {"shade": 0.6, "albedo": 0.2, "eti": 0.2}
T_REF, UHI_MAX, T_AIR_RADIUS = 21.5, 3.5, 500.0
GA_MIN_HA = 2.0
RD = "EPSG:28992"
CX, CY = 85000.0, 445000.0  # scene centre (RD New, a multiple of the cell size)
DEFAULT_INVEST_PYTHON = os.path.join(tempfile.gettempdir(), "invest-venv", "bin", "python")
SCENE_NAMES = ["wood", "patches", "irregular", "built", "strips"]
REPO = Path(__file__).resolve().parents[1]
# real land cover: (manifest, park box); the land cover is read through the engine's
# own reader and class mapping, rasterised as it is (cells without a feature are
# no data to InVEST). Included by default when ../shared/data holds the extract.
REAL_SCENES = {
    "delft": ("examples/bundles/delft-bgt.yaml", (84850.0, 447470.0, 85030.0, 447610.0)),
}
REAL_DATA = REPO.parent / "shared" / "data" / "bgt-delft"
AOI_MODES = ["park", "extent"]

# scene kind -> (BGT object type, attributes, the scan class the mapping must give)
KINDS: dict[str, tuple[str, dict[str, str], str]] = {
    "building": ("pand", {}, "built"),
    "road": (
        "wegdeel",
        {"function": "rijbaan lokale weg", "surfacematerial": "gesloten verharding"},
        "paved_closed",
    ),
    "parking": (
        "wegdeel",
        {"function": "parkeervlak", "surfacematerial": "open verharding"},
        "paved_open",
    ),
    "path": ("wegdeel", {"function": "voetpad", "surfacematerial": "half verhard"}, "paved_semi"),
    "yard": ("onbegroeidterreindeel", {"bgt_fysiekvoorkomen": "erf"}, "yard"),
    "grass": (
        "begroeidterreindeel",
        {"class": "groenvoorziening", "plus_fysiekvoorkomen": "gras- en kruidachtigen"},
        "green_grass",
    ),
    "shrubs": (
        "begroeidterreindeel",
        {"class": "groenvoorziening", "plus_fysiekvoorkomen": "heesters"},
        "green_shrubs",
    ),
    "trees": ("begroeidterreindeel", {"class": "loofbos"}, "green_trees"),
    "wadi": (
        "begroeidterreindeel",
        {"class": "groenvoorziening", "plus_fysiekvoorkomen": "wadi"},
        "green_wadi",
    ),
    "water": ("waterdeel", {"class": "watervlakte"}, "water"),
}
# GDAL BGT import layer names and the columns the engine reads
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
}


# --------------------------------------------------------------------------------------
# scenes (project venv)
# --------------------------------------------------------------------------------------
def _snap(v: float) -> float:
    return round(v / CELL_M) * CELL_M


def _base_layout(bounds, seed: int, no_green: bool = False) -> list[tuple]:
    """Urban surroundings on the 5 m grid: a road grid (10-15 m roads every 150-220 m)
    and business plots (parking in front, a yard strip, a hall, side strips and a back
    strip that is often green or water). Self-contained and seeded, so the scenes
    (and the numbers in docs/validation.md) do not move when the demo generator does.
    ``no_green``: green and water become yard or parking."""
    import shapely

    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = bounds

    def cuts(a, b):
        out, pos = [], a + _snap(rng.uniform(40, 120))
        while pos + 40 < b:
            w = 10.0 if rng.random() < 0.7 else 15.0
            out.append((pos, pos + w))
            pos += w + _snap(rng.uniform(150, 220))
        return out

    def edges(a, b, roads):
        e = [a]
        for r0, r1 in roads:
            e += [r0, r1]
        return [*e, b]

    ex, ey = edges(x0, x1, cuts(x0, x1)), edges(y0, y1, cuts(y0, y1))
    cells: list[tuple] = []
    for i in range(len(ex) - 1):
        for j in range(len(ey) - 1):
            bx0, bx1, by0, by1 = ex[i], ex[i + 1], ey[j], ey[j + 1]
            if bx1 <= bx0 or by1 <= by0:
                continue
            if i % 2 or j % 2:  # odd intervals are roads
                cells.append((bx0, by0, bx1, by1, "road"))
                continue
            # split the block into plots of 60-110 m along x
            xs = [bx0]
            while xs[-1] + 120 < bx1:
                xs.append(xs[-1] + _snap(rng.uniform(60, 110)))
            xs.append(bx1)
            for px0, px1 in itertools.pairwise(xs):
                h = by1 - by0
                if px1 - px0 < 30 or h < 50:
                    kind = str(rng.choice(["grass", "yard", "shrubs"]))
                    cells.append((px0, by0, px1, by1, kind))
                    continue
                yp = by0 + _snap(min(25.0, 0.25 * h))
                yy = yp + 5.0
                yb = by1 - _snap(min(15.0, 0.15 * h))
                side = 5.0
                back = str(
                    rng.choice(
                        ["trees", "grass", "shrubs", "water", "wadi", "yard"],
                        p=[0.35, 0.25, 0.15, 0.1, 0.05, 0.1],
                    )
                )
                cells += [
                    (px0, by0, px1, yp, "parking"),
                    (px0, yp, px1, yy, "yard"),
                    (px0, yy, px0 + side, yb, "grass"),
                    (px1 - side, yy, px1, yb, str(rng.choice(["grass", "shrubs", "yard"]))),
                    (px0 + side, yy, px1 - side, yb, "building"),
                    (px0, yb, px1, by1, back),
                ]
    swap = {"grass": "yard", "shrubs": "yard", "trees": "parking", "wadi": "yard"}
    swap["water"] = "yard"
    out = []
    for cx0, cy0, cx1, cy1, kind in cells:
        if cx1 - cx0 < CELL_M or cy1 - cy0 < CELL_M:
            continue
        out.append((shapely.box(cx0, cy0, cx1, cy1), swap.get(kind, kind) if no_green else kind))
    return out


def _paint(feats: list[tuple], geom, kind: str) -> list[tuple]:
    """Lay ``geom`` over the tessellation: what it covers is cut out of the others."""
    import shapely

    geoms = np.array([g for g, _ in feats], dtype=object)
    hit = set(shapely.STRtree(geoms).query(geom, predicate="intersects").tolist())
    out = []
    for i, (g, k) in enumerate(feats):
        if i in hit:
            g = shapely.difference(g, geom)
            parts = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area > 1e-6]
            if not parts:
                continue
            g = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
        out.append((g, k))
    out.append((geom, kind))
    return out


def _blob(cx, cy, r0, terms, n=180):
    """An irregular closed outline: radius r0 + sum a sin(k t + p)."""
    import shapely

    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = r0 + sum(a * np.sin(k * t + p) for a, k, p in terms)
    return shapely.Polygon(np.column_stack([cx + r * np.cos(t), cy + r * np.sin(t)]))


def build_scene(name: str) -> tuple:
    """(park polygon, [(geometry, kind)], extent bounds) of one comparison scene."""
    import shapely
    from shapely.geometry import LineString, box

    if name == "wood":
        # a 3 ha park (grass, a path, a pond, a tree clump, a paved square) beside a
        # 6 ha wood, across a 10 m road
        park = box(CX - 100, CY - 75, CX + 100, CY + 75)
        inner = [
            (box(CX - 100, CY - 5, CX + 100, CY + 5), "path"),
            (box(CX - 60, CY + 20, CX - 20, CY + 55), "water"),
            (box(CX + 40, CY - 60, CX + 80, CY - 20), "trees"),
            (box(CX + 50, CY + 20, CX + 100, CY + 70), "road"),  # a closed-paved square
        ]
        outer = [
            (box(CX + 100, CY - 100, CX + 110, CY + 100), "road"),
            (box(CX + 110, CY - 100, CX + 410, CY + 100), "trees"),  # 300 x 200 m = 6 ha
        ]
        no_green = False
    elif name == "patches":
        # a 7.2 ha closed-paved square with twenty 30 x 30 m grass/tree patches, 30 m
        # apart (1.8 ha of green: InVEST counts it as >= 2 ha with the green around)
        park = box(CX - 150, CY - 120, CX + 150, CY + 120)
        inner = [(park, "road")]
        for i, x in enumerate(range(-135, 136, 60)):
            for j, y in enumerate(range(-105, 106, 60)):
                kind = "grass" if (i + j) % 2 == 0 else "trees"
                inner.append((box(CX + x, CY + y, CX + x + 30, CY + y + 30), kind))
        outer = []
        no_green = False
    elif name == "irregular":
        # a ~6 ha park with a wavy outline off the cell grid: grass, an irregular pond,
        # a tree clump and a curved path
        park = _blob(CX + 2.3, CY - 1.7, 140.0, [(25.0, 3, 0.0), (15.0, 5, 0.7), (6.0, 9, 1.3)])
        inner = [
            (_blob(CX - 40.7, CY + 30.2, 32.0, [(8.0, 3, 0.4), (4.0, 7, 0.0)], 90), "water"),
            (_blob(CX + 55.1, CY - 35.6, 40.0, [(10.0, 2, 1.1), (5.0, 5, 0.3)], 90), "trees"),
            (
                LineString(
                    [
                        (CX - 160, CY - 80),
                        (CX - 60, CY - 40),
                        (CX + 10, CY + 5),
                        (CX + 170, CY + 60),
                    ]
                ).buffer(2.5, cap_style="flat"),
                "path",
            ),
        ]
        outer = []
        no_green = False
    elif name == "built":
        # a 4 ha park (2.5 ha grass, 1.5 ha paved square) in built surroundings without
        # any green or water within 2.5 km
        park = box(CX - 100, CY - 100, CX + 100, CY + 100)
        inner = [(box(CX + 25, CY - 100, CX + 100, CY + 100), "parking")]
        outer = []
        no_green = True
    elif name == "strips":
        # a 4.5 ha park of narrow features off the 5 m grid, as BGT draws them: 2.4 m
        # paths, 4.2 m tree rows, 1.6 m hedges, a 7.3 m ditch, lawns between them
        park = box(CX - 150, CY - 75, CX + 150, CY + 75)
        inner = []
        for i, y in enumerate(np.arange(-71.3, 70.0, 13.7)):
            kind = ["path", "trees", "shrubs", "trees", "path"][i % 5]
            width = {"path": 2.4, "trees": 4.2, "shrubs": 1.6}[kind]
            inner.append((box(CX - 150, CY + y, CX + 150, CY + y + width), kind))
        for x in np.arange(-143.1, 140.0, 31.3):
            inner.append((box(CX + x, CY - 75, CX + x + 2.4, CY + 75), "path"))
        inner.append((box(CX - 150, CY + 21.1, CX + 150, CY + 28.4), "water"))
        outer = []
        no_green = False
    else:
        raise ValueError(f"unknown scene {name!r}")
    core = shapely.union_all([park] + [g for g, _ in outer])
    x0, y0, x1, y1 = core.bounds
    ext = (_snap(x0 - MARGIN_M), _snap(y0 - MARGIN_M), _snap(x1 + MARGIN_M), _snap(y1 + MARGIN_M))
    feats = _base_layout(ext, seed=15 + SCENE_NAMES.index(name), no_green=no_green)
    for g, k in outer:
        feats = _paint(feats, g, k)
    feats = _paint(feats, park, "grass")
    for g, k in inner:
        g = shapely.intersection(g, park)
        if not g.is_empty:
            feats = _paint(feats, g, k)
    return park, feats, ext


def write_bundle(out: Path, feats: list[tuple]) -> Path:
    """GeoPackage (one layer per BGT object type) plus manifest; returns the manifest."""
    import pyogrio.raw
    import shapely
    import yaml

    gpkg = out / "bgt.gpkg"
    if gpkg.exists():
        gpkg.unlink()
    by_type: dict[str, list] = {}
    for g, kind in feats:
        otype, attrs, _cls = KINDS[kind]
        by_type.setdefault(otype, []).append((g, attrs))
    entries = []
    for otype, rows in by_type.items():
        layer, cols = BGT_LAYERS[otype]
        defaults = {"bgt_status": "bestaand", "relatievehoogteligging": 0}
        fields = []
        for c in cols:
            if c == "gml_id":
                vals = [f"{otype}.{i}" for i in range(len(rows))]
            else:
                vals = [a.get(c, defaults.get(c, "waardeOnbekend")) for _g, a in rows]
            dtype = np.int32 if c == "relatievehoogteligging" else object
            fields.append(np.asarray(vals, dtype=dtype))
        wkb = np.array(
            [
                shapely.to_wkb(g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]))
                for g, _a in rows
            ],
            dtype=object,
        )
        pyogrio.raw.write(
            str(gpkg),
            wkb,
            fields,
            cols,
            layer=layer,
            driver="GPKG",
            geometry_type="MultiPolygon",
            crs=RD,
            append=gpkg.exists(),
        )
        entries.append(
            {"name": f"BGT {otype}", "file": gpkg.name, "layer": layer, "object_type": otype}
        )
    manifest = out / "bundle.yaml"
    manifest.write_text(
        yaml.safe_dump(
            {
                "name": "InVEST comparison scene (synthetic)",
                "date": "2026-12-01",
                "crs": RD,
                "synthetic": True,
                "layers": {"landcover": entries},
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    return manifest


def class_table() -> tuple[list[str], dict]:
    """Scan classes in code order and the InVEST biophysical values per class."""
    from werklandschap.scanengine import config
    from werklandschap.scanengine.classmap import ClassMapping

    mapping = ClassMapping.load()
    bio = config.load("heat")["invest_cooling"]["biophysical"]
    rows = {}
    for key, info in mapping.classes.items():
        b = bio[key]
        rows[key] = {
            "lucode": info.code + 1,
            "shade": float(b["shade"]),
            "albedo": float(b["albedo"]),
            "kc": float(b["kc"]),
            "green_area": int(info.green),
        }
    return mapping.keys, rows


def classified_shapes(feats: list[tuple]) -> list[tuple]:
    """(geometry, LULC code = class code + 1) per scene feature; the class is what the
    engine's class mapping gives the feature's BGT attributes."""
    from werklandschap.scanengine.classmap import ClassMapping

    mapping = ClassMapping.load()
    shapes = []
    for g, kind in feats:
        otype, attrs, expected = KINDS[kind]
        arr = {k: np.array([v], dtype=object) for k, v in attrs.items()}
        codes, _parking = mapping.classify(otype, arr, 1, otype)
        if mapping.keys[int(codes[0])] != expected:
            raise RuntimeError(f"{kind}: mapped to {mapping.keys[int(codes[0])]}, not {expected}")
        shapes.append((g, int(codes[0]) + 1))
    return shapes


def rasterise(shapes: list[tuple], ext, complete: bool = True) -> tuple[np.ndarray, object]:
    """LULC codes on the 5 m grid over ``ext`` by the cell-centre rule (later shapes
    win where they overlap); 0 = no land cover (InVEST's no data)."""
    from affine import Affine
    from rasterio import features

    x0, y0, x1, y1 = ext
    w, h = round((x1 - x0) / CELL_M), round((y1 - y0) / CELL_M)
    t = Affine(CELL_M, 0, x0, 0, -CELL_M, y1)
    lulc = features.rasterize(shapes, out_shape=(h, w), transform=t, fill=0, dtype="uint8")
    if complete and (lulc == 0).any():
        raise RuntimeError(f"the tessellation leaves {(lulc == 0).sum()} cells without a class")
    return lulc, t


def real_landcover(manifest: Path) -> tuple[list[tuple], tuple]:
    """Every current ground-level land-cover feature of a bundle, classified as the
    engine does (its reader, filters and class mapping), in layer order; and the
    land-cover extent snapped outward to the 5 m grid."""
    from werklandschap.scanengine import load_bundle
    from werklandschap.scanengine.context import polygonal

    bundle = load_bundle(manifest)
    m = bundle.mapping
    x0, y0, x1, y1 = bundle.landcover_bounds()
    snap = CELL_M
    ext = (
        np.floor(x0 / snap) * snap,
        np.floor(y0 / snap) * snap,
        np.ceil(x1 / snap) * snap,
        np.ceil(y1 / snap) * snap,
    )
    shapes = []
    for lyr in bundle.layers("landcover"):
        cols = m.columns_for(lyr.object_type, lyr.columns)
        g, attrs = bundle.read_vector(lyr, ext, cols)
        if g.size == 0:
            continue
        keep = m.keep_mask(attrs, g.size)
        g = polygonal(g[keep])
        attrs = {k: v[keep] for k, v in attrs.items()}
        codes, _p = m.classify(lyr.object_type, attrs, g.size, lyr.label)
        shapes += [(gi, int(c) + 1) for gi, c in zip(g, codes, strict=True) if not gi.is_empty]
    return shapes, tuple(float(v) for v in ext)


def write_invest_inputs(out: Path, park, lulc: np.ndarray, t, ext, table: dict) -> dict:
    import pyogrio.raw
    import rasterio
    import shapely

    prof = {
        "driver": "GTiff",
        "width": lulc.shape[1],
        "height": lulc.shape[0],
        "count": 1,
        "crs": RD,
        "transform": t,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "compress": "deflate",
    }
    with rasterio.open(out / "lulc.tif", "w", dtype="uint8", nodata=0, **prof) as ds:
        ds.write(lulc, 1)
    with rasterio.open(out / "et0.tif", "w", dtype="float32", nodata=-1.0, **prof) as ds:
        ds.write(np.full(lulc.shape, ET0, dtype=np.float32), 1)
    with open(out / "biophysical.csv", "w", encoding="utf-8") as fh:
        fh.write("lucode,shade,albedo,kc,green_area\n")
        for r in table.values():
            fh.write(f"{r['lucode']},{r['shade']},{r['albedo']},{r['kc']},{r['green_area']}\n")
    for name, geom in [("park", park), ("extent", shapely.box(*ext))]:
        path = out / f"aoi_{name}.shp"
        for old in out.glob(f"aoi_{name}.*"):
            old.unlink()
        pyogrio.raw.write(
            str(path),
            np.array([shapely.to_wkb(geom)], dtype=object),
            [np.array(["park" if name == "park" else "extent"], dtype=object)],
            ["name"],
            driver="ESRI Shapefile",
            geometry_type="Polygon",
            crs=RD,
        )
    return {
        "lulc": str(out / "lulc.tif"),
        "et0": str(out / "et0.tif"),
        "table": str(out / "biophysical.csv"),
        "aoi": {m: str(out / f"aoi_{m}.shp") for m in AOI_MODES},
        "park_vector": str(out / "aoi_park.shp"),
    }


# --------------------------------------------------------------------------------------
# InVEST (runs in the InVEST interpreter: only numpy, GDAL, pygeoprocessing, natcap)
# --------------------------------------------------------------------------------------
def _invest_worker(job_path: str) -> None:
    import logging

    import pygeoprocessing
    from natcap.invest import urban_cooling_model
    from osgeo import gdal, ogr

    logging.basicConfig(level=logging.WARNING)
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    ws = job["workspace"]
    args = {
        "workspace_dir": ws,
        "results_suffix": "",
        "n_workers": -1,
        "lulc_raster_path": job["lulc"],
        "ref_eto_raster_path": job["et0"],
        "aoi_vector_path": job["aoi"],
        "biophysical_table_path": job["table"],
        "green_area_cooling_distance": D_COOL_M,
        "t_ref": T_REF,
        "uhi_max": UHI_MAX,
        "t_air_average_radius": T_AIR_RADIUS,
        "cc_method": "factors",
        "cc_weight_shade": WEIGHTS["shade"],
        "cc_weight_albedo": WEIGHTS["albedo"],
        "cc_weight_eti": WEIGHTS["eti"],
        "do_energy_valuation": False,
        "do_productivity_valuation": False,
        "avg_rel_humidity": None,
        "building_vector_path": None,
        "energy_consumption_table_path": None,
    }
    urban_cooling_model.execute(args)
    out = {"invest_version": __import__("natcap.invest").invest.__version__}
    out["pygeoprocessing_version"] = pygeoprocessing.__version__
    out["gdal_version"] = gdal.__version__
    cc_path = os.path.join(ws, "cc.tif")  # 3.20: workspace root (older: intermediate/)
    if not os.path.exists(cc_path):
        cc_path = os.path.join(ws, "intermediate", "cc.tif")
    hm_path = os.path.join(ws, "hm.tif")
    for key, path in [("cc", cc_path), ("hm", hm_path)]:
        stats = pygeoprocessing.zonal_statistics(
            (path, 1), job["park_vector"], polygons_might_overlap=True
        )
        s = next(iter(stats.values()))
        out[f"park_mean_{key}"] = float(s["sum"] / s["count"]) if s["count"] else None
        out[f"park_cells_{key}"] = int(s["count"])
        out[f"{key}_path"] = path
    uhi = ogr.Open(os.path.join(ws, "uhi_results.shp"))
    feat = uhi.GetLayer().GetNextFeature()
    out["avg_cc"] = float(feat.GetField("avg_cc"))
    print("INVEST-JSON " + json.dumps(out))


def _digest(paths: list[str], extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def run_invest(invest_python: str, inputs: dict, mode: str, work: Path) -> dict:
    """InVEST on one scene with the AOI ``mode``; reused while the inputs are unchanged."""
    ws = work / f"invest_{mode}"
    job = {
        "workspace": str(ws),
        "lulc": inputs["lulc"],
        "et0": inputs["et0"],
        "table": inputs["table"],
        "aoi": inputs["aoi"][mode],
        "park_vector": inputs["park_vector"],
    }
    files = [inputs["lulc"], inputs["et0"], inputs["table"], inputs["aoi"][mode]]
    digest = _digest([*files, inputs["park_vector"]], json.dumps(job, sort_keys=True))
    cached = ws / "compare-result.json"
    if cached.exists():
        res = json.loads(cached.read_text(encoding="utf-8"))
        if res.get("digest") == digest:
            return res
    if ws.exists():
        shutil.rmtree(ws)
    ws.mkdir(parents=True)
    job_path = work / f"invest_{mode}.json"
    job_path.write_text(json.dumps(job), encoding="utf-8")
    proc = subprocess.run(
        [invest_python, str(Path(__file__).resolve()), "--invest-worker", str(job_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("INVEST-JSON ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"InVEST failed ({mode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    res = json.loads(lines[-1][len("INVEST-JSON ") :])
    res["digest"] = digest
    cached.write_text(json.dumps(res), encoding="utf-8")
    return res


def invest_available(invest_python: str) -> str | None:
    """The InVEST version, or None when that interpreter cannot import it."""
    if not invest_python or not Path(invest_python).exists():
        return None
    proc = subprocess.run(
        [invest_python, "-c", "import natcap.invest; print(natcap.invest.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


# --------------------------------------------------------------------------------------
# numpy re-implementation of InVEST's steps (the reference)
# --------------------------------------------------------------------------------------
def _kernel(max_dist_px: float, fn) -> np.ndarray:
    """pygeoprocessing.kernels.create_distance_decay_kernel: (2 floor(max)+1)^2 cells,
    fn(distance in pixels) where distance <= max, 0 elsewhere; float32 values."""
    a = int(np.floor(max_dist_px))
    yy, xx = np.mgrid[-a : a + 1, -a : a + 1]
    d = np.hypot(yy, xx)
    k = np.zeros(d.shape, dtype=np.float32)
    k[d <= max_dist_px] = fn(d[d <= max_dist_px])
    return k


def _convolve_2d(signal: np.ndarray, valid: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """pygeoprocessing.convolve_2d(ignore_nodata_and_edges=True, normalize_kernel=False):
    conv(signal) / conv(valid) * sum(kernel) on valid cells (cells beyond the raster
    edge count as invalid); the kernel is centred on cell (n // 2, n // 2)."""
    from scipy.signal import fftconvolve

    k = kernel.astype(np.float64)
    s = np.where(valid, signal, 0.0).astype(np.float64)
    num = fftconvolve(s, k, mode="same")
    den = fftconvolve(valid.astype(np.float64), k, mode="same")
    num[np.isclose(num, 1e-8)] = 0.0
    out = np.full(signal.shape, np.nan)
    ok = valid & (den > 0)
    out[ok] = num[ok] / den[ok] * float(k.sum())
    return out


def invest_clip_window(shape, t, aoi_bounds) -> tuple[slice, slice]:
    """Rows/cols InVEST keeps: the intersection of the LULC's and the AOI's bounding
    boxes, lower-left corner truncated onto the LULC grid, size rounded up
    (pygeoprocessing align_and_resize_raster_stack + warp_raster). Assumes the AOI's
    box lies inside the raster's (true for the scenes here)."""
    h, w = shape
    rx0, ry1 = t.c, t.f
    rx1, ry0 = rx0 + w * t.a, ry1 + h * t.e
    bx0, by0 = max(rx0, aoi_bounds[0]), max(ry0, aoi_bounds[1])
    bx1, by1 = min(rx1, aoi_bounds[2]), min(ry1, aoi_bounds[3])
    nx0 = int((bx0 - rx0) / CELL_M)
    ny0 = int((by0 - ry0) / CELL_M)

    # warp_raster: the size spans the snapped corner to the far edge, rounded up
    def size(span: float) -> int:
        n = int(abs(span / CELL_M))
        return n if np.isclose(n * CELL_M - span, 0.0) else n + 1

    nx, ny = size(bx1 - (rx0 + nx0 * CELL_M)), size(by1 - (ry0 + ny0 * CELL_M))
    col0 = nx0
    row0 = h - ny0 - ny  # rows count from the top
    return slice(row0, row0 + ny), slice(col0, col0 + nx)


def reference_cooling(lulc: np.ndarray, table: dict) -> dict[str, np.ndarray]:
    """InVEST 3.20.2's CC, GA (pixels), CC_park and HM on a LULC array (0 = nodata)."""
    n = max(r["lucode"] for r in table.values()) + 1
    lut = {k: np.full(n, np.nan, dtype=np.float32) for k in ("shade", "albedo", "kc", "green_area")}
    for r in table.values():
        for k in lut:
            lut[k][r["lucode"]] = r[k]
    valid = lulc > 0
    # ETI = Kc * ET0 / max(ET0) = Kc with a constant ET0; CC in float32 as InVEST
    eti = lut["kc"][lulc] * np.float32(ET0) / np.float32(ET0)
    cc = (
        np.float32(WEIGHTS["shade"]) * lut["shade"][lulc]
        + np.float32(WEIGHTS["albedo"]) * lut["albedo"][lulc]
        + np.float32(WEIGHTS["eti"]) * eti
    ).astype(np.float32)
    green = lut["green_area"][lulc]
    r_px = int(np.round(D_COOL_M / CELL_M))
    area_k = _kernel(r_px, lambda d: 1.0)
    exp_k = _kernel(5 * r_px, lambda d: np.exp(-d / r_px))
    exp_k = (exp_k / np.float32(exp_k.sum())).astype(np.float32)
    ga_px = _convolve_2d(np.nan_to_num(green), valid, area_k)
    cc_green = np.where(green > 0, cc, 0.0).astype(np.float32)
    cc_park = _convolve_2d(cc_green, valid, exp_k).astype(np.float32)
    threshold = 2e4 / CELL_M**2
    use_cc = (cc >= cc_park) | (ga_px < threshold)
    hm = np.where(use_cc, cc, cc_park).astype(np.float32)
    hm[~valid] = np.nan
    cc = np.where(valid, cc, np.nan)
    return {"cc": cc, "hm": hm, "ga_px": ga_px, "cc_park": cc_park}


def park_mean(grid: np.ndarray, t, park, weighted: bool = False) -> float:
    """Park mean of a grid: cell-centre rule (pygeoprocessing.zonal_statistics) or,
    with ``weighted``, weighted by the share of each cell inside the park."""
    from rasterio import features

    if not weighted:
        inside = features.geometry_mask([park], grid.shape, t, invert=True)
        v = grid[inside & ~np.isnan(grid)]
        return float(v.mean())
    k = 10  # 0.5 m sub-cells
    from affine import Affine

    sub = features.geometry_mask(
        [park],
        (grid.shape[0] * k, grid.shape[1] * k),
        Affine(t.a / k, 0, t.c, 0, t.e / k, t.f),
        invert=True,
    )
    # callers pass the grid cropped to the park (_crop_to_park): the sub-grid stays small
    frac = sub.reshape(grid.shape[0], k, grid.shape[1], k).mean(axis=(1, 3))
    ok = (frac > 0) & ~np.isnan(grid)
    return float((grid[ok] * frac[ok]).sum() / frac[ok].sum())


def _crop_to_park(grid: np.ndarray, t, park, pad_cells: int = 2):
    """The grid around the park (for the sub-cell coverage weights)."""
    from affine import Affine

    x0, y0, x1, y1 = park.bounds
    c0 = max(0, int(np.floor((x0 - t.c) / t.a)) - pad_cells)
    c1 = min(grid.shape[1], int(np.ceil((x1 - t.c) / t.a)) + pad_cells)
    r0 = max(0, int(np.floor((t.f - y1) / -t.e)) - pad_cells)
    r1 = min(grid.shape[0], int(np.ceil((t.f - y0) / -t.e)) + pad_cells)
    return grid[r0:r1, c0:c1], Affine(t.a, 0, t.c + c0 * t.a, 0, t.e, t.f + r0 * t.e)


# --------------------------------------------------------------------------------------
# the comparison
# --------------------------------------------------------------------------------------
def run_engine(manifest: Path, park, name: str) -> dict:
    from werklandschap.scanengine import ENGINE_VERSION, load_bundle, scan_park

    res = scan_park(name, park, load_bundle(manifest))
    if res["status"] != "ok":
        raise RuntimeError(f"engine failed on {name}: {res.get('error')}")
    ind = res["indicators"]
    out = {"version": ENGINE_VERSION}
    for short, key in (("cc", "cooling_capacity_mean"), ("hm", "heat_mitigation_mean")):
        v = ind[key]["value"]
        out[short] = float("nan") if v is None else float(v)
        if v is None:
            print(f"note: engine gives no {key} for {name}: {ind[key].get('reason')}")
    return out


def _read_tif(path: str):
    import rasterio

    with rasterio.open(path) as ds:
        a = ds.read(1).astype(np.float64)
        nd = ds.nodata
        if nd is not None:
            a[a == nd] = np.nan
        return a, ds.transform


def compare_scene(name: str, work: Path, invest_python: str | None, modes: list[str]) -> dict:
    out_dir = work / name
    out_dir.mkdir(parents=True, exist_ok=True)
    _keys, table = class_table()
    if name in REAL_SCENES:
        import shapely

        rel, park_box = REAL_SCENES[name]
        manifest = REPO / rel
        park = shapely.box(*park_box)
        shapes, ext = real_landcover(manifest)
        lulc, t = rasterise(shapes, ext, complete=False)
    else:
        park, feats, ext = build_scene(name)
        manifest = write_bundle(out_dir, feats)
        lulc, t = rasterise(classified_shapes(feats), ext)
    inputs = write_invest_inputs(out_dir, park, lulc, t, ext, table)
    row: dict = {
        "scene": name,
        "park_ha": park.area / 1e4,
        "extent_km": ((ext[2] - ext[0]) / 1000, (ext[3] - ext[1]) / 1000),
        "landcover_share_of_extent": float((lulc > 0).mean()),
    }
    row["engine"] = run_engine(manifest, park, name)
    row["ref"], row["invest"], row["agree"] = {}, {}, {}
    for mode in modes:
        bounds = park.bounds if mode == "park" else ext
        rs, cs = invest_clip_window(lulc.shape, t, bounds)
        sub = lulc[rs, cs]
        st = t * t.translation(cs.start, rs.start)
        ref = reference_cooling(sub, table)
        hm_c, ht = _crop_to_park(ref["hm"], st, park)
        cc_c, _ = _crop_to_park(ref["cc"], st, park)
        row["ref"][mode] = {
            "cc": park_mean(ref["cc"], st, park),
            "hm": park_mean(ref["hm"], st, park),
            "cc_w": park_mean(cc_c, ht, park, weighted=True),
            "hm_w": park_mean(hm_c, ht, park, weighted=True),
        }
        if invest_python:
            inv = run_invest(invest_python, inputs, mode, out_dir)
            row["invest"][mode] = inv
            agree = {}
            for key in ("cc", "hm"):
                a, ta = _read_tif(inv[f"{key}_path"])
                if a.shape != ref[key].shape or not np.allclose(
                    [ta.c, ta.f], [st.c, st.f], atol=1e-6
                ):
                    agree[key] = float("nan")
                    agree[f"{key}_grid"] = f"{a.shape} at {ta.c},{ta.f} vs {ref[key].shape}"
                    continue
                both = ~np.isnan(a) & ~np.isnan(ref[key])
                agree[key] = float(np.abs(a[both] - ref[key][both]).max())
                agree[f"{key}_nan_mismatch"] = int((np.isnan(a) != np.isnan(ref[key])).sum())
            row["agree"][mode] = agree
    return row


def _fmt(v) -> str:
    return "   n/a" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:6.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--invest-python",
        default=os.environ.get("INVEST_PYTHON", DEFAULT_INVEST_PYTHON),
        help="interpreter of the InVEST virtualenv (env INVEST_PYTHON)",
    )
    ap.add_argument(
        "--work",
        default=str(Path(tempfile.gettempdir()) / "werklandschap-invest-compare"),
        help="work directory (bundles, InVEST workspaces)",
    )
    default_scenes = SCENE_NAMES + (list(REAL_SCENES) if REAL_DATA.is_dir() else [])
    ap.add_argument("--scenes", default=",".join(default_scenes))
    ap.add_argument(
        "--aoi",
        choices=AOI_MODES,
        default="extent",
        help="InVEST AOI variant the RESULT line compares with (both are run and shown)",
    )
    ap.add_argument("--require-invest", action="store_true", help="fail without InVEST")
    ap.add_argument("--json", help="also write all numbers to this JSON file")
    ap.add_argument("--invest-worker", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.invest_worker:
        _invest_worker(a.invest_worker)
        return 0

    version = invest_available(a.invest_python)
    if version is None:
        msg = (
            f"InVEST is not installed for {a.invest_python!r} (see "
            "../shared/research/invest-build.md); comparing with the numpy "
            "re-implementation of InVEST's steps instead"
        )
        if a.require_invest:
            print("SKIP: " + msg)
            return 2
        print("NOTE: " + msg)
    invest_python = a.invest_python if version else None
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    rows = [compare_scene(s.strip(), work, invest_python, AOI_MODES) for s in a.scenes.split(",")]
    ref_label = f"InVEST {version}" if version else "numpy reference"
    short = "InVEST" if version else "numpy"
    print()
    print(
        f"engine {rows[0]['engine']['version']} vs {ref_label}: 5 m cells, d_cool "
        f"{D_COOL_M:.0f} m, weights 0.6/0.2/0.2, constant ET0. Park means: engine "
        f"coverage-weighted, {short} by cell centre (zonal_statistics)."
    )
    for mode in AOI_MODES:
        what = "the park polygon" if mode == "park" else "the whole land-cover extent"
        print(f"\nInVEST AOI = {mode} ({what})")
        print(f"scene       park ha  eng CC  {short:>6} CC  eng HM  {short:>6} HM     dCC     dHM")
        for r in rows:
            src = (r["invest"].get(mode) if version else None) or {}
            rcc = src.get("park_mean_cc", r["ref"][mode]["cc"])
            rhm = src.get("park_mean_hm", r["ref"][mode]["hm"])
            e = r["engine"]
            print(
                f"{r['scene']:<11} {r['park_ha']:7.2f}  {_fmt(e['cc'])}  {_fmt(rcc):>9}  "
                f"{_fmt(e['hm'])}  {_fmt(rhm):>9}  {e['cc'] - rcc:+.4f} {e['hm'] - rhm:+.4f}"
            )
    print()
    print(
        "numpy re-implementation: park means (cell centre; coverage-weighted HM) and, "
        "with InVEST, the largest per-cell difference from InVEST's cc.tif / hm.tif"
    )
    for r in rows:
        for mode in AOI_MODES:
            ref = r["ref"][mode]
            agree = r["agree"].get(mode, {})
            line = (
                f"  {r['scene']:<11} aoi={mode:<6} CC {ref['cc']:.6f}  HM {ref['hm']:.6f}  "
                f"HM cov-w {ref['hm_w']:.6f}"
            )
            inv = r["invest"].get(mode)
            if inv:
                line += (
                    f"  | InVEST CC {inv['park_mean_cc']:.6f} HM {inv['park_mean_hm']:.6f}"
                    f"  max|cell diff| CC {agree.get('cc', float('nan')):.1e}"
                    f" HM {agree.get('hm', float('nan')):.1e}"
                )
            print(line)
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")

    def diff(r, key):
        src = r["invest"][a.aoi] if version else None
        refv = src[f"park_mean_{key}"] if src else r["ref"][a.aoi][key]
        return abs(r["engine"][key] - refv)

    scored = [r for r in rows if not np.isnan(r["engine"]["hm"])]
    skipped = [r["scene"] for r in rows if np.isnan(r["engine"]["hm"])]
    print(
        f"comparison for RESULT: engine vs {ref_label}, AOI = {a.aoi}"
        + (f"; not available in the engine, left out: {', '.join(skipped)}" if skipped else "")
    )
    if not scored:
        print("RESULT max_abs_diff_hm=nan max_abs_diff_cc=nan")
        return 1
    print(
        f"RESULT max_abs_diff_hm={max(diff(r, 'hm') for r in scored):.4f} "
        f"max_abs_diff_cc={max(diff(r, 'cc') for r in scored):.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
