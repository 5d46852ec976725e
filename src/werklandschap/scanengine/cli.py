"""``werklandschap scan --bundle MANIFEST --parks FILE --out FILE``: scan the parks of
any vector file against a data bundle, without a database.

User errors (missing files, bad bundle, unknown id field) print one clear line and
exit non-zero; no traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely

from . import ENGINE_VERSION
from .batch import read_results, run_batch
from .bundle import load_bundle
from .catalog import INDICATORS, THEMES
from .errors import ScanError

ID_CANDIDATES = ("park_id", "id", "ID", "Id", "RIN_NUMMER", "rin_nummer", "code", "CODE")
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
        f"{', '.join(ID_CANDIDATES)}; else the row number)",
    )
    p.add_argument(
        "--parks-crs",
        metavar="CRS",
        help="CRS of the parks file when it does not say (e.g. EPSG:28992)",
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


def read_parks(
    path: Path, layer: str | None, id_field: str | None, parks_crs: str | None
) -> tuple[list[tuple[str, bytes]], str]:
    """(id, WKB) pairs and the CRS of a parks file."""
    if not path.exists():
        raise UserError(f"parks file not found: {path}")
    try:
        info = pyogrio.read_info(path, layer=layer)
        meta, _fids, wkb, data = pyogrio.raw.read(path, layer=layer)
    except Exception as exc:
        raise UserError(f"parks file {path} cannot be read: {exc}") from exc
    if wkb is None:
        raise UserError(f"parks file {path} has no geometry")
    crs = parks_crs or info.get("crs")
    if not crs:
        raise UserError(f"parks file {path} has no CRS; give it with --parks-crs EPSG:28992")
    fields = [str(f) for f in meta["fields"]]
    n = len(wkb)
    if id_field:
        if id_field not in fields:
            raise UserError(f"id field '{id_field}' not in {path} (fields: {', '.join(fields)})")
        column = id_field
    else:
        column = next((c for c in ID_CANDIDATES if c in fields), None)
    if column is None:
        ids = [str(i + 1) for i in range(n)]
    else:
        raw = data[fields.index(column)]
        ids = []
        for i, v in enumerate(raw):
            # IBIS exports leave RIN numbers empty or 0: use the row number instead
            empty = v is None or str(v).strip() in {"", "0", "nan", "None"}
            ids.append(f"row-{i + 1}" if empty else str(v).strip())
    dup = {i for i in ids if ids.count(i) > 1} if n < 20000 else set()
    if dup:
        raise UserError(
            f"park ids in field '{column}' are not unique ({', '.join(sorted(dup)[:5])}); "
            "choose another --id-field"
        )
    return list(zip(ids, wkb, strict=True)), str(crs)


def _flat_row(r: dict) -> dict[str, Any]:
    row: dict[str, Any] = {
        "park_id": r["park_id"],
        "status": r["status"],
        "error": r.get("error") or "",
        "area_ha": r.get("area_ha"),
    }
    inds = r.get("indicators") or {}
    for key in INDICATORS:
        row[key] = (inds.get(key) or {}).get("value")
    scores = r.get("scores") or {}
    for theme in THEMES:
        row[f"score_{theme}"] = scores.get(theme)
    row["engine_version"] = r.get("engine_version", ENGINE_VERSION)
    return row


def write_output(
    fmt: str,
    out: Path,
    results: list[dict],
    parks: dict[str, bytes],
    parks_crs: str,
    bundle_desc: dict,
) -> None:
    if fmt == "json":
        doc = {"engine_version": ENGINE_VERSION, "bundle": bundle_desc, "results": results}
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        return
    rows = [_flat_row(r) for r in results]
    columns = list(rows[0]) if rows else list(_flat_row({"park_id": "", "status": ""}))
    if fmt == "csv":
        with open(out, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            for row in rows:
                w.writerow({k: "" if v is None else v for k, v in row.items()})
        return
    # gpkg: park polygons in their own CRS plus the flat columns
    geoms = [
        shapely.from_wkb(parks[r["park_id"]]) if parks.get(r["park_id"]) else None for r in results
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
    data = []
    for c in columns:
        vals = [row[c] for row in rows]
        if c in {"park_id", "status", "error", "engine_version"}:
            data.append(np.array([("" if v is None else str(v)) for v in vals], dtype=object))
        else:
            data.append(np.array([np.nan if v is None else float(v) for v in vals], dtype=float))
    if out.exists():
        out.unlink()
    pyogrio.raw.write(
        str(out),
        wkb,
        data,
        columns,
        layer="nulmeting",
        driver="GPKG",
        geometry_type="MultiPolygon",
        crs=parks_crs,
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
        parks, crs = read_parks(Path(args.parks), args.layer, args.id_field, args.parks_crs)
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
            results = [r for r in read_results(work) if r["park_id"] in wanted]
            write_output(fmt, out, results, dict(parks), crs, bundle.describe())
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
