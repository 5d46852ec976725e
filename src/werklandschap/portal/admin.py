"""Admin views of ambitions and subscriptions, read-only.

The programme team needs the subscriber list (to send the newsletter and the
webinar invitations) and may want to see which targets parks set. Both are
changed by the park contacts themselves on the dashboard, never here, so that
consent and history stay theirs.
"""

from django.contrib import admin

from .models import ParkAmbition, PartnerSubscription, ReportJob


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartnerSubscription)
class PartnerSubscriptionAdmin(ReadOnlyAdmin):
    list_display = [
        "contact",
        "newsletter",
        "newsletter_consent_at",
        "webinar",
        "webinar_consent_at",
        "updated_at",
    ]
    list_filter = ["newsletter", "webinar"]
    search_fields = ["contact__user__email", "contact__park__name"]
    list_select_related = ["contact__user", "contact__park"]


@admin.register(ParkAmbition)
class ParkAmbitionAdmin(ReadOnlyAdmin):
    list_display = ["park", "indicator", "target", "set_by", "set_at"]
    list_filter = ["indicator"]
    search_fields = ["park__name"]
    list_select_related = ["park", "set_by"]
    date_hierarchy = "set_at"


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    """The PDF reports the worker made or is making; a failure's technical message is here."""

    list_display = ["scan", "language", "status", "attempts", "queued_at", "finished_at"]
    list_filter = ["status", "language"]
    search_fields = ["scan__park__name"]
    list_select_related = ["scan__park", "scan__run"]
    readonly_fields = ["error"]
