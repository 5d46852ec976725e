"""E-mails of the Innovation database: the submitter hears what the team decided.

Sent after the moderation step is committed (``lib.workflow``), in the submitter's
language (``lib.mail.user_language``), with an absolute link to the entry in it.
"""

from __future__ import annotations

from werklandschap.lib.mail import language_link, send_templated, user_language


def _submitter(entry) -> list[str]:
    user = entry.submitted_by
    return [user.email] if user is not None and user.email and user.is_active else []


def notify_published(entry_id: int, base_url: str = "") -> None:
    from .models import Entry

    entry = Entry.objects.select_related("submitted_by").get(pk=entry_id)
    language = user_language(entry.submitted_by)
    send_templated(
        "knowledge/emails/published",
        {"entry": entry, "url": language_link(base_url, "knowledge:detail", language, pk=entry.pk)},
        _submitter(entry),
        language,
    )


def notify_decision(entry_id: int, target: str, reason: str, base_url: str = "") -> None:
    """Returned (with what to change) or taken offline (with why)."""
    from .models import Entry

    entry = Entry.objects.select_related("submitted_by").get(pk=entry_id)
    language = user_language(entry.submitted_by)
    send_templated(
        f"knowledge/emails/{target}",
        {
            "entry": entry,
            "reason": reason,
            "url": language_link(base_url, "knowledge:detail", language, pk=entry.pk),
        },
        _submitter(entry),
        language,
    )
