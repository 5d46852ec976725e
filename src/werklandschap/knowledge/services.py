"""Business rules of the Innovation database: who may do what, saving, moderating, files.

* :func:`save_entry` is the one way content is written: it checks the
  classifications, saves, keeps a numbered revision of every version and
  brings the search index in step, in one transaction.
* :func:`move` is the one way an entry's state changes, through the shared
  ``lib.workflow.transition`` (row lock, table check, one history row, e-mail
  to the submitter only after the commit).
* :func:`store_file` checks a document or image with the support desk's
  attachment checks (type sniffed from the first bytes, size capped before
  reading, office files opened as zips without unpacking) before storing it
  outside MEDIA_ROOT.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from werklandschap.accounts.policies import can_moderate_innovations, can_submit_innovation
from werklandschap.lib.workflow import Step, TransitionRefused, Workflow, history_fields
from werklandschap.lib.workflow import transition as workflow_transition

from . import emails, search
from .models import CONTENT_FIELDS, Entry, EntryEvent, EntryFile, EntryRevision
from .workflow import AWAITING_MODERATION, TABLE, Actor, Status

logger = logging.getLogger("werklandschap.knowledge")

KnowledgeError = TransitionRefused


# --------------------------------------------------------------------------- who


def actors_of(user, entry: Entry) -> set[str]:
    """The parts ``user`` plays in ``entry``: the team moderates; the submitter resubmits."""
    actors: set[str] = set()
    if user is None or not user.is_authenticated:
        return actors
    if can_moderate_innovations(user):
        actors.add(Actor.TEAM)
    if entry.submitted_by_id and entry.submitted_by_id == user.pk:
        actors.add(Actor.SUBMITTER)
    return actors


def may_view(user, entry: Entry) -> bool:
    """Published entries are for everyone; others for their submitter and the team."""
    return entry.status == Status.PUBLISHED or bool(actors_of(user, entry))


def may_edit(user, entry: Entry) -> bool:
    """The team always; the submitter while the entry waits for them or the team has not
    started the review (submitted or returned)."""
    mine = actors_of(user, entry)
    if Actor.TEAM in mine:
        return True
    return Actor.SUBMITTER in mine and entry.status in (Status.SUBMITTED, Status.RETURNED)


def may_submit(user) -> bool:
    return user is not None and user.is_authenticated and can_submit_innovation(user)


def allowed_moves(user, entry: Entry) -> list[str]:
    mine = actors_of(user, entry)
    return [
        target
        for target in TABLE.allowed_targets(entry.status)
        if any(a in mine for a in TABLE.rule_for(entry.status, target).actors)
    ]


def visible_entries(user) -> QuerySet[Entry]:
    """Published entries, plus the user's own submissions; the team sees every entry."""
    if can_moderate_innovations(user):
        return Entry.objects.all()
    condition = Q(status=Status.PUBLISHED)
    if user is not None and user.is_authenticated:
        condition |= Q(submitted_by=user)
    return Entry.objects.filter(condition)


def awaiting_moderation() -> QuerySet[Entry]:
    return Entry.objects.filter(status__in=AWAITING_MODERATION).order_by("updated_at", "id")


# --------------------------------------------------------------------------- saving


