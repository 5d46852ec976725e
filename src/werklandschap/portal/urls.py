from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/ambities/", views.ambitions, name="ambitions"),
    path("<slug:slug>/abonnementen/", views.subscription, name="subscription"),
    path("<slug:slug>/vraag/", views.question, name="question"),
    path("<slug:slug>/kosten-en-baten/", views.costs, name="costs"),
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
