"""The Innovation database's part of a workspace: what waits for moderation (the team),
and one's own submissions that are not online yet (partners and park contacts; no
section when all of theirs are online)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from werklandschap.accounts.policies import can_moderate_innovations
from werklandschap.workspace.sections import Section, register

from . import services
from .models import Entry
from .workflow import Status

MAX_LISTED = 8


@register(order=45)
def innovations_section(user) -> Section | None:
    team = can_moderate_innovations(user)
    if team:
        waiting = services.awaiting_moderation()
    elif services.may_submit(user):
        waiting = Entry.objects.filter(submitted_by=user).exclude(status=Status.PUBLISHED)
        waiting = waiting.order_by("-updated_at")
    else:
        return None
    listed = list(waiting[:MAX_LISTED])
    if not listed and not team:
        return None  # a submitter with everything online: nothing to do here
    total = waiting.count()
    returned = sum(1 for e in listed if e.status == Status.RETURNED)
    return Section(
        key="innovaties",
        title=_("Innovaties"),
        template="knowledge/_workspace.html",
        context={
            "team": team,
            "entries": listed,
            "more": max(0, total - len(listed)),
            "waiting": total,
        },
        count=(total if team else returned) or None,
    )
