"""The shared workflow mechanism (lib/workflow.py): the table checks itself when built."""

from __future__ import annotations

import pytest
from django.db import models

from werklandschap.lib.workflow import Rule, Transitions
from werklandschap.partnership.workflow import TABLE as SIGNUP
from werklandschap.support.workflow import TABLE as DESK


class Colour(models.TextChoices):
    RED = "red", "rood"
    GREEN = "green", "groen"


def test_a_table_with_an_unknown_state_is_refused():
    with pytest.raises(ValueError, match="unknown state"):
        Transitions(Colour, {(Colour.RED, "blue"): Rule("anyone")})


def test_a_move_must_change_the_state():
    with pytest.raises(ValueError, match="must change"):
        Transitions(Colour, {(Colour.RED, Colour.RED): Rule("anyone")})


def test_rules_name_one_or_more_actors():
    assert Rule("a").actors == ("a",)
    assert Rule(("a", "b")).actors == ("a", "b")


def test_both_workflows_use_the_one_mechanism():
    """The sign-up and the desk are tables of the same kind (no second copy)."""
    assert isinstance(SIGNUP, Transitions) and isinstance(DESK, Transitions)
    assert SIGNUP.final_states == ("approved", "rejected", "expired", "withdrawn")
    assert DESK.allowed_targets("new", "asker") == ["received", "withdrawn"]
