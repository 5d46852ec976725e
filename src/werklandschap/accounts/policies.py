"""Row-level rules: who may see or change what of which park.

Views and templates ask these functions; they never test groups themselves.
"""

from __future__ import annotations

from werklandschap.registry.models import Park

from .roles import Role, roles_of


def is_park_contact(user, park: Park) -> bool:
    return user.is_authenticated and park.contacts.filter(user=user).exists()


def is_director_of(user, park: Park) -> bool:
    """True if the user works for the regional-director organisation of the park's region."""
    return (
        user.is_authenticated
        and user.organisation_id is not None
        and park.region is not None
        and park.region.director_id == user.organisation_id
    )


def can_change_role(user, park: Park) -> bool:
    """Only the programme team designates partner, ambassador, living-lab and showcase parks."""
    return Role.PROGRAMME_TEAM in roles_of(user)


def can_change_phase(user, park: Park) -> bool:
    """Programme team; the park's regional director; the park's own contacts."""
    roles = roles_of(user)
    if Role.PROGRAMME_TEAM in roles:
        return True
    if Role.REGIONAL_DIRECTOR in roles and is_director_of(user, park):
        return True
    return Role.PARK_CONTACT in roles and is_park_contact(user, park)


def can_edit_in_admin(user, park: Park) -> bool:
    return Role.PROGRAMME_TEAM in roles_of(user) and user.is_staff


def works_on_park(user, park: Park) -> bool:
    """The people who work on this park: programme team, the park's regional
    director, the officer of its province, and the park's own contacts."""
    roles = roles_of(user)
    if Role.PROGRAMME_TEAM in roles:
        return True
    if Role.REGIONAL_DIRECTOR in roles and is_director_of(user, park):
        return True
    if Role.PROVINCE_OFFICER in roles and is_officer_of_province(user, park):
        return True
    # Every role is a reason on its own: a province officer who is also a park
    # contact elsewhere still works on that park (no early "no" above).
    return Role.PARK_CONTACT in roles and is_park_contact(user, park)


def is_officer_of_province(user, park: Park) -> bool:
    """True if the user works for the organisation of the park's province."""
    return (
        user.is_authenticated
        and user.organisation_id is not None
        and park.province_id is not None
        and park.province.organisation_id == user.organisation_id
    )


def can_view_history(user, park: Park) -> bool:
    """Who changed what is internal: for those who work on the park."""
    return works_on_park(user, park)


def can_review_applications(user) -> bool:
    """Only the programme team sees partner-park sign-ups and approves or rejects them.

    The sign-ups hold applicants' e-mail addresses, so no other role sees the
    queue; regional directors and provinces see the result (partner parks).
    """
    return user is not None and Role.PROGRAMME_TEAM in roles_of(user)


# --- park portal (scan dashboard, report, downloads) ------------------------------------


def can_view_park_private(user, park: Park) -> bool:
    """The full scan dashboard, the report, the downloads and the park's ambitions.

    The park's own contacts, the programme team, the regional director of the
    park's region and the officer of the park's province: the people who work
    on this park. Everyone else (other parks' contacts, coalition partners,
    the public) sees the public summary only, since ambitions and the detailed
    scan are the park's working material until it chooses to share them.
    """
    return works_on_park(user, park)


def can_set_ambitions(user, park: Park) -> bool:
    """Targets are the park's own choice: its contacts, and the programme team helping them.

    Directors and provinces read them but do not set them for the park.
    """
    roles = roles_of(user)
    if Role.PROGRAMME_TEAM in roles:
        return True
    return Role.PARK_CONTACT in roles and is_park_contact(user, park)


def can_save_scenarios(user, park: Park) -> bool:
    """Cost-benefit scenarios are the park's working plans: its contacts, its regional
    director and the programme team, who help draw them up. Province officers read them."""
    roles = roles_of(user)
    if Role.PROGRAMME_TEAM in roles:
        return True
    if Role.REGIONAL_DIRECTOR in roles and is_director_of(user, park):
        return True
    return Role.PARK_CONTACT in roles and is_park_contact(user, park)


def can_manage_subscription(user, park: Park) -> bool:
    """Newsletter and webinar sign-up is personal: only the park's contact, for themself."""
    return Role.PARK_CONTACT in roles_of(user) and is_park_contact(user, park)


# --- communities of practice and events (issue 20) --------------------------------------


def directs_region(user, region) -> bool:
    """The user is a regional director working for the director organisation of ``region``."""
    return (
        user is not None
        and user.is_authenticated
        and region is not None
        and user.organisation_id is not None
        and region.director_id == user.organisation_id
        and Role.REGIONAL_DIRECTOR in roles_of(user)
    )


def coordinates_community(user, region) -> bool:
    """The natural coordinators of a Community of Practice: of a regional one (``region``)
    the users of the region's director, of the national one (``region`` None) the
    programme team. They approve members and organise the community's events."""
    if user is None or not user.is_authenticated:
        return False
    if region is None:
        return Role.PROGRAMME_TEAM in roles_of(user)
    return directs_region(user, region)


# --- Innovation database (issue 20) -------------------------------------------------------


def can_submit_innovation(user) -> bool:
    """Coalition partners, park contacts and the programme team share practice (seed 001, 2.1)."""
    return bool({Role.PROGRAMME_TEAM, Role.COALITION_PARTNER, Role.PARK_CONTACT} & roles_of(user))


def can_moderate_innovations(user) -> bool:
    """Only the programme team publishes, returns and unpublishes entries."""
    return user is not None and Role.PROGRAMME_TEAM in roles_of(user)


# --- monitoring dashboards (issue 21) ---------------------------------------------------


def can_view_programme_dashboard(user) -> bool:
    """The national dashboard (every province and region, the desk, the vouchers) is the
    programme team's: it reports to the Growth Fund. Directors and provinces see their
    own area's dashboard instead (the same figures restricted to it)."""
    return user is not None and user.is_authenticated and Role.PROGRAMME_TEAM in roles_of(user)


def can_view_province_dashboard(user, province) -> bool:
    """The programme team, and the officers of that province (its organisation's users)."""
    if user is None or not user.is_authenticated:
        return False
    roles = roles_of(user)
    if Role.PROGRAMME_TEAM in roles:
        return True
    return (
        Role.PROVINCE_OFFICER in roles
        and user.organisation_id is not None
        and province.organisation_id == user.organisation_id
    )


def can_view_region_dashboard(user, region) -> bool:
    """The programme team, and the regional director of that region."""
    if user is None or not user.is_authenticated:
        return False
    return Role.PROGRAMME_TEAM in roles_of(user) or directs_region(user, region)
