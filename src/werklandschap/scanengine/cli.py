"""``werklandschap scan --bundle MANIFEST --parks FILE --out FILE``: scan the parks of
any vector file against a data bundle, without a database.

User errors (missing files, bad bundle, unknown id field, coordinates that cannot be
in the file's CRS) print one clear line and exit non-zero; no traceback.

Every output row carries the park's id and name from the file and, unless
``--no-attributes``, all its input attributes: in JSON under ``"attributes"`` with
their own names, in the flat formats (CSV, GeoPackage) as ``attr_<name>`` columns,
so an input column can never overwrite an indicator, a score or ``park_id``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from . import ENGINE_VERSION
from .batch import read_results, run_batch
from .bundle import load_bundle
from .catalog import INDICATORS, THEMES
from .errors import ScanError

# Matched case-insensitively, first hit wins (IBIS: RIN_NUMMER and PLAN_NAAM).
ID_CANDIDATES = ("park_id", "id", "fid", "RIN_NUMMER", "code")
NAME_CANDIDATES = (
    "name",
    "naam",
    "park_name",
    "parknaam",
    "PLAN_NAAM",
    "terreinnaam",
    "bedrijventerrein",
    "terrein",
    "titel",
)
# Input attributes in the flat formats: a prefix no output column of ours carries,
# so an input column named "park_id", "area_ha" or "score_water" stays distinct.
ATTR_PREFIX = "attr_"
FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".gpkg": "gpkg"}

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SOME_FAILED = 0, 1, 2, 3

DESCRIPTION = """\
Scan parks (the baseline scan, 'nulmeting') against a data bundle and write one
row per park. Works on any vector file with park polygons (GeoPackage, GeoJSON,
Shapefile, ...); no database needed.

The bundle is a YAML manifest naming the data layers (BGT land cover, AHN
elevation, heat and flood maps, Natura 2000, ...); see examples/bundles/.
"""

EPILOG = """\
output format follows the extension of --out:
  .csv    one row per park, one column per indicator value and theme score
  .json   one document with the bundle description and all results
  .jsonl  one JSON result per line (written as parks finish)
  .gpkg   GeoPackage with the park polygons and the CSV columns

every row keeps the park's id (park_id) and name (name) from the parks file and,
unless --no-attributes, all its attributes: as attr_<field> columns in .csv and
.gpkg, under "attributes" in .json and .jsonl. Text cells of the .csv that a
spreadsheet would run as a formula (starting with = + - @) get a leading '.

