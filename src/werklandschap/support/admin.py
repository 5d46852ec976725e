from django.contrib import admin

from .models import Expertise, PartnerExpertise, PoolMember, Question, QuestionEvent


class PartnerExpertiseInline(admin.TabularInline):
    model = PartnerExpertise
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartnerExpertiseInline]


@admin.register(PoolMember)
class PoolMemberAdmin(admin.ModelAdmin):
    list_display = ["organisation", "source"]
    autocomplete_fields = ["organisation"]


class QuestionEventInline(admin.TabularInline):
    """The audit trail, read-only: history is written by the workflow alone."""

    model = QuestionEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Read-only view for the team; every change goes through the desk's pages
    (and so through the workflow), never through an edit form here."""

    list_display = ["reference", "title", "status", "region", "director", "due_date"]
    list_filter = ["status", "region", "asker_type"]
    search_fields = ["reference", "title"]
    inlines = [QuestionEventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
