"""The programme targets' labels on an English dashboard are English, numbers grouped.

They come from data/reference/targets.yaml in Dutch and were shown as stored
("Bedrijventerreinen in transitie ...") on /en/monitor/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.test import override_settings

import werklandschap
from werklandschap.accounts.roles import Role
from werklandschap.monitoring import target_labels

TARGETS = Path(werklandschap.__file__).parent / "data" / "reference" / "targets.yaml"


def test_every_label_and_unit_in_the_data_file_is_marked_for_translation():
    rows = yaml.safe_load(TARGETS.read_text(encoding="utf-8"))["targets"]
    assert {r["label"] for r in rows} <= set(target_labels.LABELS)
    assert {r["unit"] for r in rows if r.get("unit")} <= set(target_labels.UNITS)


@pytest.mark.django_db
@override_settings(MONITORING_CACHE_SECONDS=0)
def test_the_english_dashboard_shows_english_target_labels(client, users, park):
    client.force_login(users[Role.PROGRAMME_TEAM])
    english = client.get("/en/monitor/programma/").content.decode()
    assert "Bedrijventerreinen in transitie" not in english
    assert "Ambassadeursterreinen" not in english
    assert "Business parks in transition (joined the swarm)" in english
    assert "1,000 (2032)" in english  # grouped the page's way (was "1000")
    dutch = client.get("/monitor/programma/").content.decode()
    assert "Bedrijventerreinen in transitie (aangesloten bij de zwerm)" in dutch
    assert "1.000 (2032)" in dutch


@pytest.mark.django_db
@override_settings(MONITORING_CACHE_SECONDS=0)
def test_the_english_targets_chart_and_csv_have_english_labels_and_units(client, users, park):
    client.force_login(users[Role.PROGRAMME_TEAM])
    chart = client.get("/en/monitor/programma/grafiek/doelen.svg").content.decode()
    data = client.get("/en/monitor/programma/gegevens/doelen.csv").content.decode("utf-8-sig")
    for english in (chart, data):
        assert "Business parks in transition (joined the swarm)" in english
        assert "Bedrijventerreinen in transitie" not in english
    assert ",parks," in data and ",terreinen," not in data
    dutch = client.get("/monitor/programma/gegevens/doelen.csv").content.decode("utf-8-sig")
    assert "Bedrijventerreinen in transitie (aangesloten bij de zwerm)" in dutch


def test_the_phone_targets_chart_wraps_long_labels_to_stay_narrow():
    """The phone variant was 601 pt wide with the long labels on one line (bars a sliver)."""
    import re

    from werklandschap.monitoring import charts

    rows = [
        ("Vouchers for process support (green vision and financing plan)", 4, 150),
        ("Maximum number of Green Deals with provinces (2023 letter)", 4, 6),
        ("Living labs", 4, 4),
    ]
    svg = charts.progress("Progress", rows, phone=True)
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    assert width < 400, width
