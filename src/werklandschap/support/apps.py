from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "werklandschap.support"
    verbose_name = _("Vraaggerichte ondersteuning")
