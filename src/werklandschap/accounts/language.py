"""Which language a person reads: remembered on their account for the e-mails they get.

A page's language comes from its URL (``/en/...``) or the language switch; an e-mail
has neither, so the account keeps the last language the person chose or logged in
with (``User.language``). ``lib.mail.user_language`` reads it when a mail is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def remember_language(user, code: str | None) -> None:
    """Store ``code`` as ``user``'s language if the site offers it and it changed."""
    if user is None or not user.is_authenticated or not code:
        return
    offered = {c for c, _name in settings.LANGUAGES}
    code = code.lower().split("-")[0]
    if code in offered and user.language != code:
        user.language = code
        user.save(update_fields=["language"])


@receiver(user_logged_in, dispatch_uid="werklandschap-remember-language")
def remember_language_at_log_in(sender, request=None, user=None, **kwargs) -> None:
    """Logging in on an English page: English e-mails from now on."""
    if request is not None:
        remember_language(user, translation.get_language())


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice on the account."""
    response = django_set_language(request)
    if request.method == "POST":
        remember_language(request.user, request.POST.get("language"))
    return response
