"""The demo's vouchers: four signed Green Deals, an open round in each, every state shown."""

from __future__ import annotations

import itertools

from django.core.management import call_command
from django.urls import reverse

from werklandschap.accounts.models import User
from werklandschap.vouchers import services
from werklandschap.vouchers.eligibility import open_rounds
from werklandschap.vouchers.models import CoFinancing, GreenDeal, VoucherApplication
from werklandschap.vouchers.workflow import Status


def test_demo_has_open_rounds_and_vouchers_in_every_state(db, client):
    call_command("demo", no_serve=True, no_scan=True)
    deals = GreenDeal.objects.filter(status=GreenDeal.Status.SIGNED)
    assert set(deals.values_list("province__name", flat=True)) == {
        "Utrecht",
        "Noord-Brabant",
        "Zuid-Holland",
        "Gelderland",
    }
    for deal in deals:
        assert open_rounds(deal.province_id).exists(), deal
        assert CoFinancing.objects.filter(green_deal=deal).count() == 5
        for round_ in deal.rounds.all():
            used = services.round_commitments(round_)
            assert used.committed_cents <= round_.budget_cents
            assert used.awarded_count <= round_.voucher_count
    applications = VoucherApplication.objects.all()
    assert set(applications.values_list("status", flat=True)) == set(Status.values)
    for application in applications:  # every history is an unbroken chain from "submitted"
        steps = list(application.events.order_by("at", "id"))
        assert steps[0].to_status == Status.SUBMITTED
        assert steps[-1].to_status == application.status
        for before, after in itertools.pairwise(steps):
            assert after.from_status == before.to_status
    paid = applications.get(status=Status.PAID)
    assert services.paid_cents(paid) == paid.awarded_cents
    for username in ("parkcontact", "provincie", "programmateam", "begeleider"):
        client.force_login(User.objects.get(username=username))
        page = client.get(reverse("vouchers:list"))
        assert page.status_code == 200
        assert "VO20" in page.content.decode(), username
    # Idempotent, and --reset removes and rebuilds them.
    call_command("demo", no_serve=True, no_scan=True)
    assert VoucherApplication.objects.count() == applications.count()
    call_command("demo", no_serve=True, no_scan=True, reset=True)
    assert set(VoucherApplication.objects.values_list("status", flat=True)) == set(Status.values)
