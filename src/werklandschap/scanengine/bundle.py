"""Data bundles: a manifest naming the layers a scan reads, and readers for them.

A bundle is a YAML manifest (see ``examples/bundles/``) that names, per role, the
files, their layer, CRS, date and version, and the class mapping. ``load_bundle``
validates everything it can before the first park is scanned (files exist and open,
layers exist, CRS present and right, every class value mapped), so that a national
batch does not fail on park 3,000 for a typo. Paths are resolved against the
manifest's folder.

Readers only ever read what one park needs: vector layers with a bounding-box
filter (pyogrio, which uses the file's spatial index where it has one), rasters as
a window (rasterio). No whole-country file is loaded into memory.

Roles (all optional; a missing role makes its indicators 'not available'):

- ``landcover``: list of BGT layers, each with ``object_type`` (pand, wegdeel, ...)
- ``buildings``: building footprints (BAG panden); BGT pand is used when absent
- ``dsm``, ``dtm``: elevation rasters (AHN); ``canopy``: canopy height raster
- ``heat``: PET raster (°C); ``flood``: water depth raster (m) after a design shower
- ``nature``: list of Natura 2000 / NNN polygon layers
- ``pt_stops``: public-transport stop points; ``solar_panels``: panel polygons
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import rasterio
import shapely
import yaml
from affine import Affine
from pyproj import CRS
from pyproj.exceptions import CRSError
from rasterio.windows import Window

from .classmap import ClassMapping
from .errors import BundleError
from .zonal import window_for_bounds

VECTOR_ROLES = ("landcover", "buildings", "nature", "pt_stops", "solar_panels")
RASTER_ROLES = ("dsm", "dtm", "canopy", "heat", "flood")
MULTI_ROLES = ("landcover", "nature")


def horizontal_crs(crs: CRS) -> CRS:
    """The horizontal part of a (possibly compound, e.g. EPSG:7415 RD + NAP) CRS."""
    if crs.is_compound and crs.sub_crs_list:
        return crs.sub_crs_list[0]
    return crs


def _same_crs(a: CRS, b: CRS) -> bool:
    a, b = horizontal_crs(a), horizontal_crs(b)
    if a.to_epsg() is not None and b.to_epsg() is not None:
        return a.to_epsg() == b.to_epsg()
    return a.equals(b, ignore_axis_order=True)


def _crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


@dataclass
class VectorLayer:
    """One vector layer of the bundle; ``gdal_path`` is what pyogrio opens."""

    role: str
    name: str
    file: Path
    gdal_path: str
    layer: str | None
    date: str | None
    version: str | None
    crs: str
    driver: str
    columns: list[str]
    bounds: tuple[float, float, float, float] | None
    object_type: str | None = None
    source: str | None = None
    geometry_type: str | None = None
    spatial_index: bool = False

    @property
    def label(self) -> str:
        return f"'{self.name}' ({self.file.name}{':' + self.layer if self.layer else ''})"

    @property
    def provenance(self) -> str:
        return f"{self.name} ({self.date or 'datum onbekend'})"


@dataclass
class RasterTile:
    file: Path
    bounds: tuple[float, float, float, float]
    transform: Affine
    width: int
    height: int


@dataclass
class RasterLayer:
    """One raster role; possibly a set of grid-aligned tiles (per park or per cluster)."""

    role: str
    name: str
    tiles: list[RasterTile]
    date: str | None
    version: str | None
    crs: str
    res: float
    nodata: float | None
    x0: float
    y0: float
    unit: str | None = None
    source: str | None = None

    @property
    def files(self) -> list[Path]:
        return [t.file for t in self.tiles]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        b = np.array([t.bounds for t in self.tiles])
        return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())

    @property
    def label(self) -> str:
        first = self.tiles[0].file.name
        more = f" + {len(self.tiles) - 1} tiles" if len(self.tiles) > 1 else ""
        return f"'{self.name}' ({first}{more})"

    @property
    def provenance(self) -> str:
        return f"{self.name} ({self.date or 'datum onbekend'})"


@dataclass
class RasterWindow:
    """Values of one raster over a park window: NaN where nodata or outside the data."""

    array: np.ndarray
    transform: Affine
    inside: np.ndarray  # True where a tile covers the cell (nodata inside is still 'inside')
    layer: RasterLayer

    @property
    def res(self) -> float:
        return self.transform.a


@dataclass
class Bundle:
    """A validated data bundle. Picklable (open file handles are per process)."""

    manifest_path: Path
    name: str
    synthetic: bool
    crs: str
    date: str | None
    version: str | None
    description: str | None
    mapping: ClassMapping
    vectors: dict[str, list[VectorLayer]] = field(default_factory=dict)
    rasters: dict[str, RasterLayer] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    _handles: dict[str, Any] = field(default_factory=dict, repr=False)

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_handles"] = {}
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    # -- queries ---------------------------------------------------------------
    def has(self, role: str) -> bool:
        return bool(self.vectors.get(role)) or role in self.rasters

    def layers(self, role: str) -> list[VectorLayer]:
        return list(self.vectors.get(role, []))

    def landcover_bounds(self) -> tuple[float, float, float, float] | None:
        bounds = [lyr.bounds for lyr in self.vectors.get("landcover", []) if lyr.bounds]
        if not bounds:
            return None
        b = np.array(bounds)
        return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())

    def describe(self) -> dict[str, Any]:
        """JSON-serialisable provenance: manifest, layers, files, CRS, dates, versions."""
        layers = []
        for role, lyrs in self.vectors.items():
            for lyr in lyrs:
                layers.append(
                    {
                        "role": role,
                        "name": lyr.name,
                        "kind": "vector",
                        "file": str(lyr.file),
                        "layer": lyr.layer,
                        "object_type": lyr.object_type,
                        "crs": lyr.crs,
                        "date": lyr.date,
                        "version": lyr.version,
                        "driver": lyr.driver,
                        "bounds": list(lyr.bounds) if lyr.bounds else None,
                        "spatial_index": lyr.spatial_index,
                        "source": lyr.source,
                        **_file_facts(lyr.file),
                    }
                )
        for role, r in self.rasters.items():
            layers.append(
                {
                    "role": role,
                    "name": r.name,
                    "kind": "raster",
                    "file": str(r.tiles[0].file),
                    "tiles": len(r.tiles),
                    "crs": r.crs,
                    "date": r.date,
                    "version": r.version,
                    "resolution_m": r.res,
                    "unit": r.unit,
                    "bounds": [float(v) for v in r.bounds],
                    "source": r.source,
                    **_file_facts(r.tiles[0].file),
                }
            )
        return {
            "manifest": str(self.manifest_path),
            "name": self.name,
            "synthetic": self.synthetic,
            "crs": self.crs,
            "date": self.date,
            "version": self.version,
            "description": self.description,
            "class_mapping": {"source": self.mapping.source, "version": self.mapping.version},
            "layers": layers,
            "files": sorted({entry["file"] for entry in layers}),
        }

    # -- readers ---------------------------------------------------------------
    def read_vector(
        self,
        lyr: VectorLayer,
        bbox: tuple[float, float, float, float],
        columns: list[str] | None = None,
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Features of ``lyr`` whose envelope meets ``bbox``: (shapely geometries, attributes).

        Invalid geometries are repaired with ``make_valid`` (real BGT contains a few
        self-touching rings); features without geometry are dropped.
        """
        cols = [c for c in (columns or []) if c in lyr.columns]
        try:
            meta, _fids, wkb, field_data = pyogrio.raw.read(
                lyr.gdal_path, layer=lyr.layer, bbox=tuple(bbox), columns=cols
            )
        except Exception as exc:  # pyogrio raises several error types
            raise BundleError(f"layer {lyr.label} cannot be read: {exc}") from exc
        geoms = shapely.from_wkb(wkb) if wkb is not None else np.array([], dtype=object)
        names = [str(n) for n in meta.get("fields", cols)]  # pyogrio keeps file order
        attrs = {c: np.asarray(field_data[i]) for i, c in enumerate(names)}
        if geoms.size:
            ok = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
            if not ok.all():
                geoms = geoms[ok]
                attrs = {k: v[ok] for k, v in attrs.items()}
            bad = ~shapely.is_valid(geoms)
            if bad.any():
                geoms[bad] = shapely.make_valid(geoms[bad])
        return geoms, attrs

    def _open(self, path: Path):
        _limit_gdal_cache()
        # GDAL dataset handles are not thread-safe: one per thread (Dask threads)
        key = f"{path}|{threading.get_ident()}"
        ds = self._handles.get(key)
        if ds is None or ds.closed:
            ds = rasterio.open(path)
            self._handles[key] = ds
        return ds

    def raster_grid(
        self, role: str, bounds: tuple[float, float, float, float]
    ) -> tuple[Window, Affine] | None:
        """The grid-aligned window of raster ``role`` (in the layer's grid) covering
        ``bounds`` and its transform, without reading; None when the layer is absent."""
        layer = self.rasters.get(role)
        if layer is None:
            return None
        return window_for_bounds(bounds, layer.x0, layer.y0, layer.res)

    def read_raster(
        self, role: str, bounds: tuple[float, float, float, float]
    ) -> RasterWindow | None:
        """The window of raster ``role`` covering ``bounds`` (grid-aligned), or None when
        no tile meets the bounds. Nodata and cells outside every tile are NaN."""
        grid = self.raster_grid(role, bounds)
        if grid is None:
            return None
        return self.read_raster_window(role, *grid)

    def read_raster_window(self, role: str, win: Window, transform: Affine) -> RasterWindow | None:
        """Read ``win`` (layer-grid offsets, as from ``raster_grid``) of raster ``role``
        from every tile it meets; None when it meets none."""
        layer = self.rasters[role]
        h, w = int(win.height), int(win.width)
        out = np.full((h, w), np.nan, dtype=np.float32)
        inside = np.zeros((h, w), dtype=bool)
        hit = False
        xmin, ymax = transform.c, transform.f
        xmax, ymin = xmin + w * layer.res, ymax - h * layer.res
        for tile in layer.tiles:
            tb = tile.bounds
            if tb[0] >= xmax or tb[2] <= xmin or tb[1] >= ymax or tb[3] <= ymin:
                continue
            # tile offset in the layer grid
            tc = round((tile.transform.c - layer.x0) / layer.res)
            tr = round((layer.y0 - tile.transform.f) / layer.res)
            c0 = max(int(win.col_off), tc)
            c1 = min(int(win.col_off + win.width), tc + tile.width)
            r0 = max(int(win.row_off), tr)
            r1 = min(int(win.row_off + win.height), tr + tile.height)
            if c1 <= c0 or r1 <= r0:
                continue
            hit = True
            try:
                ds = self._open(tile.file)
                data = ds.read(1, window=Window(c0 - tc, r0 - tr, c1 - c0, r1 - r0))
            except Exception as exc:
                raise BundleError(
                    f"raster {layer.label} cannot be read ({tile.file}): {exc}"
                ) from exc
            data = data.astype(np.float32, copy=False)
            if layer.nodata is not None and not np.isnan(layer.nodata):
                data[data == layer.nodata] = np.nan
            rs = slice(r0 - int(win.row_off), r1 - int(win.row_off))
            cs = slice(c0 - int(win.col_off), c1 - int(win.col_off))
            out[rs, cs] = data
            inside[rs, cs] = True
        if not hit:
            return None
        return RasterWindow(out, transform, inside, layer)

    def close(self) -> None:
        for ds in self._handles.values():
            with contextlib.suppress(Exception):  # closing is best effort
                ds.close()
        self._handles.clear()


