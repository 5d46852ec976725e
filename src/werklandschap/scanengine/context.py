"""Per-park working data: the park geometry and everything read for it, read once.

Theme modules (landcover, heat, water, ...) are pure functions of this context, so
every layer and raster window is read once per park however many indicators use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from affine import Affine
from pyproj import CRS, Transformer
from rasterio.windows import Window
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from . import config
from .bundle import Bundle, RasterWindow, VectorLayer
from .errors import ParkError
from .zonal import CellSample, coverage_fraction

_POLYGONAL = {3, 6}  # shapely type ids: Polygon, MultiPolygon
# Margin of the raster windows around the park (one cell of the coarsest usual grid).
# The windows also reach as far as the zones around the park's buildings (5 m heat
# ring, 1 m flood zone) that stick out of the park; the DSM-only ground filter reads
# its own 30 m halo. Nothing else is read: raster decoding is a quarter of a scan.
RASTER_PAD_M = 1.0
# A park whose raster window has more cells than this is processed in row strips of
# about this many cells, read one at a time, so a worker's memory does not grow with
# the size of the park (12 M cells = 48 MB as float32: a 100 ha park at 0.5 m fits in
# one window, a 500 ha park takes ~4 strips). Smaller windows are read whole and kept
# for the steps that share them.
STRIP_CELLS = 12_000_000


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Only the polygonal part of each geometry (make_valid can return collections)."""
    tid = shapely.get_type_id(geoms)
    out = geoms.copy()
    for i in np.nonzero(~np.isin(tid, list(_POLYGONAL)))[0]:
        parts = shapely.get_parts(geoms[i])
        polys = [p for p in parts if shapely.get_type_id(p) in _POLYGONAL]
        out[i] = shapely.union_all(polys) if polys else shapely.Polygon()
    return out


def to_geometry(geometry: Any):
    """Accept a shapely geometry, WKB bytes, WKT or a GeoJSON-like mapping."""
    if isinstance(geometry, shapely.Geometry):
        return geometry
    if isinstance(geometry, bytes | bytearray | memoryview):
        return shapely.from_wkb(bytes(geometry))
    if isinstance(geometry, str):
        return shapely.from_wkt(geometry)
    if isinstance(geometry, dict):
        return shapely.geometry.shape(geometry)
    raise TypeError(f"unsupported geometry type {type(geometry).__name__}")


@lru_cache(maxsize=16)
def _transformer(src: str, dst: str) -> Transformer | None:
    """Cached (creating one costs ~50 ms); None when no transformation is needed."""
    a, b = CRS.from_user_input(src), CRS.from_user_input(dst)
    if a.equals(b, ignore_axis_order=True):
        return None
    return Transformer.from_crs(a, b, always_xy=True)


def prepare_park_geometry(park_id: str, geometry: Any, crs: str, target_crs: str):
    """The park polygon in the bundle CRS; ParkError for unusable geometry."""
    try:
        geom = to_geometry(geometry)
    except Exception as exc:
        raise ParkError(f"park {park_id}: geometry cannot be read ({exc})") from exc
    if geom is None or geom.is_empty:
        raise ParkError(f"park {park_id}: geometry is empty")
    if shapely.get_type_id(geom) not in _POLYGONAL:
        raise ParkError(f"park {park_id}: geometry is a {geom.geom_type}, expected a polygon")
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise ParkError(f"park {park_id}: invalid geometry ({reason})")
    tr = _transformer(str(crs), str(target_crs))
    if tr is not None:
        geom = shapely.transform(geom, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
    if geom.area <= 0:
        raise ParkError(f"park {park_id}: geometry has no area")
    return geom


def components(geoms: np.ndarray, gap: float) -> np.ndarray:
    """Connected-component label per polygon: polygons within ``gap`` metres are joined.

    This is the contiguity test InVEST lacks: scattered small patches stay separate
    areas, a row of touching green polygons is one area.
    """
    n = len(geoms)
    if n == 0:
        return np.zeros(0, dtype=int)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=gap)
    graph = coo_matrix((np.ones(left.size, dtype=np.int8), (left, right)), shape=(n, n))
    _n, labels = connected_components(graph, directed=False)
    return labels


