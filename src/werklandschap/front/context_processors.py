"""Values every page needs: map settings, the user's roles, demo labelling."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from werklandschap.accounts.roles import Role, roles_of
from werklandschap.registry.services import demo_data_present


def platform(request) -> dict:
    roles = roles_of(getattr(request, "user", None))
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "user_roles": {r.value for r in roles},
        "is_programme_team": Role.PROGRAMME_TEAM in roles,
        # The roles as one stable text: the cached main menu is kept per role set.
        "nav_roles": ",".join(sorted(r.value for r in roles)),
        # Synthetic demo parks must never be mistaken for real ones: base.html
        # shows a banner on every page while any exist. Lazy: asked only when a
        # template renders the banner.
        "demo_data_present": SimpleLazyObject(demo_data_present),
    }
