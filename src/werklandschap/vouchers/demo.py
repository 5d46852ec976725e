"""Demo vouchers: an open round in each Green Deal province and applications in every state.

Made through the scheme's own services (eligibility, workflow, history, money
checks), by synthetic park-contact accounts of the demo parks, the demo
team and province accounts, and a synthetic supporter account. The rounds,
supporters and co-financing figures are read from ``data/vouchers/demo.yaml``
and are synthetic; their ``source`` says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from werklandschap.lib.refdata import ReferenceDataError, read_yaml, require
from werklandschap.registry.choices import OrganisationKind, SwarmRole
from werklandschap.registry.models import Organisation, Park, Province

from .models import (
    CoFinancing,
    GreenDeal,
    ProcessSupporter,
    ProvincialScheme,
    VoucherApplication,
    VoucherRound,
)
from .workflow import Status

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "vouchers"
DEMO_FILE = "demo.yaml"
DEMO_PROVINCES = ("Utrecht", "Noord-Brabant", "Zuid-Holland", "Gelderland")
# The states shown. Closed ones are made first (the park may apply again after
# them); then each active one on a park of its own, the demo contact's park first.
CLOSED_DEMO_STATES = [Status.REJECTED, Status.WITHDRAWN, Status.EXPIRED]
ACTIVE_DEMO_STATES = [
    Status.AWARDED,
    Status.PAID,
    Status.DELIVERABLES_SUBMITTED,
    Status.SUBMITTED,
    Status.IN_ASSESSMENT,
    Status.RETURNED_FOR_CHANGES,
    Status.RESUBMITTED,
    Status.APPROVED,
]
DEMO_STATES = CLOSED_DEMO_STATES + ACTIVE_DEMO_STATES
# A minimal, valid one-page PDF (what a deliverable looks like to the checks).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _data(directory: Path = DEMO_DIR) -> dict:
    data = read_yaml(directory, DEMO_FILE)
    require(data, "source", DEMO_FILE)
    return data


def _rounds(data: dict, source: str) -> dict[str, VoucherRound]:
    today = timezone.localdate()
    made = {}
    for row in require(data, "rounds", DEMO_FILE):
        province = Province.objects.get(name=row["province"])
        deal = GreenDeal.objects.get(province=province)
        scheme = (
            ProvincialScheme.objects.filter(province=province, name=row["scheme"]).first()
            if row.get("scheme")
            else None
        )
        if row.get("scheme") and scheme is None:
            raise ReferenceDataError(f"{DEMO_FILE}: onbekende regeling '{row['scheme']}'")
        voucher_round, _ = VoucherRound.objects.update_or_create(
            green_deal=deal,
            name=row["name"],
            defaults={
                "opens_on": today - dt.timedelta(days=int(row["opened_days_ago"])),
                "closes_on": today + dt.timedelta(days=int(row["closes_in_days"])),
                "budget_cents": int(row["budget_eur"]) * 100,
                "voucher_count": int(row["voucher_count"]),
                "voucher_value_cents": int(row["voucher_value_eur"]) * 100,
                "conditions": row.get("conditions", ""),
                "scheme": scheme,
                "source": source,
            },
        )
        voucher_round.full_clean()
        made[province.name] = voucher_round
    return made


def _supporters(data: dict) -> tuple[list[ProcessSupporter], dict]:
    from werklandschap.accounts.roles import Role
    from werklandschap.demo.generator import _demo_user

    supporters, accounts = [], {}
    for row in require(data, "supporters", DEMO_FILE):
        organisation, _ = Organisation.objects.get_or_create(
            name=row["name"],
            defaults={
                "slug": slugify(row["name"]),
                "kind": OrganisationKind.OTHER,
                "source": data["source"],
                "description": row["expertise"],
            },
        )
        supporter, _ = ProcessSupporter.objects.update_or_create(
            organisation=organisation,
            defaults={"expertise": row["expertise"], "qualification": data["source"]},
        )
        supporter.provinces.set(Province.objects.filter(name__in=row["provinces"]))
        supporters.append(supporter)
        if row.get("account"):
            user = _demo_user(row["account"], Role.COALITION_PARTNER, organisation)
            accounts[row["account"]] = user
    return supporters, accounts


def _co_financing(data: dict, source: str) -> None:
    for province_name, parties in (data.get("co_financing") or {}).items():
        deal = GreenDeal.objects.get(province__name=province_name)
        for party, (committed, realised) in parties.items():
            if party not in CoFinancing.Party.values:
                raise ReferenceDataError(f"{DEMO_FILE}: onbekende partij '{party}'")
            CoFinancing.objects.update_or_create(
                green_deal=deal,
                party=party,
                defaults={
                    "committed_cents": int(committed) * 100,
                    "realised_cents": int(realised) * 100,
                    "source": source,
                },
            )


def _designate(deals: list[GreenDeal]) -> None:
    """The demo parks that are living labs or ambassadors are designated in their deal."""
    for deal in deals:
        parks = Park.objects.filter(is_demo=True, province=deal.province)
        deal.living_labs.set(parks.filter(swarm_role=SwarmRole.LIVING_LAB))
        deal.ambassador_parks.set(parks.filter(swarm_role=SwarmRole.AMBASSADOR))


def _contact_for(park: Park):
    """The park's first contact, or a synthetic one for the demo."""
    from werklandschap.accounts.models import ParkContact, User
    from werklandschap.accounts.roles import Role
    from werklandschap.demo.generator import _demo_user

    existing = (
        User.objects.filter(park_contacts__park=park, groups__name=Role.PARK_CONTACT.value)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    user = _demo_user(f"contact-{park.slug}"[:150], Role.PARK_CONTACT, None)
    ParkContact.objects.get_or_create(
        user=user, park=park, defaults={"capacity": ParkContact.Capacity.PARK_MANAGEMENT}
    )
    return user


def _assessor_for(province: Province):
    from werklandschap.accounts.models import User
    from werklandschap.accounts.roles import Role

    officer = User.objects.filter(
        organisation_id=province.organisation_id, groups__name=Role.PROVINCE_OFFICER.value
    ).first()
    return officer or User.objects.get(username="programmateam")


def _drive(application: VoucherApplication, final: str, team, contact, supporter_user) -> None:
    """Move a fresh application to ``final`` along the path a real one would take."""
    from . import services
    from .money import split_cents

    officer = _assessor_for(application.round.green_deal.province)
    if final == Status.SUBMITTED:
        return
    if final == Status.WITHDRAWN:
        services.move(application, Status.WITHDRAWN, by=contact)
        return
    services.move(application, Status.IN_ASSESSMENT, by=officer)
    if final == Status.IN_ASSESSMENT:
        return
    if final == Status.REJECTED:
        services.move(
            application,
            Status.REJECTED,
            by=officer,
            reason="Het plan van aanpak gaat over één bedrijf, niet over het hele terrein.",
        )
        return
    if final in (Status.RETURNED_FOR_CHANGES, Status.RESUBMITTED):
        services.move(
            application,
            Status.RETURNED_FOR_CHANGES,
            by=team,
            reason="Voeg een planning per maand toe en noem wie van de ondernemers meedoet.",
        )
        if final == Status.RESUBMITTED:
            application.refresh_from_db()
            services.revise(
                application,
                services.ApplicationInput(
                    supporter=application.supporter,
                    plan_of_approach=application.plan_of_approach
                    + "\n\nMet de ondernemersvereniging en drie grote bedrijven aan tafel.",
                    planning="Maart: start. April-mei: werksessies. Juni: groenvisie. "
                    "September: financieringsplan.",
                    budget_cents=application.budget_cents,
                ),
                by=contact,
            )
        return
    services.move(application, Status.AWARDED, by=officer)
    if final == Status.EXPIRED:
        VoucherApplication.objects.filter(pk=application.pk).update(
            deliverables_due=timezone.localdate() - dt.timedelta(days=1)
        )
        services.expire_overdue()
        return
    if final == Status.AWARDED:
        return
    by = supporter_user if services.is_supporter(supporter_user, application) else contact
    for kind, label in (("green_vision", "groenvisie"), ("financing_plan", "financieringsplan")):
        upload = SimpleUploadedFile(f"{label}-{application.park.slug}.pdf", DEMO_PDF)
        services.store_deliverable(application, kind, upload, by=by)
    services.move(application, Status.DELIVERABLES_SUBMITTED, by=by)
    if final == Status.DELIVERABLES_SUBMITTED:
        return
    services.move(application, Status.APPROVED, by=officer)
    if final == Status.APPROVED:
        return
    application.refresh_from_db()
    for part in split_cents(application.awarded_cents, [40, 60]):
        services.register_payout(application, part, by=team, note="Demo-betaling")


PLANS = [
    "Wij organiseren drie werksessies met de ondernemers en de gemeente en werken de "
    "uitkomsten met de procesbegeleider uit tot een groenvisie voor het hele terrein.",
    "De procesbegeleider brengt kansen voor groen en water in kaart, bespreekt ze met de "
    "parkmanagementorganisatie en stelt een financieringsplan op met bijdragen van de "
    "bedrijven, de gemeente en het waterschap.",
]


@transaction.atomic
def create_demo_vouchers(directory: Path = DEMO_DIR) -> int:
    """Idempotent: nothing new is made when demo parks already have applications.

    Returns the number of demo applications.
    """
    from werklandschap.accounts.models import User

    from . import services

    existing = VoucherApplication.objects.filter(park__is_demo=True)
    if existing.exists():
        return existing.count()
    team = User.objects.filter(username="programmateam").first()
    if team is None:
        return 0
    data = _data(directory)
    source = data["source"]
    rounds = _rounds(data, source)
    supporters, accounts = _supporters(data)
    _co_financing(data, source)
    _designate(list(GreenDeal.objects.filter(province__name__in=DEMO_PROVINCES)))
    supporter_user = accounts.get("begeleider")

    parks = list(
        Park.objects.filter(
            is_demo=True,
            province__name__in=list(rounds),
            swarm_role__in=[r for r in SwarmRole.values if r != SwarmRole.NONE],
        ).order_by("name")
    )
    # The demo park contact's own park goes first, so its account has a voucher to see.
    demo_contact = User.objects.filter(username="parkcontact").first()
    own = [p for p in parks if demo_contact and p.contacts.filter(user=demo_contact).exists()]
    parks = own + [p for p in parks if p not in own]
    # Closed states on the other parks (they stay free), active ones one park each.
    plan = (
        [
            (final, parks[1:][i % max(len(parks) - 1, 1)])
            for i, final in enumerate(CLOSED_DEMO_STATES)
        ]
        if len(parks) > 1
        else []
    )
    plan += list(zip(ACTIVE_DEMO_STATES, parks, strict=False))
    made = 0
    for index, (final, park) in enumerate(plan):
        contact = _contact_for(park)
        province_supporters = [s for s in supporters if s.provinces.filter(pk=park.province_id)]
        if not province_supporters:
            continue
        application, _created = services.apply(
            park,
            services.ApplicationInput(
                supporter=province_supporters[index % len(province_supporters)],
                plan_of_approach=PLANS[index % len(PLANS)],
                planning="Start binnen een maand na toekenning; groenvisie na vier maanden, "
                "financieringsplan na zes maanden.",
                budget_cents=(16_000 + 750 * index) * 100,
            ),
            by=contact,
        )
        _drive(application, final, team, contact, supporter_user)
        made += 1
    return made


def delete_demo_vouchers() -> None:
    """Remove the demo's applications (they protect their parks), rounds and supporters."""
    from .models import Deliverable, Payout, VoucherEvent

    applications = VoucherApplication.objects.filter(park__is_demo=True)
    for deliverable in Deliverable.objects.filter(application__in=applications):
        deliverable.file.delete(save=False)
    Payout.objects.filter(application__in=applications).delete()
    VoucherEvent.objects.filter(application__in=applications).delete()
    applications.delete()
