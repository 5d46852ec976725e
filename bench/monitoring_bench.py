"""Benchmark of the monitoring dashboards and the park list API under load (issue 21, "Speed").

    .venv/bin/python bench/monitoring_bench.py [--parks 3800] [--scans 10]
        [--questions 20000] [--entries 5000] [--users 32] [--seconds 20]

Without ``DATABASE_URL`` it starts itself again under ``scripts/pg-throwaway`` (a
throwaway PostgreSQL server on a private socket); with one, it uses that database
(which it migrates and fills: give it an empty one). Its files (cache, media) go
to a temporary WERKLANDSCHAP_HOME; nothing of ./var is touched.

Seeding (bulk_create; the scans by COPY on PostgreSQL):

- ``--parks`` parks spread over the municipalities of the reference data (so over
  every province and region), created over the last four years; about a quarter
  joined the swarm (partners, 10 ambassadors, 4 living labs, showcases), each with
  the history rows ``change_park_status`` would have written (role and phase
  changes at their dates, labels as shown in Dutch);
- ``--scans`` scan runs, a quarter apart, each with a result for every park: every
  indicator of the catalogue as ``scanengine.catalog.entry`` writes it (value, unit,
  theme, label, status, reason, source, method: about 16 kB of JSON per scan);
- ``--questions`` support questions with their history (``support_bench.seed_questions``);
- ``--entries`` published innovation entries (``knowledge.Entry``; skipped if the
  model is missing). The dashboards do not read them yet (the knowledge app has no
  reporting function), so they are volume in the database only.

Then it starts the project's real server, ``werklandschap serve`` (gunicorn with the
production settings, SERVE_WORKERS x SERVE_THREADS as configured), on loopback, and
runs ``bench/monitoring_load.py`` (locust as a library, in its own process) with
``--users`` concurrent keep-alive connections and no think time on each URL below,
``--seconds`` per URL split over ``--rounds`` interleaved rounds (trivial, programme,
province, API, trivial, ...), so that every URL sees the same share of whatever else
the machine is doing; the rounds' response-time histograms are merged:

- trivial: ``/health/`` (one ``SELECT 1``, through the whole middleware stack);
- the programme dashboard (``/monitor/programma/``, the team's session);
- the dashboard of the province with the most parks;
- the park list API ``/api/v1/parks`` (anonymous; the anonymous rate limit is
  lifted for the run, since all load comes from one address);
- for reference only, ``/health/`` again with the team's session cookie (the session
  and user look-ups every logged-in page pays); RESULT uses the anonymous one.

Each heavy page is requested once before its run, so the figures are those of the
steady state (figures cached under their data fingerprint); that first, cold
request's time is printed too. ``queries_dashboard`` is the number of SQL queries
of the programme dashboard computed from scratch (cache off), measured in this
process with Django's test client; the warm count is printed beside it.

Ends with exactly one line
    RESULT p95_ratio_dashboard=... p95_ratio_api=... queries_dashboard=...
where a ratio is the page's p95 over the trivial endpoint's p95 under the same load
(the dashboard ratio is the worse of the programme and province dashboards).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def _setup(home: Path) -> None:
    os.environ["WERKLANDSCHAP_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "werklandschap.conf.settings.dev"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def _create_database(url: str) -> None:
    """Create the database of ``url`` on its server if it is not there (pg-throwaway's
    server starts with none)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


class _NoAutoNow:
    """Let bulk_create keep the given time stamps of auto_now_add fields (seeding only)."""

    def __init__(self, *fields):
        self.fields = fields

    def __enter__(self):
        for f in self.fields:
            f.auto_now_add = False

    def __exit__(self, *exc):
        for f in self.fields:
            f.auto_now_add = True


