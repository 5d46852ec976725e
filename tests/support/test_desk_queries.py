"""The desk's lists cost a fixed number of queries, however many questions there are.

Issue 17 ("Speed"): with 20,000 questions the director's list, the team's
overdue list, the workspace and the figures must not make a query per
question (or per proposal, partner or history row). The questions are written
in bulk by the benchmark's own seeding (bench/support_bench.py), once ~10 and
once ~60, in every status, with overdue and soon-due ones among them, partners
put out to and proposals; each page is then counted at both sizes and the
counts must be equal. No number is hard-coded: a page may gain a query when it
gains a feature, but never one that grows with the data.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from tests.support.desk_fixtures import PARTNER_NAMES
from werklandschap.accounts.roles import Role
from werklandschap.registry.models import Organisation, Region
from werklandschap.support import calendar, reporting, services
from werklandschap.support.models import Question
from werklandschap.support.workflow import Status

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from support_bench import seed_questions

# Every status once per 13 questions, and three put out (overdue, soon due, later).
WEIGHTS = dict.fromkeys(Status.values, 1) | {Status.PUT_OUT.value: 3}
SMALL, LARGE = 13, 65


def _count(fn) -> int:
    fn()  # per-process caches (holidays, desk rules, templates) are not the question
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def _get(client: Client, url: str):
    def get():
        response = client.get(url)
        assert response.status_code == 200, url
        return response

    return get


@pytest.fixture
def seeding(users, park, partners):
    """Bulk questions: most routed to ``park``'s director, some to another, some to none."""
    other = Region.objects.exclude(director=park.region.director).exclude(director=None).first()
    orgs = list(Organisation.objects.filter(name__in=PARTNER_NAMES))

    def seed(n: int) -> None:
        seed_questions(
            n,
            regions=[park.region, park.region, other],
            parks=[park],
            partners=orgs,
            without_region=0.1,
            weights=WEIGHTS,
            today=calendar.local_today(),
            rng_seed=n,
        )

    return seed


def _counts(users, partners) -> dict[str, int]:
    clients = {}
    for key, user in (
        ("director", users[Role.REGIONAL_DIRECTOR]),
        ("team", users[Role.PROGRAMME_TEAM]),
        ("partner", partners["Heijmans"]),
    ):
        clients[key] = Client()
        clients[key].force_login(user)
    desk, workspace = reverse("support:desk"), reverse("workspace:start")
    pages = {
        "director desk": _get(clients["director"], desk),
        "director desk ?status=put_out": _get(clients["director"], desk + "?status=put_out"),
        "team desk": _get(clients["team"], desk),
        "team desk ?status=put_out": _get(clients["team"], desk + "?status=put_out"),
        "partner desk": _get(clients["partner"], desk),
        "director workspace": _get(clients["director"], workspace),
        "team workspace": _get(clients["team"], workspace),
        "partner workspace": _get(clients["partner"], workspace),
        "summary, all": lambda: reporting.summary(Question.objects.all()),
        "summary, director": lambda: reporting.summary(
            services.visible_questions(users[Role.REGIONAL_DIRECTOR])
        ),
    }
    for dimension in ("region", "director", "theme", "asker_type", "status"):
        pages[f"by_dimension {dimension}"] = lambda d=dimension: reporting.by_dimension(
            Question.objects.all(), d
        )
    with contextlib.suppress(NoReverseMatch):  # the report page and its exports
        report = reverse("support:report")
        for key in ("team", "director"):
            pages[f"{key} report"] = _get(clients[key], report)
            pages[f"{key} report csv"] = _get(clients[key], report + "?format=csv")
        pages["team report xlsx"] = _get(clients["team"], report + "?format=xlsx")
    return {name: _count(fn) for name, fn in pages.items()}


def test_the_desk_pages_and_figures_cost_the_same_queries_for_13_and_65_questions(
    users, partners, seeding
):
    team_desk = reverse("support:desk") + "?status=put_out"
    team = Client()
    team.force_login(users[Role.PROGRAMME_TEAM])

    seeding(SMALL)
    small = _counts(users, partners)
    small_page = team.get(team_desk).content.decode()

    seeding(LARGE - SMALL)
    large = _counts(users, partners)
    large_page = team.get(team_desk).content.decode()

    # The data really grew, and the lists show it (so equal counts mean something).
    assert Question.objects.count() == LARGE
    assert large_page.count("deadline--overdue") > small_page.count("deadline--overdue") > 0
    director = users[Role.REGIONAL_DIRECTOR]
    assert services.visible_questions(director).count() < LARGE  # another director's too
    assert services.overdue(services.visible_questions(director)).exists()
    assert services.soon_due(Question.objects.all()).count() > 1

    grown = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert not grown, f"queries that grow with the number of questions: {grown}"
