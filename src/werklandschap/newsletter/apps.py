from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "werklandschap.newsletter"
    verbose_name = _("Nieuwsbrief")

    def ready(self) -> None:
        # A park contact's consent in the portal follows into the mailing list.
        from . import portal_sync

        portal_sync.connect()
