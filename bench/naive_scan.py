"""Naive, full-scope reference scan for the benchmark (bench/scan_bench.py); NOT product code.

``naive_scan(park_id, geometry, manifest_path)`` computes the same indicator set as the
scan engine (``werklandschap.scanengine.scan_park``), with the same parameters, the way
a competent GIS analyst would write it in a notebook: geopandas (``read_file`` with a
bbox, ``overlay``, ``unary_union``/``explode``, ``sjoin``, ``sjoin_nearest``,
``distance``), shapely, rasterio (windows, ``rasterize``, ``reproject``), rasterstats
(one ``zonal_stats`` call per raster and set of zones) and scipy (FFT convolution for
the InVEST kernel sums, as InVEST itself does). It exists for two reasons:

1. Speed reference. The benchmark's ``vs_naive`` compares the engine with this code on
   the same parks. It is written plainly but not deliberately slowly: vectorised calls,
   each layer and raster window read once per park, intermediate results kept in local
   variables where the same function needs them twice. It has none of the engine's
   optimisations (exact boundary coverage by line integral, statistics over covered
   cells only, bulk GeoJSON conversion for rasterio, coarse/fine InVEST grids,
   components by STRtree graph, per-park coverage caches).
2. Independent check. It shares only *data* with the engine (the parameter files via
   ``werklandschap.scanengine.config.load`` and the class mapping in classes.yaml), none
   of its computational code, so agreement between the two is evidence that both
   compute what docs/scan-method.md says.

Known, expected differences (methods, not bugs):
- raster statistics: rasterstats counts a cell when its centre lies in the zone; the
  engine weights cells by their exact covered share (differences at the boundary);
  PET P90 is numpy's percentile here, the weighted-percentile method in the engine;
- InVEST CC/HM: the class mix of every 5 m cell comes from a 1 m rasterisation over
  the whole model grid (the engine: 1 m inside the park's box, cell centres outside);
  measured canopy is averaged from the 0.5 m mask to 5 m (the engine samples it at
  1 m); the park mean is over cells whose centre is in the park;
- connected green areas: polygons buffered by half the 0.5 m gap, dissolved and
  exploded (the engine: polygons within 0.5 m by an STRtree distance graph); the same
  except for round-buffer approximations at exactly 0.5 m;
- zones around buildings (1 m flood, 5 m heat ring) take the cells they touch
  (``all_touched``, as the engine); each zone is evaluated on its own, where the engine
  gives a cell shared by two zones to one of them;
- flood thresholds are compared in the raster's precision (float32): a stored 0.10 m
  is not "> 0.10 m". The engine does so for the area shares but compares a building's
  maximum in float64, so buildings whose maximum is exactly a threshold differ.

Returns {indicator key: value or None}; None where the engine reports not_available.
"""

from __future__ import annotations

import math
import warnings
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio
import shapely
import yaml
from affine import Affine
from rasterio import features
from rasterio.enums import Resampling
from rasterio.warp import reproject
from rasterstats import zonal_stats
from scipy import ndimage
from scipy.signal import fftconvolve

from werklandschap.scanengine import config

CRS = "EPSG:28992"
CONTEXT_M = 450.0  # green/water read around the park: InVEST d_cool, covers 3-30-300's 300 m
# raster windows: the park and its buildings' 5 m zones, plus 1 m; with a DSM and no
# DTM, plus 30 m for the grey-opening ground filter (as the engine reads)
RASTER_PAD_M = 1.0
DSM_ONLY_PAD_M = 30.0
EMPTY = {"None", "nan", ""}


# -- manifest and class mapping (data only) --------------------------------------


@lru_cache(maxsize=4)
def _manifest(path: str) -> tuple[dict, Path, dict]:
    """(manifest, its folder, class mapping) - parsed once per manifest, like any script
    that loads its configuration once."""
    p = Path(path)
    man = yaml.safe_load(p.read_text(encoding="utf-8"))
    ref = man.get("class_mapping")
    if ref is None or str(ref) in {"bgt", "default"}:
        mapping = config.load("classes")
    else:
        mp = Path(ref) if Path(ref).is_absolute() else p.parent / ref
        mapping = yaml.safe_load(mp.read_text(encoding="utf-8"))
    return man, p.parent, mapping


def _entries(man: dict, role: str) -> list[dict]:
    spec = man["layers"].get(role)
    if not spec:
        return []
    return spec if isinstance(spec, list) else [spec]


def _pick(columns, candidates) -> str | None:
    lower = {c.lower(): c for c in columns}
    return next((lower[c.lower()] for c in candidates if c.lower() in lower), None)


def _targets(rule: dict) -> set[str]:
    out = set((rule.get("values") or {}).values())
    out |= set(((rule.get("refine") or {}).get("values") or {}).values())
    if rule.get("default"):
        out.add(rule["default"])
    return out


