"""Benchmark of the scan engine on a SYNTHETIC national-scale data set.

    .venv/bin/python bench/scan_bench.py --parks 200

1. Generates (once per size and seed; cached in bench/out/) N parks spread over the
   Netherlands with a realistic size distribution (log-normal, median 25 ha, long
   tail beyond 500 ha; always one 100 ha park) and a synthetic bundle: BGT-like land
   cover split into <= 8 m tiles (thousands of polygons per park), 0.5 m DSM, DTM,
   PET and flood rasters (one window per park cluster).
2. Measures, each in a fresh process (so peak memory is its own):
   - engine: scan_park over all parks, one process, one thread; peak RSS sampled;
   - batch: run_batch with 2 workers (the national batch's real throughput);
   - read-only: only the vector reads and raster windows the scan needs (one thread);
   - t100: the 100 ha park alone, warm, as a single scan runs (with its threads);
   - naive: the full-scope baseline of naive_scan.py on a subset (--naive-parks, the
     first parks, which include the 100 ha and the > 500 ha park).
3. Prints the figures and ends with exactly one line
   RESULT parks_per_s=... vs_naive=... vs_readonly=... peak_mb=...
   (vs_naive = naive time per park / engine time per park on the same subset, a
   speed-up; vs_readonly = engine time / read-only time over all parks, an overhead;
   both single-threaded). It also prints naive / read-only on the subset: the most
   any engine that reads the same data could gain over the naive baseline.

The naive baseline (naive_scan.py) computes the SAME indicator set as the engine (all
53 indicators, same parameters from the engine's data files, same not-available
rules), written the way a GIS analyst would: geopandas read_file with a bbox,
overlay, unary_union/explode, sjoin, sjoin_nearest, distance; rasterio windows and
rasterize; one rasterstats zonal_stats call per raster and set of zones; scipy FFT
convolution for the InVEST kernel sums. It reads each layer and window once per park
and is not deliberately slow; it has none of the engine's optimisations (exact
coverage by line integral, covered-cell statistics, bulk GeoJSON conversion, coarse/
fine InVEST grids, multi-threaded GDAL decoding). So vs_naive measures what those
optimisations buy on the same work, not the cost of skipping indicators.

Next to the timing the benchmark prints the AGREEMENT of the two on the subset: per
indicator the largest |naive - engine| over the parks, the worst few with the known
cause (cell-centre vs exact coverage at the boundary, the 5 m InVEST grid, ...).
``--naive-only`` runs just the engine and naive stages on the subset and prints the
comparison (no RESULT line).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import shapely

HERE = Path(__file__).resolve().parent
NL = (13_000.0, 306_000.0, 278_000.0, 619_000.0)  # RD New, land part roughly


def make_parks(n: int, seed: int) -> list[tuple[str, shapely.Geometry]]:
    """N park polygons: log-normal areas (median 25 ha, sigma 1.0, 2-800 ha), irregular
    quadrilaterals with random orientation, spread over the Netherlands."""
    rng = np.random.default_rng(seed)
    areas = np.clip(rng.lognormal(np.log(25.0), 1.0, n), 2.0, 800.0)
    if n >= 2:
        areas[0] = 100.0  # the single-park timing target
        areas[1] = max(areas[1], 520.0)  # the long tail is always represented
    parks = []
    for i, ha in enumerate(areas):
        cx, cy = rng.uniform(NL[0], NL[2]), rng.uniform(NL[1], NL[3])
        side = np.sqrt(ha * 10_000.0)
        ratio = rng.uniform(0.6, 1.6)
        w, h = side * np.sqrt(ratio), side / np.sqrt(ratio)
        jit = rng.uniform(-0.12, 0.12, (4, 2)) * [w, h]
        corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
        poly = shapely.Polygon(corners + jit)
        poly = shapely.affinity.rotate(poly, rng.uniform(0, 90), origin=(0, 0))
        poly = shapely.affinity.scale(
            poly, *(np.sqrt(ha * 10_000.0 / poly.area),) * 2, origin=(0, 0)
        )
        parks.append((f"p{i:04d}" if i else "p100ha", shapely.affinity.translate(poly, cx, cy)))
    return parks


def generate(n: int, seed: int, out: Path) -> Path:
    from werklandschap.scanengine.synthetic import make_bundle

    manifest = out / "bundle" / "bundle.yaml"
    parks_file = out / "parks.wkb.json"
    if manifest.exists() and parks_file.exists():
        return manifest
    parks = make_parks(n, seed)
    t = time.perf_counter()
    make_bundle(
        parks,
        out / "bundle",
        seed=seed,
        resolution=0.5,
        heat_resolution=0.5,
        tile_m=8.0,
        margin_m=60.0,
    )
    parks_file.write_text(json.dumps([[pid, shapely.to_wkb(g, hex=True)] for pid, g in parks]))
    print(f"generated {n} parks in {time.perf_counter() - t:.0f} s -> {out}", file=sys.stderr)
    return manifest


def load_parks(out: Path) -> list[tuple[str, shapely.Geometry]]:
    return [
        (pid, shapely.from_wkb(h)) for pid, h in json.loads((out / "parks.wkb.json").read_text())
    ]


def rss_mb() -> float:
    try:
        import psutil

        proc = psutil.Process()
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return total / 2**20
    except ImportError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _PeakSampler:
    """Peak RSS of this process, sampled every 20 ms. (ru_maxrss is inherited across
    exec on Linux, so a child would report its parent's peak.)"""

    def __init__(self):
        import threading

        self.peak = rss_mb()
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def value(self) -> float:
        self.peak = max(self.peak, rss_mb())
        return self.peak


_SAMPLER: _PeakSampler | None = None


def peak_mb() -> float:
    """Peak RSS (MB) of this stage's process, including its worker processes for the
    batch stage (sampled as the sum of the children's RSS)."""
    return _SAMPLER.value() if _SAMPLER else rss_mb()


# -- stages (each runs in its own process) --------------------------------------


def stage_engine(out: Path, subset: int | None) -> dict:
    from werklandschap.scanengine import load_bundle, scan_park

    bundle = load_bundle(out / "bundle" / "bundle.yaml", check_classes=False)
    parks = load_parks(out)
    parks = parks[:subset] if subset else parks
    times, rss = [], []
    failed = 0
    values: dict[str, dict] = {}
    t0 = time.perf_counter()
    for i, (pid, g) in enumerate(parks):
        t = time.perf_counter()
        r = scan_park(pid, g, bundle)
        times.append(time.perf_counter() - t)
        failed += r["status"] != "ok"
        if subset:  # the naive comparison's subset: keep the values for the agreement check
            values[pid] = {k: v["value"] for k, v in r["indicators"].items()}
        if i in {len(parks) // 4, len(parks) // 2, len(parks) - 1}:
            rss.append(round(rss_mb()))
    total = time.perf_counter() - t0
    # the 100 ha park, warm
    g100 = dict(parks).get("p100ha")
    t100 = None
    if g100 is not None:
        t100 = min(_timeit(lambda: scan_park("p100ha", g100, bundle)) for _ in range(3))
    return {
        "seconds": total,
        "parks": len(parks),
        "failed": failed,
        "t100": t100,
        "median_s": float(np.median(times)),
        "max_s": float(np.max(times)),
        "rss_quartiles_mb": rss,
        "peak_mb": peak_mb(),
        "times": times if subset else [],
        "values": values,
    }


def stage_t100(out: Path) -> dict:
    """The 100 ha park alone, warm, best of 3 (the single-park latency target)."""
    from werklandschap.scanengine import load_bundle, scan_park

    bundle = load_bundle(out / "bundle" / "bundle.yaml", check_classes=False)
    g100 = dict(load_parks(out))["p100ha"]
    scan_park("p100ha", g100, bundle)
    return {"t100": min(_timeit(lambda: scan_park("p100ha", g100, bundle)) for _ in range(3))}


def _timeit(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def stage_batch(out: Path, workers: int) -> dict:
    from werklandschap.scanengine import run_batch

    parks = load_parks(out)
    res = out / "batch.jsonl"
    res.unlink(missing_ok=True)
    s = run_batch(parks, out / "bundle" / "bundle.yaml", res, workers=workers, progress=False)
    return {"seconds": s.seconds, "parks": s.scanned, "failed": s.failed, "peak_mb": peak_mb()}


def stage_readonly(out: Path, subset: int | None) -> dict:
    """Only the reads the scan does: the same vector bboxes and raster windows."""
    from werklandschap.scanengine import config, load_bundle
    from werklandschap.scanengine.biodiversity import SEARCH_STEPS_M
    from werklandschap.scanengine.engine import DEFAULT_PARAMS

    bundle = load_bundle(out / "bundle" / "bundle.yaml", check_classes=False)
    parks = load_parks(out)
    parks = parks[:subset] if subset else parks
    ctx_m = DEFAULT_PARAMS["context_m"]
    zone = max(
        float(config.value("heat", "building_heat_stress", "ring_m")),
        float(config.value("water", "building_flood_buffer_m")),
    )
    t0 = time.perf_counter()
    for _pid, g in parks:
        x0, y0, x1, y1 = g.bounds

        def box(d, x0=x0, y0=y0, x1=x1, y1=y1):
            return (x0 - d, y0 - d, x1 + d, y1 + d)

        for lyr in bundle.layers("landcover"):
            green = lyr.object_type in {"begroeidterreindeel", "waterdeel"}
            cols = bundle.mapping.columns_for(lyr.object_type, lyr.columns)
            bundle.read_vector(lyr, box(ctx_m) if green else box(0), cols)
        raster_box = list(box(0))
        for role in ("buildings", "solar_panels"):
            for lyr in bundle.layers(role):
                gg, _ = bundle.read_vector(lyr, box(0), [])
                if role == "buildings" and gg.size:
                    # the engine's raster windows reach the zones (heat ring, flood
                    # zone) of the park's buildings whose point on surface is inside
                    gg = gg[shapely.contains(g, shapely.point_on_surface(gg))]
                    if gg.size:
                        bx = shapely.total_bounds(gg)
                        raster_box = [
                            min(raster_box[0], bx[0] - zone),
                            min(raster_box[1], bx[1] - zone),
                            max(raster_box[2], bx[2] + zone),
                            max(raster_box[3], bx[3] + zone),
                        ]
        for role in ("nature", "pt_stops"):
            for lyr in bundle.layers(role):
                for step in SEARCH_STEPS_M:
                    gg, _ = bundle.read_vector(lyr, box(step), [])
                    if gg.size:
                        break
        rb = (raster_box[0] - 1, raster_box[1] - 1, raster_box[2] + 1, raster_box[3] + 1)
        for role in ("dsm", "dtm", "heat", "flood"):
            bundle.read_raster(role, rb)
    return {"seconds": time.perf_counter() - t0, "parks": len(parks), "peak_mb": peak_mb()}


def stage_naive(out: Path, subset: int) -> dict:
    """The full-scope naive baseline (naive_scan.py: every engine indicator, geopandas +
    rasterstats + scipy, written plainly) on the first ``subset`` parks."""
    import naive_scan

    manifest = (out / "bundle" / "bundle.yaml").resolve()
    naive_scan._manifest(str(manifest))  # parse the manifest once, as load_bundle does
    parks = load_parks(out)[:subset]
    times, values = [], {}
    t0 = time.perf_counter()
    for pid, g in parks:
        t = time.perf_counter()
        values[pid] = naive_scan.naive_scan(pid, g, manifest)
        times.append(time.perf_counter() - t)
    return {
        "seconds": time.perf_counter() - t0,
        "parks": len(parks),
        "peak_mb": peak_mb(),
        "times": times,
        "values": values,
    }


# why naive and engine may differ per indicator (methods, not bugs, unless stated)
_WHY = {
    "canopy_share_pct": "boundary cells: rasterstats cell centres vs exact coverage",
    "pet_": "boundary cells: rasterstats cell centres vs exact coverage",
    "flood_area_": "boundary cells: rasterstats cell centres vs exact coverage",
    "cooling_capacity_mean": "5 m InVEST grid: boundary cells; 1 m class mix everywhere",
    "heat_mitigation_mean": "5 m InVEST grid: boundary cells; 1 m class mix everywhere",
    "flood_buildings_": "threshold ties: the engine compares a building's max depth in "
    "float64 (a stored 0.10 m counts as > 0.10 m), but its area share and the naive scan "
    "in the raster's float32 (suspected engine inconsistency)",
    "buildings_heat_stress_pct": "5 m zones: the engine gives a cell shared by two "
    "buildings' zones to one of them",
}


def _why(key: str) -> str:
    return next(
        (v for k, v in _WHY.items() if key.startswith(k)), "vector areas/distances: expect ~0"
    )


ROUNDING = 1.01e-6  # the engine rounds its JSON values to 6 decimals


def agreement(naive: dict, engine: dict) -> tuple[list[str], list[tuple]]:
    """Per indicator present in both: largest |naive - engine| over the parks.

    Returns (summary lines, rows (key, max |diff|, relative, unit, why) worst first);
    relative = max |diff| / largest |engine value| of that indicator over the parks."""
    from werklandschap.scanengine.catalog import INDICATORS

    parks = [p for p in naive if p in engine]
    rows, avail = [], []
    for key in INDICATORS:
        diffs, scale = [], 0.0
        for p in parks:
            e, n = engine[p].get(key), naive[p].get(key)
            if (e is None) != (n is None):
                avail.append(f"{key}@{p} (engine {e}, naive {n})")
            elif e is not None:
                diffs.append(abs(n - e))
                scale = max(scale, abs(e))
        if diffs:
            d = max(diffs)
            # engine results are rounded to 6 decimals: smaller differences are equality
            rel = 0.0 if d <= ROUNDING else d / max(scale, ROUNDING)
            rows.append((key, d, rel, INDICATORS[key].unit, _why(key)))
    rows.sort(key=lambda r: -r[2])
    same = sum(r[2] == 0.0 for r in rows)
    lines = [
        f"agreement naive vs engine on {len(parks)} parks: {len(rows)} indicators compared "
        f"(of {len(INDICATORS)}), {same} equal to the engine's 1e-6 rounding, median "
        f"relative max|diff| {np.median([r[2] for r in rows]) if rows else float('nan'):.1e}; "
        f"availability differs: {len(avail)}{' ' + '; '.join(avail[:3]) if avail else ''}"
    ]
    lines.append("  worst (max |diff| over the parks, relative to the largest value):")
    for key, d, rel, unit, why in rows[:6]:
        lines.append(f"    {key}: {d:.3g} {unit} (rel {rel:.1e}) - {why}")
    return lines, rows


# One thread per process (no GDAL decode threads): the
# engine, read-only and naive stages are compared on equal footing, as a batch worker
# runs. The 100 ha latency is also measured with the threads a single scan uses.
SINGLE_THREAD = {"GDAL_NUM_THREADS": "1"}


def run_stage(name: str, args, extra: list[str], env: dict[str, str] | None = None) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--stage",
        name,
        "--parks",
        str(args.parks),
        "--seed",
        str(args.seed),
        "--out",
        str(args.out),
        *extra,
    ]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, check=False, env={**os.environ, **(env or {})}
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"stage {name} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--parks", type=int, default=3800, help="number of parks (default 3800)")
    p.add_argument("--naive-parks", type=int, default=8, help="subset for the naive baseline")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--out", type=Path, default=None, help="data folder (default bench/out/N-seed)")
    p.add_argument(
        "--naive-only",
        action="store_true",
        help="only the naive comparison (engine and naive on the subset, agreement); "
        "no RESULT line",
    )
    p.add_argument("--stage", help=argparse.SUPPRESS)
    p.add_argument("--subset", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.out = args.out or HERE / "out" / f"{args.parks}-{args.seed}"
    args.out.mkdir(parents=True, exist_ok=True)
    if args.stage:
        global _SAMPLER
        _SAMPLER = _PeakSampler()
        fn = {
            "engine": lambda: stage_engine(args.out, args.subset or None),
            "batch": lambda: stage_batch(args.out, args.workers),
            "readonly": lambda: stage_readonly(args.out, args.subset or None),
            "naive": lambda: stage_naive(args.out, args.subset),
            "t100": lambda: stage_t100(args.out),
        }[args.stage]
        print(json.dumps(fn()))
        return 0
    generate(args.parks, args.seed, args.out)
    parks = load_parks(args.out)
    ha = np.array([g.area / 10_000 for _, g in parks])
    print(
        f"parks: {len(parks)}, area median {np.median(ha):.1f} ha, max {ha.max():.0f} ha, "
        f"{(ha > 500).sum()} > 500 ha"
    )
    import pyogrio

    n_poly = pyogrio.read_info(args.out / "bundle" / "bgt.gpkg", layer="plantcover")["features"]
    print(f"land-cover polygons (plantcover layer alone): {n_poly}")
    k = max(1, args.naive_parks)
    eng_sub = run_stage("engine", args, ["--subset", str(k)], SINGLE_THREAD)
    naive = run_stage("naive", args, ["--subset", str(k)], SINGLE_THREAD)
    ro_sub = run_stage("readonly", args, ["--subset", str(k)], SINGLE_THREAD)
    ratio = [a / b for a, b in zip(naive["times"], eng_sub["times"], strict=True)]
    print(
        f"naive (full scope, geopandas+rasterstats) on {naive['parks']} parks: "
        f"{naive['seconds']:.1f} s = {naive['seconds'] / naive['parks']:.2f} s/park "
        f"({naive['parks'] / naive['seconds']:.2f} parks/s), peak {naive['peak_mb']:.0f} MB; "
        f"engine on the same parks {eng_sub['seconds']:.2f} s = "
        f"{eng_sub['seconds'] / eng_sub['parks']:.3f} s/park, peak {eng_sub['peak_mb']:.0f} MB; "
        f"naive/engine per park {min(ratio):.1f}-{max(ratio):.1f}x"
    )
    for line in agreement(naive["values"], eng_sub["values"])[0]:
        print(line)
    vs_naive = (naive["seconds"] / naive["parks"]) / (eng_sub["seconds"] / eng_sub["parks"])
    print(
        f"read-only pass on the same parks {ro_sub['seconds']:.2f} s: even a scan that only "
        f"read its data would be {naive['seconds'] / ro_sub['seconds']:.1f}x the naive "
        f"(the ceiling of vs_naive on this data); the engine is "
        f"{eng_sub['seconds'] / ro_sub['seconds']:.2f}x its read-only pass here"
    )
    if args.naive_only:
        print(f"vs_naive={vs_naive:.1f} (timings are noisy when the machine is shared)")
        return 0
    eng = run_stage("engine", args, [], SINGLE_THREAD)
    ro = run_stage("readonly", args, [], SINGLE_THREAD)
    t100 = run_stage("t100", args, [])
    batch = run_stage("batch", args, ["--workers", str(args.workers)])
    print(
        f"engine (1 process): {eng['parks']} parks in {eng['seconds']:.1f} s = "
        f"{eng['parks'] / eng['seconds']:.2f} parks/s; median {eng['median_s']:.3f} s, "
        f"max {eng['max_s']:.2f} s per park; failed {eng['failed']}; peak {eng['peak_mb']:.0f} MB; "
        f"RSS at 25/50/100%: {eng['rss_quartiles_mb']} MB"
    )
    print(
        f"100 ha park (warm, best of 3): {t100['t100']:.3f} s as a single scan runs "
        f"(GDAL decode threads); {eng['t100']:.3f} s on one thread"
    )
    print(
        f"batch ({args.workers} workers): {batch['parks']} parks in {batch['seconds']:.1f} s = "
        f"{batch['parks'] / batch['seconds']:.2f} parks/s; parent peak {batch['peak_mb']:.0f} MB"
    )
    print(
        f"read-only pass (1 process): {ro['seconds']:.1f} s = {ro['parks'] / ro['seconds']:.2f} "
        f"parks/s; peak {ro['peak_mb']:.0f} MB"
    )
    vs_ro = eng["seconds"] / ro["seconds"]
    print(
        f"RESULT parks_per_s={batch['parks'] / batch['seconds']:.2f} vs_naive={vs_naive:.1f} "
        f"vs_readonly={vs_ro:.2f} peak_mb={max(eng['peak_mb'], batch['peak_mb']):.0f}"
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
