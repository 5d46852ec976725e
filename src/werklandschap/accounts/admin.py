from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ParkContact, User


class ParkContactInline(admin.TabularInline):
    model = ParkContact
    extra = 0
    autocomplete_fields = ["park"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Werklandschap"), {"fields": ["organisation"]}),
    ]
    list_display = ["username", "email", "organisation", "is_staff", "is_active"]
    list_filter = [*BaseUserAdmin.list_filter, "organisation__kind"]
    autocomplete_fields = ["organisation"]
    inlines = [ParkContactInline]
