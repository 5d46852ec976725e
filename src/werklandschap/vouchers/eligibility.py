"""May this park apply for a voucher now? Every reason it may not, in plain Dutch.

The rules (issue 19, seed 001 section 5.1): the park is a partner park (any
role in the swarm); its province has a voucher round open today under a signed
Green Deal; the park has no other active voucher (being applied for, awarded or
used); the round is not exhausted (money and number of vouchers left).

:func:`check_eligibility` returns *all* refusals at once, so the form can
explain everything that stands in the way instead of one thing per attempt.
The same function guards :func:`services.apply`; the database's partial unique
index on active applications is the last word when two contacts apply at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from werklandschap.registry.choices import SWARM_MEMBER_ROLES
from werklandschap.registry.models import Park

from .models import GreenDeal, VoucherApplication, VoucherRound
from .workflow import ACTIVE_STATUSES

NOT_PARTNER = "not_partner"
NO_OPEN_ROUND = "no_open_round"
ACTIVE_VOUCHER = "active_voucher"
ROUND_EXHAUSTED = "round_exhausted"


@dataclass(frozen=True)
class Refusal:
    """One reason a park may not apply; ``code`` for programs, ``message`` for people."""

    code: str
    message: str


@dataclass
class Eligibility:
    """The outcome: the round the park would apply in, and every refusal."""

    park: Park
    round: VoucherRound | None = None
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.refusals

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.refusals]


def open_rounds(province_id: int | None, today: dt.date | None = None) -> QuerySet[VoucherRound]:
    """Rounds of the province open today under a signed Green Deal, closing soonest first."""
    if province_id is None:
        return VoucherRound.objects.none()
    today = today or timezone.localdate()
    return (
        VoucherRound.objects.filter(
            green_deal__province_id=province_id,
            green_deal__status=GreenDeal.Status.SIGNED,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .select_related("green_deal__province", "scheme")
        .order_by("closes_on", "pk")
    )


def next_round(province_id: int | None, today: dt.date | None = None) -> VoucherRound | None:
    """The next round of the province that has not opened yet (to say when to come back)."""
    if province_id is None:
        return None
    today = today or timezone.localdate()
    return (
        VoucherRound.objects.filter(
            green_deal__province_id=province_id,
            green_deal__status=GreenDeal.Status.SIGNED,
            opens_on__gt=today,
        )
        .order_by("opens_on", "pk")
        .first()
    )


def active_application(park: Park, exclude_pk: int | None = None) -> VoucherApplication | None:
    found = VoucherApplication.objects.filter(park=park, status__in=ACTIVE_STATUSES)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("-submitted_at").first()


def check_eligibility(
    park: Park, today: dt.date | None = None, *, exclude_pk: int | None = None
) -> Eligibility:
    """Every reason ``park`` may not apply today (none: it may), and the round it would use.

    ``exclude_pk``: an application being revised does not block itself.
    """
    from .services import round_has_room  # services imports this module

    today = today or timezone.localdate()
    result = Eligibility(park=park)
    if park.swarm_role not in SWARM_MEMBER_ROLES:
        result.refusals.append(
            Refusal(
                NOT_PARTNER,
                _(
                    "Alleen partnerterreinen kunnen een voucher aanvragen. %(park)s is (nog) "
                    "geen partnerterrein; meld het terrein eerst aan als partnerterrein."
                )
                % {"park": park.name},
            )
        )
    rounds = list(open_rounds(park.province_id, today))
    if not rounds:
        upcoming = next_round(park.province_id, today)
        if park.province_id is None:
            message = _(
                "Van %(park)s is de provincie niet bekend, dus ook geen voucherronde. Neem "
                "contact op met het programmateam."
            ) % {"park": park.name}
        elif upcoming is not None:
            message = _(
                "In provincie %(province)s is nu geen voucherronde open. De volgende ronde "
                "opent op %(date)s."
            ) % {"province": park.province.name, "date": date_format(upcoming.opens_on)}
        else:
            message = _(
                "In provincie %(province)s is nu geen voucherronde open. Houd deze pagina in "
                "de gaten: rondes worden samen met de provincie geopend."
            ) % {"province": park.province.name}
        result.refusals.append(Refusal(NO_OPEN_ROUND, message))
    active = active_application(park, exclude_pk)
    if active is not None:
        result.refusals.append(
            Refusal(
                ACTIVE_VOUCHER,
                _(
                    "%(park)s heeft al een voucheraanvraag of voucher (%(reference)s, status "
                    "'%(status)s'). Per terrein is er één voucher tegelijk."
                )
                % {
                    "park": park.name,
                    "reference": active.reference,
                    "status": active.get_status_display(),
                },
            )
        )
    if rounds:
        with_room = [r for r in rounds if round_has_room(r)]
        if with_room:
            result.round = with_room[0]
        else:
            result.round = rounds[0]
            result.refusals.append(
                Refusal(
                    ROUND_EXHAUSTED,
                    _(
                        "De voucherronde '%(round)s' is uitgeput: het budget of het aantal "
                        "vouchers is al helemaal toegekend. Er kan in deze ronde geen voucher "
                        "meer bij."
                    )
                    % {"round": rounds[0].name},
                )
            )
    return result
