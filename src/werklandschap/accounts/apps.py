from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "werklandschap.accounts"
    verbose_name = _("Accounts en rollen")

    def ready(self) -> None:
        # Groups and their permissions always match roles.py after a migrate.
        post_migrate.connect(_sync_groups, dispatch_uid="werklandschap-sync-role-groups")
        # Log lines of log-ins and failed log-ins, and the session clock at log-in.
        from . import sessions, throttling  # noqa: F401


def _sync_groups(sender, **kwargs) -> None:
    from .roles import sync_role_groups

    sync_role_groups(using=kwargs.get("using", "default"))
