"""Downloads of a park's scan: indicators as CSV and XLSX, outline and land cover as
GeoJSON and GeoPackage.

The files carry the stored values unrounded (the engine rounds to 6 decimals),
so a park's consultant computes with the same numbers the dashboard shows
rounded. Every file says which scan, data bundle and engine version it is from.

A file is written in the language of the page it was downloaded from (the link
carries the page's language prefix; Dutch by default): headers, sheet names,
labels, reasons, the method column (the catalogue's Dutch or English formula) and,
in the CSV, the separators a spreadsheet of that language expects. Keys, unit
codes and GIS field names stay the same in every language, so scripts read both.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from shapely.geometry import mapping

from werklandschap.lib.geo import RD_NEW, WGS84, reproject
from werklandschap.lib.numbers import decimal_separator
from werklandschap.lib.spreadsheet import formula_safe, neutralise_formulas
from werklandschap.registry.models import Park
from werklandschap.scanengine.catalog import INDICATORS
from werklandschap.scanengine.extract import LandCoverExtract
from werklandschap.scans.models import ParkScan

from . import presentation as fmt
from .ambitions import ambition_rows
from .indicator_views import all_indicators, data_coverage, score_basis_text

# Text cells never become formulas (CSV/XLSX injection): one rule for both formats.
_safe = formula_safe


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal: str
    hint: str  # how the download link describes the file


def csv_dialect() -> CsvDialect:
    """The CSV a spreadsheet in the active language opens as numbers.

    Dutch Excel splits on ';' and reads a decimal comma; English Excel splits on ','
    and reads a decimal point. The separator follows the language's number format.
    """
    if decimal_separator() == ",":
        return CsvDialect(";", ",", _("puntkomma-gescheiden, decimale komma"))
    return CsvDialect(",", ".", _("kommagescheiden, decimale punt"))


def _csv_number(value: float | None, decimal: str = ",") -> str:
    """Full stored precision with the file's decimal sign (a spreadsheet reads a number)."""
    if value is None:
        return ""
    return repr(float(value)).replace(".", decimal)


# Methods the engine words per scan (which elevation layer it had, the solar
# parameters, the nature distance), in Dutch: (English pattern, Dutch text).
_METHOD_VARIANTS_NL = [
    (
        r"canopy height >= 2 m from the canopy layer",
        "boomkroonhoogte >= 2 m uit de boomkroonlaag",
    ),
    (
        r"canopy height = DSM - DTM >= 2 m, building footprints \(\+0\.5 m\) excluded",
        "boomkroonhoogte = DSM - DTM >= 2 m, gebouwen (+0,5 m) uitgezonderd",
    ),
    (
        r"DSM only \(no DTM\): .*",
        "alleen DSM (geen DTM): hoogte boven een geschat maaiveld (grey opening over 30 m) "
        ">= 2 m, gebouwen en cellen zonder waarde (water) uitgezonderd; kan auto's en muren "
        "meetellen",
    ),
    (
        r"roof area x ([\d.]+) usable x ([\d.]+) kWp/m2 x ([\d.]+) kWh/kWp/yr / 1000",
        "dakoppervlak x {0} bruikbaar x {1} kWp/m2 x {2} kWh/kWp/jaar / 1000",
    ),
    (
        r"roof area x ([\d.]+) usable x ([\d.]+) kWp/m2",
        "dakoppervlak x {0} bruikbaar x {1} kWp/m2",
    ),
    (r"nature distance <= ([\d.]+) m", "afstand tot natuur <= {0} m"),
    (
        r"SCS curve number \(TR-55\), soil group (\w+), P = ([\d.]+) mm",
        "SCS-curvenummer (TR-55), bodemgroep {0}, P = {1} mm",
    ),
]


def method_text(key: str, stored: str) -> str:
    """The method in the file's language.

    English: as the scan stored it. Dutch: the catalogue's ``method_nl`` when the scan
    used the catalogue's method, the Dutch wording of a method the engine words per
    scan (``_METHOD_VARIANTS_NL``, its figures with a decimal comma), else as stored.
    """
    ind = INDICATORS.get(key)
    if fmt.lang() != "nl" or ind is None:
        return stored
    if not stored or stored == ind.method:
        return ind.method_text("nl")
    for pattern, dutch in _METHOD_VARIANTS_NL:
        m = re.fullmatch(pattern, stored)
        if m:
            return dutch.format(*(g.replace(".", ",") for g in m.groups()))
    return stored


def filename(park: Park, suffix: str) -> str:
    return f"nulmeting-{park.slug}.{suffix}"


def indicator_columns() -> list[str]:
    return [
        _("indicator"),
        _("omschrijving"),
        _("thema"),
        _("waarde"),
        _("eenheid"),
        _("status"),
        _("reden niet beschikbaar"),
        _("bron"),
        _("methode"),
    ]