def seed_parks(n: int, rng: random.Random) -> list:
    """``n`` parks with swarm roles and the history that put them there."""
    from django.utils import timezone, translation
    from shapely.geometry import box

    from werklandschap.registry.choices import ParkType, ProcessPhase, SwarmRole
    from werklandschap.registry.models import Municipality, Park, ParkHistory

    now = timezone.now()
    municipalities = list(Municipality.objects.exclude(province=None).order_by("code"))
    types = [t for t, _label in ParkType.choices]
    parks = []
    for i in range(n):
        m = municipalities[i % len(municipalities)]
        x = 14_000 + (i * 7_919) % 260_000
        y = 310_000 + (i * 104_729) % 300_000
        geom = box(x, y, x + 500, y + 400)
        park = Park(
            name=f"Benchterrein {i:04d}",
            slug=f"benchterrein-{i:04d}",
            geometry=geom,
            gross_area_ha=20,
            municipality=m,
            province_id=m.province_id,
            region_id=m.region_id,
            park_type=rng.choices(types, weights=[80, 5, 5, 10])[0],
            swarm_role=SwarmRole.NONE,
            created_at=now - timedelta(days=rng.randrange(90, 1460)),
        )
        park.update_bbox()
        parks.append(park)
    created = Park._meta.get_field("created_at")
    with _NoAutoNow(created):
        Park.objects.bulk_create(parks, batch_size=1000)
    parks = list(Park.objects.order_by("id"))

    swarm = [p for p in parks if rng.random() < 0.27]
    roles = (
        [SwarmRole.AMBASSADOR] * 10
        + [SwarmRole.LIVING_LAB] * 4
        + [SwarmRole.SHOWCASE] * 25
        + [SwarmRole.PARTNER] * max(0, len(swarm) - 39)
    )[: len(swarm)]
    rng.shuffle(roles)
    with translation.override("nl"):
        none_label = str(SwarmRole.NONE.label)
        role_label = {r: str(r.label) for r in SwarmRole}
        phase_label = {p: str(p.label) for p in ProcessPhase}
    history = []
    for park, role in zip(swarm, roles, strict=True):
        span = (now - park.created_at).days
        joined = park.created_at + timedelta(days=rng.randrange(1, max(2, span)))
        history.append(
            ParkHistory(
                park=park,
                field="swarm_role",
                old_value=none_label,
                new_value=role_label[role],
                changed_at=joined,
            )
        )
        phase, old, when = 0, "", joined
        for _step in range(rng.randrange(1, 4)):
            history.append(
                ParkHistory(
                    park=park,
                    field="phase",
                    old_value=old,
                    new_value=phase_label[ProcessPhase(phase)],
                    changed_at=when,
                )
            )
            old = phase_label[ProcessPhase(phase)]
            phase = min(7, phase + rng.randrange(1, 3))
            when = when + timedelta(days=rng.randrange(30, 200))
            if when > now:
                break
        park.swarm_role = role
        park.phase = int(ProcessPhase(phase if when <= now else max(0, phase - 1)))
    with _NoAutoNow(ParkHistory._meta.get_field("changed_at")):
        ParkHistory.objects.bulk_create(history, batch_size=2000)
    Park.objects.bulk_update(swarm, ["swarm_role", "phase"], batch_size=1000)
    return parks


