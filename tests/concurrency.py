"""Running actions at the same moment in real, separate database transactions.

Row locks only mean something with concurrent writers: PostgreSQL (the test
command runs the suite on it too). SQLite serialises all writers, so tests of
races skip there unless they test the serialisation itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises all writers)")


def race(*actions: Callable[[], object]) -> list[object]:
    """Run the actions at the same moment in threads with their own connections.

    Returns per action "ok" or the exception it raised (the caller asserts on them).
    """
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[index] = "ok"
        except Exception as exc:  # surfaced by the caller's assertions
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
