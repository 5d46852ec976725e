"""A park contact invites a colleague as contact of the same park.

Rules (the one place):
* only a park contact of *that* park may invite (``accounts.policies``);
* at most ``WORKSPACE_INVITES_PER_DAY`` invitations per inviter in 24 hours,
  counted from the audit rows, so every worker process sees the same count;
* the colleague's account is found by e-mail address or created without a
  usable password; the mail carries a set-password link (Django's reset
  token), as the approval mail does; an account that has a password just
  gets the park and a log-in link;
* each invitation is recorded (``Invitation``: who invited whom, for which
  park, when); nothing else about the colleague is stored.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werklandschap.accounts import policies
from werklandschap.accounts.models import ParkContact, User
from werklandschap.accounts.roles import Role, roles_of
from werklandschap.registry.models import Park

from . import mail
from .models import Invitation

logger = logging.getLogger("werklandschap.workspace")


class InviteRefused(Exception):
    """An invitation the rules refuse; the message is for the person inviting."""


def may_invite(user, park: Park) -> bool:
    return Role.PARK_CONTACT in roles_of(user) and policies.is_park_contact(user, park)


def invites_per_day() -> int:
    return int(getattr(settings, "WORKSPACE_INVITES_PER_DAY", 5))


def invite_colleague(
    park: Park, *, by: User, email: str, language: str, base_url: str = ""
) -> Invitation:
    """Make ``email`` a contact of ``park`` on behalf of ``by`` and mail them (after commit).

    Raises PermissionDenied for anyone but the park's own contacts, and
    InviteRefused when the limit is reached or the address is already a contact.
    """
    if not may_invite(by, park):
        raise PermissionDenied
    email = email.strip()
    with transaction.atomic():
        # Serialise the inviter's invitations so two at once cannot pass the limit.
        User.objects.select_for_update().filter(pk=by.pk).first()
        since = timezone.now() - timedelta(days=1)
        if Invitation.objects.filter(invited_by=by, created_at__gte=since).count() >= (
            invites_per_day()
        ):
            logger.warning("invitation limit reached by user %s for park %s", by.pk, park.pk)
            raise InviteRefused(
                _(
                    "U heeft vandaag al %(n)s collega's uitgenodigd. Probeer het morgen opnieuw "
                    "of vraag het programmateam."
                )
                % {"n": invites_per_day()}
            )
        invitee = User.objects.filter(email__iexact=email).order_by("pk").first()
        if invitee is None:
            invitee = User.objects.filter(username__iexact=email).first()
        new_account = invitee is None
        if new_account:
            invitee = User(username=email[:150], email=email)
            invitee.set_unusable_password()
            invitee.save()
        elif ParkContact.objects.filter(user=invitee, park=park).exists():
            raise InviteRefused(
                _("%(email)s is al contactpersoon van %(park)s.") % {"email": email, "park": park}
            )
        capacity = (
            ParkContact.objects.filter(user=by, park=park)
            .values_list("capacity", flat=True)
            .first()
        )
        group, _created = Group.objects.get_or_create(name=Role.PARK_CONTACT.value)
        invitee.groups.add(group)
        ParkContact.objects.create(user=invitee, park=park, capacity=capacity)
        invitation = Invitation.objects.create(
            park=park, invited_by=by, invitee=invitee, new_account=new_account
        )
        logger.info(
            "user %s invited user %s (%s account) as contact of park %s",
            by.pk,
            invitee.pk,
            "new" if new_account else "existing",
            park.pk,
        )
        # An existing account's own language wins over the inviter's.
        mail_language = language if new_account else None
        transaction.on_commit(
            lambda: mail.send_invitation(invitation, mail_language, base_url), robust=True
        )
    return invitation
