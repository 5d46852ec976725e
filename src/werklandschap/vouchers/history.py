"""The notes the platform itself writes into a voucher's history, in the reader's language.

A history row keeps its note as text (``TransitionRecord.note``): what an
assessor typed, plus the lines the platform adds ("Awarded: € 15,000.00; ...").
Those lines used to be stored in whatever language was active when the step
happened (Dutch for the nightly expiry, the actor's language otherwise), so an
English page showed Dutch lines and a Dutch page could show English ones.

The functions below are the only place these lines are worded. ``shown_note``
recognises a stored line by rendering every system line for the application
in every site language and comparing the text exactly; a recognised line is
shown in the active language, anything else (what a person wrote, or a line
whose data has changed since) is shown as stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .money import euros


def applied_note(round_name: str) -> str:
    return _("Aangevraagd in de ronde '%(round)s'.") % {"round": round_name}


def award_note(value_cents: int, due: dt.date) -> str:
    return _("Toegekend: %(value)s; groenvisie en financieringsplan uiterlijk %(due)s.") % {
        "value": euros(value_cents),
        "due": date_format(due, "j F Y"),
    }


def lapse_note() -> str:
    return _("Toekenning vervalt; het geld gaat terug naar de ronde.")


def expiry_note(due: dt.date) -> str:
    return _("Groenvisie en financieringsplan niet ingediend voor %(due)s.") % {
        "due": date_format(due, "j F Y")
    }


def _system_lines(application) -> list[Callable[[], str]]:
    """The platform's lines that can occur in this application's history."""
    lines: list[Callable[[], str]] = [lapse_note]
    if application.round_id:
        name = application.round.name
        lines.append(lambda: applied_note(name))
    dues = {application.deliverables_due}
    if application.awarded_at is not None and application.round_id:
        # The due date the award note named, should the date have been moved since.
        dues.add(
            timezone.localdate(application.awarded_at)
            + dt.timedelta(weeks=application.round.deliverables_weeks)
        )
    for due in dues - {None}:
        lines.append(lambda due=due: expiry_note(due))
        if application.awarded_cents is not None:
            value = application.awarded_cents
            lines.append(lambda due=due, value=value: award_note(value, due))
    return lines


def translator(application) -> Callable[[str], str]:
    """A function that shows one stored note of ``application`` in the active language.

    Built once per application: it renders each system line in every language.
    """
    known: dict[str, Callable[[], str]] = {}
    for line in _system_lines(application):
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                known.setdefault(line(), line)

    def shown(note: str) -> str:
        return "\n".join(known[part]() if part in known else part for part in note.split("\n"))

    return shown


def shown_note(note: str, application) -> str:
    """``note`` (a history row's, or a step's reason) with system lines in the active language."""
    return translator(application)(note) if note else note
