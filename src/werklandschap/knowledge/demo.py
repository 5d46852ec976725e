"""Synthetic demo entries of the Innovation database (``scripts/demo``).

Made from ``data/knowledge/demo.yaml`` through the services (a revision each,
moderation through the workflow, the search index), flagged ``synthetic`` and
shown with a "voorbeeld" label. Most are published; a few wait in the
moderation queue or are returned, so the team's workspace has work to show.
Idempotent; ``delete_demo_innovations`` removes them (``demo --reset``).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml
from django.db import transaction

from werklandschap.registry.choices import OrganisationKind, SwarmRole
from werklandschap.registry.models import Organisation, Park

from . import services
from .models import Entry
from .vocabulary import DATA_DIR
from .workflow import Status

DEMO_FILE = DATA_DIR / "demo.yaml"
_ORIGIN_OF_ROLE = {
    SwarmRole.LIVING_LAB: "living_lab",
    SwarmRole.AMBASSADOR: "ambassador",
    SwarmRole.PARTNER: "partner_park",
}


def _body(item: dict) -> str:
    return (
        f"{item['summary']}\n\n"
        "# Wat is er gedaan\n\n"
        "- De ondernemers en de parkmanager bespraken het idee op een ledenavond.\n"
        "- Een coalitiepartner maakte een schetsontwerp en een begroting.\n"
        "- De uitvoering gebeurde in het plantseizoen, in één keer voor alle kavels.\n\n"
        "# Resultaat\n\n"
        "Dit is een **synthetisch voorbeeld** voor de demonstratie van het platform; "
        "de cijfers zijn verzonnen.\n"
    )


def create_demo_innovations(path: Path = DEMO_FILE, seed: int = 20) -> int:
    """Create the demo entries once; returns how many synthetic entries exist."""
    from werklandschap.accounts.models import User

    existing = Entry.objects.filter(synthetic=True)
    if existing.exists():
        return existing.count()
    team = User.objects.filter(username="programmateam").first()
    if team is None:
        return 0
    partner = User.objects.filter(username="partner").first() or team
    contact = User.objects.filter(username="parkcontact").first() or team
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    organisations = list(
        Organisation.objects.filter(kind=OrganisationKind.COALITION_PARTNER).order_by("name")
    )
    parks = list(
        Park.objects.filter(is_demo=True)
        .exclude(swarm_role__in=[SwarmRole.NONE, SwarmRole.SHOWCASE])
        .order_by("name")
    )
    with transaction.atomic():
        for index, item in enumerate(data["entries"]):
            park = rng.choice(parks) if parks and index % 3 != 2 else None
            origin = _ORIGIN_OF_ROLE.get(park.swarm_role, "elsewhere") if park else "elsewhere"
            started = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 500))
            values = {
                "title": item["title"],
                "summary": item["summary"],
                "body": _body(item),
                "lessons": "- Begin met de ondernemers die al willen.\n"
                "- Spreek het onderhoud af vóór de aanleg.",
                "kind": item["kind"],
                "themes": item["themes"],
                "directions": item["directions"],
                "scale": item["scale"],
                "origin": origin,
                "park": park,
                "measures": item.get("measures") or [],
                "cost_indication": item.get("cost", ""),
                "evidence": item["evidence"],
                "contact_organisation": rng.choice(organisations) if organisations else None,
                "started_on": started,
                "finished_on": started + dt.timedelta(days=120)
                if item["evidence"] != "idea"
                else None,
            }
            by = (team, partner, contact)[index % 3]
            entry = services.save_entry(None, values, by=by, note="Demo", synthetic=True)
            if index in (3, 11):
                continue  # waits for moderation
            services.move(entry, Status.IN_REVIEW, by=team)
            if index == 7:
                continue  # in review
            if index == 21:
                services.move(
                    entry,
                    Status.RETURNED,
                    by=team,
                    reason="Noem welke organisatie het onderhoud doet.",
                )
                continue
            services.move(entry, Status.PUBLISHED, by=team)
    return Entry.objects.filter(synthetic=True).count()


def delete_demo_innovations() -> int:
    """Remove every synthetic entry (with its revisions, history, files and index rows)."""
    from . import search

    count = 0
    for entry in Entry.objects.filter(synthetic=True):
        for item in entry.files.all():
            services.remove_file(item)
        entry.status = Status.UNPUBLISHED
        search.index_entry(entry)  # out of the index first
        entry.delete()
        count += 1
    return count