_GDAL_CACHE_SET = False
GDAL_CACHE_MB = 128


def _limit_gdal_cache() -> None:
    """Cap GDAL's raster block cache (default 5% of RAM, > 1 GB here). A scan reads
    each window once, so the cache only costs memory; 128 MB keeps a worker's memory
    flat and small. An explicit GDAL_CACHEMAX in the environment wins."""
    global _GDAL_CACHE_SET
    if _GDAL_CACHE_SET:
        return
    _GDAL_CACHE_SET = True
    from rasterio.env import set_gdal_config

    if "GDAL_CACHEMAX" not in os.environ:
        set_gdal_config("GDAL_CACHEMAX", GDAL_CACHE_MB * 2**20)  # rasterio: bytes
    # a park's window spans many compressed 256 x 256 blocks: GDAL decodes them on
    # all cores in one read (a batch's worker processes set 1, see batch.py)
    set_gdal_config("GDAL_NUM_THREADS", os.environ.get("GDAL_NUM_THREADS", "ALL_CPUS"))


def _file_facts(path: Path) -> dict[str, Any]:
    try:
        st = path.stat()
        return {
            "size_bytes": st.st_size,
            "modified": _dt.datetime.fromtimestamp(st.st_mtime, _dt.UTC).isoformat(
                timespec="seconds"
            ),
        }
    except OSError:
        return {}


