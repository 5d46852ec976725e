"""Users and their link to organisations and parks.

We keep as little personal data as possible: an e-mail address to log in and
be notified, an optional display name, the organisation the person acts for,
the language their e-mails are written in and the parks they are a contact of.
No phone numbers, no addresses.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    # The language the person last chose or logged in with: their e-mails are written in it.
    language = models.CharField(
        _("taal"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("De taal van de e-mails aan deze persoon: de laatst gekozen taal van de site."),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
        help_text=_(
            "De organisatie namens wie deze persoon werkt (regisseur, partner, provincie)."
        ),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def refresh_from_db(self, *args, **kwargs) -> None:
        """Reloaded from the database: its remembered role groups are read again too."""
        from .roles import forget_roles

        super().refresh_from_db(*args, **kwargs)
        forget_roles(self)


class ParkContact(models.Model):
    """A user who acts for a park (park manager, entrepreneurs' association, municipality)."""

    class Capacity(models.TextChoices):
        PARK_MANAGEMENT = "park_management", _("Parkmanager / parkmanagement")
        ASSOCIATION = "association", _("Ondernemersvereniging")
        MUNICIPALITY = "municipality", _("Gemeente")
        OWNER = "owner", _("Eigenaar van het hele terrein")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="park_contacts")
    park = models.ForeignKey("registry.Park", on_delete=models.CASCADE, related_name="contacts")
    capacity = models.CharField(_("hoedanigheid"), max_length=32, choices=Capacity.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contactpersoon van terrein")
        verbose_name_plural = _("contactpersonen van terreinen")
        constraints = [
            models.UniqueConstraint(fields=["user", "park"], name="unique_park_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.park}"
