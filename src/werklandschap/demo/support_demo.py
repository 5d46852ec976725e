"""Demo questions for the support desk: a few in every state, so each role sees a desk.

Made through the desk's own services (and so its workflow, history and limits),
by the demo accounts and one synthetic account per extra partner. The askers
are synthetic (example.org addresses, RFC 2606); dates are moved back so the
deadline lists show a question overdue and one soon due.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from werklandschap.accounts.models import User
from werklandschap.accounts.roles import Role
from werklandschap.registry.models import Organisation, Park

from . import generator

# (title, final state, days ago asked)
DEMO_QUESTIONS = [
    ("Welke beplanting past bij ons bedrijventerrein?", "received", 1),
    ("Hoe krijgen we ondernemers mee in het groenplan?", "sharpening", 3),
    ("Kan een coalitiepartner helpen bij ons groenplan na de Green Deal?", "put_out", 20),
    ("Onderhoud openbare ruimte via de parkmanagementorganisatie?", "put_out", 12),
    ("Hoe organiseren we een eerste regionale bijeenkomst?", "proposals_in", 9),
    ("Extra financiering van bedrijven voor beter groenbeheer", "decided", 30),
    ("Begeleiding bij het opstellen van een groenvisie", "in_execution", 45),
    ("Een wadi langs de hoofdweg: waar beginnen we?", "completed", 80),
    ("Kunt u ons bedrijfspand vergroenen?", "out_of_scope", 12),
]
PROPOSERS = ["Heijmans", "Arcadis", "NextGreen"]


def _partner_account(name: str) -> User:
    org = Organisation.objects.get(name=name)
    if name == "Heijmans":
        return User.objects.get(username="partner")
    return generator._demo_user(f"partner-{org.slug}", Role.COALITION_PARTNER, org)


@transaction.atomic
def create_demo_questions() -> int:
    """Idempotent: nothing is made when the demo park has questions. Returns the count."""
    from werklandschap.support import services
    from werklandschap.support.models import Question
    from werklandschap.support.services import Intake, ProposalInput
    from werklandschap.support.workflow import Status

    contact = User.objects.filter(username="parkcontact").first()
    park = Park.objects.filter(contacts__user=contact).first() if contact else None
    if park is None or park.region is None:
        return 0
    existing = Question.objects.filter(park=park).count()
    if existing:
        return existing
    director = User.objects.get(username="regisseur")
    team = User.objects.get(username="programmateam")
    partners = {name: _partner_account(name) for name in PROPOSERS}
    proposal = ProposalInput(
        approach=(
            "Wij beginnen met een werksessie met de ondernemers en de gemeente, brengen de "
            "wensen en kansen in kaart en werken die uit tot een gedragen plan."
        ),
        deliverables="Een verslag van de werksessie en een concept-plan van vijf pagina's.",
        duration="Zes weken",
        cost=Decimal("4500.00"),
        own_contribution=Decimal("750.00"),
    )
    for title, final, days_ago in DEMO_QUESTIONS:
        question, _created = services.submit_question(
            Intake(
                asker_type="business_park",
                level="company" if final == "out_of_scope" else "park",
                title=title,
                body=f"{title} Wij zijn een partnerterrein en zoeken een eerste aanpak.",
                asker_name="Demo-contactpersoon",
                asker_organisation=f"Parkmanagement {park.name}",
                park=park,
            ),
            user=contact,
        )
        if final == "out_of_scope":
            services.move(
                question,
                Status.OUT_OF_SCOPE,
                by=director,
                reason="Dit is een vraag voor één bedrijf; kijk in de toolbox.",
                scope_rule="individual_service",
            )
        elif final != "received":
            services.move(question, Status.SHARPENING, by=director)
        if final in ("put_out", "proposals_in", "decided", "in_execution", "completed"):
            top = [s.organisation for s in services.suggest_partners(question, limit=3)]
            wanted = [Organisation.objects.get(name=n) for n in PROPOSERS]
            services.put_out(
                question,
                wanted,
                by=director,
                override_reason=("" if set(top) == set(wanted) else "Demo: vaste partners."),
            )
        if final in ("proposals_in", "decided", "in_execution", "completed"):
            for name in PROPOSERS[:2]:
                services.submit_proposal(question, proposal, by=partners[name])
        if final in ("decided", "in_execution", "completed"):
            services.choose_proposal(question, question.proposals.first(), by=contact)
        if final in ("in_execution", "completed"):
            services.move(question, Status.IN_EXECUTION, by=director)
        if final == "completed":
            services.move(question, Status.COMPLETED, by=team)
        # Date the question back, so the desk's lists read plausibly.
        shift = timedelta(days=days_ago)
        Question.objects.filter(pk=question.pk).update(
            created_at=question.created_at - shift,
            sharpened_at=question.sharpened_at - shift if question.sharpened_at else None,
            first_proposal_at=(
                question.first_proposal_at - shift + timedelta(days=5)
                if question.first_proposal_at
                else None
            ),
        )
        question.refresh_from_db()
        if question.due_date:
            from werklandschap.support import calendar

            Question.objects.filter(pk=question.pk).update(
                due_date=calendar.due_date(timezone.now() - shift)
            )
    return Question.objects.filter(park=park).count()
