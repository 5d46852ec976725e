"""Which language to write to a user in: the one they last used, else Dutch."""

from __future__ import annotations

from django.conf import settings


def _supported(code: str | None) -> str | None:
    codes = {c for c, _name in settings.LANGUAGES}
    code = (code or "").split("-")[0].lower()
    return code if code in codes else None


def remember_language(user, code: str | None) -> None:
    """Store ``code`` as the user's language (only when it changed: one write, rarely)."""
    from .models import AccountLanguage

    code = _supported(code)
    if code is None or user is None or not user.is_authenticated:
        return
    current = AccountLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    if current != code:
        AccountLanguage.objects.update_or_create(user=user, defaults={"language": code})


def language_of(user) -> str:
    """The user's stored language; the site's default (Dutch) when unknown."""
    from .models import AccountLanguage

    if user is not None and getattr(user, "pk", None):
        stored = AccountLanguage.objects.filter(user=user).values_list("language", flat=True)
        code = _supported(stored.first())
        if code:
            return code
    return settings.LANGUAGE_CODE