def _as_str(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, _dt.date | _dt.datetime):
        return v.isoformat()
    return str(v)


def _resolve(base: Path, ref: str) -> Path:
    p = Path(os.path.expanduser(str(ref)))
    return p if p.is_absolute() else (base / p).resolve()


def _gdal_path(path: Path, member: str | None, label: str) -> str:
    if path.suffix.lower() != ".zip":
        return str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except zipfile.BadZipFile as exc:
        raise BundleError(f"{label}: {path} is not a valid zip file ({exc})") from exc
    if member is None:
        data = [
            n for n in names if n.lower().endswith((".gml", ".gpkg", ".shp", ".geojson", ".fgb"))
        ]
        if len(data) != 1:
            raise BundleError(
                f"{label}: zip {path} holds {len(data)} data files ({', '.join(data) or 'none'}); "
                "name one with 'member:'"
            )
        member = data[0]
    elif member not in names:
        raise BundleError(f"{label}: zip {path} has no member '{member}'")
    return f"/vsizip/{path}/{member}"


def _check_crs(found: str | None, expected: CRS, entry_crs: str | None, label: str) -> str:
    """Return the CRS label to use, or raise when missing or wrong."""
    if not found:
        if entry_crs:
            return entry_crs  # the manifest assigns the CRS explicitly
        raise BundleError(
            f"{label} has no CRS; add 'crs: EPSG:28992' to its manifest entry if it is RD New"
        )
    try:
        fcrs = CRS.from_user_input(found)
    except CRSError as exc:
        raise BundleError(f"{label}: CRS '{found}' is not understood ({exc})") from exc
    want = CRS.from_user_input(entry_crs) if entry_crs else expected
    if not _same_crs(fcrs, want):
        raise BundleError(
            f"{label} is in {_crs_label(fcrs)}, expected {_crs_label(horizontal_crs(want))}; "
            "reproject it (e.g. ogr2ogr -t_srs EPSG:28992) or fix the manifest"
        )
    if not _same_crs(want, expected):
        raise BundleError(
            f"{label} is in {_crs_label(want)}, the bundle CRS is {_crs_label(expected)}"
        )
    return _crs_label(fcrs)


