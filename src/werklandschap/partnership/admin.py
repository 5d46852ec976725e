"""Admin for sign-ups: read-mostly. Decisions are made in the review queue.

The queue (``/aanmelden/beoordelen/``) goes through ``services.decide`` and
so writes history, makes the park a partner and sends the e-mails; editing
the status here would skip all of that, so the admin cannot change it.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ApplicationEvent, PartnerApplication


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PartnerApplication)
class PartnerApplicationAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "park_name",
        "organisation_name",
        "capacity",
        "status",
        "joined_to",
        "created_at",
        "decided_at",
    )
    list_filter = ("status", "capacity", "outline_source")
    search_fields = ("park__name", "proposed_name", "organisation_name", "contact_email")
    date_hierarchy = "created_at"
    inlines = [ApplicationEventInline]
    readonly_fields = (
        "park",
        "proposed_name",
        "outline_source",
        "outline_note",
        "organisation_name",
        "capacity",
        "contact_email",
        "contact_name",
        "commits_to_green_goal",
        "commits_to_bring_knowledge",
        "commits_to_share_knowledge",
        "consent_version",
        "consent_given_at",
        "status",
        "joined_to",
        "idempotency_key",
        "created_at",
        "confirmed_at",
        "decided_at",
        "decided_by",
        "decision_reason",
    )
    fieldsets = (
        (_("Terrein"), {"fields": ("park", "proposed_name", "outline_source", "outline_note")}),
        (
            _("Aanvrager"),
            {"fields": ("organisation_name", "capacity", "contact_name", "contact_email")},
        ),
        (
            _("Toezeggingen en toestemming"),
            {
                "fields": (
                    "commits_to_green_goal",
                    "commits_to_bring_knowledge",
                    "commits_to_share_knowledge",
                    "consent_version",
                    "consent_given_at",
                )
            },
        ),
        (
            _("Verloop"),
            {
                "fields": (
                    "status",
                    "joined_to",
                    "created_at",
                    "confirmed_at",
                    "decided_at",
                    "decided_by",
                    "decision_reason",
                    "idempotency_key",
                )
            },
        ),
    )

    @admin.display(description=_("terrein"))
    def park_name(self, obj: PartnerApplication) -> str:
        return obj.park_name

    def has_add_permission(self, request) -> bool:
        return False  # sign-ups come in through the public form


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = ("application", "from_status", "to_status", "by", "at")
    list_filter = ("to_status",)
    readonly_fields = ("application", "from_status", "to_status", "by", "at", "note")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
