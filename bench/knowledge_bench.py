"""Benchmark of the Innovation database's search with many published entries (issue 20).

    .venv/bin/python bench/knowledge_bench.py [--entries 2000] [--repeat 5]
    scripts/pg-throwaway bash -c 'psql "${DATABASE_URL/werklandschap?/postgres?}" \
        -qc "create database werklandschap" && .venv/bin/python bench/knowledge_bench.py'

In a private WERKLANDSCHAP_HOME (a temporary SQLite database unless DATABASE_URL
is set) it writes ``--entries`` published entries through ``services.save_entry``
(a revision and an index row each; texts drawn from the demo file with varied
word forms), then measures in this process the median of ``--repeat`` runs of
``search.run`` (text match, ranking, facet counts, one page of 20) for a few
queries, of ``search.suggest`` (search-as-you-type) and of the search page through
the test client. Ends with one line ``RESULT ...`` in milliseconds.

Measured 2 Dec 2026 on the 2-core development machine (shared with other work), 2,000
entries, median of 5:

=========================  ========  ==========
                           SQLite    PostgreSQL
=========================  ========  ==========
write + index 2,000        9.6 s     15.1 s
search 'bomen' (700 hits)  29 ms     47 ms
search, no query (2,000)   24 ms     33 ms
suggest 'bedrijvent'       2.3 ms    9.1 ms
search page (q + facet)    32 ms     69 ms
=========================  ========  ==========

Before caching the Snowball stems (``analysis.stem``) and the catalogue's measure
names, 'bomen' took 466 ms on SQLite: ranking stemmed every candidate's title and the
facets deep-copied the measures catalogue once per measure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ("bomen", "groene daken", "wadi's", "bedrijventerreinen water", "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="werklandschap-knowledge-bench-"))
    os.environ["WERKLANDSCHAP_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "werklandschap.conf.settings.dev"
    import django

    django.setup()
    import yaml
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from werklandschap.accounts.models import User
    from werklandschap.knowledge import search, services
    from werklandschap.knowledge.demo import DEMO_FILE
    from werklandschap.knowledge.models import Entry
    from werklandschap.knowledge.workflow import Status

    call_command("migrate", interactive=False, verbosity=0)
    team = User.objects.create_superuser("bench", "bench@example.invalid", "x")
    items = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["entries"]
    words = ["boom", "bomen", "dak", "daken", "groen", "groene", "wadi", "wadi's"]
    start = time.perf_counter()
    for i in range(args.entries):
        item = items[i % len(items)]
        body = f"{item['summary']} Over {words[i % len(words)]} en meer. " * 20
        entry = services.save_entry(
            None,
            {
                "title": f"{item['title']} {i}",
                "summary": item["summary"],
                "body": body,
                "lessons": "",
                "kind": item["kind"],
                "themes": item["themes"],
                "directions": item["directions"],
                "scale": item["scale"],
                "origin": "elsewhere",
                "park": None,
                "measures": item.get("measures") or [],
                "cost_indication": "",
                "evidence": item["evidence"],
                "contact_organisation": None,
                "started_on": None,
                "finished_on": None,
            },
            by=team,
        )
        Entry.objects.filter(pk=entry.pk).update(status=Status.PUBLISHED)
        entry.status = Status.PUBLISHED
        search.index_entry(entry)
    setup = time.perf_counter() - start
    print(f"{connection.vendor}: {args.entries} entries written and indexed in {setup:.1f} s")

    def median_ms(fn) -> float:
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - t) * 1000)
        return statistics.median(runs)

    results = {}
    for q in QUERIES:
        ms = median_ms(lambda q=q: search.run({"q": q}))
        total = search.run({"q": q}).total
        results[q or "(all)"] = ms
        print(f"search.run q={q!r}: {ms:.1f} ms ({total} results)")
    suggest_ms = median_ms(lambda: search.suggest("bedrijvent"))
    print(f"search.suggest 'bedrijvent': {suggest_ms:.1f} ms")
    client = Client(HTTP_HOST="127.0.0.1")
    page_ms = median_ms(lambda: client.get("/innovaties/", {"q": "bomen", "thema": "water"}))
    print(f"GET /innovaties/?q=bomen&thema=water: {page_ms:.1f} ms")
    print(
        f"RESULT backend={connection.vendor} entries={args.entries} "
        f"bomen_ms={results['bomen']:.1f} all_ms={results['(all)']:.1f} "
        f"suggest_ms={suggest_ms:.1f} page_ms={page_ms:.1f}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