def _vector_layer(
    role: str, entry: dict, base: Path, bundle_crs: CRS, defaults: dict
) -> VectorLayer:
    if "file" not in entry:
        raise BundleError(f"manifest: a '{role}' entry has no 'file'")
    path = _resolve(base, entry["file"])
    name = str(entry.get("name") or entry.get("layer") or path.stem)
    label = f"layer '{name}' ({path})"
    if not path.exists():
        raise BundleError(f"{label}: file not found")
    gdal_path = _gdal_path(path, entry.get("member"), label)
    try:
        available = [str(lyr[0]) for lyr in pyogrio.list_layers(gdal_path)]
    except Exception as exc:
        raise BundleError(f"{label}: file cannot be opened as vector data ({exc})") from exc
    layer = entry.get("layer")
    if layer is None:
        if len(available) != 1:
            raise BundleError(
                f"{label}: file has {len(available)} layers ({', '.join(available)}); "
                "name one with 'layer:'"
            )
        layer = available[0]
    elif layer not in available:
        raise BundleError(
            f"{label}: layer '{layer}' not in file (has: {', '.join(available) or 'none'})"
        )
    try:
        info = pyogrio.read_info(gdal_path, layer=layer)
    except Exception as exc:
        raise BundleError(f"{label}: layer '{layer}' cannot be read ({exc})") from exc
    label = f"layer '{name}' ({path.name}:{layer})"
    crs = _check_crs(info.get("crs"), bundle_crs, entry.get("crs"), label)
    bounds = info.get("total_bounds")
    caps = info.get("capabilities") or {}
    if bounds is None and (caps.get("fast_total_bounds") or path.stat().st_size < 500e6):
        bounds = pyogrio.read_info(gdal_path, layer=layer, force_total_bounds=True).get(
            "total_bounds"
        )
    if entry.get("extent"):
        bounds = tuple(float(v) for v in entry["extent"])
    elif bounds is not None and not np.all(np.isfinite(bounds)):
        bounds = None
    return VectorLayer(
        role=role,
        name=name,
        file=path,
        gdal_path=gdal_path,
        layer=str(layer),
        date=_as_str(entry.get("date", defaults.get("date"))),
        version=_as_str(entry.get("version", defaults.get("version"))),
        crs=crs,
        driver=str(info.get("driver")),
        columns=[str(c) for c in info.get("fields", [])],
        bounds=tuple(float(v) for v in bounds) if bounds is not None else None,
        object_type=entry.get("object_type"),
        source=entry.get("source"),
        geometry_type=info.get("geometry_type"),
        spatial_index=bool(caps.get("fast_spatial_filter")),
    )


