"""The workspace page and the invite form: thin views over sections.py and invitations.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from werklandschap.accounts.roles import Role, roles_of
from werklandschap.lib.http import base_url
from werklandschap.registry.models import Park

from .forms import InviteForm
from .invitations import InviteRefused, invite_colleague, may_invite
from .language import remember_language
from .sections import sections_for


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each user's start page (LOGIN_REDIRECT_URL): the sections that concern them."""
    remember_language(request.user, get_language())
    roles = roles_of(request.user)
    return render(
        request,
        "workspace/home.html",
        {
            "sections": sections_for(request.user),
            "is_park_contact_only": roles == {Role.PARK_CONTACT},
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite a colleague as contact of this park (the park's own contacts only).

    The workspace shows the form inline; this page shows it again with its
    errors, so the person stays with the form they filled in.
    """
    park = get_object_or_404(Park, slug=slug)
    if not may_invite(request.user, park):
        raise PermissionDenied
    form = InviteForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            invite_colleague(
                park,
                by=request.user,
                email=form.cleaned_data["email"],
                language=get_language(),
                base_url=base_url(request),
            )
        except InviteRefused as exc:
            refusal = str(exc)
        else:
            messages.success(
                request,
                _("Uitnodiging verstuurd naar %(email)s voor %(park)s.")
                % {"email": form.cleaned_data["email"], "park": park.name},
            )
            return redirect("workspace:start")
    return render(
        request,
        "workspace/invite.html",
        {"park": park, "form": form, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )
