"""Production: secrets and hosts must come from the environment; secure defaults."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured(
        "SECRET_KEY ontbreekt: zet SECRET_KEY op een lange willekeurige waarde "
        "om met de productie-instellingen te starten."
    )

# Outgoing mail carries sign-up confirmation and set-password links: in
# production it must really be sent, never written to the console or a file
# (the links would end up in logs). SMTP is the default and needs EMAIL_HOST;
# another real backend (an e-mail API) may be named in EMAIL_BACKEND.
NOT_REAL_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if EMAIL_BACKEND in NOT_REAL_MAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND {EMAIL_BACKEND} verstuurt geen e-mail: kies in productie een echte "
        "mailbackend (standaard SMTP met EMAIL_HOST), anders belanden bevestigingslinks in logs."
    )
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend" and not env_str("EMAIL_HOST"):
    raise ImproperlyConfigured(
        "EMAIL_HOST ontbreekt: zet EMAIL_HOST (en zo nodig EMAIL_PORT, EMAIL_HOST_USER, "
        "EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) op de mailserver die de e-mail van het platform "
        "verstuurt."
    )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
