"""What the workspace stores: who invited whom, and the language a user reads.

Both keep personal data minimal: an invitation is two user references, a park
and a moment (no e-mail address of its own: the invited account holds it);
the language is one code per user, so mails reach them in the language they
last used the site in.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """Audit of a park contact inviting a colleague as contact of the same park."""

    park = models.ForeignKey(
        "registry.Park",
        verbose_name=_("bedrijventerrein"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uitgenodigd door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uitgenodigde"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    new_account = models.BooleanField(_("nieuw account"), default=False)
    created_at = models.DateTimeField(_("uitgenodigd op"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.invited_by} -> {self.invitee} ({self.park})"


class AccountLanguage(models.Model):
    """The language a user last used the site in; e-mails to them follow it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="account_language",
    )
    language = models.CharField(_("taal"), max_length=8)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("taal van gebruiker")
        verbose_name_plural = _("talen van gebruikers")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
