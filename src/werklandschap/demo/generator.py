"""Synthetic demo parks and demo accounts.

Everything made here is marked ``is_demo`` and named "(demo)", and the
interface shows a banner whenever demo parks exist, so that demo data can
never be mistaken for the real registry. Shapes are plausible (irregular
blocks of 5-150 ha with a street cut through) and placed at the
representative points of real municipalities so that province, municipality
and region follow from the geometry just as for imported parks.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from shapely import affinity
from shapely.geometry import LineString, Polygon

from werklandschap.accounts.models import ParkContact, User
from werklandschap.accounts.roles import Role
from werklandschap.registry.choices import OrganisationDegree, ParkType, ProcessPhase, SwarmRole
from werklandschap.registry.models import Municipality, Organisation, Park
from werklandschap.registry.services import assign_areas, unique_park_slug

# Municipalities spread over all provinces and many regions.
DEMO_MUNICIPALITIES = [
    "Groningen",
    "Eemsdelta",
    "Leeuwarden",
    "Heerenveen",
    "Assen",
    "Emmen",
    "Hoogeveen",
    "Zwolle",
    "Enschede",
    "Hengelo",
    "Almere",
    "Lelystad",
    "Apeldoorn",
    "Arnhem",
    "Nijmegen",
    "Ede",
    "Doetinchem",
    "Tiel",
    "Utrecht",
    "Amersfoort",
    "Nieuwegein",
    "Haarlemmermeer",
    "Alkmaar",
    "Zaanstad",
    "Rotterdam",
    "Delft",
    "Leiden",
    "Gouda",
    "Dordrecht",
    "Westland",
    "Middelburg",
    "Terneuzen",
    "Tilburg",
    "Eindhoven",
    "'s-Hertogenbosch",
    "Breda",
    "Venlo",
    "Heerlen",
]
NAME_PARTS = [
    "De Hoek",
    "Kanaalzone",
    "Oosterhout",
    "Spoorzicht",
    "De Vaart",
    "Heideveld",
    "Molenwerf",
    "Polderpoort",
    "Zuiderhaven",
    "Bolwerk",
    "Lindeveld",
    "Rietland",
]
# (role, how many): roles are spread so every page has something to show.
ROLE_PLAN = [
    (SwarmRole.LIVING_LAB, 4),
    (SwarmRole.AMBASSADOR, 8),
    (SwarmRole.SHOWCASE, 4),
    (SwarmRole.PARTNER, 14),
    (SwarmRole.NONE, 8),
]
DEMO_PASSWORD = "demo-werklandschap"  # noqa: S105 (demo only; refused unless DEMO_ALLOWED)


def park_shape(center: tuple[float, float], area_ha: float, rng: random.Random) -> Polygon:
    """An irregular, plausible business-park outline of about ``area_ha`` around ``center``."""
    n = rng.randint(7, 11)
    angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(n))
    radii = [rng.uniform(0.75, 1.25) for _ in range(n)]
    pts = [
        (math.cos(a) * r, math.sin(a) * r * rng.uniform(0.55, 0.8))
        for a, r in zip(angles, radii, strict=True)
    ]
    shape = Polygon(pts).convex_hull
    # A notch (a neighbouring plot that is not part of the park) makes it less regular.
    notch = Polygon([(0.4, 0.4), (1.6, 0.4), (1.6, 1.6), (0.4, 1.6)])
    shape = shape.difference(affinity.rotate(notch, rng.uniform(0, 360), origin=(0, 0)))
    if shape.geom_type != "Polygon":
        shape = max(shape.geoms, key=lambda g: g.area)
    shape = affinity.rotate(shape, rng.uniform(0, 180), origin=(0, 0))
    scale = math.sqrt(area_ha * 10_000 / shape.area)
    shape = affinity.scale(shape, scale, scale, origin=(0, 0))
    # A public road through the park is not part of it in most registers.
    road = LineString([(-5000, rng.uniform(-50, 50)), (5000, rng.uniform(-50, 50))]).buffer(8)
    shape = shape.difference(affinity.rotate(road, rng.uniform(0, 180), origin=(0, 0)))
    return affinity.translate(shape, *center)


@dataclass(frozen=True)
class DemoSummary:
    parks: int
    users: dict[str, str]


@transaction.atomic
def create_demo_parks(seed: int = 2024) -> int:
    """Create the demo parks (idempotent: existing demo parks are kept)."""
    if Park.objects.filter(is_demo=True).exists():
        return Park.objects.filter(is_demo=True).count()
    rng = random.Random(seed)
    municipalities = {
        m.name: m
        for m in Municipality.objects.exclude(geometry=None).filter(name__in=DEMO_MUNICIPALITIES)
    }
    roles = [role for role, n in ROLE_PLAN for _ in range(n)]
    rng.shuffle(roles)
    types = [ParkType.REGULAR] * 6 + [
        ParkType.LOGISTICS,
        ParkType.CAMPUS,
        ParkType.INDUSTRIAL_CLUSTER,
    ]
    created = 0
    for i, (name, role) in enumerate(zip(DEMO_MUNICIPALITIES, roles, strict=False)):
        municipality = municipalities.get(name)
        if municipality is None:
            continue
        point = municipality.geometry.representative_point()
        area = min(400.0, math.exp(rng.gauss(math.log(30), 0.8)))
        park_name = f"{NAME_PARTS[i % len(NAME_PARTS)]} {municipality.name} (demo)"
        park = Park(
            name=park_name,
            slug=unique_park_slug(park_name),
            is_demo=True,
            geometry=park_shape((point.x, point.y), area, rng),
            park_type=rng.choice(types),
            swarm_role=role,
            phase=rng.choice(ProcessPhase.values) if role != SwarmRole.NONE else None,
            organisation_degree=rng.choice(OrganisationDegree.values),
            source="Synthetische demodata (werklandschap demo)",
            description="Synthetisch demoterrein: vorm, ligging en gegevens zijn verzonnen.",
        )

        assign_areas(park)
        park.save()
        created += 1
    return created


def _demo_user(username: str, role: Role, organisation: Organisation | None, **extra) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.organisation = organisation
    user.email = f"{username}@demo.invalid"
    for key, value in extra.items():
        setattr(user, key, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    return user


@transaction.atomic
def create_demo_users() -> dict[str, str]:
    """One account per role, linked to demo parks and real organisations. Returns name -> role."""
    contact_park = (
        Park.objects.filter(is_demo=True)
        .exclude(swarm_role=SwarmRole.NONE)
        .order_by("name")
        .first()
    )
    director = contact_park.region.director if contact_park and contact_park.region else None
    province_org = (
        contact_park.province.organisation if contact_park and contact_park.province else None
    )
    accounts = {
        "programmateam": _demo_user(
            "programmateam", Role.PROGRAMME_TEAM, None, is_staff=True, is_superuser=True
        ),
        "regisseur": _demo_user("regisseur", Role.REGIONAL_DIRECTOR, director),
        "partner": _demo_user(
            "partner", Role.COALITION_PARTNER, Organisation.objects.filter(name="Heijmans").first()
        ),
        "parkcontact": _demo_user("parkcontact", Role.PARK_CONTACT, None),
        "provincie": _demo_user("provincie", Role.PROVINCE_OFFICER, province_org),
    }
    if contact_park:
        ParkContact.objects.get_or_create(
            user=accounts["parkcontact"],
            park=contact_park,
            defaults={"capacity": ParkContact.Capacity.PARK_MANAGEMENT},
        )
    return {name: str(user.groups.first().name) for name, user in accounts.items()}


# Confirmed sign-ups waiting in the programme team's review queue: synthetic
# people with example.org addresses (RFC 2606, never delivered), for demo parks
# that are not yet in the swarm, one second sign-up joined to the first, and
# one proposed new park drawn on the map.
DEMO_SIGNUPS = [
    ("Parkmanagement {place}", "park_management", "Anne de Vries", "anne.devries"),
    ("Ondernemersvereniging {place}", "association", "Bram Jansen", "bram.jansen"),
    ("Gemeente {municipality}", "municipality", "Chris Bakker", "chris.bakker"),
]
DEMO_SIGNUP_DOMAIN = "example.org"
DEMO_PROPOSED_SUFFIX = "(demo)"


def demo_signups():
    """The demo's sign-ups: for demo parks, or proposing a park named "(demo)"."""
    from django.db.models import Q

    from werklandschap.partnership.models import PartnerApplication

    return PartnerApplication.objects.filter(
        Q(park__is_demo=True) | Q(park=None, proposed_name__endswith=DEMO_PROPOSED_SUFFIX)
    )


