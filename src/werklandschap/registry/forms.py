"""Forms on the park page: change a park's process phase or swarm role.

Each form carries the value the user saw when the page was rendered
(``seen``). The view compares it with the value in the database at the moment
of saving, so two people editing the same park cannot silently overwrite each
other: the second one is told what changed and nothing is saved.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ProcessPhase, SwarmRole
from .models import Park


def as_seen(value) -> str:
    """The form representation of a stored value (``None`` -> empty string)."""
    return "" if value is None else str(value)


class StatusChangeForm(forms.Form):
    """Base: one tracked field of the park, the value seen, and a note for the history."""

    field_name: str = ""

    seen = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Toelichting (optioneel)"),
        required=False,
        max_length=300,
        help_text=_("Komt in de wijzigingsgeschiedenis van het terrein."),
    )

    @classmethod
    def for_park(cls, park: Park) -> StatusChangeForm:
        value = getattr(park, cls.field_name)
        return cls(initial={cls.field_name: value, "seen": as_seen(value)}, prefix=cls.field_name)

    @classmethod
    def from_post(cls, data) -> StatusChangeForm:
        return cls(data, prefix=cls.field_name)

    @property
    def new_value(self):
        return self.cleaned_data[self.field_name]


class PhaseChangeForm(StatusChangeForm):
    field_name = "phase"

    phase = forms.TypedChoiceField(
        label=_("Nieuwe procesfase"),
        coerce=int,
        choices=[("", _("– kies een fase –")), *ProcessPhase.choices],
    )
    field_order = ["phase", "note", "seen"]


class RoleChangeForm(StatusChangeForm):
    field_name = "swarm_role"

    swarm_role = forms.ChoiceField(label=_("Nieuwe rol in de zwerm"), choices=SwarmRole.choices)
    field_order = ["swarm_role", "note", "seen"]
