"""What a partner park gets: newsletter and webinar subscription, its province's Green Deal."""

from __future__ import annotations

from django.utils import timezone

from werklandschap.registry.models import Park

from .models import PartnerSubscription


def subscription_for(contact) -> PartnerSubscription:
    sub, _created = PartnerSubscription.objects.get_or_create(contact=contact)
    return sub


def set_subscription(contact, *, newsletter: bool, webinar: bool) -> PartnerSubscription:
    """Store the choice; the consent time is set on switching on and cleared on switching off."""
    sub = subscription_for(contact)
    now = timezone.now()
    if newsletter != sub.newsletter:
        sub.newsletter = newsletter
        sub.newsletter_consent_at = now if newsletter else None
    if webinar != sub.webinar:
        sub.webinar = webinar
        sub.webinar_consent_at = now if webinar else None
    sub.save()
    return sub


def green_deal_for(park: Park):
    """The Green Deal of the park's province, if the programme signed one with it."""
    if not park.province_id:
        return None
    from werklandschap.vouchers.models import GreenDeal

    return (
        GreenDeal.objects.filter(province_id=park.province_id)
        .exclude(status=GreenDeal.Status.NONE)
        .first()
    )
