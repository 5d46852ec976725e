"""A data state read at most once per ``DATA_FRESH_SECONDS``, shared by every worker.

Cached pages and answers are keyed by a *state*: a short text read from the database
that changes whenever their data does (a count and a last change, a fingerprint).
Reading it is one query, but under load that query costs more than serving the cached
page. So the state itself is remembered for a few seconds in the shared cache: a page
seen within that window of a change may show what was true just before it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

PREFIX = "werklandschap:fresh:"


def recent_state(name: str, read: Callable[[], str], *, fresh: bool = False) -> str:
    """``read()``, or what it returned under ``name`` less than ``DATA_FRESH_SECONDS`` ago.

    ``name`` must name everything ``read`` depends on (a scope, a language).
    ``fresh=True`` reads now and remembers that: what is about to be *built* must be
    kept under the state of the data it is built from, never under one remembered from
    before a change (which the data may later return to, e.g. after a deletion).
    0 seconds: ``read()`` every time.
    """
    seconds = settings.DATA_FRESH_SECONDS
    if seconds <= 0:
        return read()
    key = PREFIX + name
    found = None if fresh else cache.get(key)
    if found is None:
        found = read()
        cache.set(key, found, seconds)
    return found
