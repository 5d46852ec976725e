from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("", views.events, name="events"),
    path("nieuw/", views.edit, name="event-new"),
    path("mijn-aanmeldingen/", views.my_registrations, name="mine"),
    path("<int:pk>/", views.event, name="event"),
    path("<int:pk>/aanmelden/", views.register, name="register"),
    path("<int:pk>/afmelden/", views.cancel, name="cancel"),
    path("<int:pk>/agenda.ics", views.event_ics, name="event-ics"),
    path("<int:pk>/beheer/", views.manage, name="manage"),
    path("<int:pk>/bewerken/", views.edit, name="event-edit"),
    path("<int:pk>/publiceren/", views.publish, name="publish"),
    path("<int:pk>/annuleren/", views.cancel_event, name="cancel-event"),
    path("<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("<int:pk>/deelnemers.csv", views.export_csv, name="export-csv"),
    path("<int:pk>/deelnemers.xlsx", views.export_xlsx, name="export-xlsx"),
    path("praktijkgemeenschappen/", views.communities, name="communities"),
    path("praktijkgemeenschappen/aanvragen/", views.queue, name="queue"),
    path("praktijkgemeenschappen/aanvragen/<int:pk>/", views.decide, name="decide"),
    path("praktijkgemeenschappen/<slug:slug>/", views.community, name="community"),
    path("praktijkgemeenschappen/<slug:slug>/lid-worden/", views.join, name="join"),
    path("praktijkgemeenschappen/<slug:slug>/opzeggen/", views.leave, name="leave"),
]
