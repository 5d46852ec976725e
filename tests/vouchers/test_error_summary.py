"""The error summary above a form names the field of each error.

The voucher application, posted empty on the English page, listed "This field
is required." four times, each a link, none saying which field.
"""

from __future__ import annotations

import pytest

from tests.vouchers.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_the_error_summary_names_each_field(client, partner_park, voucher_round, contact):
    client.force_login(contact)
    english = client.post(f"/en/vouchers/aanvragen/{partner_park.slug}/", {}).content.decode()
    assert "Plan of approach: This field is required." in english
    assert "Process supporter: This field is required." in english
    dutch = client.post(f"/vouchers/aanvragen/{partner_park.slug}/", {}).content.decode()
    assert "Plan van aanpak: Dit veld is vereist." in dutch
    assert "Nonce:" not in dutch  # a hidden field is not named
