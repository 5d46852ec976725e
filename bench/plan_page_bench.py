"""Benchmark of the plan tool's answer to a plan change (issue 18: "under half a second
at the default 2,000 draws").

    .venv/bin/python bench/plan_page_bench.py [--repeat 7]

Sets up, in a private WERKLANDSCHAP_HOME (a temporary SQLite database; nothing of
./var is touched), the schema, and measures in this process with Django's test
client, as an anonymous visitor of the public example park (the same code path
as a park's own page: ``measures.tool``, the park page only adds its scan and
scenarios):

- baseline: the privacy page (``front:privacy``), a trivial page of the same
  server with the same middleware and base template, in the same run;
- page: the example park's tool with a plan the server has not seen before (each
  repeat changes the number of street trees, so no cache helps), at the default
  ``COST_BENEFIT_PAGE_DRAWS`` Monte Carlo draws: what a person waits for after
  pressing "Bereken";
- charts: the three chart images of that plan, one request each (the browser
  fetches them after the page, in parallel; printed, summed);
- model: ``planning.figures`` alone for that plan (the model and the draws,
  no template), to show what the page adds.

Each figure is the median of ``--repeat`` runs. Ends with exactly one line
    RESULT page_seconds=... page_vs_baseline=... charts_seconds=...
(target: page_seconds < 0.5).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from django_setup import median_seconds, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as home:
        setup_django(Path(home))
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        from werklandschap.costbenefit.catalog import load_catalogue
        from werklandschap.costbenefit.model import Plan
        from werklandschap.costbenefit.suggest import suggest
        from werklandschap.measures import example, planning

        call_command("migrate", interactive=False, verbosity=0)
        client = Client()
        catalogue = load_catalogue()
        where = example.situation()
        base = suggest(catalogue, where, example.targets()).plan
        page_url = reverse("measures:example")

        def query(i: int) -> dict[str, str]:
            data = {"horizon": "30", "rate": "2,25", "q-street_trees": str(100 + i)}
            data.update({f"q-{k}": str(round(v)) for k, v in base.quantities.items()})
            return data

        def get(url: str, data: dict[str, str]) -> None:
            response = client.get(url, data)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")

        # Warm-up: imports, templates, the catalogue and matplotlib's fonts.
        get(reverse("front:privacy"), {})
        get(page_url, query(10_000))
        for kind in planning.CHART_KINDS:
            get(reverse("measures:example-chart", kwargs={"kind": kind}), query(10_000))

        baseline = median_seconds(lambda i: get(reverse("front:privacy"), {}), args.repeat)
        page = median_seconds(lambda i: get(page_url, query(i)), args.repeat)
        charts = {
            kind: median_seconds(
                lambda i, kind=kind: get(
                    reverse("measures:example-chart", kwargs={"kind": kind}), query(i)
                ),
                args.repeat,
            )
            for kind in planning.CHART_KINDS
        }

        def model(i: int) -> None:
            form_plan = Plan(quantities={**base.quantities, "street_trees": 100.0 + i})
            planning.figures(catalogue, where, form_plan)

        model_s = median_seconds(model, args.repeat)

    print(f"draws per plan: {settings.COST_BENEFIT_PAGE_DRAWS}; repeats: {args.repeat}")
    print(f"baseline (privacy page): {baseline * 1000:8.1f} ms")
    print(f"plan page, new plan:     {page * 1000:8.1f} ms")
    print(f"  of which the model:    {model_s * 1000:8.1f} ms (planning.figures)")
    for kind, seconds in charts.items():
        print(f"chart {kind:<18}{seconds * 1000:8.1f} ms")
    print(
        f"RESULT page_seconds={page:.3f} page_vs_baseline={page / baseline:.1f} "
        f"charts_seconds={sum(charts.values()):.3f}"
    )


if __name__ == "__main__":
    main()
