"""Who may see the Green Deal pages, the voucher report and the letters.

The rules beside the voucher pages' own (``services.visible_applications``):

* the overview of every province and the report's downloads: the programme
  team only (they hold every province's money and co-financing);
* one province's Green Deal page: the programme team and the officers of that
  province; an officer of another province, a regional director, a coalition
  partner, a park contact and the public get 403 (log-in asked of anonymous
  visitors). The Green Deal's co-financing realised and the applications are
  the province's working material, not public;
* an application's award letter and payout statement: the park's contacts
  (the letter is addressed to the park), the programme team and the officer
  of the round's province.

Views ask these functions and never test roles themselves (as
``accounts.policies`` asks of every app).
"""

from __future__ import annotations

from werklandschap.accounts.models import ParkContact
from werklandschap.accounts.roles import Role, roles_of
from werklandschap.registry.models import Province

from .models import VoucherApplication
from .services import is_province_officer


def _team(user) -> bool:
    return user is not None and user.is_authenticated and Role.PROGRAMME_TEAM in roles_of(user)


def can_view_all_green_deals(user) -> bool:
    """The overview with every province side by side, and the report's CSV/XLSX."""
    return _team(user)


def can_view_green_deal(user, province: Province) -> bool:
    """The programme team, and the officers of ``province`` only."""
    return _team(user) or is_province_officer(user, province)


def own_province(user) -> Province | None:
    """The province a province officer works for (None for anyone else)."""
    if user is None or not user.is_authenticated or Role.PROVINCE_OFFICER not in roles_of(user):
        return None
    if user.organisation_id is None:
        return None
    return Province.objects.filter(organisation_id=user.organisation_id).first()


def can_download_letters(user, application: VoucherApplication) -> bool:
    """The park's contacts, the programme team, the officer of the round's province."""
    if user is None or not user.is_authenticated:
        return False
    if _team(user):
        return True
    if is_province_officer(user, application.round.green_deal.province):
        return True
    return (
        Role.PARK_CONTACT in roles_of(user)
        and ParkContact.objects.filter(user=user, park_id=application.park_id).exists()
    )
