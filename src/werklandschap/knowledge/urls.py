from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.search_page, name="list"),
    path("suggesties/", views.suggest, name="suggest"),
    path("indienen/", views.submit, name="submit"),
    path("moderatie/", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/stap/", views.step, name="step"),
    path("<int:pk>/versies/", views.revisions, name="revisions"),
    path("bestanden/<int:pk>/", views.file, name="file"),
]
