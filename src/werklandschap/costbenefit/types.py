"""The shapes the catalogue and the model share (the interface between them).

A ``Range`` is a low / expected / high value with its source; a value without
a published source carries ``assumption=True`` and is shown as an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Who pays and who gains (issue 18): the default allocation of every cost and
# benefit category over these parties is data (catalogue), editable per plan.
PARTIES = (
    "entrepreneur",  # ondernemer / huurder
    "property_owner",  # vastgoedeigenaar
    "municipality",  # gemeente
    "water_board",  # waterschap
    "employees",  # werknemers
    "society",  # maatschappij
)
UNITS = ("m2", "m", "piece", "kWp")
LOCATIONS = ("own_plot", "public_space", "both")
EFFORTS = ("low", "medium", "high")


@dataclass(frozen=True)
class Range:
    low: float
    expected: float
    high: float
    source: str
    assumption: bool = False  # True: no published source, our own estimate


@dataclass(frozen=True)
class BenefitCategory:
    key: str
    name_nl: str
    name_en: str
    allocation: dict[str, float]  # party -> share, sums to 1
    source: str
    assumption: bool = False  # True: the default allocation is our own estimate


@dataclass(frozen=True)
class Measure:
    key: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str
    unit: str  # one of UNITS
    location: str  # one of LOCATIONS
    effort: str  # one of EFFORTS
    themes: tuple[str, ...]  # theme keys of the scan's indicator catalogue
    investment: Range  # EUR per unit, price year of the catalogue
    maintenance: Range  # EUR per unit per year
    lifetime: Range  # years
    replacement: Range  # share of the investment spent again at the end of each life
    # Effects per unit on the scan's own indicators (keys of data/scan/indicators.yaml
    # or a quantity the scan reports, e.g. "storage_m3", "canopy_m2", "solar_kwp").
    effects: dict[str, Range] = field(default_factory=dict)
    # Benefits in EUR per unit per year, by benefit category key.
    benefits: dict[str, Range] = field(default_factory=dict)
    # Who pays the investment and upkeep by default: party -> share (sums to 1).
    cost_allocation: dict[str, float] = field(default_factory=dict)
    # Why the default cost allocation is what it is (a source, or "[A] ..." reasoning).
    cost_allocation_source: str = ""


@dataclass(frozen=True)
class Catalogue:
    version: str
    price_year: int
    discount_rate: Range  # real social discount rate (expected used by default)
    horizon_years: int
    measures: dict[str, Measure]
    benefit_categories: dict[str, BenefitCategory]
    # Where the horizon comes from and how amounts are priced (shown with the parameters).
    horizon_source: str = ""
    price_basis: str = ""
