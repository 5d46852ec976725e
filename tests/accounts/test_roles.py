"""Roles are groups with exactly the permissions of roles.py; admin access follows them."""

import pytest
from django.contrib.auth.models import Group

from werklandschap.accounts.roles import ROLE_PERMISSIONS, Role, roles_of


def test_every_role_has_a_group(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in ROLE_PERMISSIONS}


def test_programme_team_may_change_roles_partner_may_not(users):
    assert users[Role.PROGRAMME_TEAM].has_perm("registry.change_park_role")
    assert users[Role.PROGRAMME_TEAM].has_perm("monitoring.change_programmetarget")
    assert not users[Role.COALITION_PARTNER].has_perm("registry.change_park_role")
    assert not users[Role.REGIONAL_DIRECTOR].has_perm("registry.change_park_role")
    assert users[Role.REGIONAL_DIRECTOR].has_perm("registry.change_park_phase")


def test_roles_of_anonymous_is_public(db):
    from django.contrib.auth.models import AnonymousUser

    assert roles_of(AnonymousUser()) == {Role.PUBLIC}


ADMIN_PAGES = [
    "/beheer/",
    "/beheer/registry/park/",
    "/beheer/registry/region/",
    "/beheer/monitoring/programmetarget/",
    "/beheer/support/expertise/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PROGRAMME_TEAM, True),
        (Role.REGIONAL_DIRECTOR, False),
        (Role.COALITION_PARTNER, False),
        (Role.PARK_CONTACT, False),
        (Role.PROVINCE_OFFICER, False),
        (Role.PUBLIC, False),
    ],
)
def test_admin_access_matrix(client, users, url, role, allowed):
    if role != Role.PUBLIC:
        client.force_login(users[role])
    response = client.get(url)
    if allowed:
        assert response.status_code == 200
    else:
        # Not staff: the admin redirects to its log-in page and shows nothing.
        assert response.status_code == 302
        assert "/beheer/login/" in response["Location"]


def test_admin_is_dutch(client, users):
    client.force_login(users[Role.PROGRAMME_TEAM])
    content = client.get("/beheer/registry/park/").content.decode()
    assert "bedrijventerreinen" in content.lower()
    assert "Programmabeheer" in client.get("/beheer/").content.decode()


def test_admin_role_change_is_recorded_with_user(client, users, park):
    client.force_login(users[Role.PROGRAMME_TEAM])
    url = f"/beheer/registry/park/{park.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "geometry"}
    data.update(
        {
            "name": park.name,
            "slug": park.slug,
            "swarm_role": "living_lab",
            "phase": "2",
            "park_type": park.park_type,
            "organisation_degree": park.organisation_degree,
            "identifiers-TOTAL_FORMS": "0",
            "identifiers-INITIAL_FORMS": "0",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
        }
    )
    for key in ("municipality", "province", "region", "park_organisation"):
        data[key] = getattr(park, f"{key}_id") or ""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    park.refresh_from_db()
    assert park.swarm_role == "living_lab"
    rows = {h.field: h for h in park.history.all()}
    assert rows["swarm_role"].changed_by == users[Role.PROGRAMME_TEAM]
    assert rows["phase"].new_value.startswith("2")


def test_roles_are_read_once_per_user_object(db, users, django_assert_num_queries):
    """Access check, navigation and session rules all ask; the groups are read once."""
    from werklandschap.accounts.models import User

    user = User.objects.get(pk=users[Role.REGIONAL_DIRECTOR].pk)
    with django_assert_num_queries(1):
        assert roles_of(user) == {Role.REGIONAL_DIRECTOR}
        assert roles_of(user) == {Role.REGIONAL_DIRECTOR}


def test_changing_a_users_groups_forgets_the_remembered_roles(db, users):
    user = users[Role.PARK_CONTACT]
    assert roles_of(user) == {Role.PARK_CONTACT}
    user.groups.add(Group.objects.get(name=Role.PROVINCE_OFFICER.value))
    assert roles_of(user) == {Role.PARK_CONTACT, Role.PROVINCE_OFFICER}
    user.groups.remove(Group.objects.get(name=Role.PARK_CONTACT.value))
    assert roles_of(user) == {Role.PROVINCE_OFFICER}
    user.groups.clear()
    assert roles_of(user) == {Role.PUBLIC}
    user.groups.set([Group.objects.get(name=Role.PROGRAMME_TEAM.value)])
    assert roles_of(user) == {Role.PROGRAMME_TEAM}


def test_a_superuser_counts_as_team_even_with_remembered_roles(db, users):
    user = users[Role.COALITION_PARTNER]
    assert Role.PROGRAMME_TEAM not in roles_of(user)
    user.is_superuser = True
    assert Role.PROGRAMME_TEAM in roles_of(user)


def test_refresh_from_db_reads_the_groups_again(db, users):
    from werklandschap.accounts.models import User

    user = users[Role.PARK_CONTACT]
    assert roles_of(user) == {Role.PARK_CONTACT}
    # Changed from the group's side (no signal reaches this user object).
    Group.objects.get(name=Role.PROVINCE_OFFICER.value).user_set.add(User.objects.get(pk=user.pk))
    user.refresh_from_db()
    assert roles_of(user) == {Role.PARK_CONTACT, Role.PROVINCE_OFFICER}
