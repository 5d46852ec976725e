"""The public newsletter form: an e-mail address and nothing else."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    # One form shown, one request: a double click counts once for the limits.
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Dit is geen geldig e-mailadres."),
        },
    )
