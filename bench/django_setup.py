"""Shared set-up of the benchmarks that run Django in their own process.

Each benchmark gets a private WERKLANDSCHAP_HOME (a temporary SQLite database,
nothing of ./var touched), quiet logs and the test client's host name.
Imported by the scripts in this folder (``python bench/x.py`` puts the folder
on ``sys.path``).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django(home: Path, *, keep_database_url: bool = False) -> None:
    """Configure and start Django for a benchmark in this process."""
    os.environ["WERKLANDSCHAP_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "werklandschap.conf.settings.dev"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not keep_database_url:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False


def median_seconds(action: Callable[[int], object], repeat: int) -> float:
    """The median wall-clock time of ``action(i)`` for ``i`` in ``range(repeat)``."""
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
