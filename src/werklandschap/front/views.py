from django.shortcuts import render

from werklandschap.monitoring.progress import swarm_progress
from werklandschap.registry.choices import SwarmRole

from .maps import map_config


def home(request):
    """The public landing page: the swarm map and the progress toward 1,000 parks."""
    progress = swarm_progress()
    labels = dict(SwarmRole.choices)
    return render(
        request,
        "front/home.html",
        {
            "progress": progress,
            "role_counts": [(role, labels[role], n) for role, n in progress.by_role.items()],
            "map_config": map_config(geojson_query="role=zwerm"),
        },
    )
