"""The e-mails of the sign-up: confirm your address, new sign-up for the team, the decision.

Texts are templates under ``templates/partnership/emails/`` (subject and
plain-text body), rendered in Dutch, the language of the form (the approval
in the recipient's language when known, see ``send_approved``). Links are
absolute: the view passes the site's base URL; without one (a management
command) ``settings.SITE_URL`` is used.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from werklandschap.lib.mail import absolute as _absolute
from werklandschap.lib.mail import language_link, mail_language, send_templated

__all__ = ["language_link", "mail_language"]


def _send(name: str, context: dict, to: list[str], language: str | None = None) -> None:
    send_templated(f"partnership/emails/{name}", context, to, language)


def send_confirmation(application, base_url: str = "") -> None:
    """Double opt-in: the link that proves the applicant reads this address."""
    from .services import confirm_days, confirm_deadline, confirmation_token

    # Sent from the applicant's own request: the language of the form they used.
    language = mail_language(translation.get_language())
    token = confirmation_token(application)
    _send(
        "confirm",
        {
            "application": application,
            "confirm_url": language_link(base_url, "partnership:confirm", language, token=token),
            "days": confirm_days(),
            # The application's deadline: a link sent again ends at the same moment.
            "deadline": timezone.localtime(confirm_deadline(application)),
        },
        [application.contact_email],
        language,
    )


def notify_team(application, base_url: str = "") -> None:
    """Tell the programme team's shared mailbox that a sign-up awaits review (if set)."""
    recipients = list(settings.PARTNERSHIP_TEAM_EMAILS)
    if not recipients:
        return
    # The team's mailbox reads the site's language, whichever page the applicant used.
    review_url = language_link(
        base_url, "partnership:review-detail", settings.LANGUAGE_CODE, pk=application.pk
    )
    _send("team_new", {"application": application, "review_url": review_url}, recipients)


def send_approved(application, user, base_url: str = "") -> None:
    """Welcome: what the partner park receives, and where to go next.

    The mail leads to the park's dashboard (after setting a password, for a new
    account; the log-in then opens the workspace), not to the public park page.
    Written in the recipient's language when the platform knows it (an existing
    account's last language, ``workspace.language``), else Dutch; links follow it.
    """
    from werklandschap.workspace.language import language_of
    from werklandschap.workspace.mail import account_link

    park = application.park
    with translation.override(language_of(user)):
        account_url, set_password = account_link(user, base_url)
        context = {
            "application": application,
            "park": park,
            "user": user,
            "account_url": account_url,
            "set_password": set_password,
            "dashboard_url": _absolute(base_url, reverse("portal:dashboard", args=[park.slug])),
            "workspace_url": _absolute(base_url, reverse("workspace:start")),
        }
        subject = render_to_string("partnership/emails/approved_subject.txt", context)
        body = render_to_string("partnership/emails/approved_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [application.contact_email])


def send_rejected(application) -> None:
    """The decision and its reason, so the applicant knows what to do differently."""
    _send("rejected", {"application": application}, [application.contact_email])
