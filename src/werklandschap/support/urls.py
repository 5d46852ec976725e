from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("stellen/", views.ask, name="ask"),
    path("verstuurd/", views.sent, name="sent"),
    path("bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("invoeren/", views.intake, name="intake"),
    path("cijfers/", views.report, name="report"),
    path("volgen/<str:token>/", views.follow, name="follow"),
    path("volgen/<str:token>/voorstel/<int:pk>/pdf/", views.follow_pdf, name="follow-pdf"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/stap/", views.step, name="step"),
    path("<str:reference>/uitzetten/", views.put_out, name="put-out"),
    path("<str:reference>/wachten/", views.wait, name="wait"),
    path("<str:reference>/voorstel/", views.propose, name="propose"),
    path("<str:reference>/kiezen/", views.choose, name="choose"),
    path("<str:reference>/bijlage/<int:pk>/", views.attachment, name="attachment"),
    path("<str:reference>/voorstel/<int:pk>/pdf/", views.proposal_pdf, name="proposal-pdf"),
]
