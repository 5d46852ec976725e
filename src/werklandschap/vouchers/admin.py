"""The programme team keeps Green Deals, rounds and the supporter register here.

Applications are read-only in the admin: their state changes only through the
workflow (``services.move``), so every step has its history row.
"""

from django.contrib import admin

from .models import (
    CoFinancing,
    GreenDeal,
    Payout,
    ProcessSupporter,
    ProvincialScheme,
    VoucherApplication,
    VoucherEvent,
    VoucherRound,
)


class CoFinancingInline(admin.TabularInline):
    model = CoFinancing
    extra = 0


@admin.register(GreenDeal)
class GreenDealAdmin(admin.ModelAdmin):
    list_display = ["province", "status", "signed_on", "package", "voucher_count"]
    list_filter = ["status", "package"]
    filter_horizontal = ["living_labs", "ambassador_parks", "provincial_schemes"]
    inlines = [CoFinancingInline]


@admin.register(ProvincialScheme)
class ProvincialSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]


@admin.register(VoucherRound)
class VoucherRoundAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "green_deal",
        "opens_on",
        "closes_on",
        "budget_cents",
        "voucher_count",
        "voucher_value_cents",
    ]
    list_filter = ["green_deal__province"]


@admin.register(ProcessSupporter)
class ProcessSupporterAdmin(admin.ModelAdmin):
    list_display = ["organisation", "active", "added_on"]
    list_filter = ["active", "provinces"]
    filter_horizontal = ["provinces"]
    autocomplete_fields = ["organisation"]


class VoucherEventInline(admin.TabularInline):
    model = VoucherEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "by", "at", "note"]


class PayoutInline(admin.TabularInline):
    model = Payout
    extra = 0
    can_delete = False
    readonly_fields = ["amount_cents", "paid_on", "note", "created_by", "created_at"]


@admin.register(VoucherApplication)
class VoucherApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "park", "round", "status", "awarded_cents", "submitted_at"]
    list_filter = ["status", "round__green_deal__province"]
    search_fields = ["reference", "park__name"]
    inlines = [VoucherEventInline, PayoutInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
