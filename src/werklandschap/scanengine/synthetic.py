"""SYNTHETIC data bundles for the demo and the benchmark, clearly labelled as such.

``make_bundle(parks, out_dir)`` writes, for the given park polygons (RD New), a
bundle in the real formats the engine reads: BGT-like land cover (GeoPackage
layers named and attributed as GDAL's BGT import does), BAG-like buildings,
DSM/DTM, PET and flood-depth GeoTIFFs, Natura 2000-like polygons, PT stops and
solar panels. The manifest says ``synthetic: true`` and is named "Synthetische
demodata": nothing in it is a measurement.

Land cover is a generated partition of each park's surroundings: a road grid,
plots with a hall, parking in front, a yard strip, grass and tree strips, now and
then a ditch, pond or wadi; every surface is split into tiles (``tile_m``) so that
a park has BGT-like density (thousands of polygons per 25 ha at the benchmark's
8 m tiles). Rasters are written as one window per cluster of nearby parks, never
as a country-wide raster; the manifest lists the tiles with their bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio.raw
import rasterio
import shapely
import yaml
from affine import Affine
from rasterio import features
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

RD = "EPSG:28992"
GRASS = ("groenvoorziening", "gras- en kruidachtigen")
SHRUBS = ("groenvoorziening", "heesters")
TREES = ("groenvoorziening", "bosplantsoen")
WADI = ("groenvoorziening", "wadi")

# raster class codes (internal to the generator)
C_BUILT, C_CLOSED, C_OPEN, C_YARD, C_GRASS, C_SHRUB, C_TREES, C_WATER, C_WADI = range(1, 10)


@dataclass
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float
    kind: str  # building, road, parking, yard, grass, shrubs, trees, water, wadi

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0


_CODE = {
    "building": C_BUILT,
    "road": C_CLOSED,
    "parking": C_OPEN,
    "yard": C_YARD,
    "grass": C_GRASS,
    "shrubs": C_SHRUB,
    "trees": C_TREES,
    "water": C_WATER,
    "wadi": C_WADI,
}


def _plots(r: Rect, rng, max_m2: float) -> list[Rect]:
    """Split a block recursively into plots of at most ``max_m2``."""
    if r.w * r.h <= max_m2 or min(r.w, r.h) < 60:
        return [r]
    f = rng.uniform(0.35, 0.65)
    if r.w >= r.h:
        xm = r.x0 + f * r.w
        return _plots(Rect(r.x0, r.y0, xm, r.y1, ""), rng, max_m2) + _plots(
            Rect(xm, r.y0, r.x1, r.y1, ""), rng, max_m2
        )
    ym = r.y0 + f * r.h
    return _plots(Rect(r.x0, r.y0, r.x1, ym, ""), rng, max_m2) + _plots(
        Rect(r.x0, ym, r.x1, r.y1, ""), rng, max_m2
    )


def _plot_layout(p: Rect, rng) -> list[Rect]:
    """A business plot: parking in front, yard, hall, side grass, back strip."""
    if p.w < 30 or p.h < 45:
        return [Rect(p.x0, p.y0, p.x1, p.y1, str(rng.choice(["grass", "yard", "shrubs"])))]
    pd = min(25.0, 0.25 * p.h)
    back = min(12.0, 0.15 * p.h)
    side = min(6.0, 0.1 * p.w)
    y_park, y_yard = p.y0 + pd, p.y0 + pd + 3.0
    y_back = p.y1 - back
    back_kind = str(
        rng.choice(
            ["trees", "grass", "shrubs", "water", "wadi", "trees"],
            p=[0.35, 0.25, 0.15, 0.1, 0.05, 0.1],
        )
    )
    return [
        Rect(p.x0, p.y0, p.x1, y_park, "parking"),
        Rect(p.x0, y_park, p.x1, y_yard, "yard"),
        Rect(p.x0, y_yard, p.x0 + side, y_back, "grass"),
        Rect(p.x1 - side, y_yard, p.x1, y_back, str(rng.choice(["grass", "shrubs", "yard"]))),
        Rect(p.x0 + side, y_yard, p.x1 - side, y_back, "building"),
        Rect(p.x0, y_back, p.x1, p.y1, back_kind),
    ]


def layout(
    bounds: tuple[float, float, float, float],
    rng,
    road_spacing=(140.0, 220.0),
    road_w: float = 12.0,
    plot_m2: float = 15000.0,
) -> list[Rect]:
    """A partition of ``bounds`` into land-cover rectangles (roads, plots)."""
    x0, y0, x1, y1 = bounds

    def cuts(a, b):
        out, pos = [], a + rng.uniform(*road_spacing) / 2
        while pos + road_w < b - 20:
            out.append(pos)
            pos += rng.uniform(*road_spacing)
        return out

    xs, ys = cuts(x0, x1), cuts(y0, y1)
    rects: list[Rect] = []
    xe = [x0, *[v for x in xs for v in (x, x + road_w)], x1]
    ye = [y0, *[v for y in ys for v in (y, y + road_w)], y1]
    for i in range(len(xe) - 1):
        for j in range(len(ye) - 1):
            r = Rect(xe[i], ye[j], xe[i + 1], ye[j + 1], "")
            if r.w <= 0 or r.h <= 0:
                continue
            if i % 2 == 1 or j % 2 == 1:  # a road strip (odd intervals are roads)
                rects.append(Rect(r.x0, r.y0, r.x1, r.y1, "road"))
                continue
            for p in _plots(r, rng, plot_m2):
                rects.extend(_plot_layout(p, rng))
    return [r for r in rects if r.w > 0.01 and r.h > 0.01]


def _tiles(r: Rect, tile_m: float) -> list[tuple[float, float, float, float]]:
    if r.kind == "building" or (r.w <= tile_m and r.h <= tile_m):
        return [(r.x0, r.y0, r.x1, r.y1)]
    nx, ny = max(1, int(np.ceil(r.w / tile_m))), max(1, int(np.ceil(r.h / tile_m)))
    xs = np.linspace(r.x0, r.x1, nx + 1)
    ys = np.linspace(r.y0, r.y1, ny + 1)
    return [(xs[i], ys[j], xs[i + 1], ys[j + 1]) for i in range(nx) for j in range(ny)]


def _clusters(boxes: list[tuple], gap: float) -> list[list[int]]:
    geoms = np.array([shapely.box(*b) for b in boxes])
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="dwithin", distance=gap)
    n = len(geoms)
    _k, labels = connected_components(
        coo_matrix((np.ones(a.size), (a, b)), shape=(n, n)), directed=False
    )
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return list(groups.values())


class _LayerWriter:
    """Buffers features per layer and appends them to a GeoPackage in chunks."""

    def __init__(
        self, path: Path, layer: str, fields: list[str], geometry_type: str, chunk: int = 200_000
    ):
        self.path, self.layer, self.fields, self.gtype = path, layer, fields, geometry_type
        self.geoms: list = []
        self.rows: dict[str, list] = {f: [] for f in fields}
        self.chunk = chunk
        self.written = False

    def add(self, geom, **attrs) -> None:
        self.geoms.append(geom)
        for f in self.fields:
            self.rows[f].append(attrs.get(f))
        if len(self.geoms) >= self.chunk:
            self.flush()

    def flush(self, force: bool = False) -> None:
        if not self.geoms and (self.written or not force):
            return
        wkb = (
            np.array(shapely.to_wkb(np.array(self.geoms, dtype=object)), dtype=object)
            if self.geoms
            else np.array([], dtype=object)
        )
        data = []
        for f in self.fields:
            vals = self.rows[f]
            if vals and isinstance(next((v for v in vals if v is not None), ""), int | float):
                data.append(
                    np.array(
                        vals, dtype=float if any(isinstance(v, float) for v in vals) else np.int32
                    )
                )
            else:
                data.append(np.array(["" if v is None else str(v) for v in vals], dtype=object))
        pyogrio.raw.write(
            str(self.path),
            wkb,
            data,
            self.fields,
            layer=self.layer,
            driver="GPKG",
            geometry_type=self.gtype,
            crs=RD,
            append=self.written or (self.path.exists() and self._has_layer()),
            promote_to_multi=False,
        )
        self.written = True
        self.geoms = []
        self.rows = {f: [] for f in self.fields}

    def _has_layer(self) -> bool:
        try:
            return self.layer in [str(x[0]) for x in pyogrio.list_layers(self.path)]
        except Exception:
            return False


def _smooth_field(shape, rng, sigma: float) -> np.ndarray:
    """Unit-variance smooth noise; wide kernels are made on a coarser grid and
    interpolated (a 500 ha park at 0.5 m would otherwise take minutes)."""
    f = max(1, int(sigma // 4))
    small = (shape[0] // f + 2, shape[1] // f + 2)
    g = ndimage.gaussian_filter(rng.standard_normal(small).astype("float32"), sigma / f)
    if f > 1:
        g = ndimage.zoom(g, f, order=1)
    g = g[: shape[0], : shape[1]]
    s = g.std()
    return g / s if s > 0 else g


def _write_tif(path: Path, arr: np.ndarray, transform: Affine, nodata=None) -> None:
    profile = {
        "driver": "GTiff",
        "width": arr.shape[1],
        "height": arr.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": RD,
        "transform": transform,
        "compress": "deflate",
        "predictor": 3,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }
    if nodata is not None:
        profile["nodata"] = nodata
    if arr.shape[0] < 256 or arr.shape[1] < 256:
        profile.update(tiled=False)
        profile.pop("blockxsize")
        profile.pop("blockysize")
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(arr.astype("float32"), 1)


def make_bundle(
    parks: list[tuple[str, object]],
    out_dir: str | Path,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    heat_resolution: float = 2.0,
    tile_m: float = 25.0,
    margin_m: float = 60.0,
) -> Path:
    """Write a SYNTHETIC bundle covering ``parks`` ((id, polygon in RD New)) and return
    the manifest path. Deterministic for a given seed. ``resolution``: DSM/DTM/flood
    cell size (m); ``tile_m``: maximum land-cover polygon size (smaller = denser)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "rasters").mkdir(exist_ok=True)
    for old in ("bgt.gpkg", "bag.gpkg", "natura2000.gpkg", "ov_haltes.gpkg", "zonnepanelen.gpkg"):
        (out / old).unlink(missing_ok=True)
    rng = np.random.default_rng(seed)
    geoms = [shapely.from_wkb(g) if isinstance(g, bytes) else g for _pid, g in parks]
    boxes = []
    for g in geoms:
        x0, y0, x1, y1 = g.bounds
        step = max(resolution, heat_resolution) * 10
        boxes.append(
            (
                np.floor((x0 - margin_m) / step) * step,
                np.floor((y0 - margin_m) / step) * step,
                np.ceil((x1 + margin_m) / step) * step,
                np.ceil((y1 + margin_m) / step) * step,
            )
        )
    bgt = {
        "pand": _LayerWriter(
            out / "bgt.gpkg",
            "buildingpart",
            ["gml_id", "bgt_status", "relatievehoogteligging", "identificatiebagpnd"],
            "Polygon",
        ),
        "wegdeel": _LayerWriter(
            out / "bgt.gpkg",
            "trafficarea",
            ["gml_id", "bgt_status", "relatievehoogteligging", "function", "surfacematerial"],
            "Polygon",
        ),
        "begroeidterreindeel": _LayerWriter(
            out / "bgt.gpkg",
            "plantcover",
            ["gml_id", "bgt_status", "relatievehoogteligging", "class", "plus_fysiekvoorkomen"],
            "Polygon",
        ),
        "onbegroeidterreindeel": _LayerWriter(
            out / "bgt.gpkg",
            "onbegroeidterreindeel",
            ["gml_id", "bgt_status", "relatievehoogteligging", "bgt_fysiekvoorkomen"],
            "Polygon",
        ),
        "waterdeel": _LayerWriter(
            out / "bgt.gpkg",
            "waterdeel",
            ["gml_id", "bgt_status", "relatievehoogteligging", "class"],
            "Polygon",
        ),
    }
    bag = _LayerWriter(out / "bag.gpkg", "pand", ["identificatie", "bouwjaar"], "Polygon")
    nature = _LayerWriter(out / "natura2000.gpkg", "natura2000", ["naam", "nummer"], "Polygon")
    stops = _LayerWriter(out / "ov_haltes.gpkg", "haltes", ["halte_id", "naam"], "Point")
    panels = _LayerWriter(out / "zonnepanelen.gpkg", "zonnepanelen", ["pand_id"], "Polygon")
    tiles: dict[str, list] = {k: [] for k in ("dsm", "dtm", "heat", "flood")}
    fid = 0
    for ci, members in enumerate(_clusters(boxes, 10.0)):
        b = np.array([boxes[i] for i in members])
        cb = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
        rects = layout(cb, rng)
        shapes = []
        for r in rects:
            code = _CODE[r.kind]
            g = shapely.box(r.x0, r.y0, r.x1, r.y1)
            shapes.append((g, code))
            if r.kind == "building":
                fid += 1
                bid = f"0000100{fid:09d}"
                bgt["pand"].add(
                    g,
                    gml_id=f"pand.{fid}",
                    bgt_status="bestaand",
                    relatievehoogteligging=0,
                    identificatiebagpnd=bid,
                )
                bag.add(g, identificatie=bid, bouwjaar=int(rng.integers(1965, 2022)))
                if rng.random() < 0.4:  # panels on part of the roof
                    f = rng.uniform(0.3, 0.8)
                    panels.add(
                        shapely.box(r.x0 + 2, r.y0 + 2, r.x0 + 2 + (r.w - 4) * f, r.y1 - 2),
                        pand_id=bid,
                    )
                continue
            for t in _tiles(r, tile_m):
                fid += 1
                tg = shapely.box(*t)
                base = {"gml_id": f"f.{fid}", "bgt_status": "bestaand", "relatievehoogteligging": 0}
                if r.kind == "road":
                    bgt["wegdeel"].add(
                        tg,
                        function="rijbaan lokale weg",
                        surfacematerial="gesloten verharding",
                        **base,
                    )
                elif r.kind == "parking":
                    bgt["wegdeel"].add(
                        tg, function="parkeervlak", surfacematerial="open verharding", **base
                    )
                elif r.kind == "yard":
                    bgt["onbegroeidterreindeel"].add(tg, bgt_fysiekvoorkomen="erf", **base)
                elif r.kind in ("grass", "shrubs", "trees", "wadi"):
                    cls, plus = {"grass": GRASS, "shrubs": SHRUBS, "trees": TREES, "wadi": WADI}[
                        r.kind
                    ]
                    bgt["begroeidterreindeel"].add(
                        tg, plus_fysiekvoorkomen=plus, **base, **{"class": cls}
                    )
                elif r.kind == "water":
                    bgt["waterdeel"].add(tg, **base, **{"class": "watervlakte"})
        _cluster_rasters(out, ci, cb, shapes, rng, resolution, heat_resolution, tiles)
        # PT stops: one near most clusters, at 100-1500 m
        if rng.random() < 0.85:
            ang, dist = rng.uniform(0, 2 * np.pi), rng.uniform(100, 1500)
            cx, cy = (cb[0] + cb[2]) / 2, (cb[1] + cb[3]) / 2
            stops.add(
                shapely.Point(cx + np.cos(ang) * dist, cy + np.sin(ang) * dist),
                halte_id=f"NL:Q:{ci}",
                naam=f"Synthetische halte {ci}",
            )
        if rng.random() < 0.3:  # a Natura 2000-like area at 0-3 km
            cx, cy = cb[2] + rng.uniform(0, 3000), (cb[1] + cb[3]) / 2
            nature.add(
                shapely.Point(cx, cy).buffer(rng.uniform(300, 1500), quad_segs=8),
                naam=f"Synthetisch natuurgebied {ci}",
                nummer=int(ci),
            )
    for w in [*bgt.values(), bag, nature, stops, panels]:
        w.flush(force=True)
    return _write_manifest(out, tiles, resolution, heat_resolution, seed)


