from django.urls import path

from . import views

app_name = "toolbox"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("sjabloon/<int:pk>/", views.template_download, name="template"),
    path("<slug:slug>/", views.step, name="step"),
]
