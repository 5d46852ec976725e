"""Zonal statistics with exact partial-pixel coverage.

Why our own coverage routine: a scan reads several rasters on the same grid (DSM,
DTM, canopy, flood) and needs many statistics from each. Computing the exact
coverage fraction of every cell once, as a dense array, and reusing it for every
statistic is cheaper than a zonal-statistics call per raster and statistic. The
fractions are exact (the area of the polygon inside each cell divided by the cell
area), the same quantity exactextract computes; ``tests/scanengine`` cross-checks
both against exactextract and against rasterstats (centre-of-cell sampling).

Method: cells whose centre lies inside the polygon and which the boundary does not
touch are fully covered (fraction 1), cells the boundary does not touch and whose
centre is outside are not covered (0). Only cells the boundary passes through get a
fraction, computed exactly from the polygon's edges (``boundary_fractions``: Green's
theorem per cell, vectorised; it replaced a GEOS intersection per boundary cell,
same values to float32 rounding, ~20x faster).
"""

from __future__ import annotations

import numpy as np
import shapely
from affine import Affine
from rasterio import features
from rasterio.windows import Window


def coverage_fraction(geom, transform: Affine, shape: tuple[int, int]) -> np.ndarray:
    """Exact share (0-1) of each cell covered by ``geom``; float32 array of ``shape``.

    Unit: fraction of the cell area. Source: cells the boundary does not pass through
    are 0 or 1 (GDAL centre rule); the cells along the boundary get their exact area
    share from the line integral of ``boundary_fractions`` (the same quantity as a
    GEOS intersection of the cell with the polygon, without one overlay per cell).
    """
    out = np.zeros(shape, dtype=np.float32)
    if geom is None or geom.is_empty or shape[0] == 0 or shape[1] == 0:
        return out
    features.rasterize(
        [(geom, 1)], out_shape=shape, transform=transform, out=out, all_touched=False
    )
    edges = _ring_edges(geom)
    rows, cols = _edge_cells(edges, transform, shape)
    if rows.size:
        frac = boundary_fractions(edges, transform, rows, cols)
        out[rows, cols] = np.clip(frac, 0.0, 1.0)
    return out