def _keep(df: pd.DataFrame, mapping: dict) -> pd.Series:
    """Current ground-level features (classes.yaml filters)."""
    f = mapping.get("filters") or {}
    keep = pd.Series(True, index=df.index)
    col = _pick(df.columns, f.get("level_attributes", []))
    if col:
        lvl = pd.to_numeric(df[col], errors="coerce")
        keep &= lvl.isna() | lvl.isin(f.get("level_keep", [0]))
    for cand in f.get("end_attributes", []):
        col = _pick(df.columns, [cand])
        if col and df[col].dtype == object:
            keep &= df[col].isna() | (df[col].astype(str) == "")
    col = _pick(df.columns, f.get("status_attributes", []))
    if col:
        keep &= ~df[col].astype(str).isin([str(v) for v in f.get("status_drop", [])])
    return keep


def _classify(df: gpd.GeoDataFrame, object_type: str, mapping: dict) -> gpd.GeoDataFrame:
    """Adds columns 'cls' (scan class key) and 'parking' (bool)."""
    rule = mapping["object_types"][object_type]
    values = {str(k): str(v) for k, v in (rule.get("values") or {}).items()}
    col = _pick(df.columns, rule.get("attributes", []))
    if col is None:
        if not rule.get("default"):
            raise ValueError(f"{object_type}: no class attribute in {list(df.columns)}")
        cls = pd.Series(rule["default"], index=df.index)
    else:
        raw = df[col].astype(str)
        key = raw.where(~raw.isin(EMPTY), "<empty>")
        cls = key.map(values)
        if rule.get("default"):
            cls = cls.fillna(rule["default"])
        if cls.isna().any():
            bad = sorted(set(key[cls.isna()]))
            raise ValueError(f"{object_type}: values {bad} of '{col}' not in the class mapping")
        refine = rule.get("refine") or {}
        rcol = _pick(df.columns, refine.get("attributes", []))
        if rcol:
            rvals = {str(k): str(v) for k, v in (refine.get("values") or {}).items()}
            refined = df[rcol].astype(str).map(rvals)
            use = raw.isin([str(v) for v in refine.get("applies_to", [])]) & refined.notna()
            cls = cls.where(~use, refined)
    parking = pd.Series(False, index=df.index)
    prk = rule.get("parking") or {}
    pcol = _pick(df.columns, prk.get("attributes", []))
    if pcol and prk.get("values"):
        parking = df[pcol].astype(str).isin([str(v) for v in prk["values"]])
    return df.assign(cls=cls.astype(str), parking=parking)


# -- rasters -----------------------------------------------------------------------


def _read_raster(spec: dict, base: Path, bounds) -> tuple[np.ndarray, Affine, np.ndarray] | None:
    """Window of a (tiled) raster over ``bounds``, snapped to its grid: (values with NaN
    for no data and outside the tiles, transform, inside-a-tile mask); None if no tile
    meets the bounds."""
    tiles, res = _tiles(spec, base)
    tiles = [t for t in tiles if shapely.box(*t["bounds"]).intersects(shapely.box(*bounds))]
    if not tiles:
        return None
    gx, gy = tiles[0]["bounds"][0], tiles[0]["bounds"][3]  # grid origin (tiles share one grid)
    c0 = math.floor((bounds[0] - gx) / res + 1e-9)
    c1 = math.ceil((bounds[2] - gx) / res - 1e-9)
    r0 = math.floor((gy - bounds[3]) / res + 1e-9)
    r1 = math.ceil((gy - bounds[1]) / res - 1e-9)
    transform = Affine(res, 0, gx + c0 * res, 0, -res, gy - r0 * res)
    out = np.full((r1 - r0, c1 - c0), np.nan, dtype=np.float32)
    inside = np.zeros(out.shape, dtype=bool)
    for t in tiles:
        with rasterio.open(base / t["file"]) as ds:
            # the part of our window this tile holds, in the tile's pixel coordinates
            tc0 = round((ds.transform.c - transform.c) / res)
            tr0 = round((transform.f - ds.transform.f) / res)
            a0, a1 = max(0, tc0), min(out.shape[1], tc0 + ds.width)
            b0, b1 = max(0, tr0), min(out.shape[0], tr0 + ds.height)
            if a1 <= a0 or b1 <= b0:
                continue
            win = rasterio.windows.Window(a0 - tc0, b0 - tr0, a1 - a0, b1 - b0)
            data = ds.read(1, window=win, masked=True).astype(np.float32)
            out[b0:b1, a0:a1] = data.filled(np.nan)
            inside[b0:b1, a0:a1] = True
    return out, transform, inside


