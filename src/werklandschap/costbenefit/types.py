"""The shapes the catalogue and the model share (the interface between them).

A ``Range`` is a low / expected / high value with its source; a value without
a published source carries ``assumption=True`` and is shown as an assumption.

Every source text comes in English (``source``, the name the open API has always
used) and Dutch (``source_nl``); this package stays free of Django, so it keeps
both and the pages pick one with ``in_language`` and the active language.
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


def in_language(language: str | None, nl: str, en: str) -> str:
    """``en`` for an English language code, else ``nl`` (Dutch is the first language).

    When the chosen text is empty (a shape built in code or a test with one text
    only), the other one is returned rather than nothing; the loader itself refuses
    a catalogue with a missing text.
    """
    english = (language or "").lower().startswith("en")
    first, other = (en, nl) if english else (nl, en)
    return first or other


@dataclass(frozen=True)
class Range:
    low: float
    expected: float
    high: float
    source: str  # English
    assumption: bool = False  # True: no published source, our own estimate
    source_nl: str = ""  # the same source text in Dutch

    def source_in(self, language: str | None) -> str:
        return in_language(language, self.source_nl, self.source)


@dataclass(frozen=True)
class BenefitCategory:
    key: str
    name_nl: str
    name_en: str
    allocation: dict[str, float]  # party -> share, sums to 1
    source: str  # English
    assumption: bool = False  # True: the default allocation is our own estimate
    source_nl: str = ""  # the same source text in Dutch

    def source_in(self, language: str | None) -> str:
        return in_language(language, self.source_nl, self.source)


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
    # Why the default cost allocation is what it is (a source, or "[A] ..." reasoning),
    # in English and in Dutch.
    cost_allocation_source: str = ""
    cost_allocation_source_nl: str = ""

    def cost_allocation_source_in(self, language: str | None) -> str:
        return in_language(language, self.cost_allocation_source_nl, self.cost_allocation_source)


@dataclass(frozen=True)
class Catalogue:
    version: str
    price_year: int
    discount_rate: Range  # real social discount rate (expected used by default)
    horizon_years: int
    measures: dict[str, Measure]
    benefit_categories: dict[str, BenefitCategory]
    # Where the horizon comes from and how amounts are priced (shown with the parameters),
    # in English and in Dutch.
    horizon_source: str = ""
    price_basis: str = ""
    horizon_source_nl: str = ""
    price_basis_nl: str = ""

    def horizon_source_in(self, language: str | None) -> str:
        return in_language(language, self.horizon_source_nl, self.horizon_source)

    def price_basis_in(self, language: str | None) -> str:
        return in_language(language, self.price_basis_nl, self.price_basis)
