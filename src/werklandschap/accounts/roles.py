"""The platform's roles, as groups with model permissions.

Roles are the users of PRODUCT.md. Model permissions decide what a role may
do in the admin; row-level rules (which park, which region) live in
``policies.py``. The table below is the one place to change a role's rights.
"""

from __future__ import annotations

import contextlib
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    PROGRAMME_TEAM = "programmateam"
    REGIONAL_DIRECTOR = "regisseur"
    COALITION_PARTNER = "coalitiepartner"
    PARK_CONTACT = "parkcontact"
    PROVINCE_OFFICER = "provincie"
    PUBLIC = "publiek"  # anonymous visitors; not a group


ROLE_LABELS = {
    Role.PROGRAMME_TEAM: _("Programmateam"),
    Role.REGIONAL_DIRECTOR: _("Regisseur"),
    Role.COALITION_PARTNER: _("Coalitiepartner"),
    Role.PARK_CONTACT: _("Contactpersoon bedrijventerrein"),
    Role.PROVINCE_OFFICER: _("Provincie"),
    Role.PUBLIC: _("Publiek"),
}

_REFERENCE_MODELS = [
    "registry.organisation",
    "registry.province",
    "registry.region",
    "registry.municipality",
    "support.expertise",
    "support.partnerexpertise",
    "support.poolmember",
    "monitoring.programmetarget",
    "vouchers.greendeal",
    "vouchers.cofinancing",
    "vouchers.provincialscheme",
    "vouchers.voucherround",
    "vouchers.processsupporter",
]
_ALL = ("add", "change", "delete", "view")

# role -> list of "app_label.codename" or ("app.model", actions)
ROLE_PERMISSIONS: dict[Role, list] = {
    Role.PROGRAMME_TEAM: [
        *[(m, _ALL) for m in _REFERENCE_MODELS],
        ("registry.park", _ALL),
        ("registry.parkidentifier", _ALL),
        ("registry.parkhistory", ("view",)),
        ("accounts.parkcontact", _ALL),
        ("partnership.partnerapplication", ("view",)),
        ("partnership.applicationevent", ("view",)),
        ("scans.scanrun", ("view",)),
        ("scans.parkscan", ("view",)),
        ("scans.scanrequest", ("view", "add")),
        ("portal.partnersubscription", ("view",)),  # who gets newsletter and webinar
        ("portal.parkambition", ("view",)),
        ("support.question", ("view",)),
        ("support.questionevent", ("view",)),
        ("vouchers.voucherapplication", ("view",)),
        ("vouchers.voucherevent", ("view",)),
        ("vouchers.payout", ("view",)),
        "registry.change_park_role",
        "registry.change_park_phase",
        # Newsletter (issue 20): write and send issues; subscribers and records read-only.
        ("newsletter.issue", _ALL),
        "newsletter.send_issue",
        ("newsletter.subscriber", ("view",)),
        ("newsletter.delivery", ("view",)),
        # Toolbox (issue 20): the team edits the step pages and templates; revisions are
        # written by the save itself and never edited.
        ("toolbox.step", ("view", "change", "add")),
        ("toolbox.templatefile", _ALL),
        ("toolbox.steprevision", ("view",)),
    ],
    Role.REGIONAL_DIRECTOR: [
        ("registry.park", ("view",)),
        ("registry.parkhistory", ("view",)),
        "registry.change_park_phase",
    ],
    Role.COALITION_PARTNER: [],
    Role.PARK_CONTACT: ["registry.change_park_phase"],
    Role.PROVINCE_OFFICER: [("registry.park", ("view",)), ("registry.parkhistory", ("view",))],
}


def _codenames(entry) -> list[tuple[str, str]]:
    if isinstance(entry, str):
        app, codename = entry.split(".")
        return [(app, codename)]
    model_label, actions = entry
    app, model = model_label.split(".")
    return [(app, f"{action}_{model}") for action in actions]


def sync_role_groups(using: str = "default") -> None:
    """Create a group per role and give it exactly the permissions of ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    wanted = {
        pair for entries in ROLE_PERMISSIONS.values() for e in entries for pair in _codenames(e)
    }
    # All of them in one query (absent ones: an app not migrated yet).
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.using(using)
        .filter(codename__in={codename for _app, codename in wanted})
        .select_related("content_type")
    }
    for role, entries in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        pairs = [pair for entry in entries for pair in _codenames(entry)]
        group.permissions.set([found[pair] for pair in pairs if pair in found])


# The attribute under which a user object keeps its role groups once read: a page asks
# several times (access check, navigation, session rules), the database once per request,
# since every request loads its own user object.
_ROLES_MEMO = "_werklandschap_role_groups"


def _role_groups(user) -> frozenset[Role]:
    memo = getattr(user, _ROLES_MEMO, None)
    if memo is None:
        names = {g.name for g in user.groups.all()}
        memo = frozenset(Role(n) for n in names if n in Role._value2member_map_)
        setattr(user, _ROLES_MEMO, memo)
    return memo


def forget_roles(user) -> None:
    """Drop a user object's remembered roles (after its groups changed)."""
    with contextlib.suppress(AttributeError):
        delattr(user, _ROLES_MEMO)


def roles_of(user) -> set[Role]:
    """The roles of a user (anonymous: public). Superusers count as programme team.

    The groups are read once per user object (see ``_ROLES_MEMO``); changing a user's
    groups through ``user.groups`` forgets them (``accounts.apps._forget_changed_roles``),
    and so does ``user.refresh_from_db()``.
    """
    if user is None or not user.is_authenticated:
        return {Role.PUBLIC}
    roles = set(_role_groups(user))
    if user.is_superuser:
        roles.add(Role.PROGRAMME_TEAM)
    return roles or {Role.PUBLIC}


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)