@dataclass
class LandCover:
    """Land-cover features meeting the park (clipped areas) and green context features."""

    codes: np.ndarray  # class code per feature inside the park
    areas: np.ndarray  # area inside the park, m2
    geoms: np.ndarray  # unclipped geometry
    parking: np.ndarray  # bool
    object_types: np.ndarray  # str
    ctx_geoms: np.ndarray  # green/water features in the context window (unclipped)
    ctx_codes: np.ndarray
    sources: list[str]

    def clipped(self, park, mask: np.ndarray) -> np.ndarray:
        return shapely.intersection(self.geoms[mask], park)


@dataclass
class ParkContext:
    park_id: str
    geom: Any
    area: float
    bundle: Bundle
    params: dict[str, Any]
    context_m: float
    lc: LandCover | None = None
    lc_error: str | None = None
    _rasters: dict[str, RasterWindow | None] = field(default_factory=dict)
    _coverage: dict[tuple, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    _buildings: tuple | None = None
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return tuple(self.geom.bounds)

    def context_bounds(self, extra: float | None = None) -> tuple[float, float, float, float]:
        d = self.context_m if extra is None else extra
        x0, y0, x1, y1 = self.bounds
        return (x0 - d, y0 - d, x1 + d, y1 + d)

    # -- rasters ---------------------------------------------------------------
    def raster_bounds(self) -> tuple[float, float, float, float]:
        """Bounds the raster windows cover: the park plus RASTER_PAD_M, widened to the
        zones (heat ring, flood zone) of the park's buildings where those stick out."""
        if "raster_bounds" not in self.memo:
            x0, y0, x1, y1 = self.bounds
            b = self.buildings()
            if b is not None and b[0].size:
                zone = max(
                    float(config.value("heat", "building_heat_stress", "ring_m")),
                    float(config.value("water", "building_flood_buffer_m")),
                )
                bx0, by0, bx1, by1 = shapely.total_bounds(b[0])
                x0, y0 = min(x0, bx0 - zone), min(y0, by0 - zone)
                x1, y1 = max(x1, bx1 + zone), max(y1, by1 + zone)
            d = RASTER_PAD_M
            self.memo["raster_bounds"] = (x0 - d, y0 - d, x1 + d, y1 + d)
        return self.memo["raster_bounds"]

    def raster(self, role: str) -> RasterWindow | None:
        """Raster window over ``raster_bounds()``, read once; None if the layer is absent
        or does not meet the park. The same bounds for every role, so rasters on the
        same grid share one window and one coverage computation."""
        if role not in self._rasters:
            if role not in self.bundle.rasters:
                self._rasters[role] = None
            else:
                self._rasters[role] = self.bundle.read_raster(role, self.raster_bounds())
        return self._rasters[role]

    def raster_strips(self, role: str) -> Iterator[tuple[RasterWindow, np.ndarray, np.ndarray]]:
        """(window, flat indices of the covered cells, coverage weights) over the park's
        raster window, in row strips of at most STRIP_CELLS cells.

        A window that fits in one strip is the cached ``raster(role)`` window (read
        once for all steps). Larger windows are read strip by strip and nothing is
        kept, so memory stays flat in the park's size; statistics summed over the
        strips equal those over the whole window (every cell is in exactly one strip).
        A strip that meets no tile is all NaN with ``inside`` False. Yields nothing
        when the bundle has no such layer.
        """
        grid = self.bundle.raster_grid(role, self.raster_bounds())
        if grid is None:
            return
        win, t = grid
        # a window that is one strip is read whole and kept (see raster())
        h_all, w_all = int(win.height), int(win.width)
        if h_all * w_all <= STRIP_CELLS:
            rw = self.raster(role) or _empty_window(self.bundle, role, t, (h_all, w_all))
            yield (rw, *self.covered(rw.transform, rw.array.shape))
            return
        rows = max(1, STRIP_CELLS // w_all)
        for r0 in range(0, h_all, rows):
            h = min(rows, h_all - r0)
            st = Affine(t.a, 0.0, t.c, 0.0, t.e, t.f + r0 * t.e)
            sw = Window(win.col_off, win.row_off + r0, w_all, h)
            rw = self.bundle.read_raster_window(role, sw, st)
            rw = rw or _empty_window(self.bundle, role, st, (h, w_all))
            yield (rw, *self._covered_cells(st, (h, w_all)))  # not kept: flat memory

    def in_one_window(self, role: str) -> bool:
        """True when the park's window of raster ``role`` is read whole (at most
        STRIP_CELLS cells) rather than in strips."""
        grid = self.bundle.raster_grid(role, self.raster_bounds())
        return grid is None or int(grid[0].height) * int(grid[0].width) <= STRIP_CELLS

    def park_cells(self, role: str) -> tuple[CellSample, float]:
        """(values and coverage weights of every cell the park covers at all, share of
        the park inside the raster's tiles), gathered strip by strip: 4 + 4 bytes per
        covered cell, never the bounding box's corners or pad."""
        chunks = []
        total = inside = 0.0
        for rw, idx, w in self.raster_strips(role):
            chunks.append((rw.array.ravel()[idx], w))
            total += float(w.sum(dtype=np.float64))
            inside += float(w[rw.inside.ravel()[idx]].sum(dtype=np.float64))
        return CellSample(chunks), (inside / total if total > 0 else 0.0)

    def drop_raster(self, role: str) -> None:
        """Free a raster window that is no longer needed (memory of large parks)."""
        self._rasters[role] = None

    def covered(self, transform: Affine, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """(flat indices, coverage weights) of the cells the park covers at all, cached
        per grid. Statistics over these cells equal those over the whole window (the
        other cells weigh 0) and skip the bounding box's empty corners and the pad."""
        key = (tuple(transform)[:6], shape)
        if key not in self._coverage:
            self._coverage[key] = self._covered_cells(transform, shape)
        return self._coverage[key]

    def _covered_cells(
        self, transform: Affine, shape: tuple[int, int]
    ) -> tuple[np.ndarray, np.ndarray]:
        w = coverage_fraction(self.geom, transform, shape).ravel()
        idx = np.flatnonzero(w > 0)
        if w.size < 2**31:
            idx = idx.astype(np.int32)
        return idx, w[idx]

    def green_components(self, gap: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(green context polygons, component label per polygon, area per component);
        computed once per park (the InVEST cooling and the 3-30-300 rule both use it)."""
        key = ("green_components", gap)
        if key not in self.memo:
            lc = self.lc
            gg = lc.ctx_geoms[np.isin(lc.ctx_codes, self.bundle.mapping.green_codes)]
            labels = components(gg, gap)
            comp_area = np.bincount(labels, weights=shapely.area(gg)) if gg.size else np.zeros(0)
            self.memo[key] = (gg, labels, comp_area)
        return self.memo[key]

    def green_around(self, distance: float) -> tuple[np.ndarray, np.ndarray]:
        """(geometries, class codes) of green land cover within ``distance`` of the park's box.

        InVEST's park cooling averages over 5 x d_cool (2,250 m), much further than
        the context read with the land cover (``context_m``); only the green classes
        are needed that far out (with the land-cover extent for which cells count).
        Read once per park and distance.
        """
        if distance <= self.context_m and self.lc is not None:
            lc = self.lc
            keep = np.isin(lc.ctx_codes, self.bundle.mapping.green_codes)
            return lc.ctx_geoms[keep], lc.ctx_codes[keep]
        key = ("green_around", distance)
        if key not in self.memo:
            bundle = self.bundle
            bbox = self.context_bounds(distance)
            geoms, codes = [], []
            for lyr in bundle.layers("landcover"):
                if not _can_be_green(bundle, lyr.object_type):
                    continue
                g, c, _p = read_classified(bundle, lyr, bbox)
                green = np.isin(c, bundle.mapping.green_codes)
                geoms.append(g[green])
                codes.append(c[green])
            self.memo[key] = (
                np.concatenate(geoms) if geoms else np.zeros(0, dtype=object),
                np.concatenate(codes).astype(np.int16) if codes else np.zeros(0, np.int16),
            )
        return self.memo[key]

    def landcover_extent(self) -> list[tuple[float, float, float, float]] | None:
        """Bounds of every land-cover layer (None when a layer's extent is unknown).

        BGT is a complete tessellation of the Netherlands: inside a layer's extent
        every cell has land cover. InVEST counts only cells with land cover in its
        averages (``ignore_nodata_and_edges``); this is where they are.
        """
        boxes = [lyr.bounds for lyr in self.bundle.layers("landcover")]
        return None if any(b is None for b in boxes) else boxes

    # -- buildings -------------------------------------------------------------
    def buildings(self) -> tuple[np.ndarray, np.ndarray, str] | None:
        """(footprints meeting the park, area inside the park, provenance) or None.

        BAG buildings when the bundle has them, else the BGT 'pand' land cover.
        Counted buildings are those whose point-on-surface lies in the park.
        """
        if self._buildings is None:
            self._buildings = self._read_buildings()
        return self._buildings if self._buildings[0] is not None else None

    def _read_buildings(self):
        lyrs = self.bundle.layers("buildings")
        if lyrs:
            lyr = lyrs[0]
            geoms, _ = self.bundle.read_vector(lyr, self.bounds, [])
            geoms = polygonal(geoms)
            source = lyr.provenance
        elif self.lc is not None:
            built = self.bundle.mapping.classes["built"].code
            sel = (self.lc.codes == built) & (self.lc.object_types == "pand")
            if not sel.any():
                sel = self.lc.codes == built
            geoms = self.lc.geoms[sel]
            source = "; ".join(self.lc.sources)
        else:
            return (None, None, "")
        if geoms.size:
            shapely.prepare(self.geom)
            meets = shapely.intersects(self.geom, geoms)
            geoms = geoms[meets]
        inside = shapely.contains(self.geom, shapely.point_on_surface(geoms))
        geoms = geoms[inside]
        areas = shapely.area(shapely.intersection(geoms, self.geom)) if geoms.size else np.zeros(0)
        return (geoms, areas, source)


def _empty_window(bundle: Bundle, role: str, transform: Affine, shape: tuple[int, int]):
    """A window outside every tile of ``role``: all NaN, nothing inside."""
    return RasterWindow(
        np.full(shape, np.nan, dtype=np.float32),
        transform,
        np.zeros(shape, dtype=bool),
        bundle.rasters[role],
    )


def _can_be_green(bundle: Bundle, object_type: str) -> bool:
    mapping = bundle.mapping
    rule = mapping.rule(object_type)
    targets = {*rule.values.values(), *rule.refine_values.values()}
    if rule.default:
        targets.add(rule.default)
    return any(mapping.classes[t].green or mapping.classes[t].water for t in targets)


def read_classified(
    bundle: Bundle, lyr: VectorLayer, bbox: tuple[float, float, float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(polygons, class codes, parking flags) of one land-cover layer within ``bbox``:
    the mapping's filters applied (ground level, ...), empty geometries dropped."""
    cols = bundle.mapping.columns_for(lyr.object_type, lyr.columns)
    g, attrs = bundle.read_vector(lyr, bbox, cols)
    if g.size == 0:
        return g, np.zeros(0, dtype=np.int16), np.zeros(0, dtype=bool)
    keep = bundle.mapping.keep_mask(attrs, g.size)
    g = polygonal(g[keep])
    attrs = {k: v[keep] for k, v in attrs.items()}
    c, p = bundle.mapping.classify(lyr.object_type, attrs, g.size, lyr.label)
    nonempty = ~shapely.is_empty(g)
    return g[nonempty], c[nonempty], p[nonempty]


def read_landcover(ctx: ParkContext) -> LandCover | None:
    """Read and classify every land-cover layer for one park.

    Layers that can hold green or water are read over the park plus the context
    distance (green areas near the park matter for 3-30-300 and InVEST park
    cooling); other layers only over the park's bounding box.
    """
    bundle, park = ctx.bundle, ctx.geom
    layers: list[VectorLayer] = bundle.layers("landcover")
    if not layers:
        return None
    shapely.prepare(park)
    codes, areas, geoms, parking, otypes, ctx_g, ctx_c = [], [], [], [], [], [], []
    sources = []
    for lyr in layers:
        green = _can_be_green(bundle, lyr.object_type)
        bbox = ctx.context_bounds() if green else ctx.bounds
        g, c, p = read_classified(bundle, lyr, bbox)
        sources.append(lyr.provenance)
        if g.size == 0:
            continue
        if green:
            is_gw = np.isin(
                c, np.concatenate([bundle.mapping.green_codes, bundle.mapping.water_codes])
            )
            ctx_g.append(g[is_gw])
            ctx_c.append(c[is_gw])
        meets = shapely.intersects(park, g)
        g, c, p = g[meets], c[meets], p[meets]
        if g.size == 0:
            continue
        within = shapely.contains_properly(park, g)
        a = shapely.area(g)
        if (~within).any():
            a[~within] = shapely.area(shapely.intersection(g[~within], park))
        codes.append(c)
        areas.append(a)
        geoms.append(g)
        parking.append(p)
        otypes.append(np.full(g.size, lyr.object_type, dtype=object))

    def cat(parts, dtype):
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    return LandCover(
        codes=cat(codes, np.int16),
        areas=cat(areas, float),
        geoms=cat(geoms, object),
        parking=cat(parking, bool),
        object_types=cat(otypes, object),
        ctx_geoms=cat(ctx_g, object),
        ctx_codes=cat(ctx_c, np.int16),
        sources=sources,
    )
