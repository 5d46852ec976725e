"""Benchmark of the support desk's lists with many questions (issue 17, "Speed").

    .venv/bin/python bench/support_bench.py [--questions 20000] [--history N] [--repeat 5]

Sets up, in a private WERKLANDSCHAP_HOME (a temporary SQLite database; nothing
of ./var is touched), the reference data, two parks per region, a programme
team account and a regional director's account, and then writes
``--questions`` questions (default 20,000) and ``--history`` history rows
(default three per question, so 60,000) straight into the tables with
``bulk_create``: spread over every status in a desk that has run for some years
(most questions completed, out of scope or withdrawn), over the four regions
(and a few without region, the team's), with due dates in the past and the
coming weeks (overdue and soon-due questions among them), partners put out to
and their proposals. The history of a question is the tail of its path through
the workflow (a completed question's full path has eight steps; the issue's
volume is three per question on average).

It then measures in this process with Django's test client:

- baseline: the privacy page (``front:privacy``) for the logged-in team, a
  trivial page of the same server with the same middleware and base template,
  measured in the same run so the figures below are ratios that do not depend
  on the machine;
- the director's desk list (``support:desk``), with its overdue and soon-due
  lists and its figures;
- the team's desk list of questions put out (``?status=put_out``), the list on
  which the overdue ones are marked, with the overdue list above it;
- the team's workspace start page (``workspace:start``), with the desk section;
- the team's and the director's desk list of all their questions, and the
  director's workspace (printed, not in the RESULT line);
- the report page (``support:report``) for the team and the director, and its
  CSV and XLSX exports of all questions (``--export-repeat`` times);
- ``reporting.summary`` over all questions (in the process, no request).

Each figure is the median of ``--repeat`` runs, in wall-clock time and in
this process's CPU time (SQLite runs in the process, so that includes the
database; on a machine shared with other work it varies much less). It prints the time and the
number of SQL queries per page and ends with exactly one line
    RESULT director_list_vs_baseline=... team_list_vs_baseline=...
           workspace_vs_baseline=... summary_ms=... queries_director=...
(on one line).

``seed_questions`` is also used by tests/support/test_desk_queries.py, which
asserts that the query counts do not grow with the number of questions.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from django_setup import setup_django  # noqa: E402

# A desk that has run for a few years: most questions are settled.
STATUS_WEIGHTS = {
    "new": 1,
    "received": 3,
    "sharpening": 4,
    "put_out": 6,
    "proposals_in": 4,
    "decided": 3,
    "in_execution": 8,
    "completed": 40,
    "out_of_scope": 15,
    "withdrawn": 13,
    "reopened": 3,
}
_MAIN_PATH = [
    "new",
    "received",
    "sharpening",
    "put_out",
    "proposals_in",
    "decided",
    "in_execution",
    "completed",
]
# The path of a question to its status (the last step is its status).
PATHS = {status: _MAIN_PATH[: i + 1] for i, status in enumerate(_MAIN_PATH)}
PATHS["out_of_scope"] = ["new", "received", "sharpening", "out_of_scope"]
PATHS["withdrawn"] = ["new", "received", "sharpening", "put_out", "withdrawn"]
PATHS["reopened"] = ["new", "received", "out_of_scope", "reopened"]
# Offsets of put-out questions' due dates from today, cycled: overdue ones,
# soon-due ones (today is always within the soon-due window) and later ones.
PUT_OUT_DUE_OFFSETS = (-6, 0, 9, -1, 1, 12, -20, 4, 7, 13)
PUT_OUT_ONWARD = {
    "put_out",
    "proposals_in",
    "decided",
    "in_execution",
    "completed",
    "withdrawn",
}
PROPOSED = {"proposals_in", "decided", "in_execution", "completed"}
CHOSEN = {"decided", "in_execution", "completed"}
OPEN = {"received", "sharpening", "put_out", "proposals_in", "decided", "in_execution", "reopened"}


def spread(weights: dict[str, int], n: int, rng: random.Random) -> list[str]:
    """``n`` statuses in the proportions of ``weights`` (largest remainder), shuffled."""
    total = sum(weights.values())
    exact = {s: n * w / total for s, w in weights.items()}
    counts = {s: int(x) for s, x in exact.items()}
    for s in sorted(exact, key=lambda s: counts[s] - exact[s])[: n - sum(counts.values())]:
        counts[s] += 1
    result = [s for s, c in counts.items() for _ in range(c)]
    rng.shuffle(result)
    return result


def seed_questions(
    n: int,
    *,
    regions: list,
    parks: list,
    partners: list,
    without_region: float = 0.05,
    history: int | None = None,
    weights: dict[str, int] | None = None,
    today: date | None = None,
    rng_seed: int = 17,
    batch_size: int = 2000,
    start: int | None = None,
) -> dict[str, int]:
    """Write ``n`` questions with assignments, proposals and ``history`` events (bulk).

    A question goes to one of ``regions`` at random (and so to its director),
    or, with chance ``without_region``, to no region (the team's). It gets one
    of the parks of its region half of the time. ``partners`` are the coalition partners
    put out to. Returns the number of rows written per table.
    """
    from django.db import transaction
    from django.utils import timezone

    from werklandschap.support.models import (
        Assignment,
        Expertise,
        Proposal,
        Question,
        QuestionEvent,
    )

    rng = random.Random(rng_seed)
    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
    history = 3 * n if history is None else history
    statuses = spread(weights or STATUS_WEIGHTS, n, rng)
    themes = list(Expertise.objects.filter(kind=Expertise.Kind.AREA))
    steps = list(Expertise.objects.filter(kind=Expertise.Kind.TOOLBOX_STEP))
    parks_of: dict = {}
    for park in parks:
        parks_of.setdefault(park.region_id, []).append(park)
    asker_types = ["business_park", "entrepreneur", "municipality", "region", "property_owner"]
    if start is None:
        start = (Question.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def at(day: date, hour: int = 10) -> datetime:
        return datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=zone)

    questions, plans = [], []
    put_out_seen = 0
    for i, status in enumerate(statuses):
        region = None if rng.random() < without_region else rng.choice(regions)
        if status == "put_out":
            due = today + timedelta(days=PUT_OUT_DUE_OFFSETS[put_out_seen % 10])
            put_out_seen += 1
            sharpened_day = due - timedelta(days=14)
        elif status in OPEN:
            sharpened_day = today - timedelta(days=rng.randrange(15, 90))
            due = sharpened_day + timedelta(days=14)
        else:
            sharpened_day = today - timedelta(days=rng.randrange(60, 3 * 365))
            due = sharpened_day + timedelta(days=14)
        created_day = sharpened_day - timedelta(days=rng.randrange(1, 6))
        path = PATHS[status]
        clocked = "put_out" in path
        first_proposal = None
        if status in PROPOSED:
            first_proposal = at(sharpened_day + timedelta(days=rng.choice((3, 6, 9, 12, 16, 21))))
        closed = status in ("completed", "out_of_scope", "withdrawn")
        park = None
        if region is not None and parks_of.get(region.pk) and rng.random() < 0.5:
            park = rng.choice(parks_of[region.pk])
        number = start + i
        questions.append(
            Question(
                reference=f"B{created_day:%Y}-{number:06d}",
                status=status,
                asker_type=rng.choice(asker_types),
                level="park" if park else "region",
                park=park,
                region=region,
                director=region.director if region is not None else None,
                theme=rng.choice(themes) if themes and rng.random() < 0.8 else None,
                toolbox_step=rng.choice(steps) if steps and rng.random() < 0.6 else None,
                title=f"Vraag {number} over vergroening van het terrein",
                body="Wij willen weten hoe wij met de ondernemers kunnen beginnen. " * 4,
                asker_name=f"Vrager {number}",
                asker_organisation="Parkmanagement",
                asker_email=f"vrager{number}@example.org",
                created_at=at(created_day, 9),
                confirmed_at=at(created_day, 11) if status != "new" else None,
                sharpened_at=at(sharpened_day, 9) if "sharpening" in path else None,
                due_date=due if clocked else None,
                first_proposal_at=first_proposal,
                closed_at=at(sharpened_day + timedelta(days=60)) if closed else None,
                scope_rule="commercial" if status == "out_of_scope" else "",
                agreed_cost=Decimal("4800.00") if status in CHOSEN else None,
                agreed_own_contribution=Decimal("800.00") if status in CHOSEN else None,
            )
        )
        plans.append((status, path, at(sharpened_day, 8), first_proposal))

    written = {"questions": n, "assignments": 0, "proposals": 0, "events": 0}
    with transaction.atomic():
        for offset in range(0, n, batch_size):
            Question.objects.bulk_create(questions[offset : offset + batch_size])
        # SQLite (3.35+) and PostgreSQL return the new primary keys.
        pks = {q.reference: q.pk for q in questions}

        assignments, proposals, paths = [], [], []
        for question, (status, path, sharpened, first_proposal) in zip(
            questions, plans, strict=True
        ):
            pk = pks[question.reference]
            put_to: list = []
            if status in PUT_OUT_ONWARD and partners:
                put_to = rng.sample(partners, min(len(partners), rng.choice((1, 2, 3, 3))))
                assignments += [
                    Assignment(
                        question_id=pk,
                        organisation=org,
                        assigned_at=sharpened + timedelta(hours=1),
                        rank=rank,
                    )
                    for rank, org in enumerate(put_to, start=1)
                ]
            proposers = put_to[: rng.randint(1, len(put_to))] if status in PROPOSED else []
            for k, org in enumerate(proposers):
                state = "submitted"
                if status in CHOSEN:
                    state = "chosen" if k == 0 else "not_chosen"
                proposals.append(
                    Proposal(
                        question_id=pk,
                        organisation=org,
                        approach="Twee werksessies en een concept.",
                        deliverables="Een plan van tien pagina's.",
                        duration="Zes weken",
                        cost=Decimal("4800.00"),
                        own_contribution=Decimal("800.00"),
                        pdf=f"proposals/{question.reference}-{org.slug}.pdf",
                        state=state,
                        submitted_at=first_proposal + timedelta(days=k),
                    )
                )
            steps_of = list(zip(["", *path[:-1]], path, strict=True))
            # A later proposal is a step of its own (from and to: proposals in).
            extra = [("proposals_in", "proposals_in")] * max(0, len(proposers) - 1)
            paths.append((pk, question.created_at, steps_of[:5] + extra + steps_of[5:]))

        # The tail of each path, longest paths shortened first, or notes added
        # (calls with the asker), until the history has exactly ``history`` rows.
        kept = [len(steps) for _pk, _at, steps in paths]
        excess = sum(kept) - history
        while excess > 0:
            longest = max(kept)
            for j, length in enumerate(kept):
                if excess and length == longest and length > 1:
                    kept[j] -= 1
                    excess -= 1
            if longest <= 1:
                break
        events = []
        for (pk, created, steps), length in zip(paths, kept, strict=True):
            for k, (source, target) in enumerate(steps[len(steps) - length :]):
                events.append(
                    QuestionEvent(
                        question_id=pk,
                        from_status=source,
                        to_status=target,
                        actor="team",
                        at=created + timedelta(days=k, hours=1),
                    )
                )
        notes = itertools.cycle(paths) if paths else iter(())
        while len(events) < history and paths:
            pk, created, steps = next(notes)
            last = steps[-1][1]
            events.append(
                QuestionEvent(
                    question_id=pk,
                    from_status=last,
                    to_status=last,
                    actor="team",
                    at=created + timedelta(hours=2),
                    note="Contact met de vrager.",
                )
            )
        for rows, model in (
            (assignments, Assignment),
            (proposals, Proposal),
            (events, QuestionEvent),
        ):
            for offset in range(0, len(rows), batch_size):
                model.objects.bulk_create(rows[offset : offset + batch_size])
    written.update(assignments=len(assignments), proposals=len(proposals), events=len(events))
    return written


# --------------------------------------------------------------------------- the run


def _user(role, username: str, organisation=None):
    from django.contrib.auth.models import Group

    from werklandschap.accounts.models import User

    user = User.objects.create_user(username=username, password=None)
    user.organisation = organisation
    user.is_staff = role.value == "programme_team"
    user.email = f"{username}@example.org"
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    return user


def _parks() -> list:
    """Two parks per region (rectangles in the region's first municipality's area)."""
    from shapely.geometry import box

    from werklandschap.registry.models import Park, Region
    from werklandschap.registry.services import unique_park_slug

    parks = []
    for i, region in enumerate(Region.objects.order_by("name")):
        municipality = region.municipalities.first()
        for j in range(2):
            name = f"Benchterrein {region.name} {j + 1}"
            x, y = 100000.0 + 5000 * i, 400000.0 + 1000 * j
            parks.append(
                Park.objects.create(
                    name=name,
                    slug=unique_park_slug(name),
                    geometry=box(x, y, x + 400, y + 300),
                    region=region,
                    province=municipality.province if municipality else None,
                )
            )
    return parks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20000)
    parser.add_argument("--history", type=int, default=None, help="default: 3 per question")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--export-repeat", type=int, default=1, help="repeats of the exports")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="werklandschap-support-bench-"))
    setup_django(home)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from werklandschap.accounts.roles import Role
    from werklandschap.registry.choices import OrganisationKind
    from werklandschap.registry.models import Organisation, Region
    from werklandschap.support import reporting
    from werklandschap.support.models import Question

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0)
    regions = list(Region.objects.filter(director__isnull=False).select_related("director"))
    parks = _parks()
    partners = list(Organisation.objects.filter(kind=OrganisationKind.COALITION_PARTNER))
    team = _user(Role.PROGRAMME_TEAM, "team")
    # The director of the most regions (of the four): the longest director's list.
    director_org = Counter(r.director for r in regions).most_common(1)[0][0]
    director = _user(Role.REGIONAL_DIRECTOR, "regisseur", director_org)
    t1 = time.perf_counter()
    written = seed_questions(
        args.questions,
        regions=regions,
        parks=parks,
        partners=partners,
        history=args.history,
    )
    t2 = time.perf_counter()
    routed = Question.objects.filter(director=director_org).count()
    directors = len({r.director_id for r in regions})
    print(
        f"set-up {t1 - t0:.1f} s; seeded in {t2 - t1:.1f} s: "
        + ", ".join(f"{v} {k}" for k, v in written.items())
        + f"; {len(regions)} regions of {directors} directors, {len(partners)} partners; "
        f"the director measured ({director_org}) has {routed} questions ({home})"
    )

    team_client, director_client = Client(), Client()
    team_client.force_login(team)
    director_client.force_login(director)

    def measure(name: str, fn, repeat: int | None = None) -> tuple[float, int]:
        if repeat is None:  # warm-up: imports, templates, per-process caches; not measured
            fn()
        with CaptureQueriesContext(connection) as queries:
            fn()  # (for the slow exports, this counted run is the warm-up)
        count = len(queries)  # now: the next request empties the log
        times, cpu = [], []
        for _ in range(repeat or args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        result = statistics.median(times), count
        print(
            f"{name:<34} {result[0] * 1000:8.1f} ms  (cpu {statistics.median(cpu) * 1000:8.1f} ms)"
            f"  {count:3d} queries"
        )
        return result

    def page(client, url: str):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return get

    desk = reverse("support:desk")
    workspace = reverse("workspace:start")
    pages = [
        ("baseline", "baseline (privacy page, team)", team_client, reverse("front:privacy")),
        ("director", "director's desk list", director_client, desk),
        ("team", "team's desk list ?status=put_out", team_client, desk + "?status=put_out"),
        ("team_all", "team's desk list, all", team_client, desk),
        ("workspace", "team's workspace start", team_client, workspace),
        ("director_workspace", "director's workspace start", director_client, workspace),
    ]
    with contextlib.suppress(NoReverseMatch):  # the report page and its exports
        report = reverse("support:report")
        pages += [
            ("report", "report page (team)", team_client, report),
            ("director_report", "report page (director)", director_client, report),
            ("report_csv", "report CSV export (team)", team_client, report + "?format=csv"),
            ("report_xlsx", "report XLSX export (team)", team_client, report + "?format=xlsx"),
        ]
    result = {
        key: measure(name, page(client, url), args.export_repeat if "format=" in url else None)
        for key, name, client, url in pages
    }
    result["summary"] = measure(
        "reporting.summary(all questions)", lambda: reporting.summary(Question.objects.all())
    )
    base = result["baseline"][0]
    ratios = {key: ms / base for key, (ms, _n) in result.items()}
    print(
        f"RESULT director_list_vs_baseline={ratios['director']:.2f} "
        f"team_list_vs_baseline={ratios['team']:.2f} "
        f"workspace_vs_baseline={ratios['workspace']:.2f} "
        f"summary_ms={result['summary'][0] * 1000:.1f} "
        f"queries_director={result['director'][1]}"
        + (f" report_vs_baseline={ratios['report']:.2f}" if "report" in result else "")
    )


if __name__ == "__main__":
    main()