def _cluster_rasters(out, ci, cb, shapes, rng, res, heat_res, tiles) -> None:
    x0, y0, x1, y1 = cb
    w, h = round((x1 - x0) / res), round((y1 - y0) / res)
    t = Affine(res, 0, x0, 0, -res, y1)
    cls = features.rasterize(shapes, out_shape=(h, w), transform=t, dtype="uint8")
    # DTM: a gentle surface around a random NAP level, rounded to cm
    base = rng.uniform(-2.0, 8.0)
    dtm = base + 0.4 * _smooth_field((h, w), rng, 40 / res)
    dtm = np.round(dtm, 2).astype("float32")
    height = np.zeros((h, w), dtype="float32")
    bmask = cls == C_BUILT
    if bmask.any():
        lab, n = ndimage.label(bmask)
        heights = rng.uniform(7.0, 14.0, n + 1).astype("float32")
        height[bmask] = heights[lab[bmask]]
    # tree crowns: blobs in tree strips plus street trees along road edges
    crowns = np.zeros((h, w), dtype="float32")
    trees = cls == C_TREES
    road = cls == C_CLOSED
    cand = trees | (road & ~ndimage.binary_erosion(road, iterations=max(1, int(2 / res))))
    yy, xx = np.nonzero(cand)
    if yy.size:
        k = max(1, int(yy.size * res * res / 60))  # ~1 tree per 60 m2 of candidate area
        pick = rng.choice(yy.size, size=min(k, yy.size), replace=False)
        crowns[yy[pick], xx[pick]] = 1.0
        crowns = ndimage.gaussian_filter(crowns, 2.5 / res) * (2 * np.pi * (2.5 / res) ** 2)
        crown_h = np.where(crowns > 0.35, rng.uniform(6, 14) + 3 * np.minimum(crowns, 1), 0)
        height = np.maximum(height, crown_h.astype("float32") * ~bmask)
    dsm = np.round(dtm + height, 2).astype("float32")
    # PET (°C) on a hot day: by surface, shade lowers it, mixing by smoothing
    pet_by = np.array([40, 38, 46, 44, 44, 37, 35, 33, 31, 35], dtype="float32")
    pet = pet_by[cls] - 9.0 * (height > 2) * ~bmask
    pet = ndimage.gaussian_filter(pet, 3 / res) + 0.8 * _smooth_field((h, w), rng, 5 / res)
    k = max(1, round(heat_res / res))
    hh, ww = h // k, w // k
    pet = pet[: hh * k, : ww * k].reshape(hh, k, ww, k).mean(axis=(1, 3))
    # flood depth (m) after the design shower: low spots on paving
    low = _smooth_field((h, w), rng, 15 / res)
    paved = np.isin(cls, [C_CLOSED, C_OPEN, C_YARD])
    flood = np.where(paved, np.clip((low - 1.2) * 0.25, 0, 0.45), 0).astype("float32")
    flood = np.round(flood, 2)
    name = f"c{ci:05d}"
    for role, arr, tr, nodata in (
        ("dsm", dsm, t, -9999.0),
        ("dtm", dtm, t, -9999.0),
        ("heat", pet, Affine(res * k, 0, x0, 0, -res * k, y1), -9999.0),
        ("flood", flood, t, -9999.0),
    ):
        f = out / "rasters" / f"{role}_{name}.tif"
        _write_tif(f, arr, tr, nodata)
        tiles[role].append(
            {
                "file": f"rasters/{f.name}",
                "bounds": [
                    float(x0),
                    float(y1 - arr.shape[0] * tr.a),
                    float(x0 + arr.shape[1] * tr.a),
                    float(y1),
                ],
            }
        )


