"""The monitoring dashboards a user may open (the index page and the workspace)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from werklandschap.accounts import policies
from werklandschap.registry.models import Province, Region


@dataclass(frozen=True)
class DashboardLink:
    kind: str  # "programme", "province" or "region"
    name: str
    url: str


def dashboards_for(user) -> list[DashboardLink]:
    """Programme first, then provinces and regions, each as ``policies`` allows (two queries)."""
    if user is None or not user.is_authenticated:
        return []
    links = []
    if policies.can_view_programme_dashboard(user):
        links.append(DashboardLink("programme", _("Programma"), reverse("monitoring:programme")))
    for province in Province.objects.order_by("name"):
        if policies.can_view_province_dashboard(user, province):
            url = reverse("monitoring:province", kwargs={"province": slugify(province.name)})
            links.append(DashboardLink("province", province.name, url))
    for region in Region.objects.order_by("name"):
        if policies.can_view_region_dashboard(user, region):
            url = reverse("monitoring:region", kwargs={"region": region.slug})
            links.append(DashboardLink("region", region.name, url))
    return links
