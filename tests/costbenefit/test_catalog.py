"""The measures catalogue (data/measures/measures.yaml) and its checks on load (issue 18).

The shipped file must load, hold at least 25 measures and carry a source on every
number. A file with a mistake must be refused with a message that names the file,
the measure and the field, and lists every mistake at once, so a reviewer editing a
key figure sees all problems in one run. The bad files are small variants of the
shipped one, written to tmp_path.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from werklandschap.costbenefit import catalog
from werklandschap.costbenefit.catalog import (
    CATALOGUE_PATH,
    EFFECT_KEYS,
    CatalogueError,
    load_catalogue,
    source_summary,
)
from werklandschap.costbenefit.types import EFFORTS, LOCATIONS, PARTIES, UNITS
from werklandschap.scanengine.catalog import INDICATORS, THEMES

# No test database: run once, not again in the PostgreSQL phase.
pytestmark = pytest.mark.engine


def shipped() -> dict:
    with open(CATALOGUE_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def write(tmp_path: Path, data: dict, name: str = "measures.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert path.name in str(info.value)
    return info.value.problems


# --- the shipped file -------------------------------------------------------------


def test_shipped_catalogue_loads_with_enough_measures():
    cat = load_catalogue()
    assert len(cat.measures) >= 25
    assert cat.horizon_years == 30
    assert cat.discount_rate.expected == pytest.approx(0.0225)
    assert "Werkgroep discontovoet" in cat.discount_rate.source
    assert cat.price_year == 2024


def test_every_number_in_the_shipped_file_has_a_source():
    cat = load_catalogue()
    for m in cat.measures.values():
        ranges = {
            "investment": m.investment,
            "maintenance": m.maintenance,
            "lifetime": m.lifetime,
            "replacement": m.replacement,
            **{f"effects.{k}": r for k, r in m.effects.items()},
            **{f"benefits.{k}": r for k, r in m.benefits.items()},
        }
        for field, r in ranges.items():
            assert r.source.strip(), f"{m.key}.{field} has no source"
            assert r.low <= r.expected <= r.high, f"{m.key}.{field}"
            # An own estimate says so: the [A] tag goes with assumption: true.
            if r.source.startswith("[A]"):
                assert r.assumption, f"{m.key}.{field} is tagged [A] but not marked assumption"
        assert m.cost_allocation_source.strip(), m.key
        assert m.lifetime.low > 0
        assert sum(m.cost_allocation.values()) == pytest.approx(1.0, abs=1e-9)
    for c in cat.benefit_categories.values():
        assert c.source.strip()
        assert sum(c.allocation.values()) == pytest.approx(1.0, abs=1e-9)


def test_shipped_catalogue_uses_only_allowed_values():
    cat = load_catalogue()
    for m in cat.measures.values():
        assert m.unit in UNITS and m.location in LOCATIONS and m.effort in EFFORTS
        assert m.themes and set(m.themes) <= set(THEMES)
        assert set(m.effects) <= set(EFFECT_KEYS)
        assert set(m.benefits) <= set(cat.benefit_categories)
        assert set(m.cost_allocation) <= set(PARTIES)


def test_issue_list_of_measures_is_covered():
    """The measures issue 18 names are all in the catalogue."""
    keys = set(load_catalogue().measures)
    for key in (
        "green_roof_extensive",
        "green_roof_intensive",
        "blue_green_roof",
        "facade_green_ground",
        "facade_green_system",
        "street_trees",
        "tiny_forest",
        "wadi",
        "depaving",
        "permeable_paving",
        "rainwater_crates",
        "disconnect_roof",
        "disconnect_paving",
        "flower_meadow",
        "hedge_instead_of_fence",
        "nest_boxes",
        "insect_hotel",
        "green_parking",
        "solar_roof",
        "solar_carport",
        "shaded_bike_parking",
        "walking_loop",
        "water_square",
        "pond",
    ):
        assert key in keys


def test_effect_keys_name_scan_quantities():
    """Each effect key documents which scan indicator it feeds, and those exist."""
    for key, doc in EFFECT_KEYS.items():
        for name in re.findall(r"[a-z_]+_(?:pct|m3|m2|mm|kwp|yr)\b", doc):
            if name != key:
                assert name in INDICATORS, f"{key}: {name} is not a scan indicator"


def test_source_summary_counts_every_range():
    cat = load_catalogue()
    s = source_summary(cat)
    assert s["sourced"] + s["assumption"] == s["ranges"]
    assert s["sourced"] > 0 and s["assumption"] > 0


def test_default_catalogue_is_a_fresh_copy_per_call():
    """A plan that edits its allocations must not change what the next request gets."""
    a = load_catalogue()
    a.measures["wadi"].cost_allocation["municipality"] = 0.0
    a.benefit_categories["energy_yield"].allocation.clear()
    b = load_catalogue()
    assert b.measures["wadi"].cost_allocation["municipality"] == 0.5
    assert b.benefit_categories["energy_yield"].allocation == {"entrepreneur": 1.0}


def test_the_package_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys; import werklandschap.costbenefit.catalog as c; c.load_catalogue(); "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- bad files: one clear message per mistake ---------------------------------------


def test_missing_source_names_measure_and_field(tmp_path):
    data = shipped()
    data["measures"]["wadi"]["investment"]["source"] = ""
    del data["measures"]["solar_roof"]["effects"]["solar_kwp"]["source"]
    problems = problems_of(write(tmp_path, data))
    assert any(p.startswith("measure wadi: investment: source:") for p in problems), problems
    assert any(p.startswith("measure solar_roof: effects.solar_kwp: source:") for p in problems), (
        problems
    )


def test_low_above_high_names_measure_and_field(tmp_path):
    data = shipped()
    data["measures"]["street_trees"]["maintenance"].update(low=30, expected=20, high=10)
    problems = problems_of(write(tmp_path, data))
    assert any(
        p.startswith("measure street_trees: maintenance: must have low <= expected <= high")
        for p in problems
    ), problems


def test_unknown_party_names_measure_and_field(tmp_path):
    data = shipped()
    data["measures"]["depaving"]["cost_allocation"] = {"landlord": 1.0}
    data["benefit_categories"]["health"]["allocation"] = {"society": 0.5, "insurer": 0.5}
    problems = problems_of(write(tmp_path, data))
    assert any(
        p.startswith("measure depaving: cost_allocation: unknown party 'landlord'")
        for p in problems
    ), problems
    assert any(
        p.startswith("benefit category health: allocation: unknown party 'insurer'")
        for p in problems
    ), problems


def test_allocation_not_summing_to_one_names_measure_and_field(tmp_path):
    data = shipped()
    data["measures"]["pond"]["cost_allocation"] = {"entrepreneur": 0.6, "municipality": 0.3}
    problems = problems_of(write(tmp_path, data))
    assert any(
        p.startswith("measure pond: cost_allocation: shares must sum to 1") for p in problems
    ), problems


def test_unknown_theme_names_measure_and_field(tmp_path):
    data = shipped()
    data["measures"]["nest_boxes"]["themes"] = ["natuurinclusiviteit", "biodiversity"]
    problems = problems_of(write(tmp_path, data))
    assert any(
        p.startswith("measure nest_boxes: themes: unknown theme 'biodiversity'") for p in problems
    ), problems


def test_all_problems_are_reported_at_once(tmp_path):
    data = shipped()
    m = data["measures"]["wadi"]
    m["unit"] = "m3"
    m["location"] = "roof"
    m["effort"] = "huge"
    m["lifetime"].update(low=0, expected=0, high=0)
    m["maintenance"].update(low=-1)
    m["effects"]["cooling_index"] = {"low": 1, "expected": 1, "high": 1, "source": "x"}
    m["benefits"]["happiness"] = {"low": 1, "expected": 1, "high": 1, "source": "x"}
    del m["name_en"]
    m["colour"] = "green"
    problems = problems_of(write(tmp_path, data))
    expected = [
        "measure wadi: unit:",
        "measure wadi: location:",
        "measure wadi: effort:",
        "measure wadi: lifetime: low: must be greater than 0",
        "measure wadi: maintenance:",
        "measure wadi: effects: unknown effect 'cooling_index'",
        "measure wadi: benefits: unknown benefit category 'happiness'",
        "measure wadi: name_en: missing",
        "measure wadi: colour: unknown field",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


def test_negative_effect_and_benefit_are_refused(tmp_path):
    data = shipped()
    data["measures"]["depaving"]["effects"]["green_m2"].update(low=-1)
    data["measures"]["wadi"]["benefits"]["water_avoided_costs"].update(low=-5)
    problems = problems_of(write(tmp_path, data))
    assert any(p.startswith("measure depaving: effects.green_m2: low:") for p in problems)
    assert any(p.startswith("measure wadi: benefits.water_avoided_costs: low:") for p in problems)


def test_duplicate_measure_key_is_refused(tmp_path):
    text = CATALOGUE_PATH.read_text(encoding="utf-8")
    block = text[text.index("  wadi:\n") : text.index("  depaving:\n")]
    path = tmp_path / "measures.yaml"
    path.write_text(text + "\n" + block, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert "duplicate key 'wadi'" in str(info.value)
    assert "measures.yaml" in str(info.value)


def test_missing_top_level_parts_are_reported(tmp_path):
    data = shipped()
    del data["discount_rate"]["source"]
    data["horizon_years"] = 0
    data["price_year"] = "2024"
    problems = problems_of(write(tmp_path, data))
    assert any(p.startswith("catalogue: discount_rate: source:") for p in problems)
    assert any(p.startswith("catalogue: horizon_years:") for p in problems)
    assert any(p.startswith("catalogue: price_year:") for p in problems)


def test_not_yaml_is_a_catalogue_error(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("measures: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"broken\.yaml"):
        load_catalogue(path)


@settings(max_examples=40, deadline=None)
@given(
    low=st.floats(-1e6, 1e6, allow_nan=False),
    expected=st.floats(-1e6, 1e6, allow_nan=False),
    high=st.floats(-1e6, 1e6, allow_nan=False),
)
def test_range_check_accepts_exactly_the_ordered_non_negative_ranges(low, expected, high):
    problems: list[str] = []
    r = catalog._range(
        {"low": low, "expected": expected, "high": high, "source": {"nl": "b", "en": "s"}},
        "measure x: investment",
        problems,
    )
    ok = 0 <= low <= expected <= high
    assert (not problems) == ok, problems
    if ok:
        assert (r.low, r.expected, r.high) == (low, expected, high)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(PARTIES), st.floats(0, 1, allow_nan=False), min_size=1))
def test_allocation_check_matches_the_sum(shares):
    problems: list[str] = []
    catalog._allocation(copy.deepcopy(shares), "measure x: cost_allocation", problems)
    assert (not problems) == (abs(sum(shares.values()) - 1) <= catalog.ALLOCATION_TOLERANCE)
