"""Helpers for the Innovation database's tests: entries made and published through services."""

from __future__ import annotations

from typing import Any

from werklandschap.knowledge import services
from werklandschap.knowledge.workflow import Status

BASE = {
    "summary": "Een korte samenvatting.",
    "body": "Beschrijving.",
    "lessons": "",
    "kind": "physical_greening",
    "themes": ["water"],
    "directions": ["physical_solutions"],
    "scale": "park",
    "origin": "elsewhere",
    "park": None,
    "measures": [],
    "cost_indication": "",
    "evidence": "pilot",
    "contact_organisation": None,
    "started_on": None,
    "finished_on": None,
}


def make_entry(by, title: str, *, publish_by=None, **values: Any):
    """An entry submitted by ``by``; published when ``publish_by`` (a team user) is given."""
    entry = services.save_entry(None, {**BASE, "title": title, **values}, by=by)
    if publish_by is not None:
        services.move(entry, Status.IN_REVIEW, by=publish_by)
        entry = services.move(entry, Status.PUBLISHED, by=publish_by)
    return entry
