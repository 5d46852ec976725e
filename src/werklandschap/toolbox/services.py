"""Rules of the toolbox: saving with revisions, restoring, loading the data file, who helps.

Every change of a step goes through ``save_step``: it checks the measures
against the cost-benefit catalogue and the expertise step against the
support desk's matrix, saves, and writes the next ``StepRevision`` under a
row lock (two editors saving at once get numbers n and n+1, never the same).
``restore`` writes an old revision's content back as a new revision.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from werklandschap.costbenefit.catalog import load_catalogue

from .models import CONTENT_FIELDS, Step, StepRevision

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "toolbox" / "steps.yaml"

# The version note of a step loaded from the data file: stored in Dutch (the source
# language) whatever language the loader runs in, shown translated (admin.py).
LOADED_NOTE = gettext_noop("Uit het databestand geladen")

# The process chain of seed 001 (TABLES.md): when a green expert steps in.
CHAIN = {
    0: gettext_lazy("Ambitiefase"),
    1: gettext_lazy("Initiatieffase"),
    2: gettext_lazy("Planontwikkeling"),
    3: gettext_lazy("Planuitwerking"),
    4: gettext_lazy("Projectvoorbereiding"),
    5: gettext_lazy("Projectuitvoering"),
    6: gettext_lazy("Projectoverdracht"),
    7: gettext_lazy("Beheerfase"),
}


# --------------------------------------------------------------------------- measures


def measure_names() -> dict[str, str]:
    """Catalogue key -> the measure's name in the active language, in catalogue order."""
    english = (get_language() or "nl").startswith("en")
    return {
        key: (m.name_en if english and m.name_en else m.name_nl)
        for key, m in load_catalogue().measures.items()
    }


def check_measures(keys: Any) -> list[str]:
    """``keys`` as a list of known catalogue keys, without repeats; else ValidationError."""
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise ValidationError(_("Maatregelen moeten een lijst van sleutels zijn."))
    known = load_catalogue().measures
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValidationError(
            _("Onbekende maatregel(en) in de catalogus: %(keys)s") % {"keys": ", ".join(unknown)}
        )
    return list(dict.fromkeys(keys))


def check_chain(phases: Any) -> list[int]:
    if not isinstance(phases, list) or not all(isinstance(p, int) and p in CHAIN for p in phases):
        raise ValidationError(_("Fasen van de procesketen zijn getallen van 0 tot en met 7."))
    return sorted(set(phases))


# --------------------------------------------------------------------------- coalition partners


def _expertise(slug: str):
    from werklandschap.support.models import Expertise

    if not slug:
        return None
    return Expertise.objects.filter(kind=Expertise.Kind.TOOLBOX_STEP, slug=slug).first()


def expertise_choices() -> list[tuple[str, str]]:
    from werklandschap.support.models import Expertise

    return list(
        Expertise.objects.filter(kind=Expertise.Kind.TOOLBOX_STEP)
        .order_by("order")
        .values_list("slug", "name")
    )


def check_expertise(slug: str) -> str:
    if slug and _expertise(slug) is None:
        raise ValidationError(_("Deze stap staat niet in de expertisematrix van de vraagbaak."))
    return slug


def partners_for(step: Step) -> list:
    """Coalition partners who can help with ``step`` (the expertise matrix, seed 4.6)."""
    expertise = _expertise(step.expertise_slug)
    if expertise is None:
        return []
    return list(expertise.partners.order_by("name"))


def ask_url(step: Step) -> str:
    """The support desk's question form with this step chosen."""
    from django.urls import reverse
    from django.utils.http import urlencode

    url = reverse("support:ask")
    return f"{url}?{urlencode({'stap': step.expertise_slug})}" if step.expertise_slug else url


def innovations_for(step: Step) -> list:
    """Published innovation entries that apply the step's measures (knowledge.related);
    without any, the step page shows a link to the Innovation database instead."""
    from werklandschap.knowledge.related import for_measures

    return for_measures(step.measures or [])


