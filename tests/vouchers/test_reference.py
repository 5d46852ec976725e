"""The Green Deals, their schemes and voucher agreements load from data, checked."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml
from django.core.exceptions import ValidationError

from werklandschap.lib.refdata import DEFAULT_REFERENCE_DIR, ReferenceDataError
from werklandschap.vouchers.models import GreenDeal, ProvincialScheme, VoucherRound
from werklandschap.vouchers.reference import load_green_deals


def test_four_signed_green_deals_with_date_schemes_and_vouchers(reference_data):
    deals = {d.province.name: d for d in GreenDeal.objects.select_related("province")}
    assert set(deals) == {"Utrecht", "Noord-Brabant", "Zuid-Holland", "Gelderland"}
    for deal in deals.values():
        assert deal.status == GreenDeal.Status.SIGNED
        assert deal.signed_on == dt.date(2023, 11, 30)
        assert deal.voucher_count == 12
        assert deal.voucher_budget_cents == 12 * 15_000_00
        assert "seeds/001 section 5.1" in deal.source
    assert [s.name for s in deals["Noord-Brabant"].provincial_schemes.all()] == ["Grote Oogst"]
    assert not deals["Zuid-Holland"].provincial_schemes.exists()
    assert not ProvincialScheme.objects.filter(source="").exists()


def _broken(tmp_path, change):
    shutil.copy(DEFAULT_REFERENCE_DIR / "green_deals.yaml", tmp_path / "green_deals.yaml")
    data = yaml.safe_load((tmp_path / "green_deals.yaml").read_text(encoding="utf-8"))
    change(data)
    (tmp_path / "green_deals.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["vouchers"].update(value_eur=14_999), "ten minste EUR 15.000"),
        (lambda d: d.pop("signed_on"), "ondertekende Green Deal heeft een datum"),
        (lambda d: d["green_deals"][0].update(schemes=["Onbekend"]), "regeling 'Onbekend'"),
        (lambda d: d["green_deals"][0].update(package="D"), "onbekend pakket"),
        (lambda d: d["schemes"][0].pop("source"), "'source' ontbreekt"),
        (lambda d: d["vouchers"].pop("source"), "'source' ontbreekt"),
        (lambda d: d["green_deals"][0].update(province="Atlantis"), "onbekende provincie"),
    ],
)
def test_a_broken_file_is_refused_with_a_message(reference_data, tmp_path, change, message):
    with pytest.raises(ReferenceDataError, match=message):
        load_green_deals(_broken(tmp_path, change))


def test_reloading_changes_nothing(reference_data):
    before = list(GreenDeal.objects.values_list("province__name", "voucher_budget_cents"))
    load_green_deals(DEFAULT_REFERENCE_DIR)
    after = list(GreenDeal.objects.values_list("province__name", "voucher_budget_cents"))
    assert before == after
    assert ProvincialScheme.objects.count() == 3


def test_a_round_checks_the_minimum_voucher_value_and_its_dates(reference_data):
    deal = GreenDeal.objects.get(province__name="Utrecht")
    cheap = VoucherRound(
        green_deal=deal,
        name="Te goedkoop",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2025, 12, 31),
        budget_cents=100_000_00,
        voucher_count=5,
        voucher_value_cents=14_999_99,
    )
    with pytest.raises(ValidationError) as caught:
        cheap.full_clean()
    assert set(caught.value.message_dict) == {"voucher_value_cents", "closes_on"}


def test_the_database_refuses_a_voucher_below_15000_too(reference_data):
    from django.db import IntegrityError, transaction

    deal = GreenDeal.objects.get(province__name="Utrecht")
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherRound.objects.create(
            green_deal=deal,
            name="Te goedkoop",
            opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 12, 31),
            budget_cents=100_000_00,
            voucher_count=5,
            voucher_value_cents=14_999_99,
        )
