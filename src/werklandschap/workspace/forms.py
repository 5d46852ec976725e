from django import forms
from django.utils.translation import gettext_lazy as _


class InviteForm(forms.Form):
    """A colleague's e-mail address: all we ask and all we keep (in their account)."""

    email = forms.EmailField(
        label=_("E-mailadres van uw collega"),
        max_length=150,
        help_text=_(
            "Uw collega krijgt een e-mail met een link om een wachtwoord te kiezen en wordt "
            "contactpersoon van dit terrein, met dezelfde rechten als u."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