def _tiles(spec: dict, base: Path) -> tuple[list[dict], float]:
    """([{file, bounds}], cell size) of a raster role: the manifest's tile index, or
    the files' own bounds when the manifest lists plain files."""
    tiles = spec.get("tiles") or []
    if spec.get("res") and tiles and all(isinstance(t, dict) and "bounds" in t for t in tiles):
        return tiles, float(spec["res"])
    refs = [spec["file"]] if "file" in spec else []
    refs += spec.get("files") or spec.get("tiles") or []
    out = []
    for ref in refs:
        f = ref["file"] if isinstance(ref, dict) else ref
        with rasterio.open(base / f) as ds:
            out.append({"file": f, "bounds": list(ds.bounds)})
            res = ds.res[0]
    return out, float(res)


def _tile_share(spec: dict, base: Path, park) -> float:
    """Share of the park's area inside the raster's tiles."""
    tiles = shapely.union_all([shapely.box(*t["bounds"]) for t in _tiles(spec, base)[0]])
    return park.intersection(tiles).area / park.area


def _zonal(zones, arr, transform, stats, add_stats=None, all_touched=False) -> list[dict]:
    """One rasterstats call over a list of zones (NaN = no data)."""
    with warnings.catch_warnings():  # rasterstats 0.21 uses affine's deprecated '*'
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return zonal_stats(
            list(zones),
            arr,
            affine=transform,
            stats=stats,
            add_stats=add_stats,
            nodata=np.nan,
            all_touched=all_touched,
        )


# -- vector helpers ------------------------------------------------------------------


def _read(base: Path, entry: dict, bbox) -> gpd.GeoDataFrame:
    df = gpd.read_file(base / entry["file"], layer=entry.get("layer"), bbox=tuple(bbox))
    df = df[df.geometry.notna() & ~df.geometry.is_empty]
    bad = ~df.geometry.is_valid
    if bad.any():
        df.loc[bad, "geometry"] = df.geometry[bad].make_valid()
    return df


def _connected_area(polys: gpd.GeoDataFrame, gap: float) -> pd.Series:
    """Area of the connected green area (polygons closer than ``gap`` joined) each
    polygon belongs to: buffer by gap/2, dissolve, explode, join back, sum areas."""
    if polys.empty:
        return pd.Series(dtype=float)
    merged = gpd.GeoDataFrame(geometry=[polys.buffer(gap / 2).union_all()], crs=polys.crs).explode(
        index_parts=False
    )
    merged = merged.reset_index(drop=True)
    src = gpd.GeoDataFrame(
        {"a": polys.area.to_numpy()}, geometry=polys.geometry.to_numpy(), crs=polys.crs
    )
    joined = gpd.sjoin(src, merged, predicate="intersects", how="left")
    joined = joined[~joined.index.duplicated()]
    comp_area = joined.groupby("index_right")["a"].sum()
    return pd.Series(joined["index_right"].map(comp_area).to_numpy(), index=polys.index)


def _nearest(base: Path, entries: list[dict], park, radius: float) -> tuple[float | None, bool]:
    """(shortest distance park-feature within ``radius`` or None, any layer in reach).
    A layer whose extent lies farther than ``radius`` is skipped."""
    x0, y0, x1, y1 = park.bounds
    best, used = None, False
    for e in entries:
        lb = pyogrio.read_info(base / e["file"], layer=e.get("layer"), force_total_bounds=True)[
            "total_bounds"
        ]
        if lb is not None and (
            lb[0] > x1 + radius or lb[2] < x0 - radius or lb[1] > y1 + radius or lb[3] < y0 - radius
        ):
            continue
        used = True
        df = gpd.read_file(
            base / e["file"],
            layer=e.get("layer"),
            bbox=(x0 - radius, y0 - radius, x1 + radius, y1 + radius),
        )
        d = df.distance(park)
        d = d[d <= radius]
        if len(d):
            best = float(d.min()) if best is None else min(best, float(d.min()))
    return best, used


# -- the scan ------------------------------------------------------------------------

FIXED_KEYS = [
    "share_not_covered_pct",
    "landcover_coverage_pct",
    "green_share_pct",
    "green_blue_share_pct",
    "impervious_share_pct",
    "canopy_share_pct",
    "pet_mean_c",
    "pet_p90_c",
    "cooling_capacity_mean",
    "heat_mitigation_mean",
    "runoff_mm",
    "runoff_m3",
    "retention_pct",
    "storage_needed_m3",
    "storage_present_m3",
    "storage_mm",
    "storage_gap_m3",
    "public_water_storage_m3",
    "flood_area_gt10cm_pct",
    "flood_area_gt20cm_pct",
    "flood_buildings_gt10cm_pct",
    "flood_buildings_gt20cm_pct",
    "green_types_n",
    "largest_green_patch_ha",
    "nature_distance_m",
    "nature_within_500m",
    "buildings_near_green_pct",
    "buildings_heat_stress_pct",
    "roof_area_m2",
    "solar_kwp",
    "solar_mwh_yr",
    "roofs_with_panels_pct",
    "parking_area_m2",
    "parking_share_pct",
    "pt_stop_distance_m",
]


