from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("verstuurd/", views.sent, name="sent"),
    path("bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("abonnees.csv", views.export_csv, name="export-csv"),
    path("abonnees.xlsx", views.export_xlsx, name="export-xlsx"),
]
