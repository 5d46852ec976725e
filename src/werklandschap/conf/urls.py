from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from werklandschap.accounts.language import set_language

admin.site.site_header = _("Werklandschappen van de Toekomst – beheer")
admin.site.site_title = _("Werklandschappen beheer")
admin.site.index_title = _("Programmabeheer")

urlpatterns = [
    # Django's language switch, which also keeps the choice on the account (e-mails).
    path("i18n/setlang/", set_language, name="set_language"),
    path("health/", include("werklandschap.monitoring.health_urls")),
    # Open API (issue 21): outside the language prefixes; Accept-Language picks labels.
    path("api/v1/", include("werklandschap.api.urls")),
]
urlpatterns += i18n_patterns(
    path("beheer/", admin.site.urls),
    path("account/", include("werklandschap.accounts.urls")),
    path("terreinen/", include("werklandschap.registry.urls")),
    path("aanmelden/", include("werklandschap.partnership.urls")),
    path("portaal/", include("werklandschap.portal.urls")),
    path("werkplek/", include("werklandschap.workspace.urls")),
    path("vragen/", include("werklandschap.support.urls")),
    path("vouchers/", include("werklandschap.vouchers.urls")),
    path("innovaties/", include("werklandschap.knowledge.urls")),
    path("bijeenkomsten/", include("werklandschap.community.urls")),
    path("nieuwsbrief/", include("werklandschap.newsletter.urls")),
    path("toolbox/", include("werklandschap.toolbox.urls")),
    path("maatregelen/", include("werklandschap.measures.urls")),
    path("monitor/", include("werklandschap.monitoring.urls")),
    path("open-data/", include("werklandschap.api.page_urls")),
    path("", include("werklandschap.front.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
