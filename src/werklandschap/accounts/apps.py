from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "werklandschap.accounts"
    verbose_name = _("Accounts en rollen")

    def ready(self) -> None:
        # Groups and their permissions always match roles.py after a migrate.
        post_migrate.connect(_sync_groups, dispatch_uid="werklandschap-sync-role-groups")
        # Log lines of log-ins and failed log-ins, and the session clock at log-in.
        from . import language, sessions, throttling  # noqa: F401
        from .models import User

        m2m_changed.connect(
            _forget_changed_roles,
            sender=User.groups.through,
            dispatch_uid="werklandschap-forget-changed-roles",
        )


def _forget_changed_roles(sender, instance, action, reverse, **kwargs) -> None:
    """A user's groups changed through ``user.groups``: its remembered roles are stale.

    (Changes made from the group's side reach other user objects, which read their
    groups afresh on their own next request.)"""
    if not reverse and action in {"post_add", "post_remove", "post_clear"}:
        from .roles import forget_roles

        forget_roles(instance)


def _sync_groups(sender, **kwargs) -> None:
    """After a migrate (or a test database flush): once, when the last app has had its
    post_migrate, so every app's permissions exist (the signal is sent per app)."""
    from django.apps import apps

    from .roles import sync_role_groups

    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if sender.label == last.label:
        sync_role_groups(using=kwargs.get("using", "default"))