def _write_manifest(out: Path, tiles: dict, res: float, heat_res: float, seed: int) -> Path:
    synth = "SYNTHETISCH - gegenereerd door werklandschap.scanengine.synthetic, geen meting"
    lc = [
        {"name": f"Synthetische BGT {t}", "file": "bgt.gpkg", "layer": layer, "object_type": t}
        for t, layer in (
            ("pand", "buildingpart"),
            ("wegdeel", "trafficarea"),
            ("begroeidterreindeel", "plantcover"),
            ("onbegroeidterreindeel", "onbegroeidterreindeel"),
            ("waterdeel", "waterdeel"),
        )
    ]
    doc = {
        "name": "Synthetische demodata",
        "synthetic": True,
        "description": f"{synth}. Seed {seed}. Formats as BGT/BAG/AHN/Klimaateffectatlas, "
        "values invented.",
        "crs": RD,
        "date": "2025-01-01",
        "version": f"synthetic-seed-{seed}",
        "class_mapping": "bgt",
        "layers": {
            "landcover": lc,
            "buildings": {"name": "Synthetische BAG panden", "file": "bag.gpkg", "layer": "pand"},
            "dsm": {
                "name": "Synthetische AHN DSM",
                "tiles": tiles["dsm"],
                "res": res,
                "nodata": -9999.0,
            },
            "dtm": {
                "name": "Synthetische AHN DTM",
                "tiles": tiles["dtm"],
                "res": res,
                "nodata": -9999.0,
            },
            "heat": {
                "name": "Synthetische hittekaart (PET)",
                "tiles": tiles["heat"],
                "res": heat_res,
                "nodata": -9999.0,
                "unit": "°C PET",
            },
            "flood": {
                "name": "Synthetische waterdiepte (70 mm/uur)",
                "tiles": tiles["flood"],
                "res": res,
                "nodata": -9999.0,
                "unit": "m",
            },
            "nature": [{"name": "Synthetische Natura 2000", "file": "natura2000.gpkg"}],
            "pt_stops": {"name": "Synthetische ov-haltes", "file": "ov_haltes.gpkg"},
            "solar_panels": {"name": "Synthetische zonnepanelen", "file": "zonnepanelen.gpkg"},
        },
    }
    path = out / "bundle.yaml"
    path.write_text(
        "# " + synth + "\n" + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return path
