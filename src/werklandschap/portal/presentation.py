"""How scan figures are shown to a park manager: Dutch words, units, numbers, colours.

The engine's catalogue (``scanengine.catalog``) defines each indicator with a
Dutch label and an English method formula. A park manager needs one plain
Dutch sentence on what the number means, and a Dutch reason when a figure is
missing; both are here, next to the number formatting that the dashboard, the
PDF and the downloads share, so the three always show the same figure.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werklandschap.scanengine import config as engine_config
from werklandschap.scanengine.catalog import INDICATORS, THEMES

THEME_LABELS = {
    "productiviteit": gettext_lazy("Productiviteit en hitte"),
    "mobiliteit": gettext_lazy("Mobiliteit"),
    "gezondheid": gettext_lazy("Gezondheid"),
    "water": gettext_lazy("Water en klimaatadaptatie"),
    "natuurinclusiviteit": gettext_lazy("Natuurinclusiviteit"),
    "circulariteit": gettext_lazy("Circulariteit"),
    "energie": gettext_lazy("Energie"),
}

# Indicators the public summary and the comparison show: few, understandable, and
# each about one of the programme's promises (green, shade, water, heat, health).
HEADLINE_INDICATORS = (
    "green_share_pct",
    "canopy_share_pct",
    "impervious_share_pct",
    "storage_mm",
    "pet_mean_c",
    "buildings_near_green_pct",
)

# Land-cover class colours, shared by the web map, the static map and the charts.
# Chosen to read as what they are (grey paving, green growth, blue water) and to
# stay distinguishable for the common colour-vision deficiencies (no red/green pair
# carries meaning on its own; the legend names every class).
CLASS_COLOURS = {
    "built": "#5b5b66",
    "paved_closed": "#9a9aa3",
    "paved_open": "#c3c0b6",
    "paved_semi": "#d9cfb2",
    "unpaved": "#e6d5a8",
    "yard": "#d4c8c0",
    "green_grass": "#a6d96a",
    "green_shrubs": "#66bd63",
    "green_trees": "#1a7f3c",
    "green_agri": "#d9ef8b",
    "green_nature": "#7fa35b",
    "green_other": "#b8dfa0",
    "green_wadi": "#5fb3a1",
    "water": "#3a8fd1",
    "other": "#e0e0e0",
}

# One sentence per indicator: what it says about the park, in plain Dutch.
_EXPLANATIONS = {
    "share_not_covered_pct": gettext_lazy(
        "Deel van het terrein waar de basiskaart (BGT) geen vlak heeft; hoort klein te zijn."
    ),
    "green_share_pct": gettext_lazy(
        "Deel van het terrein met begroeiing (gras, struiken, bomen, natuur, wadi's) "
        "volgens de basiskaart."
    ),
    "green_blue_share_pct": gettext_lazy(
        "Groen en open water samen: de ruimte die verkoelt, water vasthoudt en leven herbergt."
    ),
    "impervious_share_pct": gettext_lazy(
        "Deel dat bebouwd of verhard is; daar kan regenwater niet de bodem in."
    ),
    "canopy_share_pct": gettext_lazy(
        "Deel van het terrein onder boomkronen van minstens 2 meter hoog, "
        "gemeten uit het hoogtebestand (AHN)."
    ),
    "pet_mean_c": gettext_lazy(
        "Gemiddelde gevoelstemperatuur op een hete zomerdag volgens de hittekaart."
    ),
    "pet_p90_c": gettext_lazy(
        "De gevoelstemperatuur die op de heetste tiende van het terrein wordt bereikt."
    ),
    "cooling_capacity_mean": gettext_lazy(
        "Hoe goed schaduw, lichte oppervlakken en verdamping het terrein koelen "
        "(0 = niet, 1 = volledig), volgens het InVEST-model."
    ),
    "heat_mitigation_mean": gettext_lazy(
        "Koelcapaciteit inclusief de verkoeling door grote groengebieden in de buurt "
        "(0 = niet, 1 = volledig)."
    ),
    "runoff_mm": gettext_lazy(
        "Hoeveel van een zware bui van 70 mm in een uur gemiddeld over het terrein afstroomt."
    ),
    "runoff_m3": gettext_lazy(
        "Het volume regenwater dat bij een bui van 70 mm van het terrein afstroomt."
    ),
    "retention_pct": gettext_lazy(
        "Deel van een bui van 70 mm dat het terrein zelf vasthoudt in bodem en groen."
    ),
    "storage_needed_m3": gettext_lazy(
        "Waterberging die nodig is om 50 mm regen op het verharde oppervlak op te vangen."
    ),
    "storage_present_m3": gettext_lazy(
        "Berging op eigen terrein: wadi's en bassins (30 cm peilstijging). Openbaar water "
        "zoals grachten en sloten binnen de terreingrens telt niet mee."
    ),
    "storage_mm": gettext_lazy(
        "Berging op eigen terrein uitgedrukt in millimeter regen op het verharde oppervlak; "
        "de norm is 50 mm. Openbaar water telt niet mee."
    ),
    "public_water_storage_m3": gettext_lazy(
        "Berging in openbaar water (grachten, sloten, vijvers van de BGT) binnen de "
        "terreingrens. Dit water hoort bij het watersysteem en telt niet mee voor de "
        "norm van 50 mm op eigen terrein."
    ),
    "landcover_coverage_pct": gettext_lazy(
        "Deel van het terrein waarvoor de basiskaart (BGT) gegevens heeft. Bij minder dan "
        "%(min)s%% zijn de cijfers die op de basiskaart rusten niet beschikbaar."
    ),
    "storage_gap_m3": gettext_lazy("Hoeveel berging er nog ontbreekt om de 50 mm-norm te halen."),
    "flood_area_gt10cm_pct": gettext_lazy(
        "Deel van het terrein waar na de maatgevende bui meer dan 10 cm water staat."
    ),
    "flood_area_gt20cm_pct": gettext_lazy(
        "Deel van het terrein waar na de maatgevende bui meer dan 20 cm water staat."
    ),
    "flood_buildings_gt10cm_pct": gettext_lazy(
        "Deel van de panden met meer dan 10 cm water direct naast de gevel."
    ),
    "flood_buildings_gt20cm_pct": gettext_lazy(
        "Deel van de panden met meer dan 20 cm water direct naast de gevel."
    ),
    "green_types_n": gettext_lazy(
        "Aantal verschillende soorten groen (gras, struiken, bomen, ...) met minstens 1% "
        "van het terrein; meer variatie is beter voor planten en dieren."
    ),
    "largest_green_patch_ha": gettext_lazy(
        "Oppervlakte van het grootste aaneengesloten groengebied op het terrein."
    ),
    "nature_distance_m": gettext_lazy(
        "Kortste afstand van de terreingrens tot een Natura 2000- of NNN-gebied."
    ),
    "nature_within_500m": gettext_lazy(
        "Of er binnen 500 m een Natura 2000- of NNN-gebied ligt (extra zorg en kansen)."
    ),
    "buildings_near_green_pct": gettext_lazy(
        "Deel van de panden binnen 300 m van een groengebied van minstens 0,5 ha "
        "(de '300' van de 3-30-300-regel)."
    ),
    "buildings_heat_stress_pct": gettext_lazy(
        "Deel van de panden waar het rond het gebouw op een hete dag 35 °C PET of meer is."
    ),
    "roof_area_m2": gettext_lazy("Dakoppervlak van de panden op het terrein."),
    "solar_kwp": gettext_lazy(
        "Vermogen aan zonnepanelen dat op de daken past (60% bruikbaar dak, 0,2 kWp per m²)."
    ),
    "solar_mwh_yr": gettext_lazy(
        "Stroom die die zonnepanelen per jaar kunnen opwekken (875 kWh per kWp)."
    ),
    "roofs_with_panels_pct": gettext_lazy("Deel van het dakoppervlak dat al zonnepanelen heeft."),
    "parking_area_m2": gettext_lazy("Verhard parkeerterrein op maaiveld."),
    "parking_share_pct": gettext_lazy("Deel van het terrein dat parkeerterrein op maaiveld is."),
    "pt_stop_distance_m": gettext_lazy(
        "Kortste afstand van de terreingrens tot een bus-, tram- of treinhalte."
    ),
}

# Why the programme proposes each default target, in Dutch (ambitions.yaml holds the
# English source notes; this is what a park manager reads next to the number).
_AMBITION_SOURCES = {
    "canopy_share_pct": gettext_lazy("3-30-300-regel (Konijnendijk 2021): 30% boomkroon"),
    "storage_mm": gettext_lazy("bouwadaptief.nl: 50 mm waterberging op eigen terrein"),
    "buildings_near_green_pct": gettext_lazy("3-30-300-regel: groen binnen 300 m van elk gebouw"),
    "green_share_pct": gettext_lazy(
        "keuze van het programma: ruim boven de ~1% groen van bedrijventerreinen nu"
    ),
    "retention_pct": gettext_lazy(
        "keuze van het programma: minstens de helft van de maatgevende bui vasthouden"
    ),
    "flood_area_gt10cm_pct": gettext_lazy(
        "keuze van het programma: nergens meer dan 10 cm water na de maatgevende bui"
    ),
    "buildings_heat_stress_pct": gettext_lazy(
        "keuze van het programma: geen pand in sterke hittestress"
    ),
    "roofs_with_panels_pct": gettext_lazy(
        "keuze van het programma: het bruikbare dakdeel (60%) vol zonnepanelen"
    ),
    "parking_share_pct": gettext_lazy("visie 3.2: minder parkeren op maaiveld"),
}


def ambition_source(key: str, fallback: str = "") -> str:
    text = _AMBITION_SOURCES.get(key)
    return str(text) if text is not None else fallback


# Known engine reasons for a missing figure -> Dutch. Patterns, because some carry a number.
_REASONS = [
    (
        r"^no land-cover layer \(BGT\)",
        gettext_lazy("geen landgebruikskaart (BGT) in de databundel"),
    ),
    (
        r"^no land-cover layer with a parking function",
        gettext_lazy("de landgebruikskaart onderscheidt geen parkeerterrein"),
    ),
    (
        r"^no elevation layer",
        gettext_lazy("geen hoogtebestand (AHN) of boomkroonkaart in de databundel"),
    ),
    (
        r"^the (DSM|DTM) raster does not cover",
        gettext_lazy("het hoogtebestand dekt het terrein niet"),
    ),
    (r"^the canopy raster does not cover", gettext_lazy("de boomkroonkaart dekt het terrein niet")),
    (
        r"^the elevation raster covers only (\S+)",
        gettext_lazy("het hoogtebestand dekt maar %(0)s van het terrein"),
    ),
    (r"^no heat map", gettext_lazy("geen hittekaart (PET) in de databundel")),
    (
        r"^the heat map covers only (\S+)",
        gettext_lazy("de hittekaart dekt maar %(0)s van het terrein"),
    ),
    (
        r"^the heat map has no data around",
        gettext_lazy("de hittekaart heeft geen waarden rond de panden"),
    ),
    (r"^no flood-depth raster", gettext_lazy("geen wateroverlastkaart in de databundel")),
    (
        r"^the flood raster covers only (\S+)",
        gettext_lazy("de wateroverlastkaart dekt maar %(0)s van het terrein"),
    ),
    (r"^no building layer", gettext_lazy("geen pandenkaart (BAG of BGT) in de databundel")),
    (r"^no buildings in the park", gettext_lazy("er staan geen panden op het terrein")),
    (r"^no Natura 2000", gettext_lazy("geen kaart van Natura 2000 / NNN in de databundel")),
    (r"^no solar-panel layer", gettext_lazy("geen kaart van zonnepanelen in de databundel")),
    (r"^no roof area", gettext_lazy("er is geen dakoppervlak op het terrein")),
    (r"^no public-transport stop layer", gettext_lazy("geen kaart van ov-haltes in de databundel")),
    (
        r"^no sealed surface",
        gettext_lazy("er is geen verhard oppervlak, dus de bergingsnorm geldt niet"),
    ),
    (r"^no land-cover / building layer", gettext_lazy("geen landgebruiks- of pandenkaart")),
    (
        r"^the park lies outside the extent of every 'pt_stops' layer",
        gettext_lazy("de kaart van ov-haltes dekt de omgeving van het terrein niet"),
    ),
    (
        r"^the park lies outside the extent of every 'nature' layer",
        gettext_lazy("de kaart van Natura 2000 / NNN dekt de omgeving van het terrein niet"),
    ),
    (
        r"^the park lies outside the extent of every",
        gettext_lazy("de kaartlaag dekt de omgeving van het terrein niet"),
    ),
    (r"^no feature within (\S+) m", gettext_lazy("niets gevonden binnen %(0)s m")),
    (r"^not scanned", gettext_lazy("nog niet gemeten")),
    (
        r"^data covers only (\S+) of the park",
        gettext_lazy("de gegevens dekken maar %(0)s van het terrein"),
    ),
    (
        r"^only (\d+) of its (\d+) indicators available; a score needs at least (\d+)",
        gettext_lazy(
            "maar %(0)s van de %(1)s indicatoren beschikbaar; een score vraagt er minstens %(2)s"
        ),
    ),
    (
        r"^no indicator of this theme",
        gettext_lazy("voor dit thema is uit de kaartgegevens nog geen indicator af te leiden"),
    ),
]

# Decimals per unit: enough to see change between scans, not more than the data carry.
_DECIMALS = {
    "%": 1,
    "°C": 1,
    "mm": 1,
    "m3": 0,
    "m2": 0,
    "m": 0,
    "ha": 2,
    "index 0-1": 2,
    "aantal": 0,
    "kWp": 0,
    "MWh/jaar": 0,
}
_UNIT_DISPLAY = {"m2": "m²", "m3": "m³", "index 0-1": "", "aantal": "", "ja=1/nee=0": ""}


def _class_explanation(key: str) -> str | None:
    if key.startswith("share_") and key.endswith("_pct") and key != "share_not_covered_pct":
        ind = INDICATORS.get(key)
        if ind is None:
            return None
        label = ind.label_nl.removeprefix("Aandeel ").strip()
        return _("Deel van het terrein dat volgens de basiskaart (BGT) %(class)s is.") % {
            "class": label
        }
    if key.startswith("pet_share_"):
        ind = INDICATORS.get(key)
        label = ind.label_nl.removeprefix("Aandeel oppervlak met ") if ind else key
        return _("Deel van het terrein met %(class)s op een hete dag.") % {"class": label}
    return None


def explanation(key: str, method: str | None = None) -> str:
    """One Dutch sentence on what the indicator says; the engine's method as fallback."""
    text = _EXPLANATIONS.get(key)
    if key == "landcover_coverage_pct":
        return str(text) % {"min": number(min_coverage_pct(), 0)}
    if text is not None:
        return str(text)
    derived = _class_explanation(key)
    if derived:
        return derived
    return method or ""


