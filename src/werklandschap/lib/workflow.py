"""One mechanism for every case that moves through states.

Sign-ups, support questions, vouchers and moderation all follow the pattern of
Signalen's state machine and Open Zaak's audit trail:

* the states and the allowed moves are **data**: a :class:`Transitions` table
  per workflow (``partnership/workflow.py``, ``support/workflow.py``) says from
  which state to which, by whom (an *actor*: a part someone plays in the case,
  such as "applicant" or "regional director") and whether a reason is needed;
* :func:`transition` is the **one function** that moves a case. It locks the
  row, validates the move against the table and the workflow's own
  ``authorise`` hook (object-level rights: is this director the one of the
  question's region?), applies the workflow's ``effects`` in the same
  transaction, writes one history row (who, when, from, to, why) and queues
  the notifications for *after* the commit, so a rolled-back move sends
  nothing and a failed e-mail never undoes a committed decision.

A refused move raises :class:`TransitionRefused` with a message a person can
read, logs a warning and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger("werklandschap.workflow")


class TransitionRefused(Exception):
    """A move the table or the workflow's rules do not allow; nothing was changed."""


@dataclass(frozen=True)
class Rule:
    """Who may make one move, and whether they must say why.

    ``actor`` is one actor or a tuple of actors. ``reason_hint`` is the message
    shown when a required reason is missing (it says who reads the reason).
    """

    actor: str | tuple[str, ...]
    reason_required: bool = False
    reason_hint: str = ""

    @property
    def actors(self) -> tuple[str, ...]:
        return (self.actor,) if isinstance(self.actor, str) else tuple(self.actor)


class Transitions:
    """The table of allowed moves of one workflow, checked when it is built."""

    def __init__(self, states: type[models.TextChoices], table: Mapping[tuple[str, str], Rule]):
        known = set(states.values)
        for source, target in table:
            if source not in known or target not in known:
                raise ValueError(f"unknown state in transition {source!r} -> {target!r}")
            if source == target:
                raise ValueError(f"a transition must change the state: {source!r}")
        self.states = states
        self.table: dict[tuple[str, str], Rule] = dict(table)

    def rule_for(self, source: str, target: str) -> Rule | None:
        """The rule for moving from ``source`` to ``target``; None when not allowed."""
        return self.table.get((source, target))

    def allowed_targets(self, source: str, actor: str | None = None) -> list[str]:
        """Where a case in ``source`` may go next (by ``actor``, when given), in table order."""
        return [
            target
            for (src, target), rule in self.table.items()
            if src == source and (actor is None or actor in rule.actors)
        ]

    @property
    def final_states(self) -> tuple[str, ...]:
        """States nothing moves out of."""
        sources = {src for src, _target in self.table}
        return tuple(s for s in self.states.values if s not in sources)

    def label(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except ValueError:
            return state


@dataclass
class Step:
    """One move being made; what ``authorise``, ``effects`` and ``record`` receive.

    ``subject`` is the row as locked inside the transaction. Effects may add
    ``notes`` (written to the history row) and queue ``notifications``
    (callables run after the commit).
    """

    subject: Any
    source: str
    target: str
    actor: str
    by: Any
    reason: str
    at: datetime
    rule: Rule | None = None
    context: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    notifications: list[Callable[[], None]] = field(default_factory=list)

    def notify(self, send: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        """Queue ``send(*args, **kwargs)`` for after the commit."""
        self.notifications.append(lambda: send(*args, **kwargs))

    @property
    def note(self) -> str:
        return "\n".join(filter(None, [self.reason, *self.notes]))


@dataclass(frozen=True)
class Workflow:
    """Everything :func:`transition` needs to know about one kind of case."""

    name: str
    model: type[models.Model]
    transitions: Transitions
    record: Callable[[Step], models.Model]
    authorise: Callable[[Step], str | None] | None = None
    effects: Callable[[Step], None] | None = None
    status_field: str = "status"
    # The logger refusals and moves are written to (the owning app's).
    logger_name: str = "werklandschap.workflow"
    # Message for a move the table does not have; %(source)s and %(target)s are labels.
    not_allowed: str = gettext_lazy("Van '%(source)s' kan dit niet naar '%(target)s'.")


def _problem(workflow: Workflow, step: Step) -> str | None:
    rule = step.rule
    table = workflow.transitions
    if rule is None:
        return str(workflow.not_allowed) % {
            "source": table.label(step.source),
            "target": table.label(step.target),
        }
    if step.actor not in rule.actors:
        return _("Deze stap is niet aan u.")
    if workflow.authorise is not None:
        refusal = workflow.authorise(step)
        if refusal:
            return refusal
    if rule.reason_required and not step.reason:
        return str(rule.reason_hint) or _("Geef een reden voor deze stap.")
    return None


def _run_safely(workflow: Workflow, pk: Any, send: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            send()
        except Exception:  # the move stands; the log tells the operator what to resend
            logger.exception("notification for %s %s failed", workflow.name, pk)

    return run


def transition(
    workflow: Workflow,
    subject: models.Model,
    target: str,
    *,
    actor: str,
    by: Any = None,
    reason: str = "",
    **context: Any,
) -> models.Model:
    """Move ``subject`` to ``target``: the only way a case's state changes.

    Raises :class:`TransitionRefused` (and changes nothing) when the move is not
    in the table, not the actor's, refused by ``workflow.authorise`` or lacks a
    required reason. ``context`` is passed to the hooks (e.g. a base URL for
    e-mail links). Returns ``subject`` refreshed from the database.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = workflow.model.objects.select_for_update().get(pk=subject.pk)
        source = getattr(locked, workflow.status_field)
        step = Step(
            subject=locked,
            source=source,
            target=target,
            actor=actor,
            by=by,
            reason=reason,
            at=timezone.now(),
            rule=workflow.transitions.rule_for(source, target),
            context=context,
        )
        problem = _problem(workflow, step)
        if problem:
            logging.getLogger(workflow.logger_name).warning(
                "refused transition of %s %s %s -> %s by %s: %s",
                workflow.name,
                locked.pk,
                source,
                target,
                by or actor,
                problem,
            )
            raise TransitionRefused(problem)
        setattr(locked, workflow.status_field, target)
        if workflow.effects is not None:
            workflow.effects(step)
        locked.save()
        workflow.record(step)
        logging.getLogger(workflow.logger_name).info(
            "%s %s %s -> %s by %s", workflow.name, locked.pk, source, target, by or actor
        )
        for send in step.notifications:
            transaction.on_commit(_run_safely(workflow, locked.pk, send))
    subject.refresh_from_db()
    return subject


class TransitionRecord(models.Model):
    """One recorded move of a case: the audit trail every workflow keeps.

    Concrete history models add the foreign key to their case (and may
    redeclare ``from_status``/``to_status`` with their state choices).
    """

    from_status = models.CharField(gettext_lazy("van"), max_length=24, blank=True)
    to_status = models.CharField(gettext_lazy("naar"), max_length=24)
    actor = models.CharField(gettext_lazy("in de rol van"), max_length=24, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(gettext_lazy("tijdstip"), default=timezone.now, db_index=True)
    note = models.TextField(gettext_lazy("toelichting"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


def history_fields(step: Step) -> dict[str, Any]:
    """The common fields of a :class:`TransitionRecord` for ``step``."""
    return {
        "from_status": step.source,
        "to_status": step.target,
        "actor": step.actor,
        "by": step.by,
        "at": step.at,
        "note": step.note,
    }
