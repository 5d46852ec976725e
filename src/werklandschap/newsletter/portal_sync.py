"""A park contact's newsletter consent in the portal counts as a confirmed subscription.

The portal stores the consent (``portal.PartnerSubscription``: a switch per
contact and park, with the time it was switched on). The contact is logged
in with an account whose address the platform already knows, so no second
opt-in is asked.

One source of truth, mirrored: for these addresses the portal's switch is the
truth and ``Subscriber`` (source PORTAL) is a copy of it, kept in step

* at once, by a ``post_save`` / ``post_delete`` receiver on
  ``PartnerSubscription`` (so the portal's code does not need to know the
  newsletter exists), and
* as a safety net, by ``reconcile`` before every send (a consent changed by a
  bulk update or a raw SQL fix still counts, and never more than the portal
  says).

Writes go to the truth: unsubscribing from a newsletter mail switches the
portal's consent off (``withdraw_portal_consent``), and that mirrors back.

Why mirror rather than read both tables when sending: sending, the export,
the unsubscribe link and the record of what was sent all need one row per
address with one id (an address that is both a contact and a form
subscriber must get one mail, not two; the record is unique per issue and
subscriber). Reading two tables at each of those places would duplicate
that logic four times; the mirror keeps it in one.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import Subscriber, normalise_email

Status = Subscriber.Status
Source = Subscriber.Source


def connect() -> None:
    from werklandschap.portal.models import PartnerSubscription

    post_save.connect(_on_change, sender=PartnerSubscription, dispatch_uid="newsletter-portal-save")
    post_delete.connect(
        _on_change, sender=PartnerSubscription, dispatch_uid="newsletter-portal-delete"
    )


def _on_change(sender, instance, **kwargs) -> None:
    from werklandschap.accounts.models import ParkContact

    user_id = ParkContact.objects.filter(pk=instance.contact_id).values_list("user_id", flat=True)
    user_id = user_id.first()
    if user_id is None:  # the contact itself is being deleted: its user's other parks decide
        try:
            user_id = instance.contact.user_id
        except ParkContact.DoesNotExist:
            return
    sync_user(user_id)


def _portal_consents(user_id: int):
    from werklandschap.portal.models import PartnerSubscription

    return PartnerSubscription.objects.filter(contact__user_id=user_id, newsletter=True)


def sync_user(user_id: int) -> Subscriber | None:
    """Make the mailing list say what the portal says for this account; returns its row."""
    user = get_user_model().objects.filter(pk=user_id).first()
    email = normalise_email(getattr(user, "email", "") or "")
    consents = _portal_consents(user_id)
    mirror = Subscriber.objects.filter(user_id=user_id, source=Source.PORTAL).first()
    if user is not None and email and consents.exists():
        row = mirror or Subscriber.objects.filter(email=email).first()
        if row is None:
            first = consents.order_by("newsletter_consent_at").first()
            return Subscriber.objects.create(
                email=email,
                source=Source.PORTAL,
                user=user,
                status=Status.CONFIRMED,
                confirmed_at=(first.newsletter_consent_at if first else None) or timezone.now(),
            )
        if row.email != email and not Subscriber.objects.filter(email=email).exists():
            row.email = email  # the account's address changed: mail the current one
        row.user = user
        row.source = Source.PORTAL
        if row.status != Status.CONFIRMED:
            row.status = Status.CONFIRMED
            row.confirmed_at = timezone.now()
            row.unsubscribed_at = None
        row.save()
        return row
    if mirror is not None and mirror.status == Status.CONFIRMED:
        mirror.status = Status.UNSUBSCRIBED
        mirror.unsubscribed_at = timezone.now()
        mirror.save()
    return mirror


def withdraw_portal_consent(user_id: int) -> int:
    """Switch the newsletter off in the portal for every park of this account."""
    from werklandschap.portal.partner_offer import set_subscription

    changed = 0
    for sub in _portal_consents(user_id).select_related("contact"):
        set_subscription(sub.contact, newsletter=False, webinar=sub.webinar)
        changed += 1
    return changed


def reconcile() -> int:
    """Bring every mirrored row in step with the portal; returns how many accounts were checked."""
    from werklandschap.portal.models import PartnerSubscription

    users = set(
        PartnerSubscription.objects.filter(newsletter=True).values_list(
            "contact__user_id", flat=True
        )
    )
    users |= set(
        Subscriber.objects.filter(source=Source.PORTAL, status=Status.CONFIRMED)
        .exclude(user=None)
        .values_list("user_id", flat=True)
    )
    for user_id in users:
        sync_user(user_id)
    # An account that was deleted took its portal consent with it.
    Subscriber.objects.filter(source=Source.PORTAL, status=Status.CONFIRMED, user=None).update(
        status=Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    return len(users)
