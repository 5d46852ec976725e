"""Admin of communities: the team names extra coordinators; events, memberships and
registrations are read here and changed on the site, through the services (row locks,
waiting list, workflow history)."""

from django.contrib import admin

from werklandschap.portal.admin import ReadOnlyAdmin

from .models import Community, Event, Membership, MembershipEvent, Registration


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "national"]
    fields = ["name", "description", "coordinators"]
    filter_horizontal = ["coordinators"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return False  # made by `sync_communities`, one per directed region

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "community", "starts_at", "status", "capacity"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "community", "kind", "organisation", "status", "requested_at"]
    list_filter = ["status", "kind"]


@admin.register(MembershipEvent)
class MembershipEventAdmin(ReadOnlyAdmin):
    list_display = ["membership", "from_status", "to_status", "by", "at"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["event", "user", "status", "registered_at", "attended"]
    list_filter = ["status"]
