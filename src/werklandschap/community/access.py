"""Who may do what in a community and at an event (built on ``accounts.policies``).

Views and templates ask these functions; they never test groups themselves.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from werklandschap.accounts.policies import coordinates_community
from werklandschap.accounts.roles import Role, roles_of

from .models import Community, Event, EventKind, EventStatus, Membership
from .workflow import MembershipStatus


def is_coordinator(user, community: Community) -> bool:
    """A natural coordinator (region's director, or the team for the national CoP) or one
    named on the community."""
    if user is None or not user.is_authenticated:
        return False
    if coordinates_community(user, community.region):
        return True
    return community.coordinators.filter(pk=user.pk).exists()


def is_member(user, community: Community) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(
            community=community, user=user, status=MembershipStatus.APPROVED
        ).exists()
    )


def can_see_members(user, community: Community) -> bool:
    """The member list (names and organisations) is for the community itself: its approved
    members, its coordinators and the programme team."""
    if user is None or not user.is_authenticated:
        return False
    return (
        Role.PROGRAMME_TEAM in roles_of(user)
        or is_coordinator(user, community)
        or is_member(user, community)
    )


def can_organise(user, event: Event) -> bool:
    """The coordinators of the event's community organise it (the team national events, the
    region's director their region's)."""
    return is_coordinator(user, event.community)


def coordinated_communities(user) -> QuerySet[Community]:
    """The communities ``user`` coordinates (for the queue and the new-event form)."""
    if user is None or not user.is_authenticated:
        return Community.objects.none()
    condition = Q(coordinators=user)
    roles = roles_of(user)
    if Role.PROGRAMME_TEAM in roles:
        condition |= Q(national=True)
    if Role.REGIONAL_DIRECTOR in roles and user.organisation_id is not None:
        condition |= Q(region__director_id=user.organisation_id)
    return Community.objects.filter(condition).distinct()


def can_see_event(user, event: Event) -> bool:
    """Published and cancelled events are public; a draft only for its organisers."""
    return event.status != EventStatus.DRAFT or can_organise(user, event)


def may_register(user, event: Event) -> bool:
    """Any logged-in person may register, except for a CoP meeting: that is for the
    community's members and coordinators."""
    if user is None or not user.is_authenticated:
        return False
    if event.kind == EventKind.COP_MEETING:
        return is_member(user, event.community) or is_coordinator(user, event.community)
    return True
