"""Account forms: the password-reset request that also reaches new park contacts."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from django.contrib.auth import forms as auth_forms

from .models import ParkContact, User


def _same_email(a: str, b: str) -> bool:
    """Case-insensitive comparison as Django's own reset form does it (NFKC, casefold)."""
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


def may_set_first_password(user: User) -> bool:
    """An active account without a password that the approval of a sign-up created.

    Approving a partner-park sign-up creates the contact's account without a
    password and mails a link to set one (``partnership.emails.send_approved``).
    That link expires; without this rule the contact could not get a new one,
    because Django's reset form skips every account without a usable password.

    Only park contacts qualify, not every account without a password: in
    Django an unusable password also means "this account does not log in
    with a password" (set by hand in the admin to close password log-in), and
    such an account must not be able to set one by e-mail.
    """
    return (
        user.is_active
        and not user.has_usable_password()
        and ParkContact.objects.filter(user=user).exists()
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, plus park contacts who never set their first password."""

    def get_users(self, email: str) -> Iterator[User]:
        email_field = User.get_email_field_name()
        candidates = User._default_manager.filter(
            **{f"{email_field}__iexact": email, "is_active": True}
        )
        for user in candidates:
            if not _same_email(email, getattr(user, email_field)):
                continue
            if user.has_usable_password() or may_set_first_password(user):
                yield user
