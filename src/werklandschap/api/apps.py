from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "werklandschap.api"
    label = "api"
    verbose_name = _("Open API en open data")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (regenerates the downloads after a scan run)
