"""The public scan summary as a one-line tag, for the registry's park page.

The park page is another app's view; an inclusion tag lets it show the
summary without that view knowing about scans.
"""

from __future__ import annotations

from django import template

from werklandschap.accounts import policies
from werklandschap.scans.services import latest_scan

register = template.Library()


@register.inclusion_tag("portal/_public_summary.html", takes_context=True)
def park_scan_summary(context, park):
    from ..views import public_context

    request = context.get("request")
    user = getattr(request, "user", None)
    out = public_context(park, latest_scan(park))
    out["request"] = request
    out["can_view_private"] = user is not None and policies.can_view_park_private(user, park)
    out["on_park_page"] = True
    return out