def min_coverage_pct() -> float:
    """The land-cover coverage below which a scan is incomplete (completeness.yaml)."""
    return float(engine_config.value("completeness", "landcover", "min_coverage_pct"))


def reason_nl(reason: str | None) -> str:
    """The engine's reason for a missing figure, in Dutch where we know the wording."""
    if not reason:
        return _("geen reden opgegeven")
    for pattern, text in _REASONS:
        match = re.match(pattern, reason)
        if match:
            groups = match.groups()
            return str(text) % {str(i): g for i, g in enumerate(groups)} if groups else str(text)
    return reason


_PROVENANCE = re.compile(r"^(?P<name>.+?)\s*\((?P<date>[^()]*)\)$")


def short_source(source: str | None) -> str:
    """A source list as a reader takes it in: the BGT layers as one entry.

    The engine names every layer it read ("BGT pand (2025-01-01); BGT wegdeel
    (2025-01-01); ..."). On a card that is a paragraph; "BGT (5 lagen,
    2025-01-01)" says the same to a park manager. The full text stays in the
    downloads and the report's source list.
    """
    if not source:
        return ""
    groups: dict[str, list[str]] = {}
    order: list[str] = []
    for part in [p.strip() for p in source.split(";") if p.strip()]:
        m = _PROVENANCE.match(part)
        name, date = (m.group("name"), m.group("date")) if m else (part, "")
        key = name
        if "BGT" in name.split():
            key = name[: name.index("BGT") + 3]
        label = f"{key}|{date}"
        if label not in groups:
            groups[label] = []
            order.append(label)
        groups[label].append(name)
    out = []
    for label in order:
        key, date = label.split("|", 1)
        n = len(groups[label])
        if n > 1:
            text = _("%(name)s (%(n)s lagen, %(date)s)") % {"name": key, "n": n, "date": date}
        else:
            text = f"{groups[label][0]} ({date})" if date else groups[label][0]
        out.append(text)
    return "; ".join(out)


