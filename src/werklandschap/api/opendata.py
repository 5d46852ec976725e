"""Bulk open data: every park with its public indicators as CSV, XLSX, GeoJSON, GeoPackage.

One row per park: the park's public fields (the API's), its latest scan's date and
bundle, the theme scores and the catalogue's headline indicators (the figures the
public park summary shows; never ambitions, contacts or the full scan). Beside them:
the licence (CC BY 4.0, README "Licence and data") and a data dictionary generated
from the indicator catalogue, so each column's meaning, unit and source travel with
the file.

``regenerate()`` writes all files to a fresh folder and swaps it in with one rename,
so a reader never gets half a set; it runs at the end of every batch scan run
(``receivers.py``, on ``scans.signals.scan_run_finished``) and with the
``open_data`` command, not after a queued one-park scan (see ``receivers.py``). A set
therefore says when it was written: ``generatedAt`` in the index, a line in the
licence (text file and the XLSX's licence sheet) and a member of the GeoJSON. The
views serve the files as they are (``files.py``).
"""

from __future__ import annotations

import csv
import fcntl
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from werklandschap.lib.geo import RD_NEW, to_geojson_wgs84
from werklandschap.lib.spreadsheet import formula_safe, neutralise_formulas
from werklandschap.scanengine.catalog import HEADLINE, INDICATORS, THEMES

from . import services

logger = logging.getLogger(__name__)

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class FileKind:
    name: str
    format: str
    media_type: str


