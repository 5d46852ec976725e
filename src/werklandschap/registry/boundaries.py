"""Province and municipality boundaries from the CBS area-divisions GeoPackage.

CBS publishes its "Gebiedsindelingen" yearly through PDOK as one GeoPackage
with a layer per division. We read three of them: the generalised province
and municipality polygons (fields ``statcode``/``statnaam``) and the
``gebiedsindelingen_register`` table that tells which province each
municipality lies in. Names, regions and organisations come from the
reference data (``load_reference``); this module only adds geometry, and
creates a province or municipality the reference data does not know yet, so
that it works in either order.

With boundaries in place a park's municipality, province and region follow
from its geometry (``services.assign_areas``), so loading new boundaries ends
by re-deriving every park's areas.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pyogrio
import shapely
from django.db import IntegrityError, transaction
from pyogrio.errors import DataLayerError, DataSourceError, FieldError
from shapely.geometry.base import BaseGeometry

from werklandschap.lib.geo import RD_NEW, GeometryError, clean_polygon, reproject

from .models import Municipality, Province
from .services import reassign_all_parks

logger = logging.getLogger(__name__)

DEFAULT_BOUNDARIES_PATH = (
    Path(__file__).resolve().parent.parent / "data" / "boundaries" / "cbsgebiedsindelingen2023.gpkg"
)

PROVINCE_LAYER = "provincie_gegeneraliseerd"
MUNICIPALITY_LAYER = "gemeente_gegeneraliseerd"
REGISTER_LAYER = "gebiedsindelingen_register"
AREA_FIELDS = ("statcode", "statnaam")
REGISTER_FIELDS = ("gm_code", "pv_code")


class BoundaryError(Exception):
    """The boundaries file cannot be used; the message (Dutch) says what to fix."""


@dataclass(frozen=True)
class Area:
    """One province or municipality as read from the file, already in RD New."""

    code: str
    name: str
    geometry: BaseGeometry


@dataclass
class BoundaryReport:
    """What :func:`load_boundaries` did, for the command's summary and for tests."""

    path: str
    crs: str
    provinces_created: int = 0
    provinces_updated: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0
    # Municipalities in the database but not in the file (merged away in a
    # newer division): their old outline is cleared so it cannot win a park.
    municipalities_cleared: list[str] = field(default_factory=list)
    municipalities_without_region: int = 0
    municipalities_without_province: int = 0
    parks_reassigned: int = 0
    repaired: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        """The operator's summary, in Dutch."""
        lines = [
            f"Grenzen geladen uit {self.path} ({self.crs}).",
            f"Provincies: {self.provinces_created} nieuw, {self.provinces_updated} bijgewerkt.",
            f"Gemeenten: {self.municipalities_created} nieuw, "
            f"{self.municipalities_updated} bijgewerkt.",
            f"Terreinen opnieuw ingedeeld: {self.parks_reassigned}.",
        ]
        if self.repaired:
            lines.append(f"Geometrie hersteld (klein): {', '.join(self.repaired)}.")
        if self.municipalities_cleared:
            lines.append(
                "Gemeenten niet in dit bestand, grens verwijderd: "
                f"{', '.join(self.municipalities_cleared)}."
            )
        if self.municipalities_without_province:
            lines.append(
                f"Let op: {self.municipalities_without_province} gemeenten zonder provincie."
            )
        if self.municipalities_without_region:
            lines.append(
                f"Let op: {self.municipalities_without_region} gemeenten hebben nog geen regio; "
                "draai 'werklandschap load-reference' om ze aan hun RES-regio te koppelen."
            )
        return lines


def _open_layers(path: Path) -> set[str]:
    """Layer names of the file, or a :class:`BoundaryError` if it is no readable dataset."""
    if not path.is_file():
        raise BoundaryError(f"Bestand niet gevonden: {path}")
    try:
        return {name for name, _geometry_type in pyogrio.list_layers(path)}
    except (DataSourceError, DataLayerError, OSError) as exc:
        raise BoundaryError(f"{path} is geen leesbaar GeoPackage: {exc}") from exc


def _read_layer(
    path: Path, layer: str, fields: tuple[str, ...], layers: set[str], *, geometry: bool
) -> tuple[str | None, list[dict[str, str]], list[BaseGeometry | None]]:
    """Read ``fields`` (and the geometry) of one layer, checking it has what we need.

    Field names are matched case-insensitively because some GIS tools upper-case
    them on export; the returned rows use the names as asked.
    """
    if layer not in layers:
        raise BoundaryError(
            f"{path}: laag '{layer}' ontbreekt (gevonden: {', '.join(sorted(layers)) or 'geen'}). "
            "Verwacht wordt het CBS-bestand 'cbsgebiedsindelingen' zoals PDOK het publiceert."
        )
    try:
        info = pyogrio.read_info(path, layer=layer)
        by_lower = {str(name).lower(): str(name) for name in info["fields"]}
        missing = [name for name in fields if name.lower() not in by_lower]
        if missing:
            raise BoundaryError(
                f"{path}: laag '{layer}' mist veld(en) {', '.join(missing)} "
                f"(gevonden: {', '.join(by_lower.values())})."
            )
        columns = [by_lower[name.lower()] for name in fields]
        meta, _fids, wkb, data = pyogrio.raw.read(
            path, layer=layer, columns=columns, read_geometry=geometry
        )
    except (DataSourceError, DataLayerError, FieldError) as exc:
        raise BoundaryError(f"{path}: laag '{layer}' niet leesbaar: {exc}") from exc
    by_name = dict(zip(meta["fields"], data, strict=True))
    rows = [
        {
            name: ("" if by_name[col][i] is None else str(by_name[col][i]).strip())
            for name, col in zip(fields, columns, strict=True)
        }
        for i in range(len(data[0]) if data else 0)
    ]
    geometries: list[BaseGeometry | None] = (
        list(shapely.from_wkb(wkb)) if geometry and wkb is not None else [None] * len(rows)
    )
    return meta.get("crs"), rows, geometries


