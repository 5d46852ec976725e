"""The workspace's e-mails: a park's scan is ready, a colleague invites you.

Each mail is rendered in the recipient's language (``language.language_of``:
the language they last used the site in, else Dutch), links included, and
sent one per recipient so no one sees another's address. Templates are plain
text under ``templates/workspace/emails/``. Links are absolute: the view's
base URL, or ``settings.SITE_URL`` when there is no request (the scan worker).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .language import language_of

logger = logging.getLogger("werklandschap.workspace")


def absolute(base_url: str, path: str) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + path


def account_link(user, base_url: str = "") -> tuple[str, bool]:
    """Where the user starts: the set-password page for an account without a
    password (Django's reset token: valid a few days, once), else the log-in page.

    Returns (url, is_set_password). Call inside the recipient's language.
    """
    if user.has_usable_password():
        return absolute(base_url, reverse("login")), False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return absolute(base_url, path), True


def send_in_language(name: str, language: str, to: str, build_context: Callable[[], dict]) -> None:
    """Render ``workspace/emails/<name>_{subject,body}.txt`` in ``language`` and send it.

    The context is built inside the language, so reversed links carry its prefix.
    """
    with translation.override(language):
        context = build_context()
        subject = render_to_string(f"workspace/emails/{name}_subject.txt", context)
        body = render_to_string(f"workspace/emails/{name}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


def send_scan_ready(park_scan) -> int:
    """Tell each contact of the scanned park that its baseline scan is ready.

    One mail per contact with an e-mail address; returns how many were sent.
    """
    park = park_scan.park
    sent = 0
    for contact in park.contacts.select_related("user").order_by("pk"):
        user = contact.user
        if not user.email or not user.is_active:
            continue

        def context(user=user) -> dict:
            return {
                "park": park,
                "user": user,
                "scan": park_scan,
                "dashboard_url": absolute("", reverse("portal:dashboard", args=[park.slug])),
                "workspace_url": absolute("", reverse("workspace:start")),
            }

        try:
            send_in_language("scan_ready", language_of(user), user.email, context)
            sent += 1
        except Exception:  # one bad address must not keep the others from their mail
            logger.exception("scan-ready mail for park %s to user %s failed", park.pk, user.pk)
    return sent


def send_invitation(invitation, language: str | None, base_url: str = "") -> None:
    """The invited colleague's mail: who invited them, the park, and where to start."""
    user = invitation.invitee
    if language is None:
        language = language_of(user)

    def context() -> dict:
        url, set_password = account_link(user, base_url)
        return {
            "park": invitation.park,
            "inviter": invitation.invited_by,
            "user": user,
            "account_url": url,
            "set_password": set_password,
            "dashboard_url": absolute(
                base_url, reverse("portal:dashboard", args=[invitation.park.slug])
            ),
        }

    send_in_language("invite", language, user.email, context)
