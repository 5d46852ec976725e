"""Shared set-up of the voucher tests: an open round, a supporter, an application in any state.

Imported by the test modules (``from tests.vouchers.fixtures import *``): the
shared conftest files stay untouched.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.conftest import make_user
from werklandschap.accounts.roles import Role
from werklandschap.registry.choices import OrganisationKind, SwarmRole
from werklandschap.registry.models import Organisation
from werklandschap.vouchers import services
from werklandschap.vouchers.models import (
    Deliverable,
    GreenDeal,
    Payout,
    ProcessSupporter,
    VoucherApplication,
    VoucherEvent,
    VoucherRound,
)
from werklandschap.vouchers.services import ApplicationInput
from werklandschap.vouchers.workflow import Status

VALUE = 15_000_00
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_round(deal: GreenDeal, **overrides) -> VoucherRound:
    today = timezone.localdate()
    data = {
        "green_deal": deal,
        "name": f"Ronde {deal.province.name} {VoucherRound.objects.count() + 1}",
        "opens_on": today - dt.timedelta(days=10),
        "closes_on": today + dt.timedelta(days=60),
        "budget_cents": 100_000_00,
        "voucher_count": 5,
        "voucher_value_cents": VALUE,
        "conditions": "Voor partnerterreinen.",
        "source": "test",
    }
    data.update(overrides)
    return VoucherRound.objects.create(**data)


def make_supporter(name: str, provinces) -> ProcessSupporter:
    organisation = Organisation.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), kind=OrganisationKind.OTHER, source="test"
    )
    supporter = ProcessSupporter.objects.create(
        organisation=organisation, expertise="Procesbegeleiding groenvisie"
    )
    supporter.provinces.set(provinces)
    return supporter


def plan(supporter: ProcessSupporter, budget_cents: int = 18_000_00) -> ApplicationInput:
    return ApplicationInput(
        supporter=supporter,
        plan_of_approach="Drie werksessies met de ondernemers; een groenvisie en een plan.",
        planning="Start in maart, groenvisie in juni, financieringsplan in september.",
        budget_cents=budget_cents,
    )


@pytest.fixture
def partner_park(park):
    park.swarm_role = SwarmRole.PARTNER
    park.save()
    return park


@pytest.fixture
def deal(reference_data, park) -> GreenDeal:
    return GreenDeal.objects.get(province=park.province)


@pytest.fixture
def voucher_round(deal) -> VoucherRound:
    return make_round(deal)


@pytest.fixture
def supporter(park) -> ProcessSupporter:
    return make_supporter("Groen Proces BV", [park.province])


@pytest.fixture
def supporter_user(supporter):
    return make_user(Role.COALITION_PARTNER, "begeleider", supporter.organisation)


@pytest.fixture
def contact(users):
    return users[Role.PARK_CONTACT]


@pytest.fixture
def officer(users):
    return users[Role.PROVINCE_OFFICER]


@pytest.fixture
def application(partner_park, voucher_round, supporter, contact) -> VoucherApplication:
    made, _created = services.apply(partner_park, plan(supporter), by=contact)
    return made


def force_state(application: VoucherApplication, status: str) -> VoucherApplication:
    """Put an application in ``status`` with what that state implies (award, deliverables,
    payouts), bypassing the workflow: to test the move *out of* that state."""
    committed = status in (
        Status.AWARDED,
        Status.DELIVERABLES_SUBMITTED,
        Status.APPROVED,
        Status.PAID,
    )
    application.status = status
    if committed:
        application.awarded_cents = application.round.voucher_value_cents
        application.awarded_at = timezone.now()
        application.deliverables_due = timezone.localdate() + dt.timedelta(weeks=26)
    application.save()
    if committed:
        for kind in Deliverable.Kind.values:
            deliverable = Deliverable(
                application=application,
                kind=kind,
                name=f"{kind}.pdf",
                size=len(PDF_BYTES),
                sha256="0" * 64,
            )
            deliverable.file.save(f"{kind}.pdf", ContentFile(PDF_BYTES), save=False)
            deliverable.save()
    if status in (Status.APPROVED, Status.PAID):
        Payout.objects.create(application=application, amount_cents=application.awarded_cents)
    return application


def events(application) -> list[tuple[str, str]]:
    return list(
        VoucherEvent.objects.filter(application=application)
        .order_by("at", "id")
        .values_list("from_status", "to_status")
    )
