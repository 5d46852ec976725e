from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The park portal: scan dashboard, ambitions, report and downloads per park."""

    name = "werklandschap.portal"
    verbose_name = _("Terreinportaal")
