"""Closed-loop load on one URL with locust used as a library (bench/monitoring_bench.py).

    .venv/bin/python bench/monitoring_load.py --host http://127.0.0.1:8123 --path /health/ \
        --users 32 --seconds 20 --warmup 3 [--cookie "sessionid=..."]

Runs in its own process because locust patches the standard library with gevent
on import (the benchmark's Django process must not be patched). ``--users``
simulated users each send the next request as soon as the previous answer has
arrived (no think time), over keep-alive connections (locust's FastHttpUser,
geventhttpclient). Statistics of the first ``--warmup`` seconds are dropped.
Prints one JSON object: requests, failures, requests per second, p50/p95/p99 and
the mean in milliseconds (locust's percentiles: exact below 100 ms, rounded to
10 ms up to 1 s), and the histogram of response times so that runs can be merged.
"""

from __future__ import annotations

import argparse
import json
import time

import gevent
from locust import FastHttpUser, constant, task
from locust.env import Environment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--cookie", default="")
    args = parser.parse_args()
    headers = {"Cookie": args.cookie} if args.cookie else {}
    path = args.path

    class Visitor(FastHttpUser):
        host = args.host
        wait_time = constant(0)
        # One keep-alive connection per simulated user: --users concurrent connections.
        concurrency = 1

        @task
        def get(self) -> None:
            with self.client.get(path, headers=headers, name="url", catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"status {r.status_code}")

    env = Environment(user_classes=[Visitor])
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.users)
    gevent.sleep(args.warmup)
    env.stats.reset_all()
    started = time.perf_counter()
    gevent.sleep(args.seconds)
    elapsed = time.perf_counter() - started
    entry = env.stats.get("url", "GET")
    result = {
        "path": path,
        "users": args.users,
        "seconds": round(elapsed, 2),
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": round(entry.num_requests / elapsed, 1) if elapsed else 0.0,
        "p50_ms": entry.get_response_time_percentile(0.5),
        "p95_ms": entry.get_response_time_percentile(0.95),
        "p99_ms": entry.get_response_time_percentile(0.99),
        "mean_ms": round(entry.avg_response_time, 1),
        "errors": [str(e.error) for e in list(env.stats.errors.values())[:3]],
        # Response times (ms, rounded as locust rounds them) -> count, to merge runs.
        "histogram": {str(ms): n for ms, n in entry.response_times.items()},
    }
    runner.quit()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
