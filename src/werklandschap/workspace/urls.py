from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="start"),
    path("<slug:slug>/collega-uitnodigen/", views.invite, name="invite"),
]
