from django.contrib import admin

from .models import Expertise, PartnerExpertise, PoolMember


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