def _raster_layer(
    role: str, entry: dict, base: Path, bundle_crs: CRS, defaults: dict
) -> RasterLayer:
    refs: list = []
    if "file" in entry:
        refs.append(entry["file"])
    refs.extend(entry.get("files") or entry.get("tiles") or [])
    if "glob" in entry:
        refs.extend(sorted(str(p) for p in base.glob(entry["glob"])))
    if not refs:
        raise BundleError(f"manifest: raster '{role}' has no 'file', 'files' or 'glob'")
    name = str(entry.get("name") or role)
    tiles: list[RasterTile] = []
    crs_label = None
    res = nodata = x0 = y0 = None
    declared_res = entry.get("res")
    for k, ref in enumerate(refs):
        path = _resolve(base, ref["file"] if isinstance(ref, dict) else ref)
        label = f"raster '{name}' ({path})"
        if not path.exists():
            raise BundleError(f"{label}: file not found")
        if k > 0 and isinstance(ref, dict) and ref.get("bounds") and declared_res:
            # a tile index in the manifest (thousands of tiles): trust its bounds, the
            # first tile was opened and checked; a bad tile fails when it is read
            left, bottom, right, top = (float(v) for v in ref["bounds"])
            r = float(declared_res)
            tr = Affine(r, 0.0, left, 0.0, -r, top)
            tiles.append(
                RasterTile(
                    path,
                    (left, bottom, right, top),
                    tr,
                    round((right - left) / r),
                    round((top - bottom) / r),
                )
            )
            continue
        try:
            with rasterio.open(path) as ds:
                found = ds.crs.to_wkt() if ds.crs else None
                transform, width, height = ds.transform, ds.width, ds.height
                tile_nodata = ds.nodata
                b = ds.bounds
                if ds.count < 1:
                    raise BundleError(f"{label}: raster has no bands")
        except rasterio.errors.RasterioIOError as exc:
            raise BundleError(f"{label}: file cannot be opened as a raster ({exc})") from exc
        crs_label = _check_crs(found, bundle_crs, entry.get("crs"), label)
        if transform.b != 0 or transform.d != 0 or abs(transform.a) != abs(transform.e):
            raise BundleError(f"{label}: rotated or non-square cells are not supported")
        if res is None:
            res, nodata, x0, y0 = transform.a, tile_nodata, transform.c, transform.f
        else:
            if abs(transform.a - res) > 1e-9:
                raise BundleError(f"{label}: cell size {transform.a} differs from {res}")
            for off in ((transform.c - x0) / res, (y0 - transform.f) / res):
                if abs(off - round(off)) > 1e-6:
                    raise BundleError(f"{label}: tile is not aligned with the first tile's grid")
        tiles.append(RasterTile(path, (b.left, b.bottom, b.right, b.top), transform, width, height))
    if entry.get("nodata") is not None:
        nodata = float(entry["nodata"])
    return RasterLayer(
        role=role,
        name=name,
        tiles=tiles,
        date=_as_str(entry.get("date", defaults.get("date"))),
        version=_as_str(entry.get("version", defaults.get("version"))),
        crs=str(crs_label),
        res=float(res),
        nodata=None if nodata is None else float(nodata),
        x0=float(x0),
        y0=float(y0),
        unit=entry.get("unit"),
        source=entry.get("source"),
    )


