"""The daily digest: each regional director and the programme team hear what is due.

Run by a scheduler (cron, systemd timer) as ``werklandschap support-digest``.
A recipient with nothing overdue, soon due or new gets no mail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from werklandschap.accounts.roles import Role
from werklandschap.lib.mail import language_link, send_templated

from . import calendar, services
from .models import Question
from .workflow import Status

logger = logging.getLogger("werklandschap.support")


@dataclass
class Digest:
    """What one recipient's digest lists."""

    overdue: list[Question] = field(default_factory=list)
    soon_due: list[Question] = field(default_factory=list)
    waiting: list[Question] = field(default_factory=list)  # received, not yet taken up

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.soon_due or self.waiting)


def digest_for(questions: QuerySet[Question], today: date) -> Digest:
    base = questions.select_related("region", "park")
    return Digest(
        overdue=list(services.overdue(base, today).order_by("due_date")),
        soon_due=list(services.soon_due(base, today).order_by("due_date")),
        waiting=list(base.filter(status=Status.RECEIVED).order_by("created_at")),
    )


def send_digests(today: date | None = None, base_url: str = "") -> int:
    """Mail each director organisation's people and the team; returns mails sent."""
    today = today or calendar.local_today()
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    sent = 0
    directors = users.filter(groups__name=Role.REGIONAL_DIRECTOR.value).exclude(organisation=None)
    by_org: dict[int, list[str]] = {}
    for user in directors:
        by_org.setdefault(user.organisation_id, []).append(user.email)
    for organisation_id, addresses in sorted(by_org.items()):
        digest = digest_for(Question.objects.filter(director_id=organisation_id), today)
        sent += _send(digest, sorted(set(addresses)), today, base_url)
    team = sorted(
        {u.email for u in users.filter(groups__name=Role.PROGRAMME_TEAM.value)}
        | set(settings.SUPPORT_TEAM_EMAILS)
    )
    sent += _send(digest_for(Question.objects.all(), today), team, today, base_url)
    logger.info("support digest: %s mails for %s", sent, today)
    return sent


def _send(digest: Digest, to: list[str], today: date, base_url: str) -> int:
    if digest.empty or not to:
        return 0
    send_templated(
        "support/emails/digest",
        {
            "digest": digest,
            "today": today,
            "desk_url": language_link(base_url, "support:desk", settings.LANGUAGE_CODE),
        },
        to,
    )
    return 1
