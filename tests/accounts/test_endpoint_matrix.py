"""Every endpoint of the site declares who may use it, and that is enforced.

The apps test their own role matrices in detail. This test guards the whole:
it walks the URL configuration, fails on any endpoint missing from ACCESS
(a new page must say who may see it), and checks each endpoint against
anonymous visitors and a logged-in user without any relation to the park
(a coalition partner), the two callers most likely to be let through by
mistake.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from werklandschap.accounts.roles import Role

PUBLIC = "public"  # anyone may GET
PARK_PRIVATE = "park-private"  # the park's contacts, team, its director and province
TEAM = "team"  # programme team only
PARK_EDIT_POST = "park-edit-post"  # POST by those policies.py allows
AUTH = "auth"  # Django's log-in / password views
ADMIN = "admin"
OWN = "own"  # any logged-in user: their own start page (workspace); log-in asked of others
QUESTION = "question"  # one support question: its asker, director, partners, team (tests/support)
DESK_STAFF = "desk-staff"  # programme team and regional directors
VOUCHER = "voucher"  # one voucher application: its park contacts, assessors (tests/vouchers)
PROVINCE = "province"  # the programme team and the officers of that province
INNOVATION = "innovation"  # one innovation entry: its submitter and the team (tests/knowledge)
# Events and communities (tests/community): an event's organisers are the coordinators of its
# community (the team for national events, the region's director for its region's);
# a coordinator's queue is theirs; ACCOUNT_POST is any logged-in person acting for themself.
EVENT_ORGANISER = "event-organiser"
COORDINATOR = "coordinator"
ACCOUNT_POST = "account-post"
REGION = "region"  # the programme team and the director of that region (tests/monitoring)
MONITOR = "monitor"  # whoever may open a monitoring dashboard (tests/monitoring)

ACCESS = {
    "set_language": AUTH,
    "health": PUBLIC,
    # Monitoring dashboards (tests/monitoring/test_dashboards.py): the programme's for the
    # team; a province's for the team and its officers (PROVINCE); a region's for the team and
    # its director (REGION); the index for anyone who may open at least one of them.
    "monitoring:index": MONITOR,
    "monitoring:programme": TEAM,
    "monitoring:programme-chart": TEAM,
    "monitoring:programme-csv": TEAM,
    "monitoring:province": PROVINCE,
    "monitoring:province-chart": PROVINCE,
    "monitoring:province-csv": PROVINCE,
    "monitoring:province-map": PROVINCE,
    "monitoring:region": REGION,
    "monitoring:region-chart": REGION,
    "monitoring:region-csv": REGION,
    "monitoring:region-map": REGION,
    "front:home": PUBLIC,
    "front:privacy": PUBLIC,
    "front:accessibility": PUBLIC,
    "front:contact": PUBLIC,
    "registry:park-list": PUBLIC,
    "registry:park-list-csv": PUBLIC,
    "registry:parks-geojson": PUBLIC,
    "registry:provinces-geojson": PUBLIC,
    "registry:park-detail": PUBLIC,
    "registry:park-change-phase": PARK_EDIT_POST,
    "registry:park-change-role": PARK_EDIT_POST,
    "partnership:signup": PUBLIC,
    "partnership:sent": PUBLIC,
    "partnership:park-search": PUBLIC,
    "partnership:place-search": PUBLIC,
    "partnership:confirm": PUBLIC,
    "partnership:review-list": TEAM,
    "partnership:review-detail": TEAM,
    "partnership:review-approve": TEAM,
    "partnership:review-reject": TEAM,
    "portal:dashboard": PUBLIC,  # full dashboard for insiders, public summary for others
    "portal:ambitions": PARK_PRIVATE,
    "portal:subscription": PARK_PRIVATE,
    "portal:question": PUBLIC,  # old address: redirects to the support desk's form
    "portal:status": PARK_PRIVATE,
    "portal:costs": PARK_PRIVATE,
    "portal:costs-save": PARK_EDIT_POST,  # contacts, director, team (tests/portal/test_costs_*)
    "portal:costs-delete": PARK_EDIT_POST,
    "portal:costs-compare": PARK_PRIVATE,
    "portal:costs-chart": PARK_PRIVATE,
    "portal:costs-pdf": PARK_PRIVATE,
    "portal:costs-xlsx": PARK_PRIVATE,
    "portal:landcover": PARK_PRIVATE,
    "portal:overlay": PARK_PRIVATE,
    "portal:report": PARK_PRIVATE,
    "portal:report-status": PARK_PRIVATE,
    "portal:csv": PARK_PRIVATE,
    "portal:xlsx": PARK_PRIVATE,
    "portal:geojson": PARK_PRIVATE,
    "portal:gpkg": PARK_PRIVATE,
    "workspace:start": OWN,
    "account": OWN,  # "Mijn account": one's own data only (tests/accounts/test_account_page.py)
    "workspace:invite": PARK_EDIT_POST,  # the park's own contacts (workspace.invitations)
    "measures:catalogue": PUBLIC,
    "measures:detail": PUBLIC,
    "measures:example": PUBLIC,  # a made-up park: nothing to save, nothing private
    "measures:example-chart": PUBLIC,
    "support:ask": PUBLIC,
    "support:sent": PUBLIC,
    "support:confirm": PUBLIC,
    "support:desk": OWN,  # each role's own questions (tests/support/test_access.py)
    "support:intake": DESK_STAFF,
    "support:report": DESK_STAFF,
    "support:follow": PUBLIC,  # the holder of an asker's signed link only (tests/support)
    "support:follow-pdf": PUBLIC,
    "support:detail": QUESTION,
    "support:step": QUESTION,
    "support:put-out": QUESTION,
    "support:wait": QUESTION,
    "support:propose": QUESTION,
    "support:choose": QUESTION,
    "support:attachment": QUESTION,
    "support:proposal-pdf": QUESTION,
    # Newsletter (tests/newsletter): the public form and its signed links; the export of
    # subscribers for the mailing tool is the team's only.
    "newsletter:subscribe": PUBLIC,
    "newsletter:sent": PUBLIC,
    "newsletter:confirm": PUBLIC,
    "newsletter:unsubscribe": PUBLIC,  # the holder of a subscriber's signed link only
    "newsletter:export-csv": TEAM,
    "newsletter:export-xlsx": TEAM,
    # Toolbox (tests/toolbox): public pages and the templates of published steps.
    "toolbox:overview": PUBLIC,
    "toolbox:step": PUBLIC,
    "toolbox:template": PUBLIC,
    "vouchers:list": OWN,  # each role's own applications (tests/vouchers/test_pages.py)
    "vouchers:apply": VOUCHER,
    "vouchers:detail": VOUCHER,
    "vouchers:step": VOUCHER,
    "vouchers:revise": VOUCHER,
    "vouchers:deliverable": VOUCHER,
    "vouchers:deliverable-file": VOUCHER,
    "vouchers:payout": VOUCHER,
    # Green Deals (tests/vouchers/test_green_deal_pages.py, test_letters.py): the team sees
    # every province; a province officer only their own; the letters go to the park's
    # contacts, the team and the officer of the voucher's province.
    "vouchers:green-deals": TEAM,
    "vouchers:green-deal": PROVINCE,
    "vouchers:report-csv": TEAM,
    "vouchers:report-xlsx": TEAM,
    "vouchers:award-letter": VOUCHER,
    "vouchers:payout-statement": VOUCHER,
    # Innovation database (tests/knowledge/test_pages.py): published entries for everyone,
    # others 404 but to their submitter and the team; partners, park contacts and the team
    # submit (others 403); the team moderates and compares versions.
    "knowledge:list": PUBLIC,
    "knowledge:suggest": PUBLIC,
    "knowledge:detail": PUBLIC,
    "knowledge:file": PUBLIC,
    "knowledge:submit": OWN,
    "knowledge:edit": INNOVATION,
    "knowledge:step": INNOVATION,
    "knowledge:queue": TEAM,
    "knowledge:revisions": TEAM,
    # Open API /api/v1/ (tests/api): public data for anyone, read-only; a park's full
    # scan for who works on the park (can_view_park_private); the support questions each
    # logged-in user may see (support.services.visible_questions), 401 to anonymous callers.
    "api:openapi": PUBLIC,
    "api:parks": PUBLIC,
    "api:park": PUBLIC,
    "api:park-scan-summary": PUBLIC,
    "api:park-scan": PARK_PRIVATE,
    "api:progress": PUBLIC,
    "api:statistics": PUBLIC,
    "api:measures": PUBLIC,
    "api:measure": PUBLIC,
    "api:support-questions": OWN,
    "api:events": PUBLIC,
    "api:innovation-entries": PUBLIC,
    "api:open-data": PUBLIC,
    "opendata:page": PUBLIC,
    "api:open-data-parks-csv": PUBLIC,
    "api:open-data-parks-xlsx": PUBLIC,
    "api:open-data-parks-geojson": PUBLIC,
    "api:open-data-parks-gpkg": PUBLIC,
    "api:open-data-data-dictionary-csv": PUBLIC,
    "api:open-data-licence-txt": PUBLIC,
    # Communities of Practice and events (tests/community/test_pages.py, test_access.py).
    "community:events": PUBLIC,
    "community:event": PUBLIC,  # a draft only for its organisers; the online link only for
    "community:event-ics": PUBLIC,  # a confirmed place (tests/community/test_online_link.py)
    "community:register": ACCOUNT_POST,
    "community:cancel": ACCOUNT_POST,
    "community:mine": OWN,
    "community:event-new": EVENT_ORGANISER,
    "community:event-edit": EVENT_ORGANISER,
    "community:manage": EVENT_ORGANISER,
    "community:publish": EVENT_ORGANISER,
    "community:cancel-event": EVENT_ORGANISER,
    "community:attendance": EVENT_ORGANISER,
    "community:export-csv": EVENT_ORGANISER,
    "community:export-xlsx": EVENT_ORGANISER,
    "community:communities": PUBLIC,
    "community:community": PUBLIC,  # the member list only for members (test_membership.py)
    "community:join": ACCOUNT_POST,
    "community:leave": ACCOUNT_POST,
    "community:queue": COORDINATOR,
    "community:decide": COORDINATOR,
}
AUTH_NAMES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _names(p.url_patterns, full)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name, p


def all_endpoints():
    return [
        (name, p)
        for name, p in _names(get_resolver().url_patterns)
        if not name.startswith("admin:") and name not in AUTH_NAMES
    ]


def test_every_endpoint_declares_its_audience():
    undeclared = sorted({name for name, _ in all_endpoints()} - set(ACCESS))
    assert not undeclared, f"endpoints without an access rule in this test: {undeclared}"


def _url(name, park):
    kwargs = {}
    route = str(dict(all_endpoints())[name].pattern)
    if "<slug:slug>" in route:
        kwargs["slug"] = park.slug
    if "<int:pk>" in route:
        kwargs["pk"] = 1
    if "<str:token>" in route:
        kwargs["token"] = "not-a-token"
    if "<slug:key>" in route:
        kwargs["key"] = "green_roof_extensive"
    if "<str:reference>" in route:
        kwargs["reference"] = "V2026-00001"
    if "<slug:kind>" in route:
        kwargs["kind"] = "per-jaar"
    if "<slug:province>" in route:
        kwargs["province"] = park.province.name.lower().replace(" ", "-")
    if "<slug:role>" in route:
        kwargs["role"] = "hitte"
    if "<slug:region>" in route:
        kwargs["region"] = park.region.slug
    if "<slug:figure>" in route:
        kwargs["figure"] = "zwerm-per-rol"
    return reverse(name, kwargs=kwargs)


def _refused(response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    return response.status_code == 302 and "/login/" in response.get("Location", "")


@pytest.mark.parametrize("name", sorted(k for k, v in ACCESS.items() if v != AUTH))
@pytest.mark.parametrize("who", ["anonymous", "unrelated partner"])
def test_non_public_endpoints_refuse_outsiders(client, users, park, name, who):
    if who != "anonymous":
        client.force_login(users[Role.COALITION_PARTNER])
    url = _url(name, park)
    get, post = client.get(url), client.post(url, {})
    if ACCESS[name] == OWN and who != "anonymous":
        # Every logged-in user has a start page; it shows only their own items
        # (tests/workspace/test_workspace.py checks what each role sees).
        assert get.status_code == 200, f"{name}: own page gave {get.status_code}"
    elif ACCESS[name] == PUBLIC:
        # Public pages answer (or send a visitor without a pending sign-up back to the
        # form, or say a made-up token is unknown) but never ask to log in.
        assert get.status_code in (200, 302, 404), f"{name}: public GET gave {get.status_code}"
        assert "/login/" not in get.get("Location", ""), f"{name}: public page asks to log in"
    else:
        assert _refused(get), f"{name}: GET by {who} gave {get.status_code}"
        assert _refused(post), f"{name}: POST by {who} gave {post.status_code}"


@pytest.mark.parametrize("name", sorted(k for k, v in ACCESS.items() if v == TEAM))
def test_team_endpoints_refuse_every_other_role(client, users, park, name):
    url = _url(name, park)
    for role, user in users.items():
        if role == Role.PROGRAMME_TEAM:
            continue
        client.force_login(user)
        assert _refused(client.get(url)), f"{name}: {role} may GET"
        assert _refused(client.post(url, {})), f"{name}: {role} may POST"
