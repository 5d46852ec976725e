"""The indicator catalogue: key, unit, theme, Dutch label, direction and method.

One place defines what every indicator means so that results, ambitions, scores
and docs/scan-method.md agree. ``better`` says which direction is an improvement
('up' or 'down'; None for descriptive figures such as a class share).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import config


@dataclass(frozen=True)
class Indicator:
    key: str
    unit: str
    theme: str
    label_nl: str
    method: str
    better: str | None = None


THEMES = (
    "productiviteit",
    "mobiliteit",
    "gezondheid",
    "water",
    "natuurinclusiviteit",
    "circulariteit",
    "energie",
)

_CLASS_THEME = {"built": "productiviteit", "water": "water"}


def _landcover_indicators() -> list[Indicator]:
    classes = config.load("classes")["classes"]
    out = []
    for key, info in classes.items():
        theme = _CLASS_THEME.get(key, "natuurinclusiviteit" if info.get("green") else "water")
        out.append(
            Indicator(
                f"share_{key}_pct",
                "%",
                theme,
                f"Aandeel {info['label_nl'].lower()}",
                f"area of land-cover class '{key}' inside the park / park area x 100 "
                "(exact polygon intersection)",
            )
        )
    out.append(
        Indicator(
            "share_not_covered_pct",
            "%",
            "water",
            "Aandeel zonder landgebruiksvlak",
            "park area not covered by any land-cover feature / park area x 100",
        )
    )
    out.append(
        Indicator(
            "landcover_coverage_pct",
            "%",
            "water",
            "Dekking van de basiskaart (BGT)",
            "park area covered by land-cover features / park area x 100 "
            "(= 100 - share not covered); below the minimum in completeness.yaml the "
            "land-cover indicators are not available",
        )
    )
    return out


def _pet_indicators() -> list[Indicator]:
    out = []
    for cls in config.load("heat")["pet_classes"]["classes"]:
        better = "up" if cls["key"] in {"18_23", "23_29"} else "down"
        out.append(
            Indicator(
                f"pet_share_{cls['key']}_pct",
                "%",
                "productiviteit",
                f"Aandeel oppervlak met {cls['label_nl']}",
                "coverage-weighted share of PET cells in the class",
                better,
            )
        )
    return out


_FIXED = [
    Indicator(
        "green_share_pct",
        "%",
        "natuurinclusiviteit",
        "Aandeel groen",
        "sum of green classes / park area x 100",
        "up",
    ),
    Indicator(
        "green_blue_share_pct",
        "%",
        "water",
        "Aandeel groen en blauw",
        "sum of green and water classes / park area x 100",
        "up",
    ),
    Indicator(
        "impervious_share_pct",
        "%",
        "water",
        "Aandeel verhard (incl. bebouwd en erf)",
        "built + closed + open paving + yard / park area x 100",
        "down",
    ),
    Indicator(
        "canopy_share_pct",
        "%",
        "gezondheid",
        "Aandeel boomkroon (>= 2 m)",
        "coverage-weighted share of cells with canopy height >= 2 m (DSM - DTM, "
        "buildings excluded)",
        "up",
    ),
    Indicator(
        "pet_mean_c",
        "°C",
        "productiviteit",
        "Gemiddelde gevoelstemperatuur (PET)",
        "coverage-weighted mean of the PET raster",
        "down",
    ),
    Indicator(
        "pet_p90_c",
        "°C",
        "productiviteit",
        "Gevoelstemperatuur P90 (PET)",
        "coverage-weighted 90th percentile of the PET raster",
        "down",
    ),
    Indicator(
        "cooling_capacity_mean",
        "index 0-1",
        "productiviteit",
        "Koelcapaciteit (InVEST)",
        "CC = 0.6 shade + 0.2 albedo + 0.2 ETI on a 5 m grid, coverage-weighted mean",
        "up",
    ),
    Indicator(
        "heat_mitigation_mean",
        "index 0-1",
        "productiviteit",
        "Hitte-mitigatie-index (InVEST)",
        "HM = CC, or CC_park near connected green areas >= 2 ha; coverage-weighted mean",
        "up",
    ),
    Indicator(
        "runoff_mm",
        "mm",
        "water",
        "Afstroming bij bui van 70 mm",
        "SCS curve number per class, area-weighted: Q = (P - 0.2S)^2 / (P + 0.8S)",
        "down",
    ),
    Indicator(
        "runoff_m3",
        "m3",
        "water",
        "Afstromend volume bij bui van 70 mm",
        "sum over classes of Q x area / 1000",
        "down",
    ),
    Indicator(
        "retention_pct",
        "%",
        "water",
        "Vasthouden bij bui van 70 mm",
        "(1 - Q/P) x 100, park-wide",
        "up",
    ),
    Indicator(
        "storage_needed_m3",
        "m3",
        "water",
        "Benodigde berging (50 mm norm)",
        "50 mm x sealed area / 1000",
        None,
    ),
    Indicator(
        "storage_present_m3",
        "m3",
        "water",
        "Berging op eigen terrein (wadi's, bassins)",
        "on-plot storage: wadi area x 0.30 m + basin (overig bouwwerk) area x 0.30 m; "
        "open water in public space (BGT waterdeel) not counted",
        "up",
    ),
    Indicator(
        "storage_mm",
        "mm",
        "water",
        "Berging op eigen terrein per m2 verhard",
        "on-plot storage present / sealed area x 1000 (public water not counted), "
        "compared with the 50 mm norm",
        "up",
    ),
    Indicator(
        "storage_gap_m3",
        "m3",
        "water",
        "Bergingstekort t.o.v. 50 mm",
        "max(0, storage needed - on-plot storage present)",
        "down",
    ),
    Indicator(
        "public_water_storage_m3",
        "m3",
        "water",
        "Berging in openbaar water (telt niet mee voor de norm)",
        "open water in public space (BGT waterdeel) inside the park outline x 0.30 m "
        "level rise; not on-plot storage",
        None,
    ),
    Indicator(
        "flood_area_gt10cm_pct",
        "%",
        "water",
        "Aandeel oppervlak met > 10 cm water",
        "coverage-weighted share of flood-depth cells > 0.10 m",
        "down",
    ),
    Indicator(
        "flood_area_gt20cm_pct",
        "%",
        "water",
        "Aandeel oppervlak met > 20 cm water",
        "coverage-weighted share of flood-depth cells > 0.20 m",
        "down",
    ),
    Indicator(
        "flood_buildings_gt10cm_pct",
        "%",
        "water",
        "Aandeel panden met > 10 cm water",
        "buildings whose max depth within 1 m of the footprint > 0.10 m",
        "down",
    ),
    Indicator(
        "flood_buildings_gt20cm_pct",
        "%",
        "water",
        "Aandeel panden met > 20 cm water",
        "buildings whose max depth within 1 m of the footprint > 0.20 m",
        "down",
    ),
    Indicator(
        "green_types_n",
        "aantal",
        "natuurinclusiviteit",
        "Aantal groentypen",
        "number of green classes with >= 1% of the park area",
        "up",
    ),
    Indicator(
        "largest_green_patch_ha",
        "ha",
        "natuurinclusiviteit",
        "Grootste aaneengesloten groengebied",
        "largest connected component of green polygons (gap <= 0.5 m), area in the park",
        "up",
    ),
    Indicator(
        "nature_distance_m",
        "m",
        "natuurinclusiviteit",
        "Afstand tot Natura 2000 / NNN",
        "shortest distance park boundary to nature area",
        None,
    ),
    Indicator(
        "nature_within_500m",
        "ja=1/nee=0",
        "natuurinclusiviteit",
        "Binnen 500 m van Natura 2000 / NNN",
        "nature distance <= 500 m",
        None,
    ),
    Indicator(
        "buildings_near_green_pct",
        "%",
        "gezondheid",
        "Panden binnen 300 m van groen >= 0,5 ha",
        "buildings within 300 m of a connected green area >= 0.5 ha / buildings",
        "up",
    ),
    Indicator(
        "buildings_heat_stress_pct",
        "%",
        "gezondheid",
        "Panden in hittestress",
        "buildings with mean PET >= 35 °C within 5 m of the footprint / buildings",
        "down",
    ),
    Indicator(
        "roof_area_m2",
        "m2",
        "energie",
        "Dakoppervlak",
        "building footprint area inside the park",
        None,
    ),
    Indicator(
        "solar_kwp",
        "kWp",
        "energie",
        "Zonnepotentieel (vermogen)",
        "roof area x 0.60 usable x 0.20 kWp/m2",
        None,
    ),
    Indicator(
        "solar_mwh_yr",
        "MWh/jaar",
        "energie",
        "Zonnepotentieel (opbrengst)",
        "kWp x 875 kWh/kWp/yr / 1000",
        None,
    ),
    Indicator(
        "roofs_with_panels_pct",
        "%",
        "energie",
        "Aandeel dak met zonnepanelen",
        "panel area on roofs / roof area x 100",
        "up",
    ),
    Indicator(
        "parking_area_m2",
        "m2",
        "mobiliteit",
        "Parkeerterrein (verhard)",
        "area of BGT wegdeel with function parkeervlak inside the park",
        "down",
    ),
    Indicator(
        "parking_share_pct",
        "%",
        "mobiliteit",
        "Aandeel parkeerterrein",
        "parking area / park area x 100",
        "down",
    ),
    Indicator(
        "pt_stop_distance_m",
        "m",
        "mobiliteit",
        "Afstand tot ov-halte",
        "shortest distance park boundary to a PT stop (0 when inside)",
        "down",
    ),
]


def _build() -> dict[str, Indicator]:
    out: dict[str, Indicator] = {}
    for ind in [*_landcover_indicators(), *_FIXED, *_pet_indicators()]:
        out[ind.key] = ind
    return out


INDICATORS: dict[str, Indicator] = _build()


def entry(
    key: str,
    value: float | None,
    *,
    source: str,
    reason: str | None = None,
    method: str | None = None,
) -> dict[str, Any]:
    """A result entry for one indicator; None value means 'not available' with a reason."""
    ind = INDICATORS[key]
    ok = value is not None
    return {
        "value": None if value is None else float(value),
        "unit": ind.unit,
        "theme": ind.theme,
        "label_nl": ind.label_nl,
        "status": "ok" if ok else "not_available",
        "reason": None if ok else (reason or "not available"),
        "source": source,
        "method": method or ind.method,
    }


def not_available(keys: list[str], reason: str, source: str = "") -> dict[str, dict]:
    return {k: entry(k, None, source=source, reason=reason) for k in keys}