def _rows(scan: ParkScan) -> list[list[Any]]:
    rows = []
    for v in all_indicators(scan):
        rows.append(
            [
                v.key,
                v.label,
                fmt.theme_label(v.theme),
                v.value,
                v.unit or "",
                _("beschikbaar") if v.available else _("niet beschikbaar"),
                v.reason,
                v.source,
                method_text(v.key, v.method),
            ]
        )
    return rows


def _provenance(park: Park, scan: ParkScan) -> list[tuple[str, str]]:
    run = scan.run
    return [
        (_("terrein"), park.name),
        (
            _("nulmeting berekend op"),
            timezone.localtime(scan.computed_at).isoformat(timespec="seconds"),
        ),
        (_("ronde"), str(run.pk)),
        (_("databundel"), run.bundle_name),
        (_("versie databundel"), str((run.bundle or {}).get("version") or "")),
        (_("datum databundel"), str((run.bundle or {}).get("date") or "")),
        (_("synthetische gegevens"), _("ja") if run.is_synthetic else _("nee")),
        (_("versie rekenkern"), run.engine_version),
        (_("parameterset (sha256)"), scan.parameters_digest or _("niet vastgelegd")),
        *_completeness(scan),
    ]


def _completeness(scan: ParkScan) -> list[tuple[str, str]]:
    """The land-cover coverage and whether the scan is complete, as the dashboard says."""
    coverage = data_coverage(scan)
    rows = []
    if coverage is not None:
        rows.append((_("dekking basiskaart (BGT)"), coverage["text"]))
    if scan.completeness:
        rows.append((_("volledigheid"), scan.get_completeness_display()))
    if scan.completeness_reason:
        # worded as the dashboard words it (data_coverage)
        reason = (coverage or {}).get("reason") or scan.completeness_reason
        rows.append((_("reden onvolledig"), capfirst(reason)))
    return rows


def indicators_csv(park: Park, scan: ParkScan) -> str:
    """UTF-8 with BOM in the language's dialect (``csv_dialect``): opens as numbers in
    Excel (Dutch: semicolons and a decimal comma; English: commas and a decimal point)."""
    dialect = csv_dialect()
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow(indicator_columns())
    for row in _rows(scan):
        writer.writerow(
            [_safe(c) if i != 3 else _csv_number(c, dialect.decimal) for i, c in enumerate(row)]
        )
    writer.writerow([])
    for label, value in _provenance(park, scan):
        writer.writerow(["#", _safe(label), _safe(value)])
    return buf.getvalue()


