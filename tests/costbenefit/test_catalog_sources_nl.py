"""Every source text of the measures catalogue in Dutch and English, checked on load.

Dutch pages must show Dutch source texts, so the Dutch text lives beside the English
one in the data file (``source: {nl: ..., en: ...}``) and a missing or empty one is a
load error that names where, like a missing source always was. The broken files are
a small hand-written catalogue with one mistake each, not the shipped file, so each
test shows exactly which shape is refused. The shipped file is then checked as a
whole: both texts everywhere, translated (not copied), with the same tags and URLs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from werklandschap.costbenefit.catalog import CatalogueError, load_catalogue
from werklandschap.costbenefit.types import Range, in_language

SMALL = """\
version: "test"
price_year: 2024
price_basis: {nl: "EUR excl. btw", en: "EUR excl. VAT"}
discount_rate:
  low: 0.0225
  expected: 0.0225
  high: 0.0225
  source: {nl: "standaard discontovoet [V]", en: "standard discount rate [V]"}
horizon_years: 30
horizon_source: {nl: "looptijd van TEEB-stad [V]", en: "horizon of TEEB-stad [V]"}
benefit_categories:
  water:
    name_nl: "Vermeden rioolkosten"
    name_en: "Avoided sewer costs"
    allocation: {municipality: 1.0}
    source: {nl: "[A] een taak van de gemeente", en: "[A] a task of the municipality"}
    assumption: true
measures:
  wadi:
    name_nl: "Wadi"
    name_en: "Wadi"
    description_nl: "Een lage groene strook."
    description_en: "A low green strip."
    unit: m2
    location: both
    effort: low
    themes: [water]
    investment: {low: 30, expected: 36, high: 43, source: {nl: "[V] RVO", en: "[V] RVO (en)"}}
    maintenance: {low: 0.3, expected: 0.37, high: 0.4, source: {nl: "[A] maaien", en: "[A] mowing"}}
    lifetime: {low: 25, expected: 40, high: 50, source: {nl: "[A] grondwerk", en: "[A] earthwork"}}
    replacement: {low: 0.2, expected: 0.3, high: 0.5, source: {nl: "[A] laag", en: "[A] layer"}}
    effects:
      green_m2: {low: 1, expected: 1, high: 1, source: {nl: "[D] definitie", en: "[D] definition"}}
    benefits:
      water: {low: 0, expected: 1, high: 2, source: {nl: "[A] schatting", en: "[A] estimate"}}
    cost_allocation: {entrepreneur: 1.0}
    cost_allocation_source: {nl: "[A] de ondernemer betaalt", en: "[A] the entrepreneur pays"}
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "measures.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert "measures.yaml" in str(info.value)
    return info.value.problems


def broken(old: str, new: str) -> str:
    assert SMALL.count(old) == 1, old
    return SMALL.replace(old, new)


def test_the_small_catalogue_loads_with_both_texts(tmp_path):
    path = tmp_path / "measures.yaml"
    path.write_text(SMALL, encoding="utf-8")
    cat = load_catalogue(path)
    wadi = cat.measures["wadi"]
    assert (wadi.lifetime.source_nl, wadi.lifetime.source) == ("[A] grondwerk", "[A] earthwork")
    assert wadi.cost_allocation_source_nl == "[A] de ondernemer betaalt"
    assert cat.benefit_categories["water"].source_nl.startswith("[A] een taak")
    assert (cat.horizon_source_nl, cat.price_basis_nl) == (
        "looptijd van TEEB-stad [V]",
        "EUR excl. btw",
    )
    assert cat.discount_rate.source_nl == "standaard discontovoet [V]"


def test_a_range_without_its_dutch_source_is_refused_naming_where(tmp_path):
    text = broken('{nl: "[A] grondwerk", en: "[A] earthwork"}', '{en: "[A] earthwork"}')
    assert problems_of(tmp_path, text) == [
        "measure wadi: lifetime: source.nl: missing or empty Dutch text"
    ]


def test_an_empty_or_blank_dutch_source_is_refused(tmp_path):
    text = broken('{nl: "[D] definitie", en: "[D] definition"}', '{nl: "  ", en: "[D] definition"}')
    assert problems_of(tmp_path, text) == [
        "measure wadi: effects.green_m2: source.nl: missing or empty Dutch text"
    ]


def test_a_missing_english_source_is_refused_too(tmp_path):
    text = broken('{nl: "[A] schatting", en: "[A] estimate"}', '{nl: "[A] schatting"}')
    assert problems_of(tmp_path, text) == [
        "measure wadi: benefits.water: source.en: missing or empty English text"
    ]


def test_a_single_text_where_a_pair_belongs_is_refused(tmp_path):
    text = broken('{nl: "[A] maaien", en: "[A] mowing"}', '"[A] mowing"')
    (problem,) = problems_of(tmp_path, text)
    assert problem.startswith(
        "measure wadi: maintenance: source: must be a pair {nl: ..., en: ...}"
    )


