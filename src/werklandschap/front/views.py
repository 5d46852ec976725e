from django.shortcuts import render

from werklandschap.monitoring.progress import swarm_progress


def home(request):
    """The public landing page: the swarm map and the progress toward 1,000 parks."""
    return render(request, "front/home.html", {"progress": swarm_progress()})
