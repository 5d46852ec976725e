from django.contrib import admin

from .models import ParameterSet, ParkScan, ScanRun


@admin.register(ScanRun)
class ScanRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "bundle_name",
        "status",
        "parks_total",
        "parks_ok",
        "parks_failed",
        "is_synthetic",
    ]
    list_filter = ["status", "is_synthetic"]
    readonly_fields = [f.name for f in ScanRun._meta.fields]


@admin.register(ParkScan)
class ParkScanAdmin(admin.ModelAdmin):
    list_display = ["park", "run", "status", "area_ha", "computed_at"]
    list_filter = ["status", "run"]
    search_fields = ["park__name"]
    readonly_fields = [f.name for f in ParkScan._meta.fields]


@admin.register(ParameterSet)
class ParameterSetAdmin(admin.ModelAdmin):
    list_display = ["digest", "recorded_at"]
    readonly_fields = [f.name for f in ParameterSet._meta.fields]
