from django.contrib import admin

from .models import ProgrammeTarget


@admin.register(ProgrammeTarget)
class ProgrammeTargetAdmin(admin.ModelAdmin):
    list_display = ["label", "value", "unit", "target_year", "source"]
    search_fields = ["label", "key"]