def seed_scans(parks: list, runs: int, rng: random.Random) -> int:
    """A result per park per run, as the engine stores it (COPY on PostgreSQL)."""
    from django.db import connection
    from django.utils import timezone

    from werklandschap.scanengine import catalog
    from werklandschap.scans.models import ParkScan, ScanRun

    now = timezone.now()
    template = {k: catalog.entry(k, 1.0, source="bench") for k in catalog.INDICATORS}
    run_objs = []
    for r in range(runs):
        run = ScanRun.objects.create(
            bundle_name=f"bench-{r}",
            engine_version="bench",
            status=ScanRun.Status.COMPLETED,
            is_synthetic=True,
        )
        run_objs.append((run, now - timedelta(days=91 * (runs - r))))
    base = {p.pk: rng.uniform(5, 40) for p in parks}
    rows = 0

    def results():
        for run, when in run_objs:
            for park in parks:
                green = max(0.0, base[park.pk] + rng.gauss(0, 2))
                values = {
                    "green_share_pct": green,
                    "impervious_share_pct": max(0.0, 85 - green),
                    "canopy_share_pct": green / 2,
                    "storage_gap_m3": rng.uniform(0, 4000),
                    "pet_mean_c": rng.uniform(30, 40),
                }
                indicators = {
                    k: {**entry, "value": values.get(k, rng.uniform(0, 100))}
                    for k, entry in template.items()
                }
                yield run, when, park, indicators

    if connection.vendor == "postgresql":
        columns = (
            "run_id, park_id, status, error, area_ha, indicators, scores, completeness, "
            "completeness_reason, score_basis, parameters_digest, computed_at"
        )
        with connection.cursor() as cursor:
            raw = cursor.connection.cursor()
            with raw.copy(f"COPY {ParkScan._meta.db_table} ({columns}) FROM STDIN") as copy:
                for run, when, park, indicators in results():
                    copy.write_row(
                        (
                            run.pk,
                            park.pk,
                            "ok",
                            "",
                            20.0,
                            json.dumps(indicators),
                            "{}",
                            "complete",
                            "",
                            "{}",
                            "",
                            when,
                        )
                    )
                    rows += 1
    else:
        batch = []
        with _NoAutoNow(ParkScan._meta.get_field("computed_at")):
            for run, when, park, indicators in results():
                batch.append(
                    ParkScan(
                        run=run,
                        park=park,
                        status="ok",
                        area_ha=20.0,
                        indicators=indicators,
                        completeness="complete",
                        computed_at=when,
                    )
                )
                if len(batch) >= 500:
                    ParkScan.objects.bulk_create(batch)
                    rows += len(batch)
                    batch = []
            ParkScan.objects.bulk_create(batch)
            rows += len(batch)
    return rows


def seed_entries(n: int, parks: list, rng: random.Random) -> int | None:
    """``n`` published innovation entries, or None without the knowledge app."""
    try:
        from werklandschap.knowledge.models import Entry
    except ImportError:
        return None
    from django.utils import timezone

    now = timezone.now()
    entries = [
        Entry(
            title=f"Benchinnovatie {i}",
            summary="Een wadi en groene daken op een bedrijventerrein.",
            body="Een beschrijving van de innovatie.",
            kind="project",
            themes=["water"],
            directions=[],
            scale="park",
            origin="park",
            park=parks[i % len(parks)],
            evidence="practice",
            status="published",
            created_at=now - timedelta(days=i % 700),
            updated_at=now,
            published_at=now - timedelta(days=i % 700),
            synthetic=True,
        )
        for i in range(n)
    ]
    Entry.objects.bulk_create(entries, batch_size=1000)
    return n


