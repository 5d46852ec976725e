"""Filtering the park registry: one form shared by the list, the map data and the CSV.

The park list, the GeoJSON behind its map and the CSV download take the same
GET parameters, so a filtered view can be shared as a link and its data
downloaded exactly as shown.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import SWARM_MEMBER_ROLES, ParkType, ProcessPhase, SwarmRole
from .models import Park, Province, Region

# Pseudo-role in the role filter: every park that counts toward the 1,000.
IN_SWARM = "zwerm"


class ParkFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek op naam"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    province = forms.ModelChoiceField(
        label=_("Provincie"),
        queryset=Province.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("Alle provincies"),
    )
    region = forms.ModelChoiceField(
        label=_("Regio"),
        queryset=Region.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle regio's"),
    )
    role = forms.ChoiceField(label=_("Rol in de zwerm"), required=False)
    phase = forms.TypedChoiceField(
        label=_("Procesfase"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alle fasen")), *ProcessPhase.choices],
    )
    park_type = forms.ChoiceField(
        label=_("Type terrein"),
        required=False,
        choices=[("", _("Alle typen")), *ParkType.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            ("", _("Alle rollen")),
            (IN_SWARM, _("Alle terreinen in de zwerm")),
            *SwarmRole.choices,
        ]

    def apply(self, parks: QuerySet[Park]) -> QuerySet[Park]:
        """Apply the valid filters to ``parks``; an invalid value is ignored (and reported)."""
        self.is_valid()  # cleaned_data then holds the fields that are valid
        data = self.cleaned_data
        if q := (data.get("q") or "").strip():
            parks = parks.filter(Q(name__icontains=q) | Q(identifiers__value__iexact=q)).distinct()
        if data.get("province"):
            parks = parks.filter(province=data["province"])
        if data.get("region"):
            parks = parks.filter(region=data["region"])
        role = data.get("role")
        if role == IN_SWARM:
            parks = parks.filter(swarm_role__in=SWARM_MEMBER_ROLES)
        elif role:
            parks = parks.filter(swarm_role=role)
        if data.get("phase") is not None:
            parks = parks.filter(phase=data["phase"])
        if data.get("park_type"):
            parks = parks.filter(park_type=data["park_type"])
        return parks

    @property
    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return any(value not in (None, "") for value in data.values())


def filtered_parks(params, parks: QuerySet[Park] | None = None) -> tuple[ParkFilterForm, QuerySet]:
    """The filter form bound to ``params`` (request.GET) and the parks it selects."""
    form = ParkFilterForm(params or None)
    if parks is None:
        parks = Park.objects.all()
    if form.is_bound:
        parks = form.apply(parks)
    return form, parks
