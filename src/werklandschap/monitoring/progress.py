"""Progress of the swarm toward the programme's targets."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from werklandschap.registry.choices import SwarmRole
from werklandschap.registry.models import Park

from .reference import target_value


@dataclass(frozen=True)
class Progress:
    in_swarm: int
    target: int
    by_role: dict[str, int]
    includes_demo: bool

    @property
    def percent(self) -> float:
        return round(100 * self.in_swarm / self.target, 1) if self.target else 0.0


def swarm_progress() -> Progress:
    """Parks in the swarm (partner, ambassador, living lab, showcase) against the 1,000 target."""
    counts = dict(
        Park.objects.in_swarm().values_list("swarm_role").annotate(n=Count("id")).order_by()
    )
    return Progress(
        in_swarm=sum(counts.values()),
        target=target_value("parks-in-transition", 1000),
        by_role={role: counts.get(role, 0) for role in SwarmRole.values if role != SwarmRole.NONE},
        includes_demo=Park.objects.in_swarm().filter(is_demo=True).exists(),
    )
