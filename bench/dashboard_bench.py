"""Benchmark of the park dashboard's server time (issue 16: median 5 s, up to 8 s under load).

    .venv/bin/python bench/dashboard_bench.py [--parks 3] [--repeat 7]

Sets up, in a private WERKLANDSCHAP_HOME (a temporary SQLite database; nothing
of ./var is touched), the reference data, the CBS boundaries and the demo's
synthetic parks, scans the first ``--parks`` of them on the demo's synthetic
bundle, and then measures in this process with Django's test client, logged
in as the programme team:

- baseline: the public park page of the same park (``registry:park-detail``),
  the site's ordinary page, measured in the same run so the figures below are
  ratios that do not depend on the machine;
- dashboard cold: the dashboard page plus its land-cover GeoJSON, with every
  cache emptied first (what the first visitor after a scan waits for);
- dashboard warm: the same again with the caches filled (every later visitor
  of the same scan);
- new worker: the caches of this process emptied but not the shared file cache
  (settings.CACHES): what another gunicorn worker, or this one after a restart,
  takes; with Django's default per-process cache this was the cold figure;
- the land-cover GeoJSON's size uncompressed and as sent (DataGZipMiddleware).

Each figure is the median of ``--repeat`` requests per park, over the parks.
Ends with exactly one line
    RESULT cold_vs_baseline=... warm_vs_baseline=... new_worker_vs_baseline=...
           cold_vs_warm=... geojson_sent_ratio=...
(on one line; geojson_sent_ratio = uncompressed size / bytes sent).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from django_setup import setup_django  # noqa: E402


def _timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="werklandschap-dashboard-bench-"))
    setup_django(home)
    from django.core.cache import caches
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from werklandschap.accounts.models import User
    from werklandschap.demo.generator import (
        create_demo_parks,
        create_demo_users,
        scan_demo_parks,
    )
    from werklandschap.registry.models import Park
    from werklandschap.scans.models import ParkScan

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0)
    call_command("load_boundaries", verbosity=0)
    create_demo_parks()
    create_demo_users()
    scanned = scan_demo_parks(limit=args.parks)
    parks = list(
        Park.objects.filter(pk__in=ParkScan.objects.filter(status="ok").values("park")).order_by(
            "pk"
        )
    )
    print(f"set-up: {scanned} demo parks scanned in {time.perf_counter() - t0:.1f} s ({home})")

    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(User.objects.get(username="programmateam"))

    def clear_caches() -> None:
        for alias in caches:
            caches[alias].clear()
        from werklandschap.portal import layers

        layers.clear_process_caches()

    def get(url: str):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def page_and_layer(dashboard: str, landcover: str) -> None:
        get(dashboard)
        get(landcover)

    def cold_run(dashboard: str, landcover: str) -> None:
        clear_caches()
        page_and_layer(dashboard, landcover)

    def new_worker_run(dashboard: str, landcover: str) -> None:
        # Another gunicorn worker, or this one after a restart: its own memory
        # is empty, the shared cache is not.
        from werklandschap.portal import layers

        layers.clear_process_caches()
        page_and_layer(dashboard, landcover)

    baseline, cold, warm, worker, sizes = [], [], [], [], []
    for park in parks:
        detail = reverse("registry:park-detail", kwargs={"slug": park.slug})
        urls = (
            reverse("portal:dashboard", kwargs={"slug": park.slug}),
            reverse("portal:landcover", kwargs={"slug": park.slug}),
        )
        get(detail)  # import and template warm-up, not measured
        baseline.append(_timed(functools.partial(get, detail), args.repeat))
        cold.append(_timed(functools.partial(cold_run, *urls), args.repeat))
        page_and_layer(*urls)
        warm.append(_timed(functools.partial(page_and_layer, *urls), args.repeat))
        worker.append(_timed(functools.partial(new_worker_run, *urls), args.repeat))
        page_kb = len(get(urls[0]).content) / 1024
        response = get(urls[1])
        body = response.content
        raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
        sizes.append((len(raw), len(body), response.get("Content-Encoding", "")))
        print(
            f"{park.name[:34]:<34} baseline {baseline[-1] * 1000:6.1f} ms  "
            f"cold {cold[-1] * 1000:7.1f} ms  warm {warm[-1] * 1000:6.1f} ms  "
            f"new worker {worker[-1] * 1000:6.1f} ms  page {page_kb:5.0f} KB  "
            f"land cover {len(raw) / 1024:6.1f} KB, sent {len(body) / 1024:5.1f} KB "
            f"({sizes[-1][2] or 'uncompressed'})"
        )

    b, c, w, n = (statistics.median(x) for x in (baseline, cold, warm, worker))
    raw_total = sum(s[0] for s in sizes)
    sent_total = sum(s[1] for s in sizes)
    print(
        f"median over {len(parks)} parks: baseline {b * 1000:.1f} ms, cold {c * 1000:.1f} ms, "
        f"warm {w * 1000:.1f} ms, new worker {n * 1000:.1f} ms; land cover "
        f"{raw_total / 1024:.0f} KB -> {sent_total / 1024:.0f} KB sent"
    )
    print(
        f"RESULT cold_vs_baseline={c / b:.2f} warm_vs_baseline={w / b:.2f} "
        f"new_worker_vs_baseline={n / b:.2f} cold_vs_warm={c / w:.2f} "
        f"geojson_sent_ratio={raw_total / sent_total:.2f}"
    )


if __name__ == "__main__":
    main()
