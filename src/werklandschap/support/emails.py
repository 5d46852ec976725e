"""The desk's e-mails: to the asker, the regional director and the coalition partners.

Each goes out after the change it reports is committed (``lib.workflow``), with
absolute links. Directors and partners get one mail each in the language kept on
their account (``lib.mail.send_each``); the asker's confirmation is in the form's
language, the asker's other mails and the desk's shared mailbox in Dutch. Partners
receive what they need to answer (the question, its park or region, the due date),
never the asker's e-mail address.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from werklandschap.lib.mail import (
    language_link,
    mail_language,
    send_each,
    send_templated,
)


def _organisation_addresses(organisation_id: int | None) -> list[str]:
    """Active accounts of an organisation (the director's or a partner's people)."""
    if organisation_id is None:
        return []
    users = get_user_model().objects.filter(organisation_id=organisation_id, is_active=True)
    return sorted({u.email for u in users if u.email})


def _asker_address(question) -> list[str]:
    return [question.asker_email] if question.asker_email else []


def _link(base_url: str, question, language: str = "nl") -> str:
    return language_link(base_url, "support:detail", language, reference=question.reference)


def send_confirmation(question, base_url: str = "") -> None:
    """Double opt-in for an anonymous asker, in the language of the form they used."""
    from .desk_rules import rules
    from .services import confirmation_token

    language = mail_language(translation.get_language())
    send_templated(
        "support/emails/confirm",
        {
            "question": question,
            "confirm_url": language_link(
                base_url, "support:confirm", language, token=confirmation_token(question)
            ),
            "days": rules().confirm_days,
        },
        _asker_address(question),
        language,
    )


def notify_director(question, base_url: str = "") -> None:
    """A new question for the director of its region (or the desk's mailbox without one)."""
    recipients = _organisation_addresses(question.director_id) or list(settings.SUPPORT_TEAM_EMAILS)
    send_each(
        "support/emails/new_question",
        lambda language: {"question": question, "url": _link(base_url, question, language)},
        recipients,
    )


def notify_out_of_scope(question, explanation: str, base_url: str = "") -> None:
    """Tell the asker why the desk does not take the question up, and where to look."""
    from .scope import rule_for

    send_templated(
        "support/emails/out_of_scope",
        {
            "question": question,
            "explanation": explanation,
            "rule": rule_for(question.scope_rule),
            "url": asker_link(base_url, question),
        },
        _asker_address(question),
    )


def notify_partners(question, organisation_ids: list[int], base_url: str = "") -> None:
    """Each partner the question is put out to: what is asked and by when."""
    for organisation_id in organisation_ids:
        send_each(
            "support/emails/put_out",
            lambda language: {"question": question, "url": _link(base_url, question, language)},
            _organisation_addresses(organisation_id),
        )


def asker_link(base_url: str, question) -> str:
    """Where the asker reads the question: the desk page with an account, else
    their private link (no account needed)."""
    if question.asker_user_id:
        return _link(base_url, question)
    from .services import asker_token

    return language_link(base_url, "support:follow", "nl", token=asker_token(question))


def notify_proposal(proposal, base_url: str = "") -> None:
    """The asker and the director: a proposal came in."""
    question = proposal.question
    send_templated(
        "support/emails/proposal_in",
        {"question": question, "proposal": proposal, "url": asker_link(base_url, question)},
        _asker_address(question),
    )
    send_each(
        "support/emails/proposal_in",
        lambda language: {
            "question": question,
            "proposal": proposal,
            "url": _link(base_url, question, language),
        },
        _organisation_addresses(question.director_id),
    )


def notify_decision(question, chosen_id: int, other_ids: list[int], base_url: str = "") -> None:
    """The chosen partner and the others: the asker's choice."""
    from .models import Proposal

    for proposal in Proposal.objects.filter(pk__in=[chosen_id, *other_ids]).select_related(
        "organisation"
    ):
        send_each(
            "support/emails/decision",
            lambda language, proposal=proposal: {
                "question": question,
                "proposal": proposal,
                "chosen": proposal.pk == chosen_id,
                "url": _link(base_url, question, language),
            },
            _organisation_addresses(proposal.organisation_id),
        )
