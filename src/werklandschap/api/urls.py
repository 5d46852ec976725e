"""/api/v1/: kebab-case paths without trailing slashes (NLGov API Design Rules)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from . import files, opendata, views
from .problems import not_found

app_name = "api"
urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("parks", views.ParkList.as_view(), name="parks"),
    path("parks/<slug:slug>", views.ParkDetail.as_view(), name="park"),
    path(
        "parks/<slug:slug>/scan-summary", views.ParkScanSummary.as_view(), name="park-scan-summary"
    ),
    path("parks/<slug:slug>/scan", views.ParkScan.as_view(), name="park-scan"),
    path("progress", views.Progress.as_view(), name="progress"),
    path("statistics", views.Statistics.as_view(), name="statistics"),
    path("measures", views.Measures.as_view(), name="measures"),
    path("measures/<slug:key>", views.Measure.as_view(), name="measure"),
    path("support-questions", views.SupportQuestions.as_view(), name="support-questions"),
    path("events", views.Events.as_view(), name="events"),
    path("innovation-entries", views.InnovationEntries.as_view(), name="innovation-entries"),
    path("open-data", views.OpenData.as_view(), name="open-data"),
    *[
        path(
            f"open-data/{name}", files.make_view(name), name=f"open-data-{opendata.url_name(name)}"
        )
        for name in opendata.FILES
    ],
    # Anything else under /api/v1/ (a trailing slash, a typo): a 404 problem document.
    re_path(r"^[\s\S]*$", not_found),  # [\s\S]: "." would miss a path with a newline
]
