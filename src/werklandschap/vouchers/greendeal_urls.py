"""Green Deal pages, the report's downloads and the letters; included by ``vouchers/urls.py``
before its ``<reference>/`` pages (the names join the ``vouchers`` namespace)."""

from django.urls import path

from . import greendeal_views as views

urlpatterns = [
    path("green-deals/", views.overview, name="green-deals"),
    path("green-deals/<slug:province>/", views.province, name="green-deal"),
    path("rapportage.csv", views.report_download, {"fmt": "csv"}, name="report-csv"),
    path("rapportage.xlsx", views.report_download, {"fmt": "xlsx"}, name="report-xlsx"),
    path("<str:reference>/toekenningsbrief.pdf", views.award_letter, name="award-letter"),
    path("<str:reference>/betaaloverzicht.pdf", views.payout_statement, name="payout-statement"),
]
