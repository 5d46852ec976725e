"""Login throttling on top of django-axes, and the log lines of every log-in.

django-axes counts failed log-ins per account and per client address (see
the AXES_* settings in ``conf/settings/base.py``) and refuses further
attempts for the cool-off time once either reaches the limit. This module
adapts it to the platform:

* ``LoginAttemptHandler``: a successful log-in clears only the failures of
  that account from that address. Axes' own reset deletes every failure
  matching the account *or* the address, so an attacker with an account of
  their own could wipe the address counter (and the victim's failures from
  that address) by logging in between guesses.
* ``lockout_response``: the login page again, with a Dutch message saying
  when to try again (HTTP 429), instead of axes' bare English text.
* Signal receivers writing one log line per failed and successful log-in:
  account name and client address, never the password.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Max, Q
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from werklandschap.lib.http import client_address

logger = logging.getLogger("werklandschap.accounts")


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler; a success resets only its own account-and-address failures."""

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _deleted = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def minutes_until_unlocked(request: HttpRequest, username: str | None) -> int:
    """Whole minutes until the failures that lock this account or address age out.

    Failures are stored per account, address and browser with the time of the
    latest one; the lock lifts when the newest counted failure is older than
    the cool-off time. Rounded up, at least 1.
    """
    cool_off = get_cool_off(request) or timedelta(0)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    matching = Q(ip_address=address)
    if username:
        matching |= Q(username=username)
    latest = AccessAttempt.objects.filter(matching).aggregate(at=Max("attempt_time"))["at"]
    if latest is None:
        return max(1, math.ceil(cool_off.total_seconds() / 60))
    remaining = (latest + cool_off - timezone.now()).total_seconds()
    return max(1, math.ceil(remaining / 60))


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Te veel mislukte pogingen om in te loggen. Probeer het over %(minutes)s minuut opnieuw.",
        "Te veel mislukte pogingen om in te loggen. Probeer het over %(minutes)s minuten opnieuw.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page with the lockout message, status 429."""
    username = get_client_username(request, credentials)
    form = AuthenticationForm(request, initial={"username": username or ""})
    redirect_to = request.POST.get("next", request.GET.get("next", ""))
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": redirect_to,
            "lockout_message": lockout_message(minutes_until_unlocked(request, username)),
        },
        status=429,
    )


def _account_for_log(credentials: dict | None) -> str:
    """The account name tried, shortened; never any other credential."""
    name = str((credentials or {}).get("username") or "")
    return name[:150] or "-"


@receiver(user_login_failed, dispatch_uid="werklandschap-log-login-failure")
def log_login_failure(sender, credentials=None, request=None, **kwargs) -> None:
    """One line per failed log-in (ASVS 7.2.1). Django already masks the password
    in ``credentials``; we log only the account name and the client address."""
    address = client_address(request) if request is not None else None
    logger.warning(
        "login failed for account %r from %s", _account_for_log(credentials), address or "-"
    )


@receiver(user_locked_out, dispatch_uid="werklandschap-log-lockout")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    logger.warning(
        "login locked out for account %r from %s", str(username or "-")[:150], ip_address or "-"
    )


@receiver(user_logged_in, dispatch_uid="werklandschap-log-login")
def log_login(sender, request=None, user=None, **kwargs) -> None:
    address = client_address(request) if request is not None else None
    logger.info("login of user %s from %s", getattr(user, "pk", "-"), address or "-")
