"""Sending an issue to every confirmed subscriber: in batches, resumable, at most once each.

One batch (``NEWSLETTER_BATCH_SIZE`` recipients):

1. *claim*: a ``Delivery`` row per recipient is created and committed before
   anything is sent. The table is unique per issue and subscriber, so a second
   sender running at the same time (the admin action and the command), or a
   resumed send, cannot claim the same person again (the insert fails and the
   person is skipped);
2. *send* over one SMTP connection, each mail in the subscriber's language
   with a plain-text and an HTML part and the RFC 8058 headers
   (``List-Unsubscribe`` with the subscriber's own link,
   ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``);
3. *record*: each row becomes SENT with the time, or FAILED with the kind of
   error (a refused address, a dropped connection).

Resuming is simply sending again: whoever has no row for the issue yet is due.
A process killed between claim and send leaves rows CLAIMED: those people
are *not* mailed again automatically (it is unknown whether the mail left),
and the admin shows them. Subscribers who confirm while an issue is being
sent get it in a later batch; those who unsubscribe are no longer due.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from werklandschap.lib.mail import mail_language
from werklandschap.lib.markdown import render_markdown

from . import portal_sync
from .models import Delivery, Issue, Subscriber
from .services import unsubscribe_url

logger = logging.getLogger("werklandschap.newsletter")

ONE_CLICK = "List-Unsubscribe=One-Click"


def batch_size() -> int:
    return max(1, int(settings.NEWSLETTER_BATCH_SIZE))


def due(issue: Issue):
    """Confirmed subscribers without a record for ``issue``, in a stable order."""
    return (
        Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
        .exclude(deliveries__issue=issue)
        .order_by("pk")
    )


def build_message(
    issue: Issue, subscriber: Subscriber, base_url: str = "", rendered: dict | None = None
) -> EmailMultiAlternatives:
    """The mail of ``issue`` for ``subscriber``: text and HTML part, unsubscribe link, headers.

    ``rendered`` keeps the issue's HTML per language over a batch (the same for
    every recipient; only the unsubscribe link differs).
    """
    language = mail_language(subscriber.language)
    link = unsubscribe_url(subscriber, base_url)
    body = issue.body_for(language)
    rendered = {} if rendered is None else rendered
    if language not in rendered:
        rendered[language] = render_markdown(body)
    with translation.override(language):
        context = {
            "issue": issue,
            "subject": issue.subject_for(language),
            "text": body,
            "html": rendered[language],
            "unsubscribe_url": link,
        }
        text = render_to_string("newsletter/email/issue_body.txt", context)
        html = render_to_string("newsletter/email/issue_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(context["subject"].split()),
        body=text,
        to=[subscriber.email],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": ONE_CLICK},
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another sender first
    remaining: int = 0


def _claim(issue: Issue, subscribers) -> list[tuple[Delivery, Subscriber]]:
    claimed = []
    for subscriber in subscribers:
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    issue=issue,
                    subscriber=subscriber,
                    language=mail_language(subscriber.language),
                    status=Delivery.Status.CLAIMED,
                )
        except IntegrityError:
            continue
        claimed.append((delivery, subscriber))
    return claimed


def start(issue: Issue) -> Issue:
    """Mark ``issue`` as being sent (from then on it cannot be edited)."""
    if issue.status == Issue.Status.DRAFT:
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).update(
            status=Issue.Status.SENDING, started_at=timezone.now()
        )
        issue.refresh_from_db()
    return issue


def send_batch(issue: Issue, *, base_url: str = "") -> BatchResult:
    """Send the next batch of ``issue``; finishes the issue when nobody is due any more."""
    issue = start(issue)
    result = BatchResult()
    if issue.status != Issue.Status.SENDING:
        return result
    size = batch_size()
    candidates = list(due(issue)[:size])
    claimed = _claim(issue, candidates)
    result.skipped = len(candidates) - len(claimed)
    if claimed:
        connection = get_connection()
        connection.open()
        rendered: dict = {}
        try:
            for delivery, subscriber in claimed:
                try:
                    message = build_message(issue, subscriber, base_url, rendered)
                    connection.send_messages([message])
                except (smtplib.SMTPException, OSError) as exc:
                    delivery.status = Delivery.Status.FAILED
                    delivery.error = type(exc).__name__
                    delivery.save(update_fields=["status", "error"])
                    result.failed += 1
                    logger.warning(
                        "newsletter %s to subscriber %s failed: %s",
                        issue.pk,
                        subscriber.pk,
                        type(exc).__name__,
                    )
                    continue
                delivery.status = Delivery.Status.SENT
                delivery.sent_at = timezone.now()
                delivery.save(update_fields=["status", "sent_at"])
                result.sent += 1
        finally:
            connection.close()
    result.remaining = due(issue).count()
    if result.remaining == 0:
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, finished_at=timezone.now()
        )
    logger.info(
        "newsletter %s: batch sent %s, failed %s, %s remaining",
        issue.pk,
        result.sent,
        result.failed,
        result.remaining,
    )
    return result


def send(issue: Issue, *, max_batches: int | None = None, base_url: str = "") -> BatchResult:
    """Send ``issue`` batch after batch until done (or ``max_batches``); resumable."""
    portal_sync.reconcile()
    total = BatchResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        result = send_batch(issue, base_url=base_url)
        batches += 1
        total.sent += result.sent
        total.failed += result.failed
        total.skipped += result.skipped
        total.remaining = result.remaining
        issue.refresh_from_db()
        if issue.status != Issue.Status.SENDING or not (result.sent or result.failed):
            break
    return total
