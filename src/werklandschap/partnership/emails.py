"""The e-mails of the sign-up: confirm your address, new sign-up for the team, the decision.

Texts are templates under ``templates/partnership/emails/`` (subject and
plain-text body), rendered in Dutch, the language of the form. Links are
absolute: the view passes the site's base URL; without one (a management
command) ``settings.SITE_URL`` is used.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def _absolute(base_url: str, path: str) -> str:
    base = (base_url or settings.SITE_URL).rstrip("/")
    return base + path


def _send(name: str, context: dict, to: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"partnership/emails/{name}_subject.txt", context)
        body = render_to_string(f"partnership/emails/{name}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, to)


def send_confirmation(application, base_url: str = "") -> None:
    """Double opt-in: the link that proves the applicant reads this address."""
    from .services import confirm_days, confirm_deadline, confirmation_token

    path = reverse("partnership:confirm", kwargs={"token": confirmation_token(application)})
    _send(
        "confirm",
        {
            "application": application,
            "confirm_url": _absolute(base_url, path),
            "days": confirm_days(),
            # The application's deadline: a link sent again ends at the same moment.
            "deadline": timezone.localtime(confirm_deadline(application)),
        },
        [application.contact_email],
    )


def notify_team(application, base_url: str = "") -> None:
    """Tell the programme team's shared mailbox that a sign-up awaits review (if set)."""
    recipients = list(settings.PARTNERSHIP_TEAM_EMAILS)
    if not recipients:
        return
    path = reverse("partnership:review-detail", kwargs={"pk": application.pk})
    _send(
        "team_new",
        {"application": application, "review_url": _absolute(base_url, path)},
        recipients,
    )


def send_approved(application, user, base_url: str = "") -> None:
    """Welcome: what the partner park receives, and a link to set a password."""
    if user.has_usable_password():
        account_url = _absolute(base_url, reverse("login"))
        set_password = False
    else:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        account_url = _absolute(base_url, path)
        set_password = True
    _send(
        "approved",
        {
            "application": application,
            "park": application.park,
            "user": user,
            "account_url": account_url,
            "set_password": set_password,
            "park_url": _absolute(base_url, application.park.get_absolute_url()),
        },
        [application.contact_email],
    )


def send_rejected(application) -> None:
    """The decision and its reason, so the applicant knows what to do differently."""
    _send("rejected", {"application": application}, [application.contact_email])