# --------------------------------------------------------------------------- saving


def _clean(step: Step) -> None:
    step.measures = check_measures(step.measures)
    step.chain = check_chain(step.chain)
    check_expertise(step.expertise_slug)
    if not (step.title_nl or "").strip() or not (step.body_nl or "").strip():
        raise ValidationError(_("Een stap heeft ten minste een Nederlandse titel en tekst."))


def save_step(step: Step, *, user=None, note: str = "") -> StepRevision:
    """Save ``step`` and keep its content as the next revision; returns that revision."""
    _clean(step)
    with transaction.atomic():
        if step.pk:
            Step.objects.select_for_update().filter(pk=step.pk).first()
        step.updated_at = timezone.now()
        step.updated_by = user if getattr(user, "is_authenticated", False) else None
        step.save()
        last = step.revisions.aggregate(n=Max("number"))["n"] or 0
        return StepRevision.objects.create(
            step=step,
            number=last + 1,
            content=step.content(),
            saved_by=step.updated_by,
            note=note[:200],
        )


def restore(step: Step, revision: StepRevision, *, user=None) -> StepRevision:
    """Put ``revision``'s content back, as a new revision (the history only grows)."""
    if revision.step_id != step.pk:
        raise ValidationError(_("Deze versie hoort bij een andere stap."))
    for name in CONTENT_FIELDS:
        if name in revision.content:
            setattr(step, name, revision.content[name])
    note = _("Teruggezet naar versie %(number)s") % {"number": revision.number}
    return save_step(step, user=user, note=note)


# --------------------------------------------------------------------------- data file


@dataclasses.dataclass(frozen=True)
class ProcessSupport:
    expertise_slug: str
    text_nl: str
    text_en: str

    @property
    def text(self) -> str:
        english = (get_language() or "nl").startswith("en")
        return self.text_en if english and self.text_en else self.text_nl


def read_data(path: Path | None = None) -> dict:
    with open(path or DATA_FILE, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ValueError(f"{path or DATA_FILE}: 'steps' ontbreekt")
    return data


def process_support(path: Path | None = None) -> ProcessSupport | None:
    node = read_data(path).get("process_support") or {}
    if not node:
        return None
    return ProcessSupport(
        expertise_slug=slugify(node.get("expertise", "")),
        text_nl=node.get("text_nl", ""),
        text_en=node.get("text_en", ""),
    )


def process_support_partners(support: ProcessSupport | None) -> list:
    expertise = _expertise(support.expertise_slug) if support else None
    return list(expertise.partners.order_by("name")) if expertise else []


def load_steps(path: Path | None = None, *, user=None) -> int:
    """Create the steps of the data file that do not exist yet; returns how many.

    Existing steps are the team's: the file never overwrites them.
    """
    created = 0
    for row in read_data(path)["steps"]:
        if Step.objects.filter(key=row["key"]).exists():
            continue
        step = Step(
            key=row["key"],
            order=int(row.get("order", 0)),
            title_nl=row["title_nl"],
            title_en=row.get("title_en", ""),
            summary_nl=row.get("summary_nl", ""),
            summary_en=row.get("summary_en", ""),
            body_nl=row["body_nl"],
            body_en=row.get("body_en", ""),
            measures=list(row.get("measures") or []),
            chain=list(row.get("chain") or []),
            expertise_slug=slugify(row.get("expertise", "")),
        )
        if step.expertise_slug and _expertise(step.expertise_slug) is None:
            step.expertise_slug = ""  # the matrix is not loaded (yet): no partners shown
        save_step(step, user=user, note=LOADED_NOTE)
        created += 1
    return created


def upload_rules():
    """The support desk's attachment checks with the toolbox's own size cap."""
    from werklandschap.support.desk_rules import rules

    base = rules().attachments
    cap = int(settings.TOOLBOX_TEMPLATE_MAX_MB) * 1_048_576
    return dataclasses.replace(base, max_bytes=cap, max_total_bytes=cap, max_count=1)
