"""Events in each workspace: a park contact sees the upcoming events of its region's CoP
and the webinars; a coordinator the membership requests waiting; anyone registered
their own upcoming places."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werklandschap.accounts.roles import Role, roles_of
from werklandschap.workspace.sections import Section, register

from . import services
from .models import Community, EventKind, Registration, RegistrationStatus

MAX_LISTED = 6


@register(order=30)
def events_section(user) -> Section | None:
    if user is None or not user.is_authenticated:
        return None
    now = timezone.now()
    roles = roles_of(user)
    region_ids = set()
    if Role.PARK_CONTACT in roles:
        region_ids = set(
            user.park_contacts.exclude(park__region=None).values_list("park__region_id", flat=True)
        )
    mine = dict(
        Registration.objects.filter(user=user, event__ends_at__gte=now)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("event_id", "status")
    )
    condition = Q(pk__in=list(mine))
    if region_ids:
        condition |= Q(community__region_id__in=region_ids) | Q(kind=EventKind.WEBINAR)
    pending = services.pending_requests(user).count()
    if not mine and not region_ids and not pending:
        return None
    events = list(
        services.upcoming(now)
        .filter(condition, status="published")
        .select_related("community")[:MAX_LISTED]
    )
    for ev in events:
        ev.my_status = mine.get(ev.pk, "")
    community = (
        Community.objects.filter(region_id__in=region_ids).order_by("name").first()
        if region_ids
        else None
    )
    return Section(
        key="bijeenkomsten",
        title=_("Bijeenkomsten"),
        template="community/_workspace.html",
        context={"events": events, "pending": pending, "community": community},
        count=pending or None,
    )
