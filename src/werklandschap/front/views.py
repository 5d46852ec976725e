from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

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


# --- footer pages (issue 16) ----------------------------------------------------------


def _site_facts() -> dict:
    """The figures the privacy and accessibility pages state, read from the settings.

    Read here rather than written into the text, so the pages say what this
    deployment actually does when an operator changes a limit.
    """
    return {
        "contact_email": settings.CONTACT_EMAIL,
        "source_code_url": settings.SOURCE_CODE_URL,
        "confirm_days": settings.PARTNERSHIP_CONFIRM_DAYS,
        "cooloff_minutes": settings.LOGIN_COOLOFF_MINUTES,
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "session_hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600,
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT_STAFF // 60,
        "limit_window_minutes": settings.PARTNERSHIP_LIMIT_WINDOW_MINUTES,
    }


@require_GET
def privacy(request):
    """Privacy statement: what the platform stores about people, why and for how long."""
    return render(request, "front/privacy.html", _site_facts())


@require_GET
def accessibility(request):
    """Accessibility statement (toegankelijkheidsverklaring)."""
    return render(request, "front/accessibility.html", _site_facts())


@require_GET
def contact(request):
    """How to reach the programme team, and where the source code is."""
    return render(request, "front/contact.html", _site_facts())
