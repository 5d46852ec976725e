from django.urls import path

from . import views

app_name = "partnership"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("verstuurd/", views.sent, name="sent"),
    path("zoeken/", views.park_search, name="park-search"),
    path("plaatsen/", views.place_search, name="place-search"),
    path("bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("beoordelen/", views.review_list, name="review-list"),
    path("beoordelen/<int:pk>/", views.review_detail, name="review-detail"),
    path("beoordelen/<int:pk>/goedkeuren/", views.review_approve, name="review-approve"),
    path("beoordelen/<int:pk>/afwijzen/", views.review_reject, name="review-reject"),
]
