"""works_on_park: every role of a user counts, none ends the check early."""

from __future__ import annotations

from django.contrib.auth.models import Group
from shapely.geometry import box

from werklandschap.accounts import policies
from werklandschap.accounts.models import ParkContact
from werklandschap.accounts.roles import Role
from werklandschap.registry.models import Park, Province
from werklandschap.registry.services import unique_park_slug


def test_province_officer_who_is_also_contact_of_a_park_elsewhere_works_on_it(users, park):
    officer = users[Role.PROVINCE_OFFICER]  # works for the province of ``park``
    other_province = Province.objects.exclude(pk=park.province_id).first()
    elsewhere = Park.objects.create(
        name="Terrein elders",
        slug=unique_park_slug("Terrein elders"),
        geometry=box(0, 0, 100, 100),
        province=other_province,
    )
    assert not policies.works_on_park(officer, elsewhere)

    officer.groups.add(Group.objects.get(name=Role.PARK_CONTACT.value))
    ParkContact.objects.create(
        user=officer, park=elsewhere, capacity=ParkContact.Capacity.MUNICIPALITY
    )
    officer = type(officer).objects.get(pk=officer.pk)
    assert policies.works_on_park(officer, elsewhere)
    assert policies.can_view_park_private(officer, elsewhere)
    assert policies.works_on_park(officer, park)  # and still on their own province's parks


def test_province_officer_of_another_province_does_not_work_on_the_park(users, park):
    officer = users[Role.PROVINCE_OFFICER]
    elsewhere = Park.objects.create(
        name="Terrein elders",
        slug=unique_park_slug("Terrein elders"),
        geometry=box(0, 0, 100, 100),
        province=Province.objects.exclude(pk=park.province_id).first(),
    )
    assert not policies.works_on_park(officer, elsewhere)


def test_province_officer_and_park_without_province(users, park):
    officer = users[Role.PROVINCE_OFFICER]
    park.province = None
    park.save()
    assert not policies.works_on_park(officer, park)