def _distinct(lyr: VectorLayer, column: str) -> list[Any]:
    """Distinct values of one attribute, without reading geometry."""
    if lyr.driver in {"GPKG", "SQLite"} and lyr.layer and not lyr.gdal_path.startswith("/vsi"):
        try:
            _m, _f, _g, data = pyogrio.raw.read(
                lyr.gdal_path,
                # names come from the file's own schema, not from user input
                sql=f'SELECT DISTINCT "{column}" FROM "{lyr.layer}"',  # noqa: S608
                read_geometry=False,
            )
            return list(data[0]) if data else []
        except Exception:  # noqa: S110 - fall back to a column read
            pass
    _m, _f, _g, data = pyogrio.raw.read(
        lyr.gdal_path, layer=lyr.layer, columns=[column], read_geometry=False
    )
    return list(np.unique(np.asarray(data[0]).astype(str))) if data else []


def load_bundle(manifest_path: str | os.PathLike, *, check_classes: bool = True) -> Bundle:
    """Read and validate a bundle manifest.

    Raises BundleError (naming the file or layer) for a missing manifest or file, a
    file that does not open, a missing layer, a missing or wrong CRS, or a class
    value that the mapping does not cover (``check_classes``; reads the class
    attribute only, no geometry).
    """
    mpath = Path(manifest_path).expanduser().resolve()
    if not mpath.exists():
        raise BundleError(f"bundle manifest not found: {mpath}")
    try:
        with open(mpath, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise BundleError(f"bundle manifest {mpath} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("layers"), dict):
        raise BundleError(f"bundle manifest {mpath}: needs a 'layers' mapping")
    base = mpath.parent
    try:
        bundle_crs = CRS.from_user_input(data.get("crs", "EPSG:28992"))
    except CRSError as exc:
        raise BundleError(f"bundle manifest {mpath}: CRS not understood ({exc})") from exc
    if not bundle_crs.is_projected or bundle_crs.axis_info[0].unit_name not in {"metre", "meter"}:
        raise BundleError(f"bundle manifest {mpath}: CRS must be projected in metres (RD New)")
    defaults = {"date": data.get("date"), "version": data.get("version")}
    mapping = ClassMapping.load(data.get("class_mapping"), base)
    bundle = Bundle(
        manifest_path=mpath,
        name=str(data.get("name", mpath.stem)),
        synthetic=bool(data.get("synthetic", False)),
        crs=_crs_label(bundle_crs),
        date=_as_str(data.get("date")),
        version=_as_str(data.get("version")),
        description=data.get("description"),
        mapping=mapping,
        params=dict(data.get("params") or {}),
    )
    for role, spec in data["layers"].items():
        if spec is None:
            continue
        if role in VECTOR_ROLES:
            entries = spec if isinstance(spec, list) else [spec]
            if role not in MULTI_ROLES and len(entries) > 1:
                raise BundleError(f"manifest {mpath}: role '{role}' takes one layer")
            bundle.vectors[role] = [
                _vector_layer(role, e, base, bundle_crs, defaults) for e in entries
            ]
        elif role in RASTER_ROLES:
            bundle.rasters[role] = _raster_layer(role, spec, base, bundle_crs, defaults)
        else:
            known = ", ".join((*VECTOR_ROLES, *RASTER_ROLES))
            raise BundleError(f"manifest {mpath}: unknown layer role '{role}' (known: {known})")
    for lyr in bundle.vectors.get("landcover", []):
        if not lyr.object_type:
            raise BundleError(
                f"land-cover {lyr.label}: needs 'object_type' (e.g. pand, wegdeel, "
                "begroeidterreindeel)"
            )
        rule = mapping.rule(lyr.object_type)
        cols = rule.needed_columns(lyr.columns)
        if rule.attributes and cols["class"] is None and rule.default is None:
            raise BundleError(
                f"land-cover {lyr.label}: none of the class attributes {rule.attributes} "
                f"exists (columns: {', '.join(lyr.columns)})"
            )
        if check_classes and cols["class"] is not None:
            values = _distinct(lyr, cols["class"])
            missing = mapping.unmapped(lyr.object_type, values)
            if missing:
                raise BundleError(
                    f"land-cover {lyr.label}: class value(s) {', '.join(missing)} of "
                    f"attribute '{cols['class']}' not in the class mapping {mapping.source}"
                )
    return bundle
