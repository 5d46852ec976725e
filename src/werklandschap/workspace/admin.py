from django.contrib import admin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only audit: who invited whom as contact of which park."""

    list_display = ("created_at", "park", "invited_by", "invitee", "new_account")
    list_select_related = ("park", "invited_by", "invitee")
    search_fields = ("park__name",)
    readonly_fields = ("created_at", "park", "invited_by", "invitee", "new_account")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