def _read_areas(
    path: Path, layer: str, layers: set[str], report: BoundaryReport
) -> tuple[str, list[Area]]:
    """Read a polygon layer as :class:`Area` objects in RD New, validated."""
    crs, rows, geometries = _read_layer(path, layer, AREA_FIELDS, layers, geometry=True)
    if not crs:
        raise BoundaryError(f"{path}: laag '{layer}' heeft geen coördinatenstelsel.")
    areas: list[Area] = []
    seen: set[str] = set()
    for row, geom in zip(rows, geometries, strict=True):
        code = row["statcode"].upper()
        if not code:
            raise BoundaryError(f"{path}: laag '{layer}' heeft een rij zonder statcode.")
        if code in seen:
            raise BoundaryError(f"{path}: laag '{layer}' bevat {code} twee keer.")
        seen.add(code)
        try:
            cleaned = clean_polygon(reproject(geom, crs, RD_NEW) if geom is not None else None)
        except GeometryError as exc:
            # A wrong boundary silently misassigns every park in it: refuse.
            raise BoundaryError(f"{path}: {code} {row['statnaam']}: {exc}") from exc
        if cleaned.repaired:
            report.repaired.append(code)
        areas.append(Area(code=code, name=row["statnaam"] or code, geometry=cleaned.geometry))
    if not areas:
        raise BoundaryError(f"{path}: laag '{layer}' is leeg.")
    return crs, areas


def _province_of_municipality(path: Path, layers: set[str]) -> dict[str, str]:
    """Municipality code -> province code from the register table."""
    _crs, rows, _geoms = _read_layer(path, REGISTER_LAYER, REGISTER_FIELDS, layers, geometry=False)
    return {
        row["gm_code"].upper(): row["pv_code"].upper()
        for row in rows
        if row["gm_code"] and row["pv_code"]
    }


def read_boundaries(
    path: Path,
) -> tuple[str, list[Area], list[Area], dict[str, str], BoundaryReport]:
    """Read and check everything before the database is touched (all or nothing)."""
    path = Path(path)
    layers = _open_layers(path)
    report = BoundaryReport(path=str(path), crs="")
    crs, provinces = _read_areas(path, PROVINCE_LAYER, layers, report)
    _crs, municipalities = _read_areas(path, MUNICIPALITY_LAYER, layers, report)
    register = _province_of_municipality(path, layers)
    report.crs = crs
    return crs, provinces, municipalities, register, report


def load_boundaries(path: Path | str = DEFAULT_BOUNDARIES_PATH) -> BoundaryReport:
    """Upsert province and municipality geometry from a CBS GeoPackage, in one transaction.

    Existing rows are matched by CBS code and keep their names, organisation and
    region (those are reference data); missing ones are created with the name
    from the file and the province from the register, and get their region
    when ``load_reference`` runs. Finally every park's areas are re-derived.
    """
    _crs, provinces, municipalities, register, report = read_boundaries(Path(path))
    try:
        with transaction.atomic():
            _write(provinces, municipalities, register, report)
    except IntegrityError as exc:
        # E.g. a new province code whose name another code already uses.
        raise BoundaryError(f"Grenzen passen niet bij de gegevens in de database: {exc}") from exc
    logger.info(
        "boundaries loaded from %s: %d provinces, %d municipalities, %d parks reassigned",
        path,
        len(provinces),
        len(municipalities),
        report.parks_reassigned,
    )
    return report


def _write(
    provinces: list[Area],
    municipalities: list[Area],
    register: dict[str, str],
    report: BoundaryReport,
) -> None:
    by_code = {p.code: p for p in Province.objects.all()}
    for area in provinces:
        province = by_code.get(area.code)
        if province is None:
            province = Province(code=area.code, name=area.name)
            report.provinces_created += 1
        else:
            report.provinces_updated += 1
        province.geometry = area.geometry
        province.save()
        by_code[area.code] = province

    existing = {m.code: m for m in Municipality.objects.all()}
    for area in municipalities:
        province = by_code.get(register.get(area.code, ""))
        municipality = existing.get(area.code)
        if municipality is None:
            municipality = Municipality(code=area.code, name=area.name)
            report.municipalities_created += 1
        else:
            report.municipalities_updated += 1
        municipality.geometry = area.geometry
        if province is not None:
            # The register is CBS's own statement of which province a
            # municipality lies in; it is authoritative for that year.
            municipality.province = province
        municipality.save()

    loaded = {area.code for area in municipalities}
    for code, municipality in sorted(existing.items()):
        if code not in loaded and municipality.geometry is not None:
            municipality.geometry = None
            municipality.save()
            report.municipalities_cleared.append(f"{code} {municipality.name}")

    report.municipalities_without_region = Municipality.objects.filter(
        code__in=loaded, region=None
    ).count()
    report.municipalities_without_province = Municipality.objects.filter(
        code__in=loaded, province=None
    ).count()
    report.parks_reassigned = reassign_all_parks()
