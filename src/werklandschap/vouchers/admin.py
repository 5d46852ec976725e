from django.contrib import admin

from .models import GreenDeal


@admin.register(GreenDeal)
class GreenDealAdmin(admin.ModelAdmin):
    list_display = [
        "province",
        "status",
        "co_financing_programme_min_eur",
        "co_financing_programme_max_eur",
    ]
    list_filter = ["status"]
