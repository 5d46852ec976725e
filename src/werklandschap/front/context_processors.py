"""Values every page needs: map settings, the user's roles, demo labelling."""

from django.conf import settings

from werklandschap.accounts.roles import Role, roles_of


def platform(request) -> dict:
    roles = roles_of(getattr(request, "user", None))
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "user_roles": {r.value for r in roles},
        "is_programme_team": Role.PROGRAMME_TEAM in roles,
    }
