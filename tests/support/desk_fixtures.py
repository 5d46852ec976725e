"""Shared set-up of the support desk's tests: a question in any state, partners, a proposal."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from werklandschap.registry.models import Organisation
from werklandschap.support import services
from werklandschap.support.models import Assignment, Expertise, Question
from werklandschap.support.services import Intake, ProposalInput
from werklandschap.support.workflow import Status

PARTNER_NAMES = ["Heijmans", "Arcadis", "TAUW", "NL Greenlabel"]


def intake_for(park, **overrides) -> Intake:
    data = {
        "asker_type": "business_park",
        "level": "park",
        "title": "Hoe beginnen we met een groenplan?",
        "body": "We hebben net een Green Deal gesloten en willen met de leden een groenplan maken.",
        "asker_name": "A. Vrager",
        "asker_organisation": "Parkmanagement Schieweg",
        "asker_email": "vrager@example.org",
        "park": park,
        "toolbox_step": Expertise.objects.get(name="Procesbegeleiding"),
    }
    data.update(overrides)
    return Intake(**data)


def short_proposal() -> ProposalInput:
    return ProposalInput(
        approach="Twee werksessies met de ondernemers en een concept-groenplan.",
        deliverables="Een groenplan van tien pagina's en een lijst met maatregelen.",
        duration="Zes weken",
        cost=Decimal("4800.00"),
        own_contribution=Decimal("800.00"),
    )


def sharpen(question, director) -> Question:
    return services.move(question, Status.SHARPENING, by=director)


def put_out_to(question, director, names) -> Question:
    orgs = [Organisation.objects.get(name=n) for n in names]
    return services.put_out(question, orgs, by=director, override_reason="test: fixed partners")


def assign_directly(question, names) -> None:
    """Bypass the service (to test limits that the service itself enforces elsewhere)."""
    for name in names:
        Assignment.objects.get_or_create(
            question=question,
            organisation=Organisation.objects.get(name=name),
            defaults={"assigned_at": timezone.now()},
        )