def decimals(unit: str | None) -> int:
    return _DECIMALS.get(unit or "", 1)


def unit_display(unit: str | None) -> str:
    """The unit as a reader writes it (m² rather than m2; nothing for an index)."""
    if unit is None:
        return ""
    return _UNIT_DISPLAY.get(unit, unit)


def number(value: float | None, places: int = 1) -> str:
    """A number in Dutch notation: 1.234,5 (thousands dot, decimal comma)."""
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return "–"
    # Half up, like Django's floatformat in the templates, so a chart and a card
    # never show 42 and 43 for the same 42.5.
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0,0"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def value_text(value: float | None, unit: str | None) -> str:
    """An indicator value as the dashboard, PDF and CSV show it, without the unit."""
    if value is None:
        return "–"
    if unit == "ja=1/nee=0":
        return _("ja") if float(value) >= 0.5 else _("nee")
    return number(value, decimals(unit))


def with_unit(value: float | None, unit: str | None) -> str:
    text = value_text(value, unit)
    shown = unit_display(unit)
    if value is None or not shown:
        return text
    return f"{text}\u00a0{shown}"


def gap_text(gap: float | None, unit: str | None) -> str:
    """A step to take: '%'-indicators in percentage points, others in their unit."""
    if gap is None:
        return "–"
    if unit == "%":
        return f"{number(gap, 1)}\u00a0" + _("procentpunt")
    return with_unit(gap, unit)


def theme_label(theme: str) -> str:
    return str(THEME_LABELS.get(theme, theme))


def themes() -> tuple[str, ...]:
    return THEMES


def class_labels() -> dict[str, str]:
    """Scan class key -> Dutch label, in the mapping's order."""
    classes = engine_config.load("classes")["classes"]
    return {k: str(v.get("label_nl", k)) for k, v in classes.items()}


def score_band(score: float | None) -> str:
    """A word for a theme score, so a colour is never the only carrier of meaning."""
    if score is None:
        return _("onbekend")
    if score >= 75:
        return _("goed")
    if score >= 50:
        return _("redelijk")
    if score >= 25:
        return _("matig")
    return _("zwak")