def _session_cookie(user) -> str:
    """A logged-in session for ``user`` (as the login view would leave it)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def _get(url: str, cookie: str) -> tuple[float, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    t = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as r:
        r.read()
        status = r.status
    return (time.perf_counter() - t) * 1000, status


def _percentiles(histogram: dict[str, int]) -> dict[str, float]:
    """p50/p95/p99 of a merged histogram (response time in ms -> count)."""
    times = sorted((float(ms), n) for ms, n in histogram.items())
    total = sum(n for _ms, n in times)
    result = {}
    for name, share in (("p50_ms", 0.50), ("p95_ms", 0.95), ("p99_ms", 0.99)):
        rank, seen, value = share * total, 0, 0.0
        for ms, n in times:
            seen += n
            value = ms
            if seen >= rank:
                break
        result[name] = value
    return result


def _load(base: str, path: str, args, cookie: str, seconds: float) -> dict:
    command = [
        PYTHON,
        str(ROOT / "bench" / "monitoring_load.py"),
        "--host",
        base,
        "--path",
        path,
        "--users",
        str(args.users),
        "--seconds",
        str(seconds),
        "--warmup",
        str(args.warmup),
    ]
    if cookie:
        command += ["--cookie", cookie]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=3800)
    parser.add_argument("--scans", type=int, default=10, help="scan runs (a scan per park each)")
    parser.add_argument("--questions", type=int, default=20000)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--users", type=int, default=32, help="concurrent connections")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per URL")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds per run")
    parser.add_argument(
        "--rounds", type=int, default=4, help="interleaved runs per URL (--seconds split)"
    )
    parser.add_argument("--workers", type=int, default=None, help="default: SERVE_WORKERS")
    parser.add_argument("--threads", type=int, default=None, help="default: SERVE_THREADS")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        # A throwaway PostgreSQL server for this run (deleted afterwards).
        pg = ROOT / "scripts" / "pg-throwaway"
        os.execv(str(pg), [str(pg), PYTHON, str(Path(__file__).resolve()), *sys.argv[1:]])

    _create_database(os.environ["DATABASE_URL"])
    home = Path(tempfile.mkdtemp(prefix="werklandschap-monitoring-bench-"))
    _setup(home)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.utils.text import slugify

    from bench.support_bench import _user, seed_questions
    from werklandschap.accounts.roles import Role
    from werklandschap.registry.choices import OrganisationKind
    from werklandschap.registry.models import Organisation, Park, Province, Region

    rng = random.Random(21)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0)
    t1 = time.perf_counter()
    parks = seed_parks(args.parks, rng)
    t2 = time.perf_counter()
    scans = seed_scans(parks, args.scans, rng)
    t3 = time.perf_counter()
    regions = list(Region.objects.filter(director__isnull=False).select_related("director"))
    partners = list(Organisation.objects.filter(kind=OrganisationKind.COALITION_PARTNER))
    seed_questions(args.questions, regions=regions, parks=parks[:400], partners=partners)
    t4 = time.perf_counter()
    entries = seed_entries(args.entries, parks, rng)
    t5 = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    team = _user(Role.PROGRAMME_TEAM, "team")
    from django.db.models import Count

    busiest = (
        Park.objects.exclude(province=None)
        .values("province")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    province = Province.objects.get(pk=busiest["province"])
    province_parks = busiest["n"]
    print(
        f"seeded: {len(parks)} parks ({Park.objects.in_swarm().count()} in the swarm), "
        f"{scans} scans, {args.questions} questions, "
        f"{'no knowledge app: no' if entries is None else entries} innovation entries; "
        f"reference {t1 - t0:.1f} s, parks {t2 - t1:.1f} s, scans {t3 - t2:.1f} s, "
        f"questions {t4 - t3:.1f} s, entries {t5 - t4:.1f} s",
        flush=True,
    )

    programme_url = "/monitor/programma/"
    province_url = f"/monitor/provincie/{slugify(province.name)}/"
    api_url = "/api/v1/parks"

    client = Client()
    client.force_login(team)
    with override_settings(MONITORING_CACHE_SECONDS=0):
        cold_queries = _count_queries(client, programme_url)
        province_cold_queries = _count_queries(client, province_url)
    _count_queries(client, programme_url)  # fills the cache
    warm_queries = _count_queries(client, programme_url)
    api_queries = _count_queries(Client(), api_url)
    print(
        f"queries: programme dashboard {cold_queries} computed, {warm_queries} cached; "
        f"province dashboard {province_cold_queries} computed; park list API {api_queries}",
        flush=True,
    )
    from werklandschap.monitoring.figures import Scope, compute_dashboard

    timings = []
    for scope in (Scope.programme(), Scope("province", province=province)):
        t = time.perf_counter()
        compute_dashboard(scope)
        timings.append((time.perf_counter() - t) * 1000)
    print(
        f"computed from scratch in this process: programme {timings[0]:.0f} ms, "
        f"province {timings[1]:.0f} ms (then cached until their data changes)",
        flush=True,
    )
    from django.core.cache import cache

    cache.clear()
    cookie = _session_cookie(team)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # The production settings (DEBUG off, manifest static files, WhiteNoise), with
    # what they demand from the environment; mail is never sent by these pages.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "werklandschap.conf.settings.production",
        "SECRET_KEY": "bench-" + os.urandom(24).hex(),
        "EMAIL_HOST": "localhost",
        "SECURE_SSL_REDIRECT": "0",
        # Collected once and reused by later runs (collectstatic only when files changed).
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "werklandschap-bench-static"),
        "SCAN_WORKER": "0",
        "API_ANON_RATE": "100000000/second",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DEBUG", None)
    serve = [str(Path(PYTHON).parent / "werklandschap"), "serve", "--port", str(port)]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    if args.threads:
        serve += ["--threads", str(args.threads)]
    log = open(home / "serve.log", "w")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(serve, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            _wait(base + "/health/", seconds=600)
        except SystemExit:
            print((home / "serve.log").read_text()[-3000:], file=sys.stderr)
            raise
        targets = [
            ("trivial /health/", "/health/", ""),
            ("programme dashboard", programme_url, cookie),
            (f"province dashboard ({province.name}, {province_parks} parks)", province_url, cookie),
            ("park list API", api_url, ""),
            # For reference (not in RESULT): the trivial endpoint with the team's session,
            # which adds the session and user look-ups every logged-in page pays.
            ("trivial /health/ (logged in)", "/health/", cookie),
        ]
        results = {
            name: {"histogram": {}, "requests": 0, "failures": 0, "seconds": 0.0}
            for name, _p, _c in targets
        }
        for name, path, c in targets:
            first_ms, status = _get(base + path, c)
            assert status == 200, (path, status)
            results[name]["first_ms"] = round(first_ms, 1)
        # Interleaved rounds: every URL gets the same share of whatever else the machine
        # is doing, so the ratios compare like with like.
        for _round in range(args.rounds):
            for name, path, c in targets:
                run = _load(base, path, args, c, args.seconds / args.rounds)
                merged = results[name]
                for ms, n in run["histogram"].items():
                    merged["histogram"][ms] = merged["histogram"].get(ms, 0) + n
                merged["requests"] += run["requests"]
                merged["failures"] += run["failures"]
                merged["seconds"] += run["seconds"]
        for name, _path, _c in targets:
            r = results[name]
            r.update(_percentiles(r["histogram"]))
            r["rps"] = r["requests"] / r["seconds"] if r["seconds"] else 0.0
            print(
                f"{name:<48} first {r['first_ms']:8.1f} ms | p50 {r['p50_ms']:6.0f} ms "
                f"p95 {r['p95_ms']:6.0f} ms p99 {r['p99_ms']:6.0f} ms | "
                f"{r['rps']:7.1f} req/s, {r['requests']} requests, "
                f"{r['failures']} failures",
                flush=True,
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(home, ignore_errors=True)

    names = list(results)
    trivial = max(results[names[0]]["p95_ms"], 1)
    dashboard_ratio = max(results[names[1]]["p95_ms"], results[names[2]]["p95_ms"]) / trivial
    api_ratio = results[names[3]]["p95_ms"] / trivial
    failures = sum(r["failures"] for r in results.values())
    print(
        f"{args.users} concurrent connections, {args.seconds:g} s per URL in {args.rounds} "
        "interleaved rounds; "
        f"failures {failures}; target: heavy pages within 5x the trivial p95",
        flush=True,
    )
    print(
        f"RESULT p95_ratio_dashboard={dashboard_ratio:.2f} p95_ratio_api={api_ratio:.2f} "
        f"queries_dashboard={cold_queries}"
    )


if __name__ == "__main__":
    main()
