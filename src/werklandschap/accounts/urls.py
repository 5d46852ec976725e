"""Log-in and password pages: Django's views, with our password-reset form.

The list mirrors ``django.contrib.auth.urls`` (same names and paths); only
the reset request uses ``forms.PasswordResetForm``, which also lets a new
park contact whose set-password link expired ask for a new one. The account
page itself ("Mijn account", ``views.account``) is ours.
"""

from django.contrib.auth import views
from django.urls import path

from . import views as account_views
from .forms import PasswordResetForm

urlpatterns = [
    path("", account_views.account, name="account"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
