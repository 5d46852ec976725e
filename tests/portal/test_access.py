"""Who sees what of a park's portal: the access matrix, endpoint by endpoint.

Private data (full dashboard, map layers, report, downloads, ambitions) is for
the park's own contacts, the programme team, the regional director of the
park's region and the officer of its province. Everyone else, including
another park's contact, a director of another region, a province officer of
another province and a coalition partner, gets the public summary on the
dashboard URL and 403 on every private endpoint; anonymous visitors are sent
to the login page. The public summary never shows ambitions or contacts.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from werklandschap.portal.ambitions import set_ambitions
from werklandschap.portal.models import ParkAmbition, PartnerSubscription

pytestmark = pytest.mark.django_db

ALLOWED = ("team", "contact", "director", "province")
REFUSED = ("other_contact", "other_director", "partner", "other_province")
# "report" answers with a redirect to "report-status" until the worker has made
# the file; test_report_jobs.py checks both with a finished file too.
PRIVATE_GET = ("status", "landcover", "report-status", "csv", "xlsx", "geojson", "gpkg")
# an ambition no default has, so its text can only come from the park's own choice
OWN_CANOPY_TARGET = 37.5


@pytest.fixture
def private_data(park, people, scanned):
    set_ambitions(park, {"canopy_share_pct": OWN_CANOPY_TARGET}, by=people["contact"])
    people["contact"].email = "contact@schieweg.example"
    people["contact"].save()
    return {"ambition": "37,5", "email": "contact@schieweg.example"}


def _get(client, user, name, park, **kwargs):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse(f"portal:{name}", kwargs={"slug": park.slug, **kwargs}))


def test_dashboard_private_for_the_park_public_summary_for_others(
    client, park, people, private_data
):
    problems = []
    for who in ALLOWED:
        r = _get(client, people[who], "dashboard", park)
        body = r.content.decode()
        if (
            r.status_code != 200
            or 'id="ambities"' not in body
            or "data-park-dashboard-map" not in body
        ):
            problems.append(f"{who}: no private dashboard ({r.status_code})")
        if private_data["ambition"] not in body:
            problems.append(f"{who}: own ambition not shown")
    for who in (None, *REFUSED):
        r = _get(client, people.get(who), "dashboard", park)
        body = r.content.decode()
        label = who or "anonymous"
        if r.status_code != 200 or "data-scan-summary" not in body:
            problems.append(f"{label}: no public summary ({r.status_code})")
        for private in (
            'id="ambities"',
            "data-park-dashboard-map",
            private_data["ambition"],
            private_data["email"],
            reverse("portal:report", kwargs={"slug": park.slug}),
            reverse("portal:csv", kwargs={"slug": park.slug}),
            "Duurzaamheidsstap",
        ):
            if private in body:
                problems.append(f"{label}: public summary shows {private!r}")
        # the summary does show the public part
        if "Aandeel groen" not in body:
            problems.append(f"{label}: headline indicators missing from the summary")
    assert problems == []


def test_private_endpoints(client, park, people, scanned):
    problems = []
    for name in PRIVATE_GET:
        for who in ALLOWED:
            r = _get(client, people[who], name, park)
            if r.status_code != 200:
                problems.append(f"{name} {who}: {r.status_code}, expected 200")
        for who in REFUSED:
            r = _get(client, people[who], name, park)
            if r.status_code != 403:
                problems.append(f"{name} {who}: {r.status_code}, expected 403")
        r = _get(client, None, name, park)
        if r.status_code != 302 or "/account/login/" not in r["Location"]:
            problems.append(f"{name} anonymous: {r.status_code}, expected a login redirect")
    # raster overlays go through the same check
    for who, expected in (("contact", 200), ("other_contact", 403), ("partner", 403)):
        r = _get(client, people[who], "overlay", park, role="heat")
        if r.status_code != expected:
            problems.append(f"overlay {who}: {r.status_code}, expected {expected}")
    assert problems == []


def test_other_parks_contact_cannot_read_this_parks_files(
    client, park, other_park, people, scanned
):
    """The mirror image: our contact gets 403 on the other park, its own contact 200."""
    for name in ("csv", "geojson", "status"):
        assert _get(client, people["contact"], name, other_park).status_code == 403
        assert _get(client, people["other_contact"], name, other_park).status_code == 200


def test_unknown_park_is_404(client, people, scanned):
    client.force_login(people["team"])
    assert client.get("/portaal/bestaat-niet/").status_code == 404
    assert client.get("/portaal/bestaat-niet/indicatoren.csv").status_code == 404


def test_setting_ambitions_is_for_the_park_contacts_and_the_team(client, park, people, scanned):
    url = reverse("portal:ambitions", kwargs={"slug": park.slug})
    for who, expected in (
        ("contact", 302),
        ("team", 302),
        ("director", 403),  # reads, does not set the park's targets
        ("province", 403),
        ("other_contact", 403),
        ("other_director", 403),
        ("partner", 403),
        ("other_province", 403),
    ):
        client.logout()
        client.force_login(people[who])
        before = ParkAmbition.objects.count()
        r = client.post(url, {"target_canopy_share_pct": str(20 + len(who))})
        assert r.status_code == expected, (who, r.status_code)
        changed = ParkAmbition.objects.count() - before
        assert changed == (1 if expected == 302 else 0), who
    client.logout()
    r = client.post(url, {"target_canopy_share_pct": "44"})
    assert r.status_code == 302 and "/account/login/" in r["Location"]
    assert not ParkAmbition.objects.filter(target=44).exists()


def test_ambitions_get_is_not_allowed(client, park, people, scanned):
    client.force_login(people["contact"])
    assert client.get(reverse("portal:ambitions", kwargs={"slug": park.slug})).status_code == 405


def test_subscriptions_only_for_the_parks_own_contact(client, park, people, scanned):
    url = reverse("portal:subscription", kwargs={"slug": park.slug})
    for who in ("team", "director", "province", "other_contact", "partner"):
        client.logout()
        client.force_login(people[who])
        assert client.post(url, {"newsletter": "on"}).status_code == 403, who
    assert PartnerSubscription.objects.count() == 0
    client.logout()
    client.force_login(people["contact"])
    assert client.post(url, {"newsletter": "on"}).status_code == 302
    sub = PartnerSubscription.objects.get(contact__user=people["contact"], contact__park=park)
    assert sub.newsletter and sub.newsletter_consent_at is not None
    assert not sub.webinar and sub.webinar_consent_at is None
    # switching off clears the consent time
    client.post(url, {"webinar": "on"})
    sub.refresh_from_db()
    assert not sub.newsletter and sub.newsletter_consent_at is None
    assert sub.webinar and sub.webinar_consent_at is not None


def test_registry_park_page_shows_the_public_summary_only(client, park, people, private_data):
    r = client.get(park.get_absolute_url())
    body = r.content.decode()
    assert r.status_code == 200
    assert "data-scan-summary" in body
    assert private_data["ambition"] not in body
    assert reverse("portal:dashboard", kwargs={"slug": park.slug}) in body
    client.force_login(people["contact"])
    body = client.get(park.get_absolute_url()).content.decode()
    assert "Naar het dashboard van dit terrein" in body


def test_the_old_question_address_leads_to_the_support_desk(client, park):
    r = client.get(reverse("portal:question", kwargs={"slug": park.slug}))
    assert r.status_code == 302
    assert r["Location"] == reverse("support:ask") + f"?park={park.slug}"
    form = client.get(r["Location"]).content.decode()
    assert park.name in form


def test_team_reads_subscribers_in_the_admin_but_cannot_change_them(client, park, people):
    from werklandschap.accounts.models import ParkContact
    from werklandschap.portal.partner_offer import set_subscription

    contact = ParkContact.objects.get(user=people["contact"], park=park)
    set_subscription(contact, newsletter=True, webinar=False)
    client.force_login(people["team"])
    r = client.get("/beheer/portal/partnersubscription/")
    assert r.status_code == 200
    assert "contact" in r.content.decode()
    assert client.get("/beheer/portal/partnersubscription/add/").status_code == 403
    client.force_login(people["contact"])  # not staff: no admin at all
    assert client.get("/beheer/portal/partnersubscription/").status_code == 302
