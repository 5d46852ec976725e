from django.urls import include, path

from . import views

app_name = "vouchers"

urlpatterns = [
    path("", views.index, name="list"),
    path("aanvragen/<slug:slug>/", views.apply, name="apply"),
    # Green Deal pages, report downloads, letters (before the <reference>/ pages).
    path("", include("werklandschap.vouchers.greendeal_urls")),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/stap/", views.step, name="step"),
    path("<str:reference>/aanpassen/", views.revise, name="revise"),
    path("<str:reference>/product/", views.deliverable, name="deliverable"),
    path("<str:reference>/product/<int:pk>/", views.deliverable_file, name="deliverable-file"),
    path("<str:reference>/betaling/", views.payout, name="payout"),
]
