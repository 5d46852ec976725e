from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.park_list, name="park-list"),
    path("kaart.geojson", views.parks_geojson, name="parks-geojson"),
    path("<slug:slug>/", views.park_detail, name="park-detail"),
]