def _ring_edges(geom) -> tuple[np.ndarray, ...]:
    """Directed edges (xa, ya, xb, yb) of every ring of ``geom``, exteriors
    counter-clockwise and holes clockwise (so the line integral of x dy is the area)."""
    geom = shapely.orient_polygons(geom, exterior_cw=False)
    parts = shapely.get_parts(geom)
    parts = parts[shapely.get_type_id(parts) == 3]
    rings = shapely.get_rings(parts)
    coords, idx = shapely.get_coordinates(rings, return_index=True)
    same = idx[1:] == idx[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    return a[:, 0], a[:, 1], b[:, 0], b[:, 1]


def _edge_rows(edges, transform: Affine, r_lo: int, r_hi: int):
    """(edge index, row) pairs: every grid row (r_lo..r_hi) whose band an edge's y range
    meets; horizontal edges are left out (they add nothing to the integral)."""
    _xa, ya, _xb, yb = edges
    e, gy = transform.e, transform.f
    moving = np.nonzero(yb != ya)[0]
    top = np.maximum(ya[moving], yb[moving])
    bottom = np.minimum(ya[moving], yb[moving])
    first = np.clip(np.floor((gy - top) / -e).astype(np.int64), r_lo, r_hi + 1)
    last = np.clip(np.floor((gy - bottom) / -e).astype(np.int64), r_lo - 1, r_hi)
    span = np.maximum(last - first + 1, 0)
    k = np.repeat(np.arange(moving.size), span)
    offs = np.arange(k.size) - np.repeat(np.cumsum(span) - span, span)
    return moving[k], first[k] + offs


def _edge_cells(edges, transform: Affine, shape: tuple[int, int]):
    """Row-major (rows, cols) of a superset of the cells the boundary passes through:
    per edge and row band, the columns its x range spans there, plus one on each side."""
    xa, ya, xb, yb = edges
    if xa.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    h, w = shape
    a, e, gx, gy = transform.a, transform.e, transform.c, transform.f
    ei, r = _edge_rows(edges, transform, 0, h - 1)
    y1 = gy + r * e
    y0 = y1 + e
    exa, eya, exb, eyb = xa[ei], ya[ei], xb[ei], yb[ei]
    t0 = np.clip((y0 - eya) / (eyb - eya), 0.0, 1.0)
    t1 = np.clip((y1 - eya) / (eyb - eya), 0.0, 1.0)
    xs0, xs1 = exa + t0 * (exb - exa), exa + t1 * (exb - exa)
    c0 = np.clip(np.floor((np.minimum(xs0, xs1) - gx) / a).astype(np.int64) - 1, 0, w - 1)
    c1 = np.clip(np.floor((np.maximum(xs0, xs1) - gx) / a).astype(np.int64) + 1, 0, w - 1)
    n = np.maximum(c1 - c0 + 1, 0)
    # horizontal edges: the cells along them, and their two rows
    flat = np.nonzero(ya == yb)[0]
    if flat.size:
        rr = np.floor((gy - ya[flat]) / -e).astype(np.int64)
        fr = np.concatenate([rr - 1, rr])
        fx0 = np.tile(np.minimum(xa[flat], xb[flat]), 2)
        fx1 = np.tile(np.maximum(xa[flat], xb[flat]), 2)
        fc0 = np.clip(np.floor((fx0 - gx) / a).astype(np.int64) - 1, 0, w - 1)
        fc1 = np.clip(np.floor((fx1 - gx) / a).astype(np.int64) + 1, 0, w - 1)
        okr = (fr >= 0) & (fr < h)
        r = np.concatenate([r, fr[okr]])
        c0 = np.concatenate([c0, fc0[okr]])
        n = np.concatenate([n, np.maximum(fc1 - fc0 + 1, 0)[okr]])
    k = np.repeat(np.arange(r.size), n)
    cols = c0[k] + (np.arange(k.size) - np.repeat(np.cumsum(n) - n, n))
    cells = np.unique(r[k] * w + cols)
    return cells // w, cells % w


def boundary_fractions(edges, transform: Affine, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Exact area share of the polygon (its directed ``edges``) in the cells (rows, cols).

    Green's theorem: the chord of the polygon at height y clipped to a cell's columns
    [x0, x1] has length sum_crossings +-(clamp(x, x0, x1) - x0), so area(P n cell) =
    sum over edges of the integral of (clamp(x(y), x0, x1) - x0) dy over the part of the
    edge inside the cell's row band. x(y) is linear, so the integrand is piecewise
    linear with breaks where x = x0 or x = x1, and the trapezoid rule on those pieces
    is exact. Every term is bounded by the cell size, so there is no cancellation
    between large numbers. ``rows`` must be sorted (row-major order).
    """
    xa, ya, xb, yb = edges
    out = np.zeros(rows.size, dtype=np.float64)
    if rows.size == 0 or xa.size == 0:
        return out
    a, e, gx, gy = transform.a, transform.e, transform.c, transform.f
    r_min, r_max = int(rows[0]), int(rows[-1])
    ei, er = _edge_rows(edges, transform, r_min, r_max)
    # join (edge, row) pairs with the cells of that row
    grid_rows = np.arange(r_min, r_max + 1)
    start = np.searchsorted(rows, grid_rows, side="left")[er - r_min]
    cnt = np.searchsorted(rows, grid_rows, side="right")[er - r_min] - start
    pe = np.repeat(ei, cnt)
    cell = np.repeat(start, cnt) + (np.arange(pe.size) - np.repeat(np.cumsum(cnt) - cnt, cnt))
    x0 = gx + cols[cell] * a
    y1 = gy + rows[cell] * e
    y0 = y1 + e
    exa, eya, exb, eyb = xa[pe], ya[pe], xb[pe], yb[pe]
    lo = np.maximum(np.minimum(eya, eyb), y0)
    hi = np.minimum(np.maximum(eya, eyb), y1)
    ok = hi > lo
    exa, eya, exb, eyb, lo, hi, x0, cell = (v[ok] for v in (exa, eya, exb, eyb, lo, hi, x0, cell))
    slope = (exb - exa) / (eyb - eya)  # dx/dy
    with np.errstate(divide="ignore", invalid="ignore"):
        yb0 = np.where(slope != 0, eya + (x0 - exa) / slope, lo)
        yb1 = np.where(slope != 0, eya + (x0 + a - exa) / slope, lo)
    pts = np.sort(np.stack([lo, np.clip(yb0, lo, hi), np.clip(yb1, lo, hi), hi]), axis=0)
    g = np.clip(exa + (pts - eya) * slope - x0, 0.0, a)
    integral = 0.5 * ((g[1:] + g[:-1]) * (pts[1:] - pts[:-1])).sum(axis=0)
    contrib = np.sign(eyb - eya) * integral
    return np.bincount(cell, weights=contrib, minlength=rows.size) / abs(a * e)


def window_for_bounds(
    bounds: tuple[float, float, float, float], x0: float, y0: float, res: float
) -> tuple[Window, Affine]:
    """The smallest grid-aligned window (grid origin x0, y0; cell ``res``) covering bounds."""
    xmin, ymin, xmax, ymax = bounds
    col0 = int(np.floor((xmin - x0) / res + 1e-9))
    col1 = int(np.ceil((xmax - x0) / res - 1e-9))
    row0 = int(np.floor((y0 - ymax) / res + 1e-9))
    row1 = int(np.ceil((y0 - ymin) / res - 1e-9))
    col1 = max(col1, col0 + 1)
    row1 = max(row1, row0 + 1)
    win = Window(col0, row0, col1 - col0, row1 - row0)
    transform = Affine(res, 0.0, x0 + col0 * res, 0.0, -res, y0 - row0 * res)
    return win, transform


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> float | None:
    """Coverage-weighted mean of the non-NaN values; None when nothing is covered."""
    ok = (weights > 0) & ~np.isnan(values)
    w = weights[ok]
    total = float(w.sum(dtype=np.float64))
    if total <= 0:
        return None
    return float(np.sum(values[ok] * w, dtype=np.float64) / total)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float | None:
    """Coverage-weighted quantile (0 <= q <= 1) of the non-NaN values.

    Definition: the weighted percentile method (Wikipedia 'Percentile', weighted
    percentile): S_i = i w_i + (n-1) sum_{j<i} w_j over sorted values, linear
    interpolation at q (n-1) sum w. exactextract's ``quantile`` is also
    coverage-weighted but interpolates slightly differently; the tests check that
    its P90 lies within our P89..P91.
    """
    ok = (weights > 0) & ~np.isnan(values)
    n = int(ok.sum())
    if n == 0:
        return None
    if n > EXACT_QUANTILE_MAX_CELLS:
        return _histogram_quantile(values[ok], weights[ok], q)
    v = values[ok].astype(np.float64)
    w = weights[ok].astype(np.float64)
    if n == 1:
        return float(v[0])
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cum_prev = np.concatenate([[0.0], np.cumsum(w)[:-1]])
    s = np.arange(n) * w + (n - 1) * cum_prev
    target = q * (n - 1) * w.sum()
    return float(np.interp(target, s, v))


EXACT_QUANTILE_MAX_CELLS = 250_000
QUANTILE_BIN = 0.005  # value units (°C for PET): the large-park quantile's resolution


def _histogram_quantile(v: np.ndarray, w: np.ndarray, q: float) -> float:
    """Coverage-weighted quantile of many cells in O(n): a weighted histogram with
    0.005-unit bins and linear interpolation inside the bin (sorting 20 million cells
    of a 500 ha park at 0.5 m took seconds and gigabytes)."""
    lo, hi = float(v.min()), float(v.max())
    if hi - lo < QUANTILE_BIN:
        return float(np.average(v, weights=w))
    return _quantile_from_histogram(_weighted_histogram([(v, w)], lo), lo, hi, q)


def _weighted_histogram(pieces, lo: float) -> np.ndarray:
    """Summed weights per QUANTILE_BIN bin from ``lo``, over (values, weights) pieces."""
    hist = np.zeros(0)
    for v, w in pieces:
        h = np.bincount(((v - lo) / QUANTILE_BIN).astype(np.int64), weights=w.astype(np.float64))
        if h.size > hist.size:
            hist = np.concatenate([hist, np.zeros(h.size - hist.size)])
        hist[: h.size] += h
    return hist


def _quantile_from_histogram(hist: np.ndarray, lo: float, hi: float, q: float) -> float:
    """Quantile q of a weighted histogram with QUANTILE_BIN bins starting at ``lo``,
    interpolated linearly inside the bin (trailing empty bins change nothing)."""
    cum = np.cumsum(hist)
    target = q * cum[-1]
    b = int(np.searchsorted(cum, target))
    prev = cum[b - 1] if b > 0 else 0.0
    frac = (target - prev) / hist[b] if hist[b] > 0 else 0.0
    return float(min(hi, lo + (b + frac) * QUANTILE_BIN))


SAMPLE_PIECE = 1 << 18  # cells per piece of a CellSample statistic (1 MB of float32)


class CellSample:
    """Values and coverage weights of the cells a park covers, kept as chunks (one per
    raster strip, see ``ParkContext.raster_strips``).

    Why: a 500 ha park covers 20 million cells at 0.5 m. Concatenating them, and the
    temporaries of a statistic over all of them at once, cost hundreds of megabytes;
    here every statistic walks pieces of at most SAMPLE_PIECE cells, so its temporaries
    stay small (and in cache) whatever the park's size. Cells without a value (NaN) are
    dropped once, on construction, and only their total weight is kept
    (``nan_weight``). The values equal those of ``weighted_mean`` /
    ``weighted_quantile`` over the concatenated cells.
    """

    def __init__(self, chunks: list[tuple[np.ndarray, np.ndarray]]):
        self.chunks: list[tuple[np.ndarray, np.ndarray]] = []
        self.nan_weight = 0.0
        for v, w in chunks:
            ok = (w > 0) & ~np.isnan(v)
            if not ok.all():
                self.nan_weight += float(w[~ok].sum(dtype=np.float64))
                v, w = v[ok], w[ok]
            if v.size:
                self.chunks.append((v, w))

    @property
    def size(self) -> int:
        """Number of cells with a value."""
        return sum(int(v.size) for v, _w in self.chunks)

    def pieces(self):
        """(values, weights) of the cells with a value, SAMPLE_PIECE cells at a time."""
        for v, w in self.chunks:
            for i in range(0, v.size, SAMPLE_PIECE):
                yield v[i : i + SAMPLE_PIECE], w[i : i + SAMPLE_PIECE]

    def total_weight(self, valid_only: bool = False) -> float:
        """Summed coverage weight of the cells with a value (or of all covered cells)."""
        total = float(sum(float(w.sum(dtype=np.float64)) for _v, w in self.chunks))
        return total if valid_only else total + self.nan_weight

    def weight_where(self, predicate) -> float:
        """Summed weight of the cells with a value satisfying ``predicate`` (a
        vectorised function of a value array)."""
        return float(sum(float(w[predicate(v)].sum(dtype=np.float64)) for v, w in self.pieces()))

    def mean(self) -> float | None:
        """Coverage-weighted mean of the values; None when no cell has one."""
        num = den = 0.0
        for v, w in self.pieces():
            num += float(np.sum(v * w, dtype=np.float64))
            den += float(w.sum(dtype=np.float64))
        return num / den if den > 0 else None

    def quantile(self, q: float) -> float | None:
        """Coverage-weighted quantile, as ``weighted_quantile`` over all cells: exact up
        to EXACT_QUANTILE_MAX_CELLS cells, else the 0.005-unit histogram, built piece by
        piece."""
        n = self.size
        if n == 0:
            return None
        if n <= EXACT_QUANTILE_MAX_CELLS:
            v = np.concatenate([c[0] for c in self.chunks])
            w = np.concatenate([c[1] for c in self.chunks])
            return weighted_quantile(v, w, q)
        lo = min(float(v.min()) for v, _w in self.chunks)
        hi = max(float(v.max()) for v, _w in self.chunks)
        if hi - lo < QUANTILE_BIN:
            return self.mean()
        return _quantile_from_histogram(_weighted_histogram(self.pieces(), lo), lo, hi, q)


def geojson_shapes(geoms: np.ndarray, values) -> list[tuple[dict, float]]:
    """(GeoJSON geometry, value) pairs for rasterio, built in bulk.

    rasterio reads shapely geometries through ``__geo_interface__``, which walks the
    coordinates in Python (~50 us per polygon); with thousands of BGT polygons per
    park that dominated the scan. Here the coordinates come out of GEOS in one call
    (``to_ragged_array``) and are sliced per ring.
    """
    parts, idx = geojson_parts(geoms)
    if not parts:
        return []
    values = np.broadcast_to(np.asarray(values), np.asarray(geoms, dtype=object).shape)
    return list(zip(parts, values[idx].tolist(), strict=True))


def geojson_parts(geoms: np.ndarray) -> tuple[list[dict], np.ndarray]:
    """(GeoJSON polygons, index of the input geometry of each) for every polygon part
    of ``geoms``, in input order; convert once, then pick parts with ``pick_shapes``."""
    geoms = np.asarray(geoms, dtype=object)
    if geoms.size == 0:
        return [], np.zeros(0, dtype=np.int64)
    tid = shapely.get_type_id(geoms)
    if (tid == 3).all():  # all plain polygons (the usual case): no get_parts copy
        parts, idx = geoms, np.arange(geoms.size)
    else:
        parts, idx = shapely.get_parts(geoms, return_index=True)
        keep = shapely.get_type_id(parts) == 3
        parts, idx = parts[keep], idx[keep]
    if parts.size == 0:
        return [], np.zeros(0, dtype=np.int64)
    _t, coords, (ring_off, poly_off) = shapely.to_ragged_array(parts)
    coords = coords.tolist()
    ring_off = ring_off.tolist()
    poly_off = poly_off.tolist()
    out = []
    for p in range(parts.size):
        r0, r1 = poly_off[p], poly_off[p + 1]
        if r1 == r0 + 1:
            rings = [coords[ring_off[r0] : ring_off[r0 + 1]]]
        else:
            rings = [coords[ring_off[r] : ring_off[r + 1]] for r in range(r0, r1)]
        out.append({"type": "Polygon", "coordinates": rings})
    return out, idx


def pick_shapes(
    parts: tuple[list[dict], np.ndarray], mask: np.ndarray, values: np.ndarray
) -> list[tuple[dict, float]]:
    """(shape, value) pairs of the parts whose input geometry is in ``mask``, with that
    geometry's value, in input order (the order rasterio burns them in)."""
    shapes, idx = parts
    sel = np.flatnonzero(mask[idx])
    vals = np.broadcast_to(np.asarray(values), mask.shape)[idx[sel]].tolist()
    return [(shapes[i], v) for i, v in zip(sel.tolist(), vals, strict=True)]
