"""The open-data page for people, inside the language prefixes (/open-data/, /en/open-data/)."""

from django.urls import path

from . import pages

app_name = "opendata"
urlpatterns = [path("", pages.open_data, name="page")]
