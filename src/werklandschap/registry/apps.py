from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "werklandschap.registry"
    verbose_name = _("Terreinenregister")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Park
        from .services import forget_demo_flag

        post_save.connect(forget_demo_flag, sender=Park, dispatch_uid="demo-flag-save")
        post_delete.connect(forget_demo_flag, sender=Park, dispatch_uid="demo-flag-delete")
