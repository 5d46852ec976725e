"""The programme targets' labels and units, marked for translation.

The targets live in data/reference/targets.yaml (Dutch, edited by the team)
and are stored as text; the dashboards pass a stored label through gettext
when they show it, which finds the English text here. A target whose label is
changed in the admin has no translation until it is added below: it is then
shown as written (tests/monitoring/test_target_labels.py checks that every
label and unit in the data file is listed).
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

LABELS = (
    gettext_noop("Bedrijventerreinen in transitie (aangesloten bij de zwerm)"),
    gettext_noop("Living labs"),
    gettext_noop("Ambassadeursterreinen"),
    gettext_noop("Vouchers voor procesbegeleiding (groenvisie en financieringsplan)"),
    gettext_noop("Minimale waarde per voucher"),
    gettext_noop("Maximaal aantal Green Deals met provincies (brief 2023)"),
    gettext_noop("Bedrijventerreinen in Nederland (context)"),
)

UNITS = (
    gettext_noop("terreinen"),
    gettext_noop("vouchers"),
    gettext_noop("EUR"),
    gettext_noop("provincies"),
)


def shown(text: str) -> str:
    """A stored label or unit in the active language (as stored if it has no translation)."""
    return gettext(text) if text else text
