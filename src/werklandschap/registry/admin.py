"""Admin for the programme team, in Dutch. Role and phase changes go through services."""

from django.contrib import admin
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Municipality, Organisation, Park, ParkHistory, ParkIdentifier, Province, Region
from .outline_svg import outline_svg
from .services import TRACKED_FIELDS, change_park_status


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "organisation", "has_geometry"]
    search_fields = ["name", "code"]

    @admin.display(boolean=True, description=_("grens geladen"))
    def has_geometry(self, obj):
        return obj.geometry is not None


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "director", "note"]
    list_filter = ["director"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province", "region"]
    list_filter = ["province", "region"]
    search_fields = ["name", "code"]
    list_select_related = ["province", "region"]


class ParkIdentifierInline(admin.TabularInline):
    model = ParkIdentifier
    extra = 0


class ParkHistoryInline(admin.TabularInline):
    model = ParkHistory
    extra = 0
    can_delete = False
    fields = ["changed_at", "field", "old_value", "new_value", "changed_by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "swarm_role",
        "phase",
        "park_type",
        "municipality",
        "province",
        "region",
        "gross_area_ha",
        "is_demo",
    ]
    list_filter = [
        "swarm_role",
        "phase",
        "park_type",
        "organisation_degree",
        "province",
        "region",
        "is_demo",
    ]
    search_fields = ["name", "identifiers__value", "municipality__name"]
    list_select_related = ["municipality", "province", "region"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "gross_area_ha",
        "areas_from_geometry",
        "geometry_summary",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["park_organisation"]
    inlines = [ParkIdentifierInline, ParkHistoryInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "is_demo"]}),
        (
            _("Rol en proces"),
            {"fields": ["swarm_role", "phase", "organisation_degree", "park_organisation"]},
        ),
        (
            _("Ligging"),
            {
                "fields": [
                    "park_type",
                    "municipality",
                    "province",
                    "region",
                    "areas_from_geometry",
                    "gross_area_ha",
                    "geometry_summary",
                    "source",
                ]
            },
        ),
        (_("Registratie"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("begrenzing"))
    def geometry_summary(self, obj):
        """The outline drawn as an inline SVG, with its size, parts and extent.

        Was a one-line summary that always showed "-": ``format_html`` escapes
        its arguments to strings first, so the float format "{:.0f}" raised and
        the admin swallowed the error.
        """
        if obj.geometry is None or obj.geometry.is_empty:
            return _("geen (importeer met 'werklandschap import-parks')")
        x0, y0, x1, y1 = obj.geometry.bounds
        parts = len(getattr(obj.geometry, "geoms", [obj.geometry]))
        facts = format_html(
            "{}<br>{}<br>{}",
            ngettext("%(n)s deel", "%(n)s delen", parts) % {"n": parts},
            _("%(ha)s ha bruto") % {"ha": number_format(obj.gross_area_ha or 0, 1)},
            f"RD New ({x0:.0f}, {y0:.0f}) – ({x1:.0f}, {y1:.0f})",
        )
        link = (
            format_html('<br><a href="{}">{}</a>', obj.get_absolute_url(), _("Terreinpagina"))
            if obj.pk
            else ""
        )
        label = _("Begrenzing van %(name)s") % {"name": obj.name}
        return format_html(
            '<div class="park-outline">{}<p class="park-outline__facts">{}{}</p></div>',
            outline_svg(obj.geometry, label),
            facts,
            link,
        )

    def save_model(self, request, obj, form, change):
        """Save, routing role/phase/degree changes through change_park_status for history."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        tracked = {f: form.cleaned_data[f] for f in TRACKED_FIELDS if f in form.changed_data}
        stored = Park.objects.get(pk=obj.pk)
        for field in tracked:
            setattr(obj, field, getattr(stored, field))
        super().save_model(request, obj, form, change)
        if tracked:
            change_park_status(obj, by=request.user, note=str(_("via beheer")), **tracked)
            obj.refresh_from_db()