def delete_demo_data() -> None:
    """Remove demo parks and the sign-ups made for them (a sign-up protects its park)."""
    from werklandschap.support.models import Question
    from werklandschap.vouchers.demo import delete_demo_vouchers

    demo_signups().delete()
    delete_demo_vouchers()
    Question.objects.filter(park__is_demo=True).delete()
    Park.objects.filter(is_demo=True).delete()


@transaction.atomic
def create_demo_signups(seed: int = 2024) -> int:
    """Put confirmed sign-ups in the review queue, so the demo's queue is not empty.

    Written as the sign-up and its double opt-in leave them (a submitted and a
    confirmed step each), without sending e-mail. Idempotent: nothing is made
    when demo sign-ups exist. Returns how many sign-ups exist afterwards.
    """
    from datetime import timedelta

    from django.utils import timezone

    from werklandschap.partnership.models import (
        CONSENT_VERSION,
        ApplicationEvent,
        OutlineSource,
        PartnerApplication,
    )
    from werklandschap.partnership.workflow import Status

    if demo_signups().exists():
        return demo_signups().count()
    rng = random.Random(seed)
    parks = list(
        Park.objects.filter(is_demo=True, swarm_role=SwarmRole.NONE)
        .exclude(geometry=None)
        .select_related("municipality")
        .order_by("name")[: len(DEMO_SIGNUPS) - 1]
    )
    if not parks:
        return 0
    now = timezone.now()

    def make(park, proposed, geometry, template, days_ago, joined_to=None):
        organisation, capacity, person, mailbox = template
        place = park.name.removesuffix(" (demo)") if park else proposed
        municipality = (park or parks[0]).municipality
        submitted_at = now - timedelta(days=days_ago, hours=rng.randint(1, 9))
        application = PartnerApplication.objects.create(
            park=park,
            proposed_name=proposed,
            geometry=geometry,
            outline_source=OutlineSource.DRAWN if geometry is not None else OutlineSource.NONE,
            organisation_name=organisation.format(
                place=place, municipality=municipality.name if municipality else place
            ),
            capacity=capacity,
            contact_email=f"{mailbox}@{DEMO_SIGNUP_DOMAIN}",
            contact_name=person,
            commits_to_green_goal=True,
            commits_to_bring_knowledge=True,
            commits_to_share_knowledge=True,
            consent_version=CONSENT_VERSION,
            consent_given_at=submitted_at,
            status=Status.CONFIRMED,
            confirmed_at=submitted_at + timedelta(minutes=rng.randint(3, 90)),
            joined_to=joined_to,
        )
        # created_at is set on insert; date it back so the queue reads plausibly.
        PartnerApplication.objects.filter(pk=application.pk).update(created_at=submitted_at)
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application=application,
                    to_status=Status.SUBMITTED,
                    note="Synthetische demo-aanmelding.",
                ),
                ApplicationEvent(
                    application=application,
                    from_status=Status.SUBMITTED,
                    to_status=Status.CONFIRMED,
                ),
            ]
        )
        return application

    first = make(parks[0], "", None, DEMO_SIGNUPS[0], days_ago=6)
    make(parks[0], "", None, DEMO_SIGNUPS[1], days_ago=4, joined_to=first)
    for park in parks[1:]:
        make(park, "", None, DEMO_SIGNUPS[2], days_ago=2)
    # A new park drawn next to the first demo park (2 km east, so no registry match).
    outline = affinity.translate(park_shape(parks[0].geometry.centroid.coords[0], 12, rng), 2000, 0)
    make(None, f"Nieuwe Haven {DEMO_PROPOSED_SUFFIX}", outline, DEMO_SIGNUPS[2], days_ago=1)
    return demo_signups().count()


