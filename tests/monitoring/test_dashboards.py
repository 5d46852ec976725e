"""The monitoring dashboards (issue 21): figures rebuilt from history, access per area,
charts and CSV, scan indicators, and a query count that does not grow with the parks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from shapely.geometry import box

from werklandschap.accounts.roles import Role
from werklandschap.monitoring import figures, maps
from werklandschap.registry.choices import ProcessPhase, SwarmRole
from werklandschap.registry.models import Park, ParkHistory, Province, Region
from werklandschap.registry.services import change_park_status, unique_park_slug
from werklandschap.scans.models import ParkScan, ScanRun

pytestmark = pytest.mark.django_db

NO_CACHE = override_settings(MONITORING_CACHE_SECONDS=0)


def months_ago(n: int) -> dt.datetime:
    today = timezone.localdate().replace(day=15)
    year, month = today.year, today.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return timezone.make_aware(dt.datetime(year, month, 15, 12))


def make_parks(n: int, province: Province, region: Region, *, role=SwarmRole.PARTNER) -> list:
    parks = []
    for i in range(n):
        x = 85_000 + 400 * i
        park = Park.objects.create(
            name=f"Monitorterrein {i}",
            slug=unique_park_slug(f"Monitorterrein {i}"),
            geometry=box(x, 445_000, x + 300, 445_300),
            province=province,
            region=region,
        )
        change_park_status(park, swarm_role=role, phase=ProcessPhase.INITIATIVE)
        parks.append(park)
    return parks


def scan(park: Park, run: ScanRun, when: dt.datetime, green: float, gap: float) -> ParkScan:
    result = ParkScan.objects.create(
        run=run,
        park=park,
        status=ParkScan.Status.OK,
        area_ha=9.0,
        indicators={
            "green_share_pct": {"value": green, "status": "ok"},
            "storage_gap_m3": {"value": gap, "status": "ok"},
            "canopy_share_pct": {"value": None, "status": "not_available"},
        },
    )
    ParkScan.objects.filter(pk=result.pk).update(computed_at=when)
    return result


# --- the swarm over time ------------------------------------------------------------


def test_the_swarm_over_time_is_rebuilt_from_the_park_history(park):
    Park.objects.filter(pk=park.pk).update(created_at=months_ago(6))
    change_park_status(park, swarm_role=SwarmRole.PARTNER, phase=ProcessPhase.AMBITION)
    ParkHistory.objects.filter(park=park).update(changed_at=months_ago(3))
    change_park_status(park, swarm_role=SwarmRole.AMBASSADOR)
    ParkHistory.objects.filter(park=park, new_value=str(SwarmRole.AMBASSADOR.label)).update(
        changed_at=months_ago(1)
    )
    series = figures.swarm_over_time(Park.objects.filter(pk=park.pk))
    month = dict(zip(series.months, range(len(series.months)), strict=True))
    at = {n: month[months_ago(n).strftime("%Y-%m")] for n in (4, 3, 2, 1, 0)}

    assert series.total[at[4]] == 0  # registered, not yet in the swarm
    assert series.series["role"]["partner"][at[3]] == 1
    assert series.series["role"]["partner"][at[2]] == 1
    assert series.series["role"]["partner"][at[1]] == 0
    assert series.series["role"]["ambassador"][at[1]] == 1
    assert series.series["role"]["ambassador"][at[0]] == 1
    assert series.series["phase"]["0"][at[0]] == 1
    assert series.series["region"]["Rotterdam-Den Haag"][at[0]] == 1
    assert series.in_swarm == 1


def test_a_change_recorded_in_english_counts_like_one_in_dutch(park):
    Park.objects.filter(pk=park.pk).update(created_at=months_ago(3))
    with translation.override("en"):
        (first,) = change_park_status(park, swarm_role=SwarmRole.LIVING_LAB)
    assert first.old_value == "None (not yet joined)"  # not the Dutch label
    ParkHistory.objects.filter(pk=first.pk).update(changed_at=months_ago(2))
    change_park_status(park, swarm_role=SwarmRole.PARTNER)
    series = figures.swarm_over_time(Park.objects.filter(pk=park.pk))
    index = series.months.index(months_ago(2).strftime("%Y-%m"))
    assert series.series["role"]["living_lab"][index] == 1
    assert series.series["role"]["partner"][-1] == 1


def test_a_park_without_history_counts_from_its_creation_with_its_role_today(park):
    Park.objects.filter(pk=park.pk).update(created_at=months_ago(2), swarm_role=SwarmRole.SHOWCASE)
    series = figures.swarm_over_time(Park.objects.filter(pk=park.pk))
    index = series.months.index(months_ago(2).strftime("%Y-%m"))
    assert index == 0  # the series starts in the month of the first event
    assert series.series["role"]["showcase"] == [1] * len(series.months)


# --- access -------------------------------------------------------------------------


def _urls(park):
    province = slugify(park.province.name)
    return {
        "programme": reverse("monitoring:programme"),
        "province": reverse("monitoring:province", kwargs={"province": province}),
        "region": reverse("monitoring:region", kwargs={"region": park.region.slug}),
    }


@NO_CACHE
@pytest.mark.parametrize(
    "role, allowed",
    [
        (Role.PROGRAMME_TEAM, {"programme", "province", "region"}),
        (Role.PROVINCE_OFFICER, {"province"}),
        (Role.REGIONAL_DIRECTOR, {"region"}),
        (Role.PARK_CONTACT, set()),
        (Role.COALITION_PARTNER, set()),
    ],
)
def test_who_sees_which_dashboard(client, users, park, role, allowed):
    client.force_login(users[role])
    for name, url in _urls(park).items():
        status = client.get(url).status_code
        assert status == (200 if name in allowed else 403), f"{role} {name}: {status}"
    index = client.get(reverse("monitoring:index")).status_code
    assert index == (200 if allowed else 403)


@NO_CACHE
def test_an_officer_or_director_never_sees_another_area(client, users, park):
    other_province = Province.objects.exclude(pk=park.province_id).first()
    other_region = Region.objects.exclude(pk=park.region_id).exclude(director=None).first()
    province_url = reverse("monitoring:province", kwargs={"province": slugify(other_province.name)})
    region_url = reverse("monitoring:region", kwargs={"region": other_region.slug})
    for role in (Role.PROVINCE_OFFICER, Role.REGIONAL_DIRECTOR):
        client.force_login(users[role])
        for url in (province_url, region_url, province_url + "kaart.geojson?indicator=pet_mean_c"):
            assert client.get(url).status_code == 403, (role, url)
        chart = reverse(
            "monitoring:province-chart",
            kwargs={"province": slugify(other_province.name), "figure": "zwerm-per-rol"},
        )
        assert client.get(chart).status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client, park):
    for url in _urls(park).values():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


# --- pages, charts and CSV ----------------------------------------------------------


@NO_CACHE
def test_the_programme_page_shows_targets_charts_events_and_innovations(client, users, park):
    make_parks(3, park.province, park.region)
    client.force_login(users[Role.PROGRAMME_TEAM])
    response = client.get(reverse("monitoring:programme"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    assert " style=" not in html and "<style" not in html
    assert "<script>" not in html  # only external scripts and JSON data blocks
    assert "Bijeenkomsten en deelname" in html and "Innovatiedatabase" in html
    assert "/monitor/programma/grafiek/zwerm-per-rol.svg" in html
    dashboard = figures.compute_dashboard(figures.Scope.programme())
    target = next(t for t in dashboard.targets if t.key == "parks-in-transition")
    assert (target.value, target.reached) == (1000, 3)
    assert (dashboard.events.upcoming, dashboard.innovations.published) == (0, 0)


@NO_CACHE
def test_every_chart_is_an_svg_without_inline_style_and_every_csv_is_formula_safe(
    client, users, park
):
    region = Region.objects.create(name="=HYPERLINK(1)", slug="formule-regio")
    make_parks(2, park.province, region)
    client.force_login(users[Role.PROGRAMME_TEAM])
    from werklandschap.monitoring.datasets import FIGURES

    for figure, (_label, _build, area_only) in FIGURES.items():
        if area_only:
            continue
        kwargs = {"figure": figure}
        chart = client.get(reverse("monitoring:programme-chart", kwargs=kwargs))
        if chart.status_code == 200:
            svg = chart.content.decode()
            assert chart["Content-Type"].startswith("image/svg+xml")
            assert "style=" not in svg and "<style" not in svg and "<title>" in svg
        data = client.get(reverse("monitoring:programme-csv", kwargs=kwargs))
        assert data.status_code == 200 and data["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(data.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0], figure
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "@")), (figure, cell)
    regions = client.get(reverse("monitoring:programme-csv", kwargs={"figure": "zwerm-per-regio"}))
    assert "'=HYPERLINK(1)" in regions.content.decode("utf-8-sig")
    assert (
        client.get(reverse("monitoring:programme-csv", kwargs={"figure": "nee"})).status_code == 404
    )


# --- scan indicators and the map ----------------------------------------------------


@NO_CACHE
def test_area_scan_indicators_take_each_parks_latest_scan_and_its_change(client, users, park):
    a, b = make_parks(2, park.province, park.region)
    run = ScanRun.objects.create(bundle_name="test", engine_version="t")
    scan(a, run, months_ago(3), green=10.0, gap=100.0)
    scan(a, ScanRun.objects.create(bundle_name="t2", engine_version="t"), months_ago(1), 20.0, 50.0)
    scan(b, run, months_ago(3), green=30.0, gap=10.0)
    result = figures.scan_figures(figures.Scope("province", province=park.province).parks())
    by_key = {f.key: f for f in result.indicators}
    green, gap, canopy = (
        by_key["green_share_pct"],
        by_key["storage_gap_m3"],
        by_key["canopy_share_pct"],
    )
    assert result.scanned_parks == 2
    assert green.value == pytest.approx(25.0)  # equal areas: mean of 20 and 30
    assert (green.compared, green.change) == (1, pytest.approx(10.0))
    assert gap.value == pytest.approx(60.0) and gap.change == pytest.approx(-50.0)  # summed
    assert canopy.value is None and canopy.parks == 0

    client.force_login(users[Role.PROVINCE_OFFICER])
    url = reverse("monitoring:province-map", kwargs={"province": slugify(park.province.name)})
    data = json.loads(client.get(url + "?indicator=green_share_pct").content)
    values = {f["properties"]["name"]: f["properties"]["value"] for f in data["features"]}
    assert values["Monitorterrein 0"] == 20.0 and values[park.name] is None
    classes = {f["properties"]["name"]: f["properties"]["class"] for f in data["features"]}
    assert classes["Monitorterrein 0"] < classes["Monitorterrein 1"]
    assert client.get(url + "?indicator=nope").status_code == 404
    page = client.get(
        reverse("monitoring:province", kwargs={"province": slugify(park.province.name)})
    )
    assert "monitor-map-config" in page.content.decode()


def test_class_breaks_spread_values_over_five_classes():
    breaks = maps.class_breaks([float(v) for v in range(1, 11)])
    assert breaks == [2.0, 4.0, 6.0, 8.0, 10.0]
    assert [maps.class_of(v, breaks) for v in (1.0, 2.5, 10.0, None)] == [0, 1, 4, None]


# --- queries do not grow with the parks ---------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@NO_CACHE
def test_dashboard_queries_do_not_grow_with_the_number_of_parks(client, users, park):
    client.force_login(users[Role.PROGRAMME_TEAM])
    run = ScanRun.objects.create(bundle_name="test", engine_version="t")
    province = slugify(park.province.name)
    urls = [
        reverse("monitoring:programme"),
        reverse("monitoring:province", kwargs={"province": province}),
        reverse("monitoring:region", kwargs={"region": park.region.slug}),
        reverse("monitoring:province-map", kwargs={"province": province}) + "?indicator=pet_mean_c",
        reverse("monitoring:programme-chart", kwargs={"figure": "zwerm-per-rol"}),
    ]
    for p in make_parks(3, park.province, park.region):
        scan(p, run, months_ago(2), 10.0, 5.0)
    small = [_count_queries(client, url) for url in urls]
    for p in make_parks(27, park.province, park.region):
        scan(p, run, months_ago(2), 12.0, 6.0)
    large = [_count_queries(client, url) for url in urls]
    assert large == small


def test_a_cached_dashboard_is_recomputed_when_a_park_changes(client, users, park):
    client.force_login(users[Role.PROGRAMME_TEAM])
    scope = figures.Scope.programme()
    with override_settings(MONITORING_CACHE_SECONDS=60):
        before = figures.dashboard(scope).swarm.in_swarm
        again = figures.dashboard(scope)
        with CaptureQueriesContext(connection) as cached:
            figures.dashboard(scope)
        change_park_status(park, swarm_role=SwarmRole.PARTNER)
        after = figures.dashboard(scope).swarm.in_swarm
    assert again.swarm.in_swarm == before
    assert len(cached) == 1  # the fingerprint, one query
    assert after == before + 1


# --- the workspace and the index ----------------------------------------------------


@pytest.mark.parametrize(
    "role, expected",
    [
        (Role.PROGRAMME_TEAM, None),  # the programme and every area
        (Role.PROVINCE_OFFICER, ["province"]),
        (Role.REGIONAL_DIRECTOR, ["region"]),
        (Role.PARK_CONTACT, []),
        (Role.COALITION_PARTNER, []),
    ],
)
def test_the_workspace_links_to_the_dashboards_one_may_open(client, users, park, role, expected):
    from werklandschap.monitoring.links import dashboards_for

    links = dashboards_for(users[role])
    if expected is None:
        assert links[0].kind == "programme"
        assert {link.kind for link in links} == {"programme", "province", "region"}
    else:
        # A director's organisation may direct several regions: one link for each.
        assert sorted({link.kind for link in links}) == expected
    for link in links:
        client.force_login(users[role])
        assert client.get(link.url).status_code == 200
    client.force_login(users[role])
    start = client.get(reverse("workspace:start")).content.decode()
    assert ('id="monitor"' in start) == bool(links)


def test_the_cached_page_follows_its_data(client, users, park):
    client.force_login(users[Role.PROGRAMME_TEAM])
    url = reverse("monitoring:programme")
    with override_settings(MONITORING_CACHE_SECONDS=60):
        first = client.get(url).content.decode()
        again = client.get(url).content.decode()
        change_park_status(park, swarm_role=SwarmRole.LIVING_LAB)
        after = client.get(url).content.decode()
    kpi = '<span class="monitor-kpis__value">{}</span> <span class="monitor-kpis__label">'
    assert kpi.format(0) in first and kpi.format(0) in again
    assert kpi.format(1) in after


@NO_CACHE
def test_a_phone_variant_of_each_chart_is_narrower_and_offered_to_small_screens(
    client, users, park
):
    make_parks(2, park.province, park.region)
    client.force_login(users[Role.PROGRAMME_TEAM])
    url = reverse("monitoring:programme-chart", kwargs={"figure": "zwerm-per-rol"})
    wide, narrow = (
        client.get(url).content.decode(),
        client.get(url + "?v=telefoon").content.decode(),
    )

    def width(svg: str) -> float:
        return float(svg.split('width="', 1)[1].split("pt", 1)[0])

    assert width(narrow) < 0.6 * width(wide)
    assert "style=" not in narrow
    page = client.get(reverse("monitoring:programme")).content.decode()
    assert f'srcset="{url}?v=telefoon"' in page
