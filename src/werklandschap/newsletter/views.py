"""Pages of the newsletter: the public form, the confirmation and unsubscribe links, the export.

Views only translate HTTP to ``services`` (the rules) and ``exports``.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from werklandschap.accounts.roles import Role, has_role
from werklandschap.lib.http import base_url, client_address, form_error_codes
from werklandschap.partnership import limits

from . import exports, services
from .forms import SubscribeForm
from .sending import ONE_CLICK

logger = logging.getLogger("werklandschap.newsletter")


def _private(response: HttpResponse) -> HttpResponse:
    # A page reached by a personal link: never kept by a shared cache or the browser.
    patch_cache_control(response, private=True, no_store=True)
    # The token stays out of other sites' logs. Not "no-referrer": under that policy a
    # browser sends the confirm button's POST with "Origin: null", which Django's CSRF
    # check refuses (403); "same-origin" keeps the origin for our own forms only.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The public form. A valid POST mails a confirmation link; nothing is subscribed yet."""
    status = 200
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            try:
                services.request_subscription(
                    form.cleaned_data["email"],
                    language=get_language() or "nl",
                    client=client_address(request),
                    form_key=form.cleaned_data["nonce"],
                    base_url=base_url(request),
                )
            except limits.SignUpLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            else:
                # The same answer whether the address was new, pending or already
                # subscribed: the form does not tell who is on the list.
                return redirect("newsletter:sent")
        else:
            logger.info("newsletter form refused: %s", form_error_codes(form))
            status = 400
    else:
        form = SubscribeForm()
    return render(request, "newsletter/subscribe.html", {"form": form}, status=status)


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/sent.html", {"days": services.confirm_days()})


def _link_problem(request: HttpRequest, *, expired: bool = False) -> HttpResponse:
    return _private(
        render(
            request,
            "newsletter/link_invalid.html",
            {"expired": expired},
            status=410 if expired else 404,
        )
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the confirmation mail. GET shows a button; only the POST confirms.

    Mail scanners open links to check them: confirming on GET would subscribe
    addresses whose owners never clicked.
    """
    try:
        subscriber = services.subscriber_for_confirmation(token)
    except services.LinkExpired:
        return _link_problem(request, expired=True)
    except services.LinkInvalid:
        logger.warning("newsletter confirmation link invalid")
        return _link_problem(request)
    if subscriber.status == subscriber.Status.CONFIRMED:
        return _private(render(request, "newsletter/confirmed.html", {"again": True}))
    if request.method == "POST":
        services.confirm(subscriber)
        return _private(render(request, "newsletter/confirmed.html", {}))
    return _private(render(request, "newsletter/confirm.html", {}))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058) and the link in every mail.

    POST with ``List-Unsubscribe=One-Click`` unsubscribes: that is what a mail
    program sends for the ``List-Unsubscribe-Post`` header, without a cookie
    or CSRF token (hence exempt, this endpoint only). The token is the
    authority: it names one subscriber and cannot be made for another without
    the secret key. A GET only shows the page with the button, because mail
    scanners fetch links and must not unsubscribe anyone.
    """
    try:
        subscriber = services.subscriber_for_unsubscribe(token)
    except services.LinkInvalid:
        logger.warning("newsletter unsubscribe link invalid (%s)", request.method)
        return _link_problem(request)
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") != ONE_CLICK.split("=", 1)[1]:
            return _private(
                render(
                    request,
                    "newsletter/unsubscribe.html",
                    {"one_click": ONE_CLICK, "bad_request": True},
                    status=400,
                )
            )
        services.unsubscribe(subscriber)
        return _private(render(request, "newsletter/unsubscribed.html", {}))
    already = subscriber.status == subscriber.Status.UNSUBSCRIBED
    return _private(
        render(
            request,
            "newsletter/unsubscribe.html",
            {"already": already, "one_click": ONE_CLICK},
        )
    )


# --------------------------------------------------------------------------- export


def team_required(view):
    """Programme team only: anonymous visitors log in first, other roles get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, Role.PROGRAMME_TEAM):
            raise PermissionDenied(_("Alleen het programmateam haalt de abonneelijst op."))
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@team_required
def export_csv(request: HttpRequest) -> HttpResponse:
    logger.info("newsletter subscribers exported (csv) by user %s", request.user.pk)
    return exports.csv_response()


@require_GET
@team_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    logger.info("newsletter subscribers exported (xlsx) by user %s", request.user.pk)
    return exports.xlsx_response()
