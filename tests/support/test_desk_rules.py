"""The desk's rules file: the packaged values, and a clear error for every kind of bad edit."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from werklandschap.support import desk_rules
from werklandschap.support.attachments import FORMATS
from werklandschap.support.desk_rules import DeskRulesError, load_rules


def _raw() -> dict:
    return yaml.safe_load(desk_rules.RULES_PATH.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "desk.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_packaged_rules_are_the_programme_promise():
    """Seed 001 section 4.2: 2 weeks, at most 3 partners, 1-3 proposals of one A4."""
    rules = desk_rules.rules()
    assert rules.response_working_days == 10
    assert rules.soon_due_working_days == 2
    assert rules.max_partners_per_question == 3
    assert rules.max_proposals_per_question == 3
    assert rules.proposal_max_pages == 1
    assert rules.proposal_paper == "A4"
    assert rules.attachments.max_count == 3
    assert rules.attachments.max_bytes <= rules.attachments.max_total_bytes
    assert set(rules.attachments.allowed_types) <= set(FORMATS)
    assert rules.calendar.country == "NL"
    assert rules.calendar.categories == ("public",)
    assert rules.calendar.timezone == "Europe/Amsterdam"
    assert desk_rules.rules() is rules  # loaded once


def test_every_value_has_a_source():
    data = _raw()
    for section, block in data.items():
        if section == "version":
            continue
        for key, item in block.items():
            assert str(item.get("source", "")).strip(), f"{section}.{key} has no source"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d["deadline"].pop("response_working_days"),
            "deadline.response_working_days: missing",
        ),
        (lambda d: d.pop("routing"), "routing: missing"),
        (
            lambda d: d["deadline"]["response_working_days"].update(value="ten"),
            "deadline.response_working_days.value: must be a whole number, not 'ten'",
        ),
        (
            lambda d: d["routing"]["max_partners_per_question"].update(value=True),
            "routing.max_partners_per_question.value: must be a whole number, not True",
        ),
        (
            lambda d: d["routing"]["max_partners_per_question"].update(value=0),
            "routing.max_partners_per_question.value: 0 is not within 1-10",
        ),
        (
            lambda d: d["deadline"]["soon_due_working_days"].update(value=12),
            "deadline.soon_due_working_days.value: larger than response_working_days (12 > 10)",
        ),
        (
            lambda d: d["proposals"]["max_pages"].update(paper="Letter"),
            "proposals.max_pages.paper: 'Letter' is not one of A4",
        ),
        (
            lambda d: d["proposals"]["max_proposals_per_question"].update(source=""),
            "proposals.max_proposals_per_question: no source",
        ),
        (
            lambda d: d["attachments"]["max_total_bytes"].update(value=2048),
            "attachments.max_total_bytes.value: smaller than max_bytes",
        ),
        (
            lambda d: d["attachments"]["allowed_types"].update(values=["pdf", "exe"]),
            "attachments.allowed_types.values: unknown types ['exe']",
        ),
        (
            lambda d: d["attachments"]["allowed_types"].update(values="pdf"),
            "attachments.allowed_types.values: must be a non-empty list of texts",
        ),
        (
            lambda d: d["calendar"]["country"].update(value="XX"),
            "calendar.country.value: 'XX' is not a country of holidays",
        ),
        (
            lambda d: d["calendar"]["categories"].update(values=["public", "bank"]),
            "calendar.categories.values: ['bank'] are not categories of NL",
        ),
        (
            lambda d: d["calendar"]["timezone"].update(value="Europe/Amstedram"),
            "calendar.timezone.value: 'Europe/Amstedram' is not a time zone",
        ),
    ],
)
def test_a_bad_edit_names_the_key(tmp_path, edit, expected):
    data = copy.deepcopy(_raw())
    edit(data)
    with pytest.raises(DeskRulesError) as exc:
        load_rules(_write(tmp_path, data))
    assert str(exc.value).startswith("desk.yaml: ")
    assert expected in str(exc.value)


def test_every_problem_is_listed_at_once(tmp_path):
    data = copy.deepcopy(_raw())
    data["routing"]["max_partners_per_question"]["value"] = 50
    data["attachments"]["max_count"]["value"] = "3"
    with pytest.raises(DeskRulesError) as exc:
        load_rules(_write(tmp_path, data))
    message = str(exc.value)
    assert "routing.max_partners_per_question.value: 50 is not within 1-10" in message
    assert "attachments.max_count.value: must be a whole number, not '3'" in message


def test_not_a_mapping(tmp_path):
    path = tmp_path / "desk.yaml"
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(DeskRulesError, match=r"desk\.yaml: not a mapping"):
        load_rules(path)


def test_liberation_day_every_year_is_one_category_away(tmp_path):
    """The documented switch: adding `optional` makes 5 May a non-working day every year."""
    import holidays

    data = copy.deepcopy(_raw())
    data["calendar"]["categories"]["values"] = ["public", "optional"]
    rules = load_rules(_write(tmp_path, data))
    from datetime import date

    every_year = holidays.country_holidays("NL", years=2026, categories=rules.calendar.categories)
    lustrum_only = holidays.country_holidays(
        "NL", years=2026, categories=desk_rules.rules().calendar.categories
    )
    assert date(2026, 5, 5) in every_year
    assert date(2026, 5, 5) not in lustrum_only


def test_routing_weights_and_link_lifetimes_are_read_from_the_file(tmp_path):
    data = _raw()
    data["routing"]["penalty_per_open_question"]["value"] = "veel"
    data["intake"].pop("follow_link_days")
    path = tmp_path / "desk.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DeskRulesError) as refused:
        load_rules(path)
    assert "routing.penalty_per_open_question.value: must be a number" in str(refused.value)
    assert "intake.follow_link_days: missing" in str(refused.value)
    shipped = load_rules()
    assert shipped.routing_weights.toolbox_step == 2 and shipped.confirm_days == 7
