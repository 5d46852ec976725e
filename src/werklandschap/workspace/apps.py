from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "werklandschap.workspace"
    verbose_name = _("Werkplek")

    def ready(self) -> None:
        # Built-in sections, then any app's own ``workspace_sections`` module
        # (later capabilities register their items there), then the signal hooks.
        from django.utils.module_loading import autodiscover_modules

        from . import providers, receivers  # noqa: F401

        autodiscover_modules("workspace_sections")
