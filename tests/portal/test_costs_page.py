"""The park's costs-and-benefits page: a first plan from its own scan (issue 18)."""

from __future__ import annotations

from django.urls import reverse

from werklandschap.accounts.roles import Role
from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.model import evaluate
from werklandschap.costbenefit.suggest import Targets, suggest
from werklandschap.portal.ambitions import current_targets
from werklandschap.portal.costs import park_cost_benefit, situation


def test_the_page_shows_the_plan_from_the_parks_own_scan(client, users, scanned, park):
    scan = scanned[0]
    client.force_login(users[Role.PARK_CONTACT])
    page = client.get(reverse("portal:costs", kwargs={"slug": park.slug}))
    assert page.status_code == 200
    html = page.content.decode()
    # The same plan the package suggests from the scan and the park's targets.
    targets = current_targets(park)
    expected = suggest(
        load_catalogue(),
        situation(scan),
        Targets(targets["canopy_share_pct"].value, targets["green_share_pct"].value),
    )
    for key in expected.plan.quantities:
        assert reverse("measures:detail", kwargs={"key": key}) in html
    assert "Voor en na (schatting)" in html
    if expected.plan.quantities:
        assert "Wie betaalt en wie wint" in html
        context = park_cost_benefit(park, scan)
        total = evaluate(load_catalogue(), expected.plan)
        assert context["result"].npv == total.npv
        # Conservation on the page's figures: the parties add up to the total.
        assert abs(sum(p["npv"] for p in context["parties"]) - total.npv) < 1e-6 * max(
            1, abs(total.npv)
        )


def test_the_page_is_private_like_the_dashboard(client, users, outsiders, scanned, park):
    url = reverse("portal:costs", kwargs={"slug": park.slug})
    assert "/login/" in client.get(url)["Location"]
    client.force_login(outsiders[Role.PARK_CONTACT])
    assert client.get(url).status_code == 403
    client.force_login(users[Role.REGIONAL_DIRECTOR])
    assert client.get(url).status_code == 200


def test_the_dashboard_links_to_it(client, users, scanned, park):
    client.force_login(users[Role.PARK_CONTACT])
    html = client.get(reverse("portal:dashboard", kwargs={"slug": park.slug})).content.decode()
    assert reverse("portal:costs", kwargs={"slug": park.slug}) in html
