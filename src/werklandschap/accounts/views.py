"""The account page: what the platform knows about the person who is logged in.

Read-only and only one's own record: the account is looked up from the
session, never from the URL, so there is nothing to enumerate. It shows the
data we already keep (accounts/models.py) and no more, and links to the
password change and log-out.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import ParkContact
from .roles import ROLE_LABELS, Role, roles_of


def account_context(user) -> dict:
    """The logged-in user's own data: name, e-mail, organisation, roles, parks."""
    roles = sorted(r for r in roles_of(user) if r != Role.PUBLIC)
    contacts = ParkContact.objects.filter(user=user).select_related("park").order_by("park__name")
    return {
        "account": user,
        "organisation": user.organisation,
        "role_labels": [ROLE_LABELS[r] for r in roles],
        "park_contacts": list(contacts),
    }


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/account.html", account_context(request.user))
