from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("programma/", views.programme, name="programme"),
    path("programma/grafiek/<slug:figure>.svg", views.programme_chart, name="programme-chart"),
    path("programma/gegevens/<slug:figure>.csv", views.programme_csv, name="programme-csv"),
    path("provincie/<slug:province>/", views.province, name="province"),
    path(
        "provincie/<slug:province>/grafiek/<slug:figure>.svg",
        views.province_chart,
        name="province-chart",
    ),
    path(
        "provincie/<slug:province>/gegevens/<slug:figure>.csv",
        views.province_csv,
        name="province-csv",
    ),
    path("provincie/<slug:province>/kaart.geojson", views.province_map, name="province-map"),
    path("regio/<slug:region>/", views.region, name="region"),
    path("regio/<slug:region>/grafiek/<slug:figure>.svg", views.region_chart, name="region-chart"),
    path("regio/<slug:region>/gegevens/<slug:figure>.csv", views.region_csv, name="region-csv"),
    path("regio/<slug:region>/kaart.geojson", views.region_map, name="region-map"),
]