def scan_demo_parks(*, reset: bool = False, limit: int | None = None) -> int:
    """Give every demo park a baseline scan on a synthetic data bundle made for them.

    The bundle is written once to DEMO_BUNDLE_DIR (its manifest says
    ``synthetic: true``, and every run on it is flagged synthetic); parks that
    already have a scan are not scanned again unless ``reset``.
    """
    from pathlib import Path

    from django.conf import settings

    from werklandschap.scanengine.synthetic import make_bundle
    from werklandschap.scans.models import ParkScan
    from werklandschap.scans.services import execute_run, start_run

    parks = list(Park.objects.filter(is_demo=True).exclude(geometry=None).order_by("pk")[:limit])
    manifest = Path(settings.DEMO_BUNDLE_DIR) / "bundle.yaml"
    if reset or not manifest.is_file():
        manifest = make_bundle(
            [(str(p.pk), p.geometry) for p in parks], settings.DEMO_BUNDLE_DIR, seed=7
        )
    scanned = set(
        ParkScan.objects.filter(park__in=parks, status="ok").values_list("park_id", flat=True)
    )
    todo = [p for p in parks if p.pk not in scanned]
    if todo:
        execute_run(start_run(manifest), todo, workers=2, progress=False)
    return ParkScan.objects.filter(park__in=parks, status="ok").values("park").distinct().count()
