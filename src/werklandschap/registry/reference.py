"""Load the registry's reference data: provinces, organisations, regions, municipalities."""

from __future__ import annotations

import csv
from pathlib import Path

from django.utils.text import slugify

from werklandschap.lib.refdata import ReferenceDataError, read_yaml, require

from .choices import OrganisationKind
from .models import Municipality, Organisation, Province, Region


def upsert_organisation(name: str, kind: str, source: str) -> Organisation:
    org, _ = Organisation.objects.update_or_create(
        name=name, defaults={"kind": kind, "slug": slugify(name)[:200], "source": source}
    )
    return org


def load_provinces(directory: Path) -> int:
    data = read_yaml(directory, "provinces.yaml")
    source = data.get("source", "")
    for row in require(data, "provinces", "provinces.yaml"):
        code = require(row, "code", "provinces.yaml")
        name = require(row, "name", f"provinces.yaml {code}")
        org = upsert_organisation(f"Provincie {name}", OrganisationKind.PROVINCE, source)
        Province.objects.update_or_create(code=code, defaults={"name": name, "organisation": org})
    return Province.objects.count()


def load_organisations(directory: Path) -> int:
    data = read_yaml(directory, "organisations.yaml")
    kinds = set(OrganisationKind.values)
    n = 0
    for group in require(data, "groups", "organisations.yaml"):
        kind = require(group, "kind", "organisations.yaml group")
        if kind not in kinds:
            raise ReferenceDataError(f"organisations.yaml: onbekende soort '{kind}'")
        for name in require(group, "names", f"organisations.yaml {kind}"):
            upsert_organisation(name, kind, group.get("source", ""))
            n += 1
    return n


def load_regions(directory: Path) -> int:
    data = read_yaml(directory, "regions.yaml")
    source = data.get("source", "")
    uncertain = data.get("uncertain", {}) or {}
    uncertain_names = set(uncertain.get("regions", []))
    for director_name, regions in require(data, "directors", "regions.yaml").items():
        try:
            director = Organisation.objects.get(name=director_name)
        except Organisation.DoesNotExist as exc:
            raise ReferenceDataError(
                f"regions.yaml: regisseur '{director_name}' staat niet in organisations.yaml"
            ) from exc
        for name in regions:
            Region.objects.update_or_create(
                name=name,
                defaults={
                    "slug": slugify(name),
                    "director": director,
                    "source": source,
                    "note": uncertain.get("note", "") if name in uncertain_names else "",
                },
            )
    municipalities = require(data, "municipalities", "regions.yaml")
    load_region_municipalities(Path(directory) / require(municipalities, "file", "regions.yaml"))
    return Region.objects.count()


def load_region_municipalities(path: Path) -> int:
    """Create or update each municipality (code, name, province, RES region) from the CSV."""
    if not path.is_file():
        raise ReferenceDataError(f"{path}: bestand ontbreekt")
    regions = {r.name: r for r in Region.objects.all()}
    provinces = {p.name: p for p in Province.objects.all()}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = {"gm_code", "gm_naam", "pv_naam", "res_region"}
    if not rows or not expected <= set(rows[0]):
        raise ReferenceDataError(f"{path}: kolommen {sorted(expected)} verwacht")
    existing = {m.code: m for m in Municipality.objects.defer("geometry")}
    to_create, to_update = [], []
    for i, row in enumerate(rows, start=2):
        region = regions.get(row["res_region"])
        province = provinces.get(row["pv_naam"])
        if region is None or province is None:
            raise ReferenceDataError(
                f"{path} regel {i}: onbekende regio '{row['res_region']}' of provincie "
                f"'{row['pv_naam']}'"
            )
        municipality = existing.get(row["gm_code"])
        if municipality is None:
            to_create.append(
                Municipality(
                    code=row["gm_code"], name=row["gm_naam"], province=province, region=region
                )
            )
        elif (municipality.name, municipality.province_id, municipality.region_id) != (
            row["gm_naam"],
            province.pk,
            region.pk,
        ):
            municipality.name, municipality.province, municipality.region = (
                row["gm_naam"],
                province,
                region,
            )
            to_update.append(municipality)
    # Bulk writes: 342 rows, loaded in every test that needs reference data.
    Municipality.objects.bulk_create(to_create, batch_size=500)
    Municipality.objects.bulk_update(to_update, ["name", "province", "region"], batch_size=500)
    return len(rows)
