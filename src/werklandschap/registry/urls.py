from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.park_list, name="park-list"),
    path("terreinen.csv", views.park_list_csv, name="park-list-csv"),
    path("kaart.geojson", views.parks_geojson, name="parks-geojson"),
    path("provincies.geojson", views.provinces_geojson, name="provinces-geojson"),
    path("<slug:slug>/", views.park_detail, name="park-detail"),
    path("<slug:slug>/fase/", views.park_change_phase, name="park-change-phase"),
    path("<slug:slug>/rol/", views.park_change_role, name="park-change-role"),
]
