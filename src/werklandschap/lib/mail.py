"""E-mail in the recipient's language with absolute links: shared by every app that mails.

Texts are templates (``<prefix>_subject.txt`` and ``<prefix>_body.txt``).
Links are absolute: views pass the site's base URL; without one (a management
command) ``settings.SITE_URL`` is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def absolute(base_url: str, path: str) -> str:
    base = (base_url or settings.SITE_URL).rstrip("/")
    return base + path


def mail_language(language: str | None = None) -> str:
    """The language a recipient reads: ``language`` if the site offers it, else Dutch."""
    code = (language or "").lower().split("-")[0]
    return code if code in {c for c, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def language_link(base_url: str, viewname: str, language: str, **kwargs) -> str:
    """An absolute link that opens the page in ``language`` (its /en/ prefix or none).

    ``reverse`` writes the prefix of whatever language is active while a mail is
    built (a reviewer's, a command's); the recipient's is the one that counts.
    """
    with translation.override(mail_language(language)):
        return absolute(base_url, reverse(viewname, kwargs=kwargs or None))


def send_templated(prefix: str, context: dict, to: list[str], language: str | None = None) -> None:
    """Render ``prefix``'s subject and body in ``language`` and send them to ``to``."""
    if not to:
        return
    with translation.override(mail_language(language)):
        subject = render_to_string(f"{prefix}_subject.txt", context)
        body = render_to_string(f"{prefix}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, to)


def user_language(user) -> str:
    """The language ``user`` reads e-mail in: their account's (``accounts.language``)."""
    return mail_language(getattr(user, "language", None))


def languages_of(addresses: Iterable[str]) -> dict[str, str]:
    """Each address's reader's language, from the accounts with that address (Dutch for
    an address without an account), in one query."""
    from django.contrib.auth import get_user_model

    addresses = set(addresses)
    found = dict(
        get_user_model()
        .objects.filter(email__in=addresses, is_active=True)
        # Oldest log-in first: with two accounts on one address, the later row (the most
        # recent log-in) is the one dict() keeps.
        .order_by(F("last_login").asc(nulls_first=True), "pk")
        .values_list("email", "language")
    )
    return {a: mail_language(found.get(a)) for a in addresses}


def send_each(prefix: str, context_for: Callable[[str], dict], addresses: Iterable[str]) -> None:
    """One mail per address, each in its reader's language (``languages_of``); no one sees
    who else received it. ``context_for(language)`` builds the context for a language
    (its links with that language's prefix), once per language."""
    contexts: dict[str, dict] = {}
    for address, language in sorted(languages_of(addresses).items()):
        if language not in contexts:
            with translation.override(language):
                contexts[language] = context_for(language)
        send_templated(prefix, contexts[language], [address], language)
