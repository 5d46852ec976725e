"""Forms of communities and events. They check input; the rules live in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Community, Event, EventKind, MemberKind


class JoinForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ik doe mee als"), choices=MemberKind.choices)
    organisation = forms.CharField(
        label=_("Namens welke organisatie"),
        max_length=160,
        help_text=_("Bijvoorbeeld de parkmanagementorganisatie, gemeente of school."),
    )
    note = forms.CharField(
        label=_("Toelichting voor de coördinator (niet verplicht)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approved", _("Toelaten")), ("declined", _("Afwijzen"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reden (verplicht bij afwijzen; de aanvrager leest die)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser date-time picker; the value is Dutch local time (the site's TIME_ZONE)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.ModelForm):
    """An organiser's event. Times are entered in Dutch time and stored aware (UTC)."""

    online_url = forms.URLField(
        label=_("Link voor online deelname"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Alleen zichtbaar voor aangemelde deelnemers."),
    )

    class Meta:
        model = Event
        fields = [
            "community",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "capacity",
        ]
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "starts_at": _("Begint (Nederlandse tijd)"),
            "ends_at": _("Eindigt (Nederlandse tijd)"),
        }

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities or Community.objects.none()
        self.fields["community"].empty_label = None
        self.fields["kind"].choices = EventKind.choices
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["ends_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean_online_url(self) -> str:
        url = self.cleaned_data.get("online_url", "")
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError(_("Gebruik een beveiligde link (https://)."))
        return url

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("Het einde moet na het begin liggen."))
        if not data.get("location") and not data.get("online_url"):
            self.add_error("location", _("Geef een plaats of een link voor online deelname."))
        return data


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom gaat de bijeenkomst niet door? (de deelnemers lezen dit)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