def save_entry(
    entry: Entry | None, values: dict[str, Any], *, by, note: str = "", synthetic: bool = False
) -> Entry:
    """Create (``entry`` None: submitted by ``by``) or change an entry and keep a revision.

    ``values`` holds content fields (see ``models.CONTENT_FIELDS``; ``park`` and
    ``contact_organisation`` as objects or None). Raises ``ValidationError`` for an
    unknown classification or measure; nothing is saved then.
    """
    with transaction.atomic():
        if entry is None:
            entry = Entry(submitted_by=by, synthetic=synthetic)
        else:
            entry = Entry.objects.select_for_update().get(pk=entry.pk)
        for name, value in values.items():
            setattr(entry, name, value)
        entry.full_clean(exclude=["submitted_by", "park", "contact_organisation"])
        entry.updated_at = timezone.now()
        entry.save()
        number = (entry.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        EntryRevision.objects.create(
            entry=entry, number=number, content=entry.snapshot(), created_by=by, note=note[:300]
        )
        search.index_entry(entry)
    return entry


def revision_changed(entry: Entry) -> bool:
    """True when the last two revisions differ (for the moderation queue)."""
    last = list(entry.revisions.order_by("-number")[:2])
    return len(last) == 2 and last[0].content != last[1].content


# --------------------------------------------------------------------------- moderation


def _authorise(step: Step) -> str | None:
    if step.actor == Actor.TEAM and not can_moderate_innovations(step.by):
        return _("Alleen het programmateam modereert innovaties.")
    if step.actor == Actor.SUBMITTER and step.subject.submitted_by_id != getattr(
        step.by, "pk", None
    ):
        return _("Alleen de indiener kan dit opnieuw indienen.")
    return None


def _effects(step: Step) -> None:
    entry: Entry = step.subject
    base_url = step.context.get("base_url", "")
    if step.target == Status.PUBLISHED:
        entry.published_at = entry.published_at or step.at
        step.notify(emails.notify_published, entry.pk, base_url)
    elif step.target in (Status.RETURNED, Status.UNPUBLISHED):
        step.notify(emails.notify_decision, entry.pk, step.target, step.reason, base_url)
    entry.updated_at = step.at


def _record(step: Step) -> EntryEvent:
    return EntryEvent.objects.create(entry=step.subject, **history_fields(step))


WORKFLOW = Workflow(
    name="innovation",
    model=Entry,
    transitions=TABLE,
    record=_record,
    authorise=_authorise,
    effects=_effects,
    logger_name="werklandschap.knowledge",
)


def move(entry: Entry, target: str, *, by, reason: str = "", base_url: str = "") -> Entry:
    """Move ``entry`` to ``target`` as ``by``; the index follows in the same transaction."""
    mine = actors_of(by, entry)
    rule = TABLE.rule_for(entry.status, target)
    actor = next((a for a in (rule.actors if rule else ()) if a in mine), next(iter(mine), ""))
    with transaction.atomic():
        entry = workflow_transition(
            WORKFLOW, entry, target, actor=actor, by=by, reason=reason, base_url=base_url
        )
        search.index_entry(entry)
    return entry


# --------------------------------------------------------------------------- files


def file_limits():
    """The desk's attachment checks, for an entry: PDF, office files and PNG/JPEG images."""
    from werklandschap.support.desk_rules import AttachmentRules, rules

    desk = rules().attachments
    cap = settings.KNOWLEDGE_FILE_MAX_MB * 1_048_576
    return AttachmentRules(
        max_count=settings.KNOWLEDGE_MAX_FILES,
        max_bytes=cap,
        max_total_bytes=cap * settings.KNOWLEDGE_MAX_FILES,
        max_unpacked_bytes=desk.max_unpacked_bytes,
        max_zip_members=desk.max_zip_members,
        max_image_pixels=desk.max_image_pixels,
        allowed_types=("pdf", "png", "jpeg", "docx", "xlsx", "pptx", "odt", "ods", "odp"),
    )


def store_file(entry: Entry, upload: Any, *, by, description: str = "") -> EntryFile:
    """Check ``upload`` and store it with ``entry``; raises ``AttachmentError`` (nothing
    stored) for a file that is not what its name says, too large, or one too many."""
    from werklandschap.support.attachments import FORMATS, IMAGE, check_attachment, check_count

    limits = file_limits()
    check_count(entry.files.count(), 1, limits=limits)
    checked = check_attachment(upload, limits=limits)
    kind = (
        EntryFile.Kind.IMAGE if FORMATS[checked.kind].family == IMAGE else EntryFile.Kind.DOCUMENT
    )
    stored = None
    try:
        with transaction.atomic():
            item = EntryFile(
                entry=entry,
                kind=kind,
                name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                description=description[:200],
                uploaded_by=by,
            )
            upload.seek(0)
            item.file.save(checked.name, File(upload), save=False)
            stored = item.file
            item.save()
    except Exception:
        if stored is not None:
            stored.delete(save=False)
        raise
    return item


def remove_file(item: EntryFile) -> None:
    storage, name = item.file.storage, item.file.name
    item.delete()
    transaction.on_commit(lambda: storage.delete(name))


__all__ = ["CONTENT_FIELDS", "KnowledgeError"]
