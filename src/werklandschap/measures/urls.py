from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("rekenvoorbeeld/", views.example, name="example"),
    path("rekenvoorbeeld/grafiek/<slug:kind>.svg", views.example_chart, name="example-chart"),
    path("<slug:key>/", views.detail, name="detail"),
]