FILES = {
    "parks.csv": FileKind("parks.csv", "CSV", "text/csv; charset=utf-8"),
    "parks.xlsx": FileKind(
        "parks.xlsx",
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "parks.geojson": FileKind("parks.geojson", "GeoJSON", "application/geo+json"),
    "parks.gpkg": FileKind("parks.gpkg", "GeoPackage", "application/geopackage+sqlite3"),
    "data-dictionary.csv": FileKind("data-dictionary.csv", "CSV", "text/csv; charset=utf-8"),
    "licence.txt": FileKind("licence.txt", "text", "text/plain; charset=utf-8"),
}
MANIFEST = "manifest.json"


def base_dir() -> Path:
    """Where the generations live: OPEN_DATA_ROOT, or HOME_DIR/open-data."""
    return Path(settings.OPEN_DATA_ROOT or (Path(settings.HOME_DIR) / "open-data"))


def root() -> Path:
    """The current set of files: ``current``, a symlink to the newest complete generation.

    A new set is written into a folder of its own and ``current`` is swapped with one
    rename (atomic), so a reader never sees a half-written or missing set; a file already
    being sent keeps its old content (Linux keeps an open file until it is closed).
    """
    return (base_dir() / "current").resolve()


# --------------------------------------------------------------------------- columns

# (column, type, unit, Dutch description, English description, source)
_PARK_COLUMNS: list[tuple[str, str, str, str, str, str]] = [
    (
        "slug",
        "text",
        "",
        "korte naam (sleutel) van het terrein",
        "short name (key) of the park",
        "register",
    ),
    ("name", "text", "", "naam van het terrein", "name of the park", "register"),
    (
        "municipality",
        "text",
        "",
        "gemeente met het grootste deel van het terrein",
        "municipality holding most of the park",
        "CBS/PDOK gebiedsindelingen",
    ),
    (
        "province_code",
        "text",
        "",
        "CBS-code van de provincie",
        "CBS code of the province",
        "CBS/PDOK gebiedsindelingen",
    ),
    ("province", "text", "", "provincie", "province", "CBS/PDOK gebiedsindelingen"),
    ("region", "text", "", "regio (korte naam)", "region (short name)", "register"),
    (
        "park_type",
        "text",
        "",
        "type terrein (regular, industrial_cluster, campus, logistics)",
        "park type",
        "register",
    ),
    (
        "role",
        "text",
        "",
        "rol in de zwerm (none, partner, ambassador, living_lab, showcase)",
        "role in the swarm",
        "register",
    ),
    (
        "phase",
        "integer",
        "",
        "procesfase 0 (ambitie) t/m 7 (beheer); leeg: onbekend",
        "process phase 0-7; empty: unknown",
        "register",
    ),
    (
        "area_ha",
        "number",
        "ha",
        "bruto oppervlakte berekend uit de geometrie",
        "gross area computed from the outline",
        "register",
    ),
    (
        "is_demo",
        "boolean",
        "",
        "synthetische demodata, geen echt terrein",
        "synthetic demo data, not a real park",
        "register",
    ),
    ("url", "text", "", "openbare pagina van het terrein", "public page of the park", "register"),
    (
        "scan_computed_at",
        "datetime",
        "",
        "tijdstip van de laatste nulmeting toen het bestand werd geschreven (ISO 8601)",
        "time of the latest baseline scan when the file was written",
        "nulmeting",
    ),
    (
        "scan_bundle",
        "text",
        "",
        "databundel van de nulmeting",
        "data bundle of the scan",
        "nulmeting",
    ),
    (
        "scan_synthetic",
        "boolean",
        "",
        "nulmeting op synthetische gegevens",
        "scan on synthetic data",
        "nulmeting",
    ),
]


def columns() -> list[str]:
    return [c[0] for c in _PARK_COLUMNS] + [f"score_{t}" for t in THEMES] + list(HEADLINE)


def dictionary_rows() -> list[list[str]]:
    """The data dictionary: every column with its type, unit, meaning and source."""
    rows = [["column", "type", "unit", "description_nl", "description_en", "source"]]
    rows += [list(c) for c in _PARK_COLUMNS]
    with translation.override("nl"):
        from werklandschap.portal import presentation as fmt

        for t in THEMES:
            rows.append(
                [
                    f"score_{t}",
                    "number",
                    "0-100",
                    f"themascore {fmt.theme_label(t)}, van 0 (zwak) tot 100 (goed)",
                    f"theme score {t}, 0 (weak) to 100 (good)",
                    "nulmeting (docs/scan-method.md)",
                ]
            )
    for key in HEADLINE:
        ind = INDICATORS[key]
        rows.append(
            [
                key,
                "number",
                ind.unit,
                f"{ind.label_nl}: {ind.explanation_nl}",
                f"{ind.label_en}: {ind.explanation_en}",
                f"{ind.method} | {ind.source}",
            ]
        )
    return rows


def park_rows() -> list[tuple[dict[str, Any], Any]]:
    """[(row by column, geometry in RD New or None)] for every park, in name order."""
    parks = list(services.public_parks())
    scans = services.latest_scans([p.pk for p in parks])
    out = []
    for park in parks:
        scan = scans.get(park.pk)
        row: dict[str, Any] = {
            "slug": park.slug,
            "name": park.name,
            "municipality": park.municipality.name if park.municipality else "",
            "province_code": park.province.code if park.province else "",
            "province": park.province.name if park.province else "",
            "region": park.region.slug if park.region else "",
            "park_type": park.park_type,
            "role": park.swarm_role,
            "phase": park.phase,
            "area_ha": float(park.gross_area_ha) if park.gross_area_ha is not None else None,
            "is_demo": park.is_demo,
            "url": settings.SITE_URL.rstrip("/") + park.get_absolute_url(),
            "scan_computed_at": scan.computed_at.isoformat(timespec="seconds") if scan else "",
            "scan_bundle": scan.run.bundle_name if scan else "",
            "scan_synthetic": scan.run.is_synthetic if scan else None,
        }
        for t in THEMES:
            row[f"score_{t}"] = (scan.scores or {}).get(t) if scan else None
        for key in HEADLINE:
            entry = (scan.indicators or {}).get(key) if scan else None
            ok = bool(entry) and entry.get("status") == "ok" and entry.get("value") is not None
            row[key] = float(entry["value"]) if ok else None
        geom = park.geometry if park.geometry is not None and not park.geometry.is_empty else None
        out.append((row, geom))
    return out


# --------------------------------------------------------------------------- writers


def _csv_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    return formula_safe(v)


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    """RFC 4180: comma, decimal point, UTF-8 (machine-readable; the XLSX is for Excel)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        for r in rows:
            writer.writerow([_csv_value(v) for v in r])


def _write_xlsx(
    path: Path, cols: list[str], rows: list[dict[str, Any]], dictionary, generated_at: str
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "parks"
    ws.append(cols)
    for r in rows:
        ws.append([r[c] for c in cols])
    ws.freeze_panes = "A2"
    wd = wb.create_sheet("data-dictionary")
    for r in dictionary:
        wd.append(r)
    wl = wb.create_sheet("licence")
    for line in licence_text(generated_at).splitlines():
        wl.append([line])
    neutralise_formulas(wb)
    wb.save(path)


def _write_geojson(path: Path, items, generated_at: str) -> None:
    features = []
    for row, geom in items:
        features.append(
            {
                "type": "Feature",
                "id": row["slug"],
                "geometry": to_geojson_wgs84(geom, tolerance_m=0, precision=7) if geom else None,
                "properties": row,
            }
        )
    doc = {
        "type": "FeatureCollection",
        "name": "werklandschappen-parks",
        "license": LICENCE,
        "generatedAt": generated_at,
        "features": features,
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _multi(geom):
    return shapely.MultiPolygon([geom]) if geom.geom_type == "Polygon" else geom


def _write_gpkg(path: Path, cols: list[str], items) -> None:
    """RD New (EPSG:28992) as stored; one layer 'parks' with every column as a field."""
    items = [(r, g) for r, g in items if g is not None]
    numeric = {c for c in cols if c.startswith("score_") or c in HEADLINE or c == "area_ha"}
    values = []
    for c in cols:
        if c in numeric:
            values.append(
                np.array([np.nan if r[c] is None else float(r[c]) for r, _ in items], dtype=float)
            )
        elif c == "phase":
            values.append(
                np.array([-1 if r[c] is None else int(r[c]) for r, _ in items], dtype=np.int32)
            )
        else:
            values.append(
                np.array(
                    [
                        ""
                        if r[c] is None
                        else str(r[c]).lower()
                        if isinstance(r[c], bool)
                        else str(r[c])
                        for r, _ in items
                    ],
                    dtype=object,
                )
            )
    pyogrio.raw.write(
        str(path),
        np.array([shapely.to_wkb(_multi(g)) for _, g in items], dtype=object),
        values,
        cols,
        layer="parks",
        driver="GPKG",
        geometry_type="MultiPolygon",
        crs=RD_NEW,
    )


def licence_text(generated_at: str) -> str:
    """The licence beside the files, with the moment this set was written (its date)."""
    return (
        "Open data van het programma Werklandschappen van de Toekomst\n"
        f"Geschreven op / written at: {generated_at}\n"
        f"Licentie / licence: {LICENCE} ({LICENCE_URL})\n"
        "Naamsvermelding / attribution: 'Werklandschappen van de Toekomst', met de datum "
        "van het bestand (hierboven).\n"
        "Bijgewerkt na elke nulmetingsronde over het register; een losse nulmeting van een\n"
        "terrein (b.v. net partnerterrein geworden) staat er pas na de volgende ronde in.\n"
        "Updated after every scan run over the register; a single park's scan (e.g. a new\n"
        "partner park) appears after the next run.\n"
        "Bevat gebiedsindelingen van CBS/PDOK (CC BY 4.0). Nulmetingen zijn berekend met de\n"
        "rekenkern van het platform; indicatoren, eenheden en bronnen: data-dictionary.csv.\n"
        "Terreinen met is_demo=true en nulmetingen met scan_synthetic=true zijn synthetisch\n"
        "(verzonnen) en zeggen niets over echte terreinen.\n"
        "Geen persoonsgegevens: alleen openbare velden van terreinen en openbare indicatoren.\n"
        "Code of the platform: EUPL-1.2.\n"
    )


def regenerate(*, only_if_missing: bool = False) -> dict[str, Any]:
    """Write every file anew and swap the set in at once; returns the manifest.

    Serialised by a lock file, so two scan runs ending together write one set after
    the other and never remove the folder the other is writing. ``only_if_missing``:
    requests that find no files wait for the one that writes them instead of each
    writing a set of their own.
    """
    base = base_dir()
    base.mkdir(parents=True, exist_ok=True)
    with (base / ".lock").open("w") as lock, translation.override("nl"):
        fcntl.flock(lock, fcntl.LOCK_EX)
        if only_if_missing and (existing := manifest()) is not None:
            return existing
        cols = columns()
        items = park_rows()
        dictionary = dictionary_rows()
        generated_at = timezone.now().isoformat(timespec="seconds")
        tmp = Path(tempfile.mkdtemp(prefix="generation-", dir=base))
        try:
            rows = [r for r, _ in items]
            _write_csv(tmp / "parks.csv", cols, [[r[c] for c in cols] for r in rows])
            _write_csv(tmp / "data-dictionary.csv", dictionary[0], dictionary[1:])
            (tmp / "licence.txt").write_text(licence_text(generated_at), encoding="utf-8")
            _write_xlsx(tmp / "parks.xlsx", cols, rows, dictionary, generated_at)
            _write_geojson(tmp / "parks.geojson", items, generated_at)
            _write_gpkg(tmp / "parks.gpkg", cols, items)
            written = {
                "generatedAt": generated_at,
                "generation": tmp.name,
                "parks": len(rows),
                "files": {n: (tmp / n).stat().st_size for n in FILES},
            }
            (tmp / MANIFEST).write_text(json.dumps(written), encoding="utf-8")
            tmp.chmod(0o755)  # mkdtemp makes it private to the writer
            link = base / f".current-{tmp.name}"
            link.symlink_to(tmp.name)
            os.replace(link, base / "current")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        for old in base.glob("generation-*"):
            if old != tmp:
                shutil.rmtree(old, ignore_errors=True)
    logger.info("open data regenerated: %s parks", written["parks"])
    return written


def manifest() -> dict[str, Any] | None:
    try:
        return json.loads((root() / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def ensure() -> dict[str, Any]:
    """The manifest, writing the files first when they were never generated."""
    return manifest() or regenerate(only_if_missing=True)


def index(request) -> dict[str, Any]:
    m = ensure()
    return {
        "generatedAt": m.get("generatedAt"),
        "licence": LICENCE,
        "licenceUrl": LICENCE_URL,
        "parks": m.get("parks"),
        "downloads": [
            {
                "name": k.name,
                "format": k.format,
                "mediaType": k.media_type,
                "url": request.build_absolute_uri(reverse(f"api:open-data-{url_name(k.name)}")),
                "bytes": m.get("files", {}).get(k.name),
            }
            for k in FILES.values()
        ],
    }


def url_name(filename: str) -> str:
    """The URL name of a file's download: parks.csv -> parks-csv."""
    return filename.replace(".", "-")