every row also says whether the data covered enough of the park (completeness:
complete or incomplete, with completeness_reason; an incomplete park's land-cover
figures are empty, not zero) and which parameter values it was computed with
(parameters_digest: sha256 of the values of the data/scan/*.yaml files the scan
reads, as engine_version names the code).

The scan can be stopped (Ctrl-C) and started again with the same command: parks
already done are skipped (use --restart to scan everything again).

exit status: 0 all parks scanned, 3 done but some parks failed (listed),
1 the scan could not run (bad bundle or parks file), 2 wrong options,
130/143 stopped by Ctrl-C/SIGTERM (run the same command again to continue).

examples:
  werklandschap scan --bundle examples/bundles/delft-bgt.yaml \\
      --parks parks.gpkg --out results.csv
  werklandschap scan --bundle bundle.yaml --parks ibis.gpkg --id-field RIN_NUMMER \\
      --out nl.jsonl --workers 2
  werklandschap scan --bundle bundle.yaml --parks ibis.gpkg --out nl.jsonl \\
      --scheduler tcp://10.0.0.5:8786
"""


class UserError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="werklandschap scan",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--bundle", required=True, metavar="MANIFEST", help="the data bundle manifest (YAML)"
    )
    p.add_argument(
        "--parks", required=True, metavar="FILE", help="vector file with the park polygons"
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="where to write the results (.csv, .json, .jsonl or .gpkg)",
    )
    p.add_argument("--layer", metavar="NAME", help="layer of the parks file (if it has several)")
    p.add_argument(
        "--id-field",
        metavar="NAME",
        help="attribute with the park id (default: the first of "
        f"{', '.join(ID_CANDIDATES)}, any case; else the row number)",
    )
    p.add_argument(
        "--name-field",
        metavar="NAME",
        help="attribute with the park name (default: the first of "
        f"{', '.join(NAME_CANDIDATES)}, any case; else none)",
    )
    p.add_argument(
        "--no-attributes",
        action="store_true",
        help="leave the other attributes of the parks file out of the results (id and name stay)",
    )
    p.add_argument(
        "--parks-crs",
        metavar="CRS",
        help="CRS of the parks file when it does not say or says wrongly "
        "(e.g. EPSG:28992 for a GeoJSON in RD New without a 'crs' member)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="worker processes on this machine (default 2)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDR",
        help="run on a Dask cluster: scheduler address, e.g. tcp://host:8786",
    )
    p.add_argument(
        "--soil-group",
        choices=["A", "B", "C", "D"],
        help="hydrologic soil group for the runoff (default C: clay/peat)",
    )
    p.add_argument(
        "--restart",
        action="store_true",
        help="scan all parks again instead of skipping those already done",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: text starting with a
    formula character gets a leading apostrophe (OWASP "CSV Injection"); numbers and
    other values pass unchanged.

    Park names and attributes come from files other people made, so
    ``=HYPERLINK(...)`` in a name must stay text in the consultant's Excel. The same
    rule as ``werklandschap.lib.spreadsheet`` (the portal's downloads), repeated here
    because the engine does not depend on the web application; a test keeps the two
    equal.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass
class ParksFile:
    """The parks of a vector file: (id, WKB) pairs, the CRS, and per park id its name
    and input attributes (JSON-ready values; empty with ``--no-attributes``)."""

    parks: list[tuple[str, bytes]]
    crs: str
    id_field: str | None = None
    name_field: str | None = None
    names: dict[str, str | None] = field(default_factory=dict)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (field name, kind) with kind in int/float/bool/str: the column types of the .gpkg
    fields: list[tuple[str, str]] = field(default_factory=list)

    def annotate(self, result: dict) -> dict:
        """``result`` with the park's name after its id and its input attributes last."""
        pid = result["park_id"]
        out: dict[str, Any] = {"park_id": pid, "name": self.names.get(pid)}
        out.update((k, v) for k, v in result.items() if k not in {"park_id", "name", "attributes"})
        if self.fields:
            out["attributes"] = self.attributes.get(pid, {})
        return out


def _find_field(fields: list[str], wanted: str | None, candidates: tuple[str, ...], option: str):
    """The field named by an option (exact, else the only case-insensitive match), or
    the first candidate present (any case), or None."""
    if wanted:
        if wanted in fields:
            return wanted
        same = [f for f in fields if f.lower() == wanted.lower()]
        if len(same) == 1:
            return same[0]
        raise UserError(
            f"{option} '{wanted}' is not a field of the parks file (fields: "
            f"{', '.join(fields) or 'none'})"
        )
    for c in candidates:
        hit = next((f for f in fields if f.lower() == c.lower()), None)
        if hit is not None:
            return hit
    return None


def _kind(dtype: str) -> str:
    if dtype == "bool":
        return "bool"
    if dtype.startswith(("int", "uint")):
        return "int"
    if dtype.startswith("float"):
        return "float"
    return "str"


def _plain(value: Any, kind: str) -> Any:
    """An attribute value as JSON has it: None for missing, int/float/bool/str."""
    if value is None:
        return None
    if kind in {"int", "bool"} and isinstance(value, int | np.integer | np.bool_):
        return bool(value) if kind == "bool" else int(value)  # exact, also beyond 2**53
    if kind in {"int", "float", "bool"}:
        # pyogrio reads an integer or boolean column with missing values as float/NaN
        number = float(value)
        if not math.isfinite(number):
            return None
        if kind == "bool":
            return bool(number)
        return int(number) if kind == "int" else number
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


def check_coordinates_fit(path: Path, crs: str, wkb: Any) -> None:
    """Refuse a parks file whose coordinates cannot be in its CRS (metres read as degrees).

    Typical case: a GeoJSON in RD New without a ``crs`` member, which GDAL reads as
    WGS 84. Every park would fail as "geometry has no area" after a reprojection to
    infinity (with a RuntimeWarning from GEOS); one clear line about the file helps
    more. The same check and advice as ``import-parks`` (registry importers).
    """
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError as exc:
        raise UserError(f"unknown CRS '{crs}' for the parks file: {exc}") from exc
    if not parsed.is_geographic:
        return
    geoms = shapely.from_wkb(np.asarray([g for g in wkb if g is not None], dtype=object))
    geoms = geoms[~shapely.is_empty(geoms)] if len(geoms) else geoms
    if not len(geoms):
        return
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise UserError(
            f"parks file {path.name}: the coordinates (e.g. {minx:.0f}, {miny:.0f}) are not "
            f"degrees, but the file says {crs} (a GeoJSON without a 'crs' member is read as "
            "WGS 84). Are they in RD New? Then give the CRS with --parks-crs EPSG:28992, or "
            "put it in the file (GeoJSON: a 'crs' member, or export as GeoPackage)."
        )


def read_parks(
    path: Path,
    layer: str | None,
    id_field: str | None,
    parks_crs: str | None,
    *,
    name_field: str | None = None,
    attributes: bool = True,
) -> ParksFile:
    """The parks of a vector file with their ids, names and (optionally) attributes."""
    if not path.exists():
        raise UserError(f"parks file not found: {path}")
    try:
        info = pyogrio.read_info(path, layer=layer)
        meta, _fids, wkb, data = pyogrio.raw.read(path, layer=layer, datetime_as_string=True)
    except Exception as exc:
        raise UserError(f"parks file {path} cannot be read: {exc}") from exc
    if wkb is None:
        raise UserError(f"parks file {path} has no geometry")
    crs = parks_crs or info.get("crs")
    if not crs:
        raise UserError(f"parks file {path} has no CRS; give it with --parks-crs EPSG:28992")
    crs = str(crs)
    check_coordinates_fit(path, crs, wkb)
    fields = [str(f) for f in meta["fields"]]
    kinds = [_kind(str(d)) for d in meta["dtypes"]]
    n = len(wkb)
    column = _find_field(fields, id_field, ID_CANDIDATES, "--id-field")
    if column is None:
        ids = [str(i + 1) for i in range(n)]
    else:
        raw = data[fields.index(column)]
        kind = kinds[fields.index(column)]
        ids = []
        for i, v in enumerate(raw):
            # IBIS exports leave RIN numbers empty or 0: use the row number instead
            plain = _plain(v, kind)
            text = "" if plain is None else str(plain).strip()
            ids.append(f"row-{i + 1}" if text in {"", "0"} else text)
    dup = {i for i, count in Counter(ids).items() if count > 1}
    if dup:
        raise UserError(
            f"park ids in field '{column}' are not unique ({', '.join(sorted(dup)[:5])}); "
            "choose another --id-field"
        )
    name_column = _find_field(fields, name_field, NAME_CANDIDATES, "--name-field")
    names: dict[str, str | None] = dict.fromkeys(ids)
    if name_column is not None:
        j = fields.index(name_column)
        for pid, v in zip(ids, data[j], strict=True):
            plain = _plain(v, kinds[j])
            names[pid] = None if plain is None or str(plain).strip() == "" else str(plain)
    result = ParksFile(
        parks=list(zip(ids, wkb, strict=True)),
        crs=crs,
        id_field=column,
        name_field=name_column,
        names=names,
    )
    if attributes and fields:
        result.fields = list(zip(fields, kinds, strict=True))
        columns = [[_plain(v, k) for v in col] for col, k in zip(data, kinds, strict=True)]
        result.attributes = {
            pid: {f: col[i] for f, col in zip(fields, columns, strict=True)}
            for i, pid in enumerate(ids)
        }
    return result


def attribute_columns(fields: list[tuple[str, str]]) -> list[str]:
    """Flat-format column names of the input attributes: ``attr_<name>``, made unique
    ignoring case (GeoPackage, like SQLite, does not tell 'Name' from 'NAME')."""
    taken: set[str] = set()
    out = []
    for name, _kind in fields:
        col = f"{ATTR_PREFIX}{name}"
        k = 2
        while col.lower() in taken:
            col = f"{ATTR_PREFIX}{name}_{k}"
            k += 1
        taken.add(col.lower())
        out.append(col)
    return out


TEXT_COLUMNS = {
    "park_id",
    "name",
    "status",
    "error",
    "completeness",
    "completeness_reason",
    "engine_version",
    "parameters_digest",
}


def _flat_row(r: dict, attrs: list[tuple[str, str]] = ()) -> dict[str, Any]:
    """One flat row of a result; ``attrs`` pairs output column and input field."""
    row: dict[str, Any] = {
        "park_id": r["park_id"],
        "name": r.get("name"),
        "status": r["status"],
        "error": r.get("error") or "",
        "area_ha": r.get("area_ha"),
        # an 'incomplete' park's land-cover figures are empty for this reason, not zero
        "completeness": r.get("completeness") or "",
        "completeness_reason": r.get("completeness_reason") or "",
    }
    inds = r.get("indicators") or {}
    for key in INDICATORS:
        row[key] = (inds.get(key) or {}).get("value")
    scores = r.get("scores") or {}
    for theme in THEMES:
        row[f"score_{theme}"] = scores.get(theme)
    row["engine_version"] = r.get("engine_version", ENGINE_VERSION)
    row["parameters_digest"] = r.get("parameters_digest") or ""
    given = r.get("attributes") or {}
    for column, name in attrs:
        row[column] = given.get(name)
    return row


def _gpkg_column(values: list, kind: str) -> tuple[np.ndarray, np.ndarray | None]:
    """A GeoPackage column of one input attribute in its own type, with a null mask."""
    missing = np.array([v is None for v in values], dtype=bool)
    mask = missing if missing.any() else None
    if kind == "int":
        return np.array([0 if v is None else v for v in values], dtype=np.int64), mask
    if kind == "bool":
        return np.array([bool(v) for v in values], dtype=bool), mask
    if kind == "float":
        return np.array([np.nan if v is None else v for v in values], dtype=float), None
    return np.array([None if v is None else str(v) for v in values], dtype=object), None


def write_output(
    fmt: str,
    out: Path,
    results: list[dict],
    parks: ParksFile,
    bundle_desc: dict,
) -> None:
    """Write the results (already annotated with name and attributes) as ``fmt``."""
    if fmt == "json":
        doc = {"engine_version": ENGINE_VERSION, "bundle": bundle_desc, "results": results}
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        return
    attrs = list(zip(attribute_columns(parks.fields), [f for f, _k in parks.fields], strict=True))
    kinds = {column: kind for (column, _f), (_n, kind) in zip(attrs, parks.fields, strict=True)}
    rows = [_flat_row(r, attrs) for r in results]
    columns = list(_flat_row({"park_id": "", "status": ""}, attrs))
    if fmt == "csv":
        with open(out, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            for row in rows:
                w.writerow({k: "" if v is None else formula_safe(v) for k, v in row.items()})
        return
    # gpkg: park polygons in their own CRS plus the flat columns
    geometry = dict(parks.parks)
    geoms = [
        shapely.from_wkb(geometry[r["park_id"]]) if geometry.get(r["park_id"]) else None
        for r in results
    ]
    wkb = np.array(
        [
            shapely.to_wkb(
                shapely.MultiPolygon([g]) if g is not None and g.geom_type == "Polygon" else g
            )
            if g is not None
            else None
            for g in geoms
        ],
        dtype=object,
    )
    data, masks = [], []
    for c in columns:
        vals = [row[c] for row in rows]
        mask = None
        if c in kinds:
            column, mask = _gpkg_column(vals, kinds[c])
        elif c == "name":
            column = np.array([None if v is None else str(v) for v in vals], dtype=object)
        elif c in TEXT_COLUMNS:
            column = np.array([("" if v is None else str(v)) for v in vals], dtype=object)
        else:
            column = np.array([np.nan if v is None else float(v) for v in vals], dtype=float)
        data.append(column)
        masks.append(mask)
    if out.exists():
        out.unlink()
    pyogrio.raw.write(
        str(out),
        wkb,
        data,
        columns,
        field_mask=masks if any(m is not None for m in masks) else None,
        layer="nulmeting",
        driver="GPKG",
        geometry_type="MultiPolygon",
        crs=parks.crs,
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or wrong options (2)
        return int(exc.code or 0)
    out = Path(args.out)
    fmt = FORMATS.get(out.suffix.lower())
    try:
        if fmt is None:
            raise UserError(
                f"unknown output format '{out.suffix}' for {out}: use .csv, .json, .jsonl or .gpkg"
            )
        if args.workers < 1:
            raise UserError("--workers must be at least 1")
        bundle = load_bundle(args.bundle)
        parks_file = read_parks(
            Path(args.parks),
            args.layer,
            args.id_field,
            args.parks_crs,
            name_field=args.name_field,
            attributes=not args.no_attributes,
        )
        parks, crs = parks_file.parks, parks_file.crs
        work = out if fmt == "jsonl" else out.with_name(out.name + ".partial.jsonl")
        params = {"soil_group": args.soil_group} if args.soil_group else None
        summary = run_batch(
            parks,
            args.bundle,
            work,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=not args.restart,
            progress=not args.quiet,
            crs=crs,
            params=params,
            annotate=parks_file.annotate,
        )
        if summary.interrupted:
            print(
                f"stopped: {summary.scanned} parks written to {work}; run the same command "
                "again to continue",
                file=sys.stderr,
            )
            return 128 + (summary.interrupt_signal or 2)  # 130 Ctrl+C, 143 SIGTERM
        if fmt != "jsonl":
            wanted = {pid for pid, _ in parks}
            # annotated again: lines of an earlier, interrupted run may predate an option
            results = [parks_file.annotate(r) for r in read_results(work) if r["park_id"] in wanted]
            write_output(fmt, out, results, parks_file, bundle.describe())
            work.unlink()
        print(
            f"scanned {summary.scanned} parks ({summary.skipped} already done) in "
            f"{summary.seconds:.1f} s: {summary.ok} ok, {summary.failed} failed -> {out}",
            file=sys.stderr,
        )
        for pid, msg in summary.failures[:20]:
            print(f"  failed: {msg or pid}", file=sys.stderr)
        if len(summary.failures) > 20:
            print(f"  ... and {len(summary.failures) - 20} more (see {out})", file=sys.stderr)
        return EXIT_SOME_FAILED if summary.failures else EXIT_OK
    except (UserError, ScanError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
