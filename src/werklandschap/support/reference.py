"""Load the expertise matrices and the flexible pool of coalition partners."""

from __future__ import annotations

from pathlib import Path

from django.utils.text import slugify

from werklandschap.lib.refdata import ReferenceDataError, read_yaml, require
from werklandschap.registry.models import Organisation

from .models import Expertise, PartnerExpertise, PoolMember


def _org(name: str) -> Organisation:
    try:
        return Organisation.objects.get(name=name)
    except Organisation.DoesNotExist as exc:
        raise ReferenceDataError(
            f"expertise.yaml: partner '{name}' staat niet in organisations.yaml"
        ) from exc


def load_expertise(directory: Path) -> int:
    data = read_yaml(directory, "expertise.yaml")
    source = data.get("source", "")
    count = 0
    for key, kind in (
        ("toolbox_steps", Expertise.Kind.TOOLBOX_STEP),
        ("areas", Expertise.Kind.AREA),
    ):
        for order, row in enumerate(require(data, key, "expertise.yaml"), start=1):
            name = require(row, "name", f"expertise.yaml {key}")
            expertise, _ = Expertise.objects.update_or_create(
                kind=kind,
                slug=slugify(name),
                defaults={"name": name, "order": order, "source": source},
            )
            wanted = {_org(p).pk for p in row.get("partners", [])}
            PartnerExpertise.objects.filter(expertise=expertise).exclude(
                organisation_id__in=wanted
            ).delete()
            for org_id in wanted:
                PartnerExpertise.objects.get_or_create(expertise=expertise, organisation_id=org_id)
            count += 1
    pool = data.get("flexible_pool") or {}
    for name in pool.get("partners", []):
        PoolMember.objects.update_or_create(
            organisation=_org(name), defaults={"source": pool.get("source", "")}
        )
    return count
