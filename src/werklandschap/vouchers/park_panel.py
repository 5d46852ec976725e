"""The voucher panel on a park's dashboard: is a round open in its province, how to apply,
and where its own application stands.

:func:`park_panel` returns the panel's context; the dashboard includes
``vouchers/_park_panel.html`` through the ``{% voucher_panel park %}`` tag
(``templatetags/voucher_panel.py``). The eligibility is the scheme's own
(``eligibility.check_eligibility``): the panel explains every reason a park
may not apply, in the same words the application form uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from werklandschap.accounts import policies
from werklandschap.registry.models import Park

from . import access, services
from .eligibility import Eligibility, check_eligibility, next_round, open_rounds
from .models import GreenDeal, VoucherApplication, VoucherRound
from .reporting import round_figures
from .workflow import AWAITING_APPLICANT, CLOSED_STATUSES, Status


@dataclass
class Panel:
    """What the panel shows; ``None``/empty where the park has nothing of the kind."""

    park: Park
    deal: GreenDeal | None
    open_round: VoucherRound | None
    vouchers_left: int | None
    next_round: VoucherRound | None
    eligibility: Eligibility
    application: VoucherApplication | None
    application_url: str = ""
    apply_url: str = ""
    award_letter_url: str = ""
    payout_statement_url: str = ""
    waits_for_park: bool = False
    insider: bool = False  # works on the park: sees its applications and every refusal
    earlier: list[VoucherApplication] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.application is not None and self.application.status not in CLOSED_STATUSES


def park_panel(park: Park, user) -> dict[str, Any]:
    """The panel's template context (``panel``) for ``user`` looking at ``park``'s dashboard."""
    deal = (
        GreenDeal.objects.filter(province_id=park.province_id).first() if park.province_id else None
    )
    rounds = list(open_rounds(park.province_id))
    eligibility = check_eligibility(park)
    shown_round = eligibility.round or (rounds[0] if rounds else None)
    left = None
    if shown_round is not None:
        figures = next(
            (f for f in round_figures([park.province_id]) if f.round.pk == shown_round.pk), None
        )
        left = figures.vouchers_left if figures else shown_round.voucher_count
    # The park's own applications only for those who work on the park (the dashboard's
    # private part); anyone else sees the round and nothing of the park's applications.
    insider = user is not None and policies.can_view_park_private(user, park)
    applications = (
        list(
            VoucherApplication.objects.filter(park=park)
            .select_related("round", "supporter__organisation")
            .order_by("-submitted_at", "-id")[:5]
        )
        if insider
        else []
    )
    application = applications[0] if applications else None
    panel = Panel(
        park=park,
        deal=deal,
        open_round=shown_round,
        vouchers_left=left,
        next_round=None if rounds else next_round(park.province_id),
        eligibility=eligibility,
        application=application,
        earlier=applications[1:],
        insider=insider,
    )
    if application is not None:
        if services.visible_applications(user).filter(pk=application.pk).exists():
            panel.application_url = reverse("vouchers:detail", args=[application.reference])
        if access.can_download_letters(user, application):
            if application.awarded_cents is not None:
                panel.award_letter_url = reverse(
                    "vouchers:award-letter", args=[application.reference]
                )
            if application.payouts.exists():
                panel.payout_statement_url = reverse(
                    "vouchers:payout-statement", args=[application.reference]
                )
        panel.waits_for_park = application.status in AWAITING_APPLICANT
    if eligibility.eligible and services.may_apply_for(user, park):
        panel.apply_url = reverse("vouchers:apply", args=[park.slug])
    return {"panel": panel, "statuses": Status}
