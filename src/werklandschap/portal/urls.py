from django.urls import path

from . import cost_views, views

app_name = "portal"
urlpatterns = [
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/ambities/", views.ambitions, name="ambitions"),
    path("<slug:slug>/abonnementen/", views.subscription, name="subscription"),
    path("<slug:slug>/vraag/", views.question, name="question"),
    path("<slug:slug>/kosten-en-baten/", cost_views.costs, name="costs"),
    path("<slug:slug>/kosten-en-baten/opslaan/", cost_views.save, name="costs-save"),
    path(
        "<slug:slug>/kosten-en-baten/<int:pk>/verwijderen/",
        cost_views.delete,
        name="costs-delete",
    ),
    path("<slug:slug>/kosten-en-baten/vergelijken/", cost_views.compare, name="costs-compare"),
    path(
        "<slug:slug>/kosten-en-baten/grafiek/<slug:kind>.svg",
        cost_views.chart,
        name="costs-chart",
    ),
    path("<slug:slug>/kosten-en-baten/plan.pdf", cost_views.pdf, name="costs-pdf"),
    path("<slug:slug>/kosten-en-baten/plan.xlsx", cost_views.xlsx, name="costs-xlsx"),
    path("<slug:slug>/status.json", views.status, name="status"),
    path("<slug:slug>/kaart/landgebruik.geojson", views.landcover, name="landcover"),
    path("<slug:slug>/kaart/<slug:role>.png", views.overlay, name="overlay"),
    path("<slug:slug>/rapport.pdf", views.report_pdf, name="report"),
    path("<slug:slug>/rapport/", views.report_status, name="report-status"),
    path("<slug:slug>/indicatoren.csv", views.indicators_csv, name="csv"),
    path("<slug:slug>/indicatoren.xlsx", views.indicators_xlsx, name="xlsx"),
    path("<slug:slug>/terrein.geojson", views.geo_json, name="geojson"),
    path("<slug:slug>/terrein.gpkg", views.geo_package, name="gpkg"),
]