def test_every_other_source_text_needs_its_dutch_version(tmp_path):
    text = SMALL
    for old, new in [
        ('{nl: "[A] een taak van de gemeente", en:', "{en:"),
        ('{nl: "[A] de ondernemer betaalt", en:', "{en:"),
        ('{nl: "looptijd van TEEB-stad [V]", en:', "{en:"),
        ('{nl: "EUR excl. btw", en:', "{en:"),
        ('{nl: "standaard discontovoet [V]", en:', "{en:"),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    # All five reported at once, each naming its place and field.
    assert sorted(problems_of(tmp_path, text)) == sorted(
        [
            "benefit category water: source.nl: missing or empty Dutch text",
            "measure wadi: cost_allocation_source.nl: missing or empty Dutch text",
            "catalogue: horizon_source.nl: missing or empty Dutch text",
            "catalogue: price_basis.nl: missing or empty Dutch text",
            "catalogue: discount_rate: source.nl: missing or empty Dutch text",
        ]
    )


def test_a_third_language_is_refused_rather_than_silently_ignored(tmp_path):
    text = broken(
        '{nl: "[A] laag", en: "[A] layer"}',
        '{nl: "[A] toplaag", en: "[A] top layer", de: "[A] Schicht"}',
    )
    assert problems_of(tmp_path, text) == [
        "measure wadi: replacement: source.de: unknown language (allowed: nl, en)"
    ]


def test_in_language_picks_dutch_first_and_falls_back_to_the_other_text():
    assert in_language("nl", "Nederlands", "English") == "Nederlands"
    assert in_language("en", "Nederlands", "English") == "English"
    assert in_language("en-gb", "Nederlands", "English") == "English"
    assert in_language(None, "Nederlands", "English") == "Nederlands"
    assert in_language("de", "Nederlands", "English") == "Nederlands"
    # A range built in code with one text (e.g. "chosen in this plan") still says it.
    assert Range(1, 1, 1, "gekozen in dit plan").source_in("nl") == "gekozen in dit plan"


# --- the shipped catalogue ---------------------------------------------------------

TAG = re.compile(r"\[(?:V|S|D|I|A|V/A)\]")
URL = re.compile(r"https?://\S+")


def shipped_texts() -> list[tuple[str, str, str]]:
    """(where, Dutch, English) for every source text the shipped catalogue holds."""
    cat = load_catalogue()
    out = [
        ("discount_rate", cat.discount_rate.source_nl, cat.discount_rate.source),
        ("horizon_source", cat.horizon_source_nl, cat.horizon_source),
        ("price_basis", cat.price_basis_nl, cat.price_basis),
    ]
    for c in cat.benefit_categories.values():
        out.append((f"benefit category {c.key}", c.source_nl, c.source))
    for m in cat.measures.values():
        ranges = {
            "investment": m.investment,
            "maintenance": m.maintenance,
            "lifetime": m.lifetime,
            "replacement": m.replacement,
            **{f"effects.{k}": r for k, r in m.effects.items()},
            **{f"benefits.{k}": r for k, r in m.benefits.items()},
        }
        out += [(f"{m.key}: {name}", r.source_nl, r.source) for name, r in ranges.items()]
        out.append(
            (
                f"{m.key}: cost_allocation_source",
                m.cost_allocation_source_nl,
                m.cost_allocation_source,
            )
        )
    return out


def only_url_or_tag(text: str) -> bool:
    return not re.sub(r"[\s;,.]+", "", URL.sub("", TAG.sub("", text)))


def test_every_source_of_the_shipped_catalogue_is_in_dutch_and_english():
    texts = shipped_texts()
    assert len(texts) > 200  # every range, category, split, horizon and price basis
    for where, nl, en in texts:
        assert nl.strip() and en.strip(), where
        if not only_url_or_tag(en):
            assert nl != en, f"{where}: the Dutch text is the English one"


def test_the_two_texts_carry_the_same_tags_urls_and_assumption_mark():
    for where, nl, en in shipped_texts():
        assert TAG.findall(nl) == TAG.findall(en), where
        assert URL.findall(nl) == URL.findall(en), where
        # plan_figures marks a text starting with [A] as an assumption, in either language
        assert nl.startswith("[A]") == en.startswith("[A]"), where


def test_the_dutch_text_is_dutch():
    """A rough check that catches an English sentence pasted into ``nl``."""
    english = re.compile(r"\b(the|and|with|from|per year|checked|investment|maintenance)\b")
    for where, nl, _en in shipped_texts():
        # Quoted titles stay as published and file names stay as they are.
        prose = re.sub(r"'[^']*'|\S+\.(?:md|yaml)\b", "", URL.sub("", nl))
        assert not english.search(prose), (where, nl)