def _all_keys(class_keys: list[str], heat_cfg: dict) -> list[str]:
    pet = [f"pet_share_{c['key']}_pct" for c in heat_cfg["pet_classes"]["classes"]]
    return [f"share_{k}_pct" for k in class_keys] + FIXED_KEYS + pet


def naive_scan(park_id: str, geometry, manifest_path) -> dict[str, float | None]:
    """All engine indicators of one park (RD New polygon) against a bundle manifest."""
    man, base, mapping = _manifest(str(Path(manifest_path).resolve()))
    classes = mapping["classes"]
    keys = list(classes)
    green_cls = [k for k, v in classes.items() if v.get("green")]
    water_cls = [k for k, v in classes.items() if v.get("water")]
    sealed_cls = [k for k, v in classes.items() if v.get("sealed")]
    heat_cfg, water_cfg = config.load("heat"), config.load("water")
    energy_cfg, mob = config.load("energy"), config.load("mobility")
    inv = heat_cfg["invest_cooling"]
    gap = float(inv["contiguity_gap_m"]["value"])

    park = geometry
    park_area = park.area
    park_df = gpd.GeoDataFrame({"park_id": [park_id]}, geometry=[park], crs=CRS)
    x0, y0, x1, y1 = park.bounds
    # every indicator the engine reports; None = not available (missing layer)
    out: dict[str, float | None] = dict.fromkeys(_all_keys(keys, heat_cfg), None)

    # ---- land cover: read, classify, overlay with the park ----------------------------
    touching, context, clipped = [], [], []
    parking_attr = False
    for e in _entries(man, "landcover"):
        otype = e["object_type"]
        rule = mapping["object_types"][otype]
        green_layer = any(
            classes[t].get("green") or classes[t].get("water") for t in _targets(rule)
        )
        d = CONTEXT_M if green_layer else 0.0
        df = _read(base, e, (x0 - d, y0 - d, x1 + d, y1 + d))
        prk = rule.get("parking") or {}
        parking_attr |= (
            bool(prk.get("values")) and _pick(df.columns, prk.get("attributes", [])) is not None
        )
        if df.empty:
            continue
        df = _classify(df[_keep(df, mapping)], otype, mapping)
        df = df[["cls", "parking", "geometry"]].assign(object_type=otype)
        if green_layer:
            context.append(df[df.cls.isin(green_cls + water_cls)])
        meets = df[df.intersects(park)]
        touching.append(meets)
        ov = gpd.overlay(meets, park_df, how="intersection", keep_geom_type=True)
        clipped.append(ov)

    def cat(frames):
        frames = [f for f in frames if not f.empty]
        if not frames:
            return gpd.GeoDataFrame(
                {"cls": [], "parking": [], "object_type": []}, geometry=[], crs=CRS
            )
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=CRS)

    touching, context, clipped = cat(touching), cat(context), cat(clipped)
    has_lc = bool(_entries(man, "landcover"))

    area = clipped.area.groupby(clipped.cls).sum().reindex(keys, fill_value=0.0)
    total = float(area.sum())
    denom = max(park_area, total)
    if has_lc:
        for k in keys:
            out[f"share_{k}_pct"] = area[k] / denom * 100.0
        out["share_not_covered_pct"] = max(0.0, park_area - total) / denom * 100.0
        out["landcover_coverage_pct"] = 100.0 - out["share_not_covered_pct"]
        out["green_share_pct"] = area[green_cls].sum() / denom * 100.0
        out["green_blue_share_pct"] = area[green_cls + water_cls].sum() / denom * 100.0
        out["impervious_share_pct"] = area[sealed_cls].sum() / denom * 100.0
        prk_area = float(clipped.area[clipped.parking.astype(bool)].sum())
        out["parking_area_m2"] = prk_area if parking_attr else None
        out["parking_share_pct"] = prk_area / park_area * 100.0 if parking_attr else None

    # ---- buildings (BAG, else BGT pand), counted when their point-on-surface is in the park
    b_entries = _entries(man, "buildings")
    if b_entries:
        bld = _read(base, b_entries[0], park.bounds)
        bld = bld[bld.geom_type.isin(["Polygon", "MultiPolygon"])]
    elif has_lc:
        bld = touching[touching.cls == "built"]
        if "object_type" in bld and (bld.object_type == "pand").any():
            bld = bld[bld.object_type == "pand"]
    else:
        bld = None
    if bld is not None:
        bld = bld[bld.intersects(park)]
        bld = bld[bld.representative_point().within(park)]
        bld = bld.reset_index(drop=True)

    # ---- canopy: DSM - DTM >= 2 m, building footprints (+0.5 m) excluded --------------
    rasters = man["layers"]
    # the raster windows: the park and the zones (5 m heat ring) of its buildings
    rx0, ry0, rx1, ry1 = x0, y0, x1, y1
    if bld is not None and len(bld):
        bx0, by0, bx1, by1 = bld.buffer(5.0).total_bounds
        rx0, ry0, rx1, ry1 = min(rx0, bx0), min(ry0, by0), max(rx1, bx1), max(ry1, by1)
    m = RASTER_PAD_M if rasters.get("dtm") or not rasters.get("dsm") else DSM_ONLY_PAD_M
    pad = (rx0 - m, ry0 - m, rx1 + m, ry1 + m)
    built_fp = touching[touching.cls == "built"].geometry if has_lc else gpd.GeoSeries()
    if built_fp.empty and bld is not None:
        built_fp = bld.geometry
    canopy = None  # (canopy 1/0 with NaN outside the tiles, transform)
    src_role = "canopy" if rasters.get("canopy") else "dsm" if rasters.get("dsm") else None
    if src_role:
        win = _read_raster(rasters[src_role], base, pad)
        if win is not None:
            height, ctr, inside = win
            buf = 0.0 if src_role == "canopy" else 0.5
            shp = built_fp.buffer(buf) if buf else built_fp
            exclude = (
                features.rasterize(
                    [(g, 1) for g in shp], out_shape=height.shape, transform=ctr, dtype="uint8"
                ).astype(bool)
                if len(shp)
                else np.zeros(height.shape, dtype=bool)
            )
            if src_role == "dsm" and rasters.get("dtm"):
                dtm = _read_raster(rasters["dtm"], base, pad)
                if dtm is not None and dtm[0].shape != height.shape:
                    arr = np.full(height.shape, np.nan, dtype=np.float32)
                    reproject(
                        dtm[0],
                        arr,
                        src_transform=dtm[1],
                        dst_transform=ctr,
                        src_crs=CRS,
                        dst_crs=CRS,
                        resampling=Resampling.nearest,
                        src_nodata=np.nan,
                        dst_nodata=np.nan,
                    )
                    dtm = (arr,)
                chm = height - dtm[0] if dtm is not None else None
            elif src_role == "dsm":  # DSM only: ground = grey opening over 30 m
                size = max(3, round(30.0 / ctr.a) | 1)
                filled = np.where(np.isnan(height), np.nanmax(height), height)
                chm = height - ndimage.grey_opening(filled, size=(size, size))
                exclude |= np.isnan(height)
            else:
                chm = height
            if chm is not None:
                with np.errstate(invalid="ignore"):
                    mask = (chm >= 2.0) & ~exclude
                canopy = (np.where(inside, mask.astype(np.float32), np.nan), ctr)
    if canopy is not None and _tile_share(rasters[src_role], base, park) >= 0.99:
        # no data inside a tile counts as 'no canopy' (in the denominator)
        zs = _zonal([park], np.nan_to_num(canopy[0], nan=0.0), canopy[1], ["mean"])[0]
        out["canopy_share_pct"] = None if zs["mean"] is None else zs["mean"] * 100.0
    else:
        out["canopy_share_pct"] = None

    # ---- heat: PET statistics, buildings in heat stress ------------------------------
    pet_classes = heat_cfg["pet_classes"]["classes"]
    pet_keys = ["pet_mean_c", "pet_p90_c"] + [f"pet_share_{c['key']}_pct" for c in pet_classes]
    pet = _read_raster(rasters["heat"], base, pad) if rasters.get("heat") else None
    if pet is not None and _tile_share(rasters["heat"], base, park) >= 0.99:

        def share(lo, hi):
            def f(x):
                sel = np.ones(x.shape, dtype=bool) if lo is None else (x >= lo).filled(False)
                if hi is not None:
                    sel &= (x < hi).filled(False)
                n = x.count()
                return float(sel.sum() / n * 100.0) if n else None

            return f

        add = {f"s{c['key']}": share(c.get("lower"), c.get("upper")) for c in pet_classes}
        zs = _zonal([park], pet[0], pet[1], ["mean", "percentile_90"], add)[0]
        out["pet_mean_c"], out["pet_p90_c"] = zs["mean"], zs["percentile_90"]
        for c in pet_classes:
            out[f"pet_share_{c['key']}_pct"] = (
                zs[f"s{c['key']}"] if zs["mean"] is not None else None
            )
    else:
        out.update(dict.fromkeys(pet_keys, None))
    out["buildings_heat_stress_pct"] = None
    if pet is not None and bld is not None and len(bld):
        ring = float(heat_cfg["building_heat_stress"]["ring_m"])
        zones = bld.buffer(ring).difference(bld.geometry)
        means = pd.Series(
            [z["mean"] for z in _zonal(zones, pet[0], pet[1], ["mean"], all_touched=True)],
            dtype=float,
        )
        known = means.dropna()
        if len(known):
            thr = float(heat_cfg["building_heat_stress"]["pet_threshold_c"])
            out["buildings_heat_stress_pct"] = float((known >= thr).mean() * 100.0)

    # ---- connected green areas (InVEST GA, 3-30-300) ----------------------------------
    green_ctx = context[context.cls.isin(green_cls)] if has_lc else context
    comp_area = _connected_area(green_ctx, gap)

    # ---- InVEST urban cooling (3.20.2, factors method) on a 5 m grid -------------------
    # The grid reaches 5 x d_cool around the park (InVEST's exponential kernel), but
    # only cells inside a land-cover layer's extent count (BGT is complete there).
    if has_lc:
        cell = float(inv["grid_m"]["value"])
        d_cool = float(inv["d_cool_m"]["value"])
        ga_min = float(inv["green_area_min_ha"]["value"])
        w = inv["weights"]
        bio = inv["biophysical"]
        n = len(keys)
        shade_t = np.array([bio[k]["shade"] for k in keys] + [np.nan])
        albedo_t = np.array([bio[k]["albedo"] for k in keys] + [np.nan])
        kc_t = np.array([bio[k]["kc"] for k in keys] + [np.nan])
        green_t = np.array([1.0 if k in green_cls else 0.0 for k in keys] + [0.0])
        eti_t = kc_t  # ETI = Kc x ET0 / max(ET0): Kc with one ET0 (calc_eti_op)
        code = {k: i for i, k in enumerate(keys)}
        r_px = max(1, round(d_cool / cell))
        reach = 5 * r_px * cell
        extents = []
        for e in _entries(man, "landcover"):
            info = pyogrio.read_info(
                base / e["file"], layer=e.get("layer"), force_total_bounds=True
            )
            extents.append(tuple(e["extent"]) if e.get("extent") else info["total_bounds"])
        ex0 = min(min(b[0] for b in extents), x0 - cell)
        ey0 = min(min(b[1] for b in extents), y0 - cell)
        ex1 = max(max(b[2] for b in extents), x1 + cell)
        ey1 = max(max(b[3] for b in extents), y1 + cell)
        gx0 = math.floor(max(x0 - reach, ex0) / cell) * cell
        gy0 = math.floor(max(y0 - reach, ey0) / cell) * cell
        gx1 = math.ceil(min(x1 + reach, ex1) / cell) * cell
        gy1 = math.ceil(min(y1 + reach, ey1) / cell) * cell
        W, H = round((gx1 - gx0) / cell), round((gy1 - gy0) / cell)
        t5 = Affine(cell, 0, gx0, 0, -cell, gy1)
        k = max(1, round(cell / float(inv["landcover_subcell_m"]["value"])))
        # green far out: every green polygon within reach, read again (cell-centre rule)
        far = []
        for e in _entries(man, "landcover"):
            df = _read(base, e, (x0 - reach, y0 - reach, x1 + reach, y1 + reach))
            if df.empty:
                continue
            df = _classify(df[_keep(df, mapping)], e["object_type"], mapping)
            far.append(df[df.cls.isin(green_cls)])
        far = cat(far)
        far_codes = np.full((H, W), n, dtype=np.int16)
        if len(far):
            features.rasterize(
                [(g, code[c]) for g, c in zip(far.geometry, far.cls, strict=True)],
                out=far_codes,
                transform=t5,
            )
        valid = np.zeros((H, W), dtype=np.float64)
        features.rasterize([(shapely.box(*b), 1.0) for b in extents], out=valid, transform=t5)
        # the park's box (+1 cell) at 1 m: class mix per 5 m cell and measured canopy
        fx0 = math.floor((x0 - cell) / cell) * cell
        fy1 = math.ceil((y1 + cell) / cell) * cell
        fw = math.ceil((x1 + cell - fx0) / cell)
        fh = math.ceil((fy1 - (y0 - cell)) / cell)
        c0, r0 = round((fx0 - gx0) / cell), round((gy1 - fy1) / cell)
        tf1 = Affine(cell / k, 0, fx0, 0, -cell / k, fy1)
        codes = np.full((fh * k, fw * k), n, dtype=np.int16)
        shapes = [(g, code[c]) for g, c in zip(context.geometry, context.cls, strict=True)]
        shapes += [(g, code[c]) for g, c in zip(touching.geometry, touching.cls, strict=True)]
        if shapes:
            features.rasterize(shapes, out=codes, transform=tf1)

        def block(a, nan=False):
            b = a.reshape(fh, k, fw, k)
            with warnings.catch_warnings(), np.errstate(invalid="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                return np.nanmean(b, axis=(1, 3)) if nan else b.mean(axis=(1, 3))

        shade_sub = shade_t[codes]
        if canopy is not None:  # measured canopy share (1 m) where the elevation data cover
            measured = np.full(codes.shape, np.nan, dtype=np.float32)
            reproject(
                canopy[0],
                measured,
                src_transform=canopy[1],
                dst_transform=tf1,
                src_crs=CRS,
                dst_crs=CRS,
                resampling=Resampling.nearest,
                src_nodata=np.nan,
                dst_nodata=np.nan,
            )
            shade_sub = np.where(np.isnan(measured) | np.isnan(shade_sub), shade_sub, measured)
        cc_sub = w["shade"] * shade_sub + w["albedo"] * albedo_t[codes] + w["eti"] * eti_t[codes]
        cc = w["shade"] * shade_t[far_codes] + w["albedo"] * albedo_t[far_codes]
        cc = cc + w["eti"] * eti_t[far_codes]
        green = green_t[far_codes]
        gcc = green * np.nan_to_num(cc)
        fine = (slice(r0, r0 + fh), slice(c0, c0 + fw))
        cc[fine] = block(cc_sub, nan=True)
        green[fine] = block(green_t[codes])
        gcc[fine] = block(green_t[codes] * np.nan_to_num(cc_sub))
        # pygeoprocessing convolve_2d(ignore_nodata_and_edges=True): divide by the
        # convolution of the valid mask; dichotomous kernel (d <= R pixels, not
        # normalised: x kernel sum), exponential exp(-d/R) to 5 R (normalised)
        yy, xx = np.mgrid[-r_px : r_px + 1, -r_px : r_px + 1]
        disc = (np.hypot(xx, yy) <= r_px).astype(float)
        a = 5 * r_px
        yy, xx = np.mgrid[-a : a + 1, -a : a + 1]
        dist = np.hypot(xx, yy)
        kexp = np.where(dist <= a, np.exp(-dist / r_px), 0.0)
        kexp /= kexp.sum()

        def masked(signal, kernel):
            num = fftconvolve(signal, kernel, mode="same")
            den = fftconvolve(valid, kernel, mode="same")
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(den > 1e-6 * kernel.max(), num / den, 0.0)

        ga_px = masked(green, disc) * disc.sum()
        cc_park = masked(gcc, kexp)
        threshold_px = ga_min * 10_000.0 / cell**2
        cc0 = np.nan_to_num(cc)
        hm = np.where((cc0 >= cc_park) | (ga_px < threshold_px), cc, cc_park)
        hm = np.where(np.isnan(cc), np.nan, hm)
        out["cooling_capacity_mean"] = _zonal([park], cc, t5, ["mean"])[0]["mean"]
        out["heat_mitigation_mean"] = _zonal([park], hm, t5, ["mean"])[0]["mean"]

    # ---- water: SCS curve number, storage, flooding --------------------------------
    if has_lc:
        p_mm = float(water_cfg["design_shower"]["depth_mm"])
        cnv = water_cfg["curve_numbers"]
        group = cnv["soil_group_default"]
        cn = pd.Series({k2: float(cnv["values"][k2][group]) for k2 in keys})
        s = np.where(cn >= 100, 0.0, 25400.0 / cn - 254.0)
        q = np.where(p_mm > 0.2 * s, (p_mm - 0.2 * s) ** 2 / (p_mm + 0.8 * s), 0.0)
        runoff_m3 = float((q * area.to_numpy()).sum() / 1000.0)
        runoff_mm = runoff_m3 * 1000.0 / total if total > 0 else None
        out["runoff_mm"] = runoff_mm
        out["runoff_m3"] = runoff_m3
        out["retention_pct"] = None if runoff_mm is None else (1 - runoff_mm / p_mm) * 100.0
        sealed = float(area[sealed_cls].sum())
        needed = sealed * float(water_cfg["storage_norm"]["mm"]) / 1000.0
        # on-plot storage: features not of a public-water object type (BGT waterdeel)
        depth = {c: float(v["value"]) for c, v in water_cfg["storage_depth_m"].items()}
        volume = clipped.area * clipped.cls.map(depth).fillna(0.0)
        public = clipped.object_type.isin(water_cfg["public_water"]["object_types"])
        present = float(volume[~public].sum())
        out["public_water_storage_m3"] = float(volume[public].sum())
        out["storage_needed_m3"] = needed
        out["storage_present_m3"] = present
        out["storage_mm"] = present / sealed * 1000.0 if sealed > 0 else None
        out["storage_gap_m3"] = max(0.0, needed - present)
    fkeys = [
        "flood_area_gt10cm_pct",
        "flood_area_gt20cm_pct",
        "flood_buildings_gt10cm_pct",
        "flood_buildings_gt20cm_pct",
    ]
    out.update(dict.fromkeys(fkeys, None))
    flood = _read_raster(rasters["flood"], base, pad) if rasters.get("flood") else None
    if flood is not None and _tile_share(rasters["flood"], base, park) >= 0.99:
        t10, t20 = (float(v) for v in water_cfg["flood_thresholds_m"]["values"])
        depth = np.nan_to_num(flood[0], nan=0.0)  # no data = dry
        # compare in the raster's precision: depths are stored in cm as float32, and a
        # stored 0.10 (float32 0.100000001) is not "> 0.10 m" (np.ma would upcast)
        f10, f20 = np.float32(t10), np.float32(t20)
        add = {
            "gt10": lambda x: float((x > f10).sum() / x.count() * 100.0),
            "gt20": lambda x: float((x > f20).sum() / x.count() * 100.0),
        }
        zs = _zonal([park], depth, flood[1], ["count"], add)[0]
        out["flood_area_gt10cm_pct"], out["flood_area_gt20cm_pct"] = zs["gt10"], zs["gt20"]
        if bld is not None and len(bld):
            zones = bld.buffer(float(water_cfg["building_flood_buffer_m"]["value"]))
            mx = pd.Series(
                [z["max"] for z in _zonal(zones, flood[0], flood[1], ["max"], all_touched=True)],
                dtype=float,
            ).fillna(0.0)
            mx = mx.to_numpy(dtype=np.float32)
            out["flood_buildings_gt10cm_pct"] = float((mx > f10).mean() * 100.0)
            out["flood_buildings_gt20cm_pct"] = float((mx > f20).mean() * 100.0)

    # ---- biodiversity -------------------------------------------------------------------
    if has_lc:
        out["green_types_n"] = float(
            sum(area[c] >= 0.01 * park_area for c in green_cls if c != "green_other")
        )
        gclip = clipped[clipped.cls.isin(green_cls)]
        patches = _connected_area(gclip, gap)
        out["largest_green_patch_ha"] = float(patches.max()) / 10_000.0 if len(patches) else 0.0
    nature = _entries(man, "nature")
    if nature:
        dist, used = _nearest(base, nature, park, float(mob["nature_search_radius_m"]["value"]))
        out["nature_distance_m"] = dist
        flag_m = float(mob["nature_flag_distance_m"]["value"])
        out["nature_within_500m"] = (
            float(dist <= flag_m) if dist is not None else (0.0 if used else None)
        )

    # ---- health: buildings within 300 m of connected green >= 0.5 ha -----------------
    if has_lc and bld is not None:
        if len(bld) == 0:
            out["buildings_near_green_pct"] = None
        else:
            big = (
                green_ctx[
                    (comp_area >= float(mob["green_access_min_ha"]["value"]) * 1e4).to_numpy()
                ]
                if len(green_ctx)
                else green_ctx
            )
            near = 0
            if len(big):
                j = gpd.sjoin_nearest(
                    bld[["geometry"]],
                    big[["geometry"]],
                    max_distance=float(mob["green_access_distance_m"]["value"]),
                )
                near = j.index.nunique()
            out["buildings_near_green_pct"] = near / len(bld) * 100.0

    # ---- energy ---------------------------------------------------------------------------
    if bld is not None:
        roof = float(bld.intersection(park).area.sum())
        kwp = (
            roof
            * float(energy_cfg["usable_roof_fraction"]["value"])
            * float(energy_cfg["kwp_per_m2_panel"]["value"])
        )
        out["roof_area_m2"] = roof
        out["solar_kwp"] = kwp
        out["solar_mwh_yr"] = kwp * float(energy_cfg["kwh_per_kwp_year"]["value"]) / 1000.0
        pe = _entries(man, "solar_panels")
        out["roofs_with_panels_pct"] = None
        if pe and roof > 0:
            panels = _read(base, pe[0], park.bounds)
            roofs = bld.union_all().intersection(park)
            covered = panels.union_all().intersection(roofs).area if len(panels) else 0.0
            out["roofs_with_panels_pct"] = min(100.0, covered / roof * 100.0)

    # ---- mobility: distance to a PT stop -----------------------------------------------
    stops = _entries(man, "pt_stops")
    if stops:
        out["pt_stop_distance_m"], _ = _nearest(
            base, stops, park, float(mob["pt_search_radius_m"]["value"])
        )

    # ---- completeness: too little land cover -> its indicators are not available -----
    rule = config.load("completeness")["landcover"]
    cov = out["landcover_coverage_pct"]
    if cov is not None and cov < float(rule["min_coverage_pct"]["value"]):
        gone = list(rule["affected"]["values"])
        if not b_entries:  # buildings are BGT pand: their totals miss the unmapped part
            gone += rule["affected_when_buildings_from_landcover"]["values"]
        if cov < float(rule["model_min_coverage_pct"]["value"]):
            gone += rule["model_affected"]["values"]
        out.update(dict.fromkeys(gone, None))
    return {k: (None if v is None else float(v)) for k, v in out.items()}