def indicators_xlsx(park: Park, scan: ParkScan) -> bytes:
    """Workbook: Indicatoren, Themascores, Ambities, Herkomst (sheet names in the active
    language). Values are real numbers.

    Text that looks like a formula (a park name "=HYPERLINK(...)") is stored as
    text, never as a formula: see lib/spreadsheet.py.
    """
    wb = Workbook()
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="14532D")

    def header(ws, names):
        ws.append(names)
        for cell in ws[1]:
            cell.font = head_font
            cell.fill = head_fill
            cell.alignment = Alignment(vertical="center")
        ws.freeze_panes = "A2"

    ws = wb.active
    ws.title = _("Indicatoren")
    header(ws, indicator_columns())
    for row in _rows(scan):
        ws.append(row)
    for i, width in enumerate([28, 42, 26, 14, 11, 16, 40, 40, 60], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws = wb.create_sheet(_("Themascores"))
    header(
        ws,
        [
            _("thema"),
            _("score (0-100)"),
            _("indicatoren gebruikt"),
            _("indicatoren in het thema"),
            _("basis"),
        ],
    )
    for theme in fmt.themes():
        basis = (scan.score_basis or {}).get(theme) or {}
        ws.append(
            [
                fmt.theme_label(theme),
                (scan.scores or {}).get(theme),
                basis.get("used"),
                basis.get("total"),
                capfirst(score_basis_text(scan, theme)),
            ]
        )
    for col, width in zip("ABCDE", [30, 16, 20, 24, 60], strict=True):
        ws.column_dimensions[col].width = width

    ws = wb.create_sheet(_("Ambities"))
    header(
        ws,
        [
            _("indicator"),
            _("omschrijving"),
            _("nu"),
            _("ambitie"),
            _("eenheid"),
            _("duurzaamheidsstap"),
            _("gehaald"),
            _("eigen ambitie"),
        ],
    )
    for r in ambition_rows(park, scan):
        ws.append(
            [
                r["key"],
                r["label"],
                r["current"],
                r["target"],
                r["unit"],
                r["gap"],
                None if r["met"] is None else bool(r["met"]),
                not r["is_default"],
            ]
        )
    for i, width in enumerate([26, 40, 12, 12, 10, 18, 10, 14], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws = wb.create_sheet(_("Herkomst"))
    for label, value in _provenance(park, scan):
        ws.append([label, value])
    ws.append([])
    ws.append([_("laag"), _("rol"), _("datum"), _("versie"), _("bestand")])
    for layer in (scan.run.bundle or {}).get("layers", []):
        ws.append(
            [
                layer.get("name"),
                layer.get("role"),
                layer.get("date"),
                layer.get("version"),
                Path(str(layer.get("file") or "")).name,
            ]
        )
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 40
    neutralise_formulas(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _outline_properties(park: Park, scan: ParkScan | None) -> dict[str, Any]:
    props: dict[str, Any] = {
        "naam": park.name,
        "gemeente": park.municipality.name if park.municipality else None,
        "provincie": park.province.name if park.province else None,
        "oppervlakte_ha": float(park.gross_area_ha) if park.gross_area_ha is not None else None,
    }
    if scan is not None:
        props["nulmeting"] = timezone.localtime(scan.computed_at).isoformat(timespec="seconds")
        props["databundel"] = scan.run.bundle_name
        props["synthetisch"] = scan.run.is_synthetic
    return props


def geojson(park: Park, scan: ParkScan | None, extract: LandCoverExtract | None) -> dict:
    """Outline first (kind 'terrein'), then land-cover polygons (kind 'landgebruik'), WGS84."""
    features = [
        {
            "type": "Feature",
            "geometry": mapping(
                shapely.set_precision(reproject(park.geometry, RD_NEW, WGS84), 1e-8)
            ),
            "properties": {"soort": "terrein", **_outline_properties(park, scan)},
        }
    ]
    if extract is not None:
        names = fmt.class_labels()
        for i, geom in enumerate(extract.geoms):
            wgs = shapely.set_precision(reproject(geom, extract.crs, WGS84), 1e-8)
            features.append(
                {
                    "type": "Feature",
                    "geometry": mapping(wgs),
                    "properties": {
                        "soort": "landgebruik",
                        "klasse": extract.classes[i],
                        "omschrijving": names.get(extract.classes[i], extract.labels[i]),
                        "bgt_objecttype": extract.object_types[i],
                        "oppervlakte_m2": round(float(extract.areas[i]), 3),
                        "parkeren": bool(extract.parking[i]),
                    },
                }
            )
    return {"type": "FeatureCollection", "name": park.slug, "features": features}


def _multi(geom):
    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    return geom


def geopackage(park: Park, scan: ParkScan | None, extract: LandCoverExtract | None) -> bytes:
    """GeoPackage in RD New with layers 'terrein' (outline + indicators) and 'landgebruik'.

    The outline layer carries every available indicator as a field named by its
    key, so a GIS user can join and style parks without the CSV.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "terrein.gpkg"
        names: list[str] = []
        values: list[np.ndarray] = []
        for name, value in _outline_properties(park, scan).items():
            names.append(name)
            if isinstance(value, bool):
                values.append(np.array([_("ja") if value else _("nee")], dtype=object))
            elif isinstance(value, float):
                values.append(np.array([value], dtype=float))
            else:
                values.append(np.array(["" if value is None else str(value)], dtype=object))
        if scan is not None:
            for v in all_indicators(scan):
                names.append(v.key)
                values.append(np.array([v.value if v.available else np.nan], dtype=float))
            for theme in fmt.themes():
                score = (scan.scores or {}).get(theme)
                names.append(f"score_{theme}")
                values.append(np.array([np.nan if score is None else score], dtype=float))
        pyogrio.raw.write(
            str(path),
            np.array([shapely.to_wkb(_multi(park.geometry))], dtype=object),
            values,
            names,
            layer="terrein",
            driver="GPKG",
            geometry_type="MultiPolygon",
            crs=RD_NEW,
        )
        if extract is not None and len(extract):
            names = fmt.class_labels()
            pyogrio.raw.write(
                str(path),
                np.array([shapely.to_wkb(_multi(g)) for g in extract.geoms], dtype=object),
                [
                    np.array(extract.classes, dtype=object),
                    np.array(
                        [
                            names.get(k, lab)
                            for k, lab in zip(extract.classes, extract.labels, strict=True)
                        ],
                        dtype=object,
                    ),
                    np.array(extract.object_types, dtype=object),
                    np.asarray(extract.areas, dtype=float),
                    np.asarray(extract.parking, dtype=np.int32),
                ],
                ["klasse", "omschrijving", "bgt_objecttype", "oppervlakte_m2", "parkeren"],
                layer="landgebruik",
                driver="GPKG",
                geometry_type="MultiPolygon",
                crs=extract.crs,
                append=True,
            )
        return path.read_bytes()
