"""The indicator catalogue (data/scan/indicators.yaml) and the reason codes (issue 15.3).

One data file defines every indicator and every reason a figure can be missing, in
Dutch and English. These tests hold the engine to it: every code the engine uses
has both texts with the parameters it is given, every indicator the engine reports
is in the catalogue and the other way round, and a file with a gap is refused.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml
from shapely.geometry import box

from werklandschap.scanengine import ambition_gaps, catalog, load_bundle, scan_park
from werklandschap.scanengine.catalog import (
    INDICATORS,
    CatalogueError,
    catalogue,
    legacy_reason,
    load_catalogue,
)
from werklandschap.scanengine.synthetic import make_bundle

pytestmark = pytest.mark.engine

ENGINE_DIR = Path(catalog.__file__).parent
PARK = box(150000, 450000, 150300, 450250)
OPTIONAL_ROLES = ("buildings", "dsm", "dtm", "heat", "flood", "nature", "pt_stops", "solar_panels")


def _names(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


# -------------------------------------------------------------------- static: the code


def test_every_reason_code_in_the_engine_code_has_both_texts():
    """Every ``reason("code", ...)`` in scanengine/*.py names a catalogue code with
    an English and a Dutch text taking the keyword parameters the call passes."""
    call = re.compile(r"\b[Rr]eason\(\s*\"([a-z0-9_]+)\"((?:[^()]|\([^()]*\))*)\)")
    found: dict[str, set[str]] = {}
    for path in sorted(ENGINE_DIR.glob("*.py")):
        for code, args in call.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, set()).update(re.findall(r"(\w+)\s*=", args))
    assert len(found) >= 28, sorted(found)  # the grep finds the engine's calls
    reasons = catalogue().reasons
    for code, params in found.items():
        assert code in reasons, f"{code} is used by the engine but not in indicators.yaml"
        spec = reasons[code]
        assert spec.en.strip() and spec.nl.strip(), code
        assert _names(spec.en) == _names(spec.nl) == params, (code, params)
    # the far-layer codes are chosen from a table, not written as a literal call
    from werklandschap.scanengine.biodiversity import _FAR_CODES

    for code in _FAR_CODES.values():
        assert code in reasons and not reasons[code].params


def test_no_engine_module_passes_an_english_sentence_as_reason():
    """A reason is a code: no ``not_available(keys, "...")`` or ``reason="..."`` left."""
    literal = re.compile(r"not_available\(\s*(?:\[[^\]]*\]|\w+)\s*,\s*f?\"|reason\s*=\s*f?\"")
    offenders = [
        f"{p.name}: {m.group(0)}"
        for p in sorted(ENGINE_DIR.glob("*.py"))
        for m in literal.finditer(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


# -------------------------------------------------------------------- runtime: scans


@pytest.fixture(scope="module")
def manifests(tmp_path_factory) -> dict[str, Path]:
    """The synthetic bundle, and variants without its optional layers or most land cover."""
    base = tmp_path_factory.mktemp("catalogue")
    full = make_bundle([("a", PARK)], base, seed=5)
    spec = yaml.safe_load(full.read_text(encoding="utf-8"))
    out = {"full": full}

    def variant(name: str, layers: dict) -> None:
        path = base / f"{name}.yaml"
        path.write_text(yaml.safe_dump({**spec, "layers": layers}), encoding="utf-8")
        out[name] = path

    variant("landcover_only", {"landcover": spec["layers"]["landcover"]})
    variant(
        "pand_only",  # land cover on the buildings only: coverage far below the minimum
        {
            "landcover": [e for e in spec["layers"]["landcover"] if e["object_type"] == "pand"],
            **{r: spec["layers"][r] for r in ("heat", "flood", "dsm", "dtm")},
        },
    )
    variant(
        "no_dtm_no_buildings",
        {
            "landcover": [e for e in spec["layers"]["landcover"] if e["object_type"] != "pand"],
            "dsm": spec["layers"]["dsm"],
            "heat": spec["layers"]["heat"],
            "flood": spec["layers"]["flood"],
            "nature": spec["layers"]["nature"],
        },
    )
    return out


@pytest.fixture(scope="module")
def results(manifests) -> dict[str, dict]:
    out = {}
    for name, manifest in manifests.items():
        r = scan_park("a", PARK, load_bundle(manifest))
        assert r["status"] == "ok", (name, r["error"])
        out[name] = r
    return out


def test_engine_reports_exactly_the_catalogue(results, manifests):
    """Every indicator the engine returns is in the catalogue, and every catalogue
    indicator is returned (ok or not available), whatever layers a bundle has."""
    bundle = load_bundle(manifests["full"])
    computed: dict[str, dict] = {}
    for name, r in results.items():
        assert set(r["indicators"]) == set(INDICATORS), name
    # the engine's own steps, before the result drops unknown keys
    from werklandschap.scanengine.context import ParkContext, prepare_park_geometry, read_landcover
    from werklandschap.scanengine.engine import THEME_STEPS, resolve_params

    params = resolve_params(bundle, None)
    geom = prepare_park_geometry("a", PARK, "EPSG:28992", bundle.crs)
    ctx = ParkContext(
        park_id="a",
        geom=geom,
        area=float(geom.area),
        bundle=bundle,
        params=params,
        context_m=float(params["context_m"]),
    )
    ctx.lc = read_landcover(ctx)
    for _name, step in THEME_STEPS:
        computed.update(step(ctx))
    assert set(computed) == set(INDICATORS)


def _reasoned(results) -> list[tuple[str, str, dict]]:
    """(where, code, params) of every reason in the scans: indicators, theme scores, gaps."""
    out = []
    for name, r in results.items():
        for key, e in r["indicators"].items():
            if e["status"] != "ok":
                out.append((f"{name}/{key}", e["reason_code"], e["reason_params"], e["reason"]))
        for theme, b in r["score_basis"].items():
            if b["reason"]:
                out.append((f"{name}/{theme}", b["reason_code"], b["reason_params"], b["reason"]))
        gaps = ambition_gaps(r, dict.fromkeys(INDICATORS, 1.0))
        for key, g in gaps.items():
            if g["current"] is None:
                out.append((f"{name}/gap {key}", g["reason_code"], g["reason_params"], g["reason"]))
    return out


def test_every_reason_the_engine_returns_has_a_code_with_both_texts(results):
    reasons = catalogue().reasons
    seen = _reasoned(results)
    codes = {code for _w, code, _p, _t in seen}
    # the variants reach a good part of the table (missing layers, low coverage, themes)
    assert {
        "no_elevation_layer",
        "no_heat_map",
        "no_flood_raster",
        "no_nature_layer",
        "no_pt_stop_layer",
        "no_solar_layer",
        "landcover_covers_only",
        "theme_too_few_indicators",
        "theme_no_indicators",
        "no_buildings",
    } <= codes, sorted(codes)
    for where, code, params, text in seen:
        assert code in reasons, (where, code, text)
        spec = reasons[code]
        assert set(params or {}) == spec.params, (where, code, params)
        nl, en = spec.render(params, "nl"), spec.render(params, "en")
        assert nl and en and nl != en, (where, code)
        assert text == en, (where, text, en)  # the plain sentence for CLI/JSON readers


def test_completeness_reason_is_the_catalogue_sentence(results):
    r = results["pand_only"]
    assert r["completeness"] == "incomplete"
    pct = int(r["indicators"]["runoff_mm"]["reason_params"]["pct"])
    assert r["completeness_reason"] == catalog.reason_text(
        "landcover_incomplete", {"pct": pct, "minimum": 90}, "en"
    )


# -------------------------------------------------------------------- the file itself


def test_catalogue_fields_are_complete():
    for key, ind in INDICATORS.items():
        assert ind.label_nl and ind.label_en and ind.explanation_nl and ind.explanation_en, key
        assert ind.source and ind.method and ind.unit and ind.theme in catalog.THEMES, key
        assert ind.better in ("up", "down", None) and ind.limits[0] < ind.limits[1], key
    # default ambitions (ambitions.yaml) joined in, each with a source in both languages
    with_ambition = {k: i.ambition for k, i in INDICATORS.items() if i.ambition}
    assert with_ambition["canopy_share_pct"].target == 30.0
    assert all(a.source_en and a.source_nl for a in with_ambition.values())


def _write(tmp_path, data, name="indicators.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def raw():
    return yaml.safe_load(catalog.CATALOGUE_PATH.read_text(encoding="utf-8"))


def test_the_packaged_file_loads(tmp_path, raw):
    assert load_catalogue(_write(tmp_path, raw)).indicators.keys() == INDICATORS.keys()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["indicators"]["runoff_mm"].pop("source"), "runoff_mm: missing source"),
        (lambda d: d["indicators"]["pet_mean_c"].pop("label_en"), "pet_mean_c: missing label_en"),
        (
            lambda d: d["indicators"]["storage_mm"].update(explanation_nl=""),
            "storage_mm: missing explanation_nl",
        ),
        (lambda d: d["reasons"]["no_buildings"].pop("nl"), "reason no_buildings: missing nl"),
        (
            lambda d: d["reasons"]["heat_map_covers_only"].update(nl="de hittekaart dekt weinig"),
            "heat_map_covers_only: nl and en take different parameters",
        ),
        (lambda d: d["indicators"]["runoff_mm"].update(direction="sideways"), "direction"),
        (lambda d: d["indicators"].pop("share_water_pct"), "no indicator share_water_pct"),
        (lambda d: d["headline"].append("no_such_indicator"), "headline: unknown"),
    ],
)
def test_loader_refuses_an_incomplete_file(tmp_path, raw, edit, message):
    edit(raw)
    with pytest.raises(CatalogueError, match=re.escape(message)):
        load_catalogue(_write(tmp_path, raw))


def test_loader_refuses_an_ambition_without_dutch_source_or_outside_limits(tmp_path, raw):
    amb = yaml.safe_load(catalog.AMBITIONS_PATH.read_text(encoding="utf-8"))
    amb["ambitions"]["storage_mm"].pop("source_nl")
    amb["ambitions"]["canopy_share_pct"]["target"] = 130
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(_write(tmp_path, raw), _write(tmp_path, amb, "ambitions.yaml"))
    assert "storage_mm: missing source_nl" in str(exc.value)
    assert "canopy_share_pct: target 130 outside limits" in str(exc.value)


def test_an_unknown_code_or_wrong_parameter_fails_at_once():
    with pytest.raises(KeyError):
        catalog.reason("no_such_code")
    with pytest.raises(KeyError):
        catalog.reason("heat_map_covers_only")  # pct missing
    assert catalog.reason("heat_map_covers_only", pct=40).text("nl") == (
        "de hittekaart dekt maar 40% van het terrein"
    )


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        # the four sentences the old regular expressions did not know (issue 15)
        ("no buildings", "no_buildings"),
        ("no land cover inside the park", "no_landcover_inside"),
        ("the heat map has no data inside the park", "heat_map_no_data_inside"),
        ("not available", "not_available"),
        ("the heat map covers only 85% of the park", "heat_map_covers_only"),
        ("no feature within 5000 m", "nothing_within"),
        ("only 1 of its 3 indicators available; a score needs at least 2", None),
    ],
)
def test_sentences_of_stored_results_map_to_codes(sentence, code):
    """Results stored before reason codes: the catalogue's legacy patterns recognise them."""
    found = legacy_reason(sentence)
    assert found is not None
    if code:
        assert found.code == code
    assert found.text("nl") != sentence
