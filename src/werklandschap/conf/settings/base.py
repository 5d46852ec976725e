"""Settings shared by every environment. Every tunable is read from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
# Where the platform keeps its state (SQLite database, uploads, logs) when no
# DATABASE_URL / MEDIA_ROOT is given. Defaults to ./var of the working directory.
HOME_DIR = Path(env_str("WERKLANDSCHAP_HOME", str(Path.cwd() / "var"))).resolve()
# node_modules of the project checkout: the map and chart libraries installed
# from the npm registry are served from here as static files (no CDN).
NODE_MODULES_DIR = Path(
    env_str("WERKLANDSCHAP_NODE_MODULES", str(PACKAGE_DIR.parent.parent / "node_modules"))
)

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # The programme's domains, one app each.
    "werklandschap.accounts",
    "werklandschap.registry",
    "werklandschap.partnership",
    "werklandschap.support",
    "werklandschap.measures",
    # Newsletter (issue 20): double opt-in, one-click unsubscribe, sending in batches.
    "werklandschap.newsletter",
    # Toolbox (issue 20): the step plan, pages edited by the team with revisions.
    "werklandschap.toolbox",
    "werklandschap.vouchers",
    # Innovation database (issue 20): entries, moderation, Dutch full-text search.
    "werklandschap.knowledge",
    # Communities of Practice and events (issue 20).
    "werklandschap.community",
    "werklandschap.monitoring",
    "werklandschap.scans",
    "werklandschap.portal",
    "werklandschap.demo",
    "werklandschap.front",
    # Each user's start page and its sections (issue 16).
    "werklandschap.workspace",
    # Login throttling (issue 14): failed log-ins per account and address.
    "axes",
    # Open API /api/v1/ and open data (issue 21): REST framework, its token auth, the spec.
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "werklandschap.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # API-Version header and 500s as problem+json under /api/ (issue 21).
    "werklandschap.api.base.ApiMiddleware",
    # Content-Security-Policy on every response (issue 14); see CONTENT_SECURITY_POLICY.
    "werklandschap.front.csp.SiteCSPMiddleware",
    # Refuses an oversized request body before anything reads it (issue 14).
    "werklandschap.lib.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for JSON, GeoJSON, CSV and SVG responses, never HTML (BREACH; issue 16).
    "werklandschap.lib.compression.DataGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Session time limits and no caching of pages for logged-in users (issue 14).
    "werklandschap.accounts.middleware.SessionTimeoutMiddleware",
    "werklandschap.accounts.middleware.PrivateCacheMiddleware",
    # Turns a locked-out login into the login page with a message (last, as axes asks).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "werklandschap.conf.urls"
WSGI_APPLICATION = "werklandschap.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "werklandschap.front.context_processors.platform",
            ],
        },
    },
]


def _database_from_env() -> dict:
    default_sqlite = f"sqlite:///{HOME_DIR / 'werklandschap.sqlite3'}"
    url = env_str("DATABASE_URL", "")
    if not url:
        HOME_DIR.mkdir(parents=True, exist_ok=True)
        url = default_sqlite
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web app read while a batch scan writes; IMMEDIATE
        # transactions avoid "database is locked" on lock upgrades.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# --- Log-in throttling, sessions, sign-up limits (issue 14, docs/security.md) ---
# django-axes refuses log-ins for LOGIN_COOLOFF_MINUTES once LOGIN_FAILURE_LIMIT
# failures within that time come from one account or from one client address
# (either is enough). A success clears that account's failures from that address
# only (accounts.throttling). Attempts during a lockout do not extend it.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("LOGIN_THROTTLING", True)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "werklandschap.accounts.throttling.LoginAttemptHandler"
AXES_LOCKOUT_CALLABLE = "werklandschap.accounts.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "werklandschap.lib.http.client_address"
AXES_DISABLE_ACCESS_LOG = True  # successful log-ins go to the log, not to a table
AXES_VERBOSE = False
# The client address of a request is REMOTE_ADDR. Behind a reverse proxy set
# TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For
# (1 for one nginx); otherwise every client has the proxy's address and one
# client's failures lock out everyone. Never set it without such a proxy: the
# client could then choose its own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Sessions end SESSION_MAX_HOURS after the log-in, and sessions of staff and the
# programme team also after SESSION_IDLE_MINUTES without a request (ASVS 3.3.2).
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_MAX_HOURS", 12) * 3600
SESSION_IDLE_TIMEOUT_STAFF = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Partner-park sign-up: at most this many confirmation mails per e-mail address
# and per client address, and sign-ups per client address, per window.
PARTNERSHIP_LIMIT_WINDOW_MINUTES = env_int("PARTNERSHIP_LIMIT_WINDOW_MINUTES", 60)
PARTNERSHIP_MAILS_PER_ADDRESS = env_int("PARTNERSHIP_MAILS_PER_ADDRESS", 3)
PARTNERSHIP_MAILS_PER_CLIENT = env_int("PARTNERSHIP_MAILS_PER_CLIENT", 10)
PARTNERSHIP_SIGNUPS_PER_CLIENT = env_int("PARTNERSHIP_SIGNUPS_PER_CLIENT", 10)
# --- end log-in throttling, sessions, sign-up limits ---
# --- Workspace (issue 16): every role starts on its own page after logging in;
# a park contact may invite this many colleagues per 24 hours.
LOGIN_REDIRECT_URL = "workspace:start"
WORKSPACE_INVITES_PER_DAY = env_int("WORKSPACE_INVITES_PER_DAY", 5)
# --- end workspace ---
LOGOUT_REDIRECT_URL = "front:home"

# Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(HOME_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
if NODE_MODULES_DIR.is_dir():
    STATICFILES_DIRS += [
        ("vendor/leaflet", NODE_MODULES_DIR / "leaflet" / "dist"),
        ("vendor/geoman", NODE_MODULES_DIR / "@geoman-io" / "leaflet-geoman-free" / "dist"),
    ]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(HOME_DIR / "media")))

# Request bodies and uploads (issue 14, docs/security.md). A request whose
# Content-Length exceeds REQUEST_MAX_BODY_BYTES is refused (413) before any of it
# is read (lib.middleware.RequestBodyLimitMiddleware); the proxy in front should
# set the same limit (nginx client_max_body_size). Form fields other than files
# may take DATA_UPLOAD_MAX_MEMORY_SIZE together (the same, so the clear 413 of
# the middleware is the limit a person meets); files up to
# FILE_UPLOAD_MAX_MEMORY_SIZE stay in memory, so an allowed upload is never
# spooled to disk.
REQUEST_MAX_BODY_BYTES = env_int("REQUEST_MAX_BODY_BYTES", 6 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", REQUEST_MAX_BODY_BYTES)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", REQUEST_MAX_BODY_BYTES)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(HOME_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@werklandschappen.example")

# Partner-park sign-up: how long a confirmation link is valid, the largest
# outline upload, who on the programme team is told of new sign-ups, and the
# public address used in e-mailed links.
PARTNERSHIP_CONFIRM_DAYS = env_int("PARTNERSHIP_CONFIRM_DAYS", 7)
PARTNERSHIP_UPLOAD_MAX_BYTES = env_int("PARTNERSHIP_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# Most vertices a drawn or uploaded outline may have (a park has a few hundred).
PARTNERSHIP_OUTLINE_MAX_VERTICES = env_int("PARTNERSHIP_OUTLINE_MAX_VERTICES", 20_000)
PARTNERSHIP_TEAM_EMAILS = env_list("PARTNERSHIP_TEAM_EMAILS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# --- Support desk (issue 17): question attachments and proposal PDFs are kept
# here, outside MEDIA_ROOT, and only ever sent by views that check who asks.
SUPPORT_FILES_ROOT = Path(env_str("SUPPORT_FILES_ROOT", str(HOME_DIR / "support-files")))
# The desk's shared mailbox, told of questions without a regional director.
SUPPORT_TEAM_EMAILS = env_list("SUPPORT_TEAM_EMAILS", [])
# --- Vouchers (issue 19): deliverables (green vision, financing plan PDFs) are kept
# here, outside MEDIA_ROOT, and only sent by views that check who asks; the cap on
# one PDF is checked before a byte is read.
VOUCHER_FILES_ROOT = Path(env_str("VOUCHER_FILES_ROOT", str(HOME_DIR / "voucher-files")))
VOUCHER_DELIVERABLE_MAX_MB = env_int("VOUCHER_DELIVERABLE_MAX_MB", 20)
# --- end vouchers ---
# --- Innovation database (issue 20): documents and images of entries are kept here,
# outside MEDIA_ROOT (empty: HOME_DIR/knowledge-files), and only sent for entries the
# asker may see; one file's cap (checked before a byte is read) and files per entry.
KNOWLEDGE_FILES_ROOT = env_str("KNOWLEDGE_FILES_ROOT", "")
KNOWLEDGE_FILE_MAX_MB = env_int("KNOWLEDGE_FILE_MAX_MB", 10)
KNOWLEDGE_MAX_FILES = env_int("KNOWLEDGE_MAX_FILES", 8)
# --- end innovation database ---
# --- Communities and events (issue 20): the daily command `event_reminders` reminds
# everyone with a place of an event that starts within this many hours (once each).
EVENT_REMINDER_HOURS = env_int("EVENT_REMINDER_HOURS", 48)
# --- end communities and events ---
# --- Newsletter (issue 20): a confirmation link of the public form is valid this many
# days; an issue is sent NEWSLETTER_BATCH_SIZE mails per batch (one admin click, or a
# step of the `newsletter_send` command, which continues where a batch stopped).
NEWSLETTER_CONFIRM_DAYS = env_int("NEWSLETTER_CONFIRM_DAYS", 7)
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 200)
# --- end newsletter ---
# --- Toolbox (issue 20): templates the team uploads per step are kept here, outside
# MEDIA_ROOT, and sent only as downloads; one file's cap, checked before a byte is read.
TOOLBOX_FILES_ROOT = Path(env_str("TOOLBOX_FILES_ROOT", str(HOME_DIR / "toolbox-files")))
TOOLBOX_TEMPLATE_MAX_MB = env_int("TOOLBOX_TEMPLATE_MAX_MB", 10)
# --- end toolbox ---
# --- Costs and benefits (issue 18): Monte Carlo draws behind every plan shown on a
# page (2,000 take about 85 ms for a typical plan; bench/cost_benefit_bench.py),
# and the most saved scenarios a park may keep.
COST_BENEFIT_PAGE_DRAWS = env_int("COST_BENEFIT_PAGE_DRAWS", 2_000)
COST_SCENARIOS_PER_PARK = env_int("COST_SCENARIOS_PER_PARK", 20)
# --- end costs and benefits ---
# --- Cache (issue 16): chart drawings, map layers and map data are computed once
# per scan (their keys name the scan or a digest of what they show) and shared by
# every gunicorn worker and kept across restarts: a file cache in CACHE_DIR.
# Django's default (memory per process) made each worker and each restart draw
# the dashboard's charts again (seconds per park).
CACHE_DIR = Path(env_str("CACHE_DIR", str(HOME_DIR / "cache")))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(CACHE_DIR),
        "TIMEOUT": 30 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
    },
    # Template fragments that depend only on the code, the settings and what their key
    # names (the main menu per role set, language and page; the footer per language):
    # kept in each worker's memory, gone at a restart, so a deploy never serves old ones.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "werklandschap-fragments",
        "OPTIONS": {"MAX_ENTRIES": 2_000},
    },
}
# Sessions are read from that cache and written through to the database (a page for a
# logged-in user no longer costs a session query; a cache miss falls back to the row).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Whether synthetic demo parks exist (the banner on every page) is remembered this long;
# saving or deleting a park forgets it at once. 0: ask the database on every page.
DEMO_FLAG_CACHE_SECONDS = env_int("DEMO_FLAG_CACHE_SECONDS", 300)
# Cached pages and API answers are keyed by a state read from the database (a count
# and a last change, a fingerprint); that read is itself remembered this many seconds
# (lib/freshness.py), so a change shows on the dashboards and in the park list API
# within that time. 0: read on every request.
DATA_FRESH_SECONDS = env_int("DATA_FRESH_SECONDS", 10)
# --- end cache ---
# --- Footer pages (issue 16): the public contact address shown on the contact,
# privacy and accessibility pages, and where the source code is published
# (empty: the footer says the code is available on request at CONTACT_EMAIL).
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "info@werklandschappen.example")
SOURCE_CODE_URL = env_str("SOURCE_CODE_URL", "")
# --- end footer pages ---
# --- Monitoring dashboards (issue 21, werklandschap.monitoring) ---
# A dashboard's figures are cached under a fingerprint of their data (a change
# recomputes them at the next visit); an entry lives at most this long. 0: no cache.
MONITORING_CACHE_SECONDS = env_int("MONITORING_CACHE_SECONDS", 600)
# Months shown in the time series of the swarm (the CSV has the same months).
MONITORING_MONTHS = env_int("MONITORING_MONTHS", 36)
# --- end monitoring dashboards ---
# --- Open API and open data (issue 21, werklandschap.api) ---
# Anonymous callers of /api/v1/ may make API_ANON_RATE requests ("N/second|minute|hour|
# day"; empty: no limit), then get a 429 problem with Retry-After. Public answers may be
# cached API_PUBLIC_MAX_AGE seconds (and revalidated by ETag). The open-data downloads
# are written to OPEN_DATA_ROOT (empty: HOME_DIR/open-data) after every batch scan.
API_ANON_RATE = env_str("API_ANON_RATE", "120/minute")
API_PUBLIC_MAX_AGE = env_int("API_PUBLIC_MAX_AGE", 300)
# Costly public answers (the park list) are kept in the shared cache under their URL,
# language and data state, at most this many seconds (0: never).
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 300)
OPEN_DATA_ROOT = env_str("OPEN_DATA_ROOT", "")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous call then gets 401 with WWW-Authenticate, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["werklandschap.api.throttling.AnonRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "werklandschap.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # The throttle's client address: REMOTE_ADDR unless behind trusted proxies (a forged
    # X-Forwarded-For must not give a caller a fresh allowance).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Werklandschappen van de Toekomst – open API",
    "DESCRIPTION": (
        "Openbare gegevens van het programma: bedrijventerreinen, samenvattingen van de "
        "nulmetingen, voortgang, de maatregelencatalogus en open data. Volgt de NLGov REST "
        "API Design Rules. Licentie van de gegevens: CC BY 4.0."
    ),
    "VERSION": "1.0.0",
    "CONTACT": {
        "name": "Programma Werklandschappen van de Toekomst",
        "email": CONTACT_EMAIL,
        "url": SITE_URL,
    },
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVERS": [{"url": SITE_URL.rstrip("/") + "/api/v1", "description": "API versie 1"}],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["werklandschap.api.schema.postprocess"],
}
# --- end open API ---

# Background map: PDOK BRT-Achtergrondkaart (WMTS, Web Mercator) by default.
# Set MAP_TILE_URL to "" to draw without tiles (the map still shows its own
# features and the province outlines).
MAP_TILE_URL = env_str(
    "MAP_TILE_URL",
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
)
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION", "Kaartgegevens &copy; Kadaster (PDOK BRT-Achtergrondkaart)"
)

# --- Content-Security-Policy (issue 14, django-csp) ---
# Scripts and styles only from the site's own static files: no inline <script>,
# no inline event handlers or style attributes, no eval. Page data reaches the
# scripts as json_script blocks (type application/json, never executed).
# werklandschap.front.csp.SiteCSPMiddleware adds the origin of MAP_TILE_URL to
# img-src when it builds the header. data: images are the dashboard's SVG charts
# and the draw toolbar's icons. Nothing may frame the site or change its <base>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# --- end Content-Security-Policy ---

# The demo creates accounts with a known password: only where this is on (dev, tests).
DEMO_ALLOWED = False

# Data bundle (manifest) for queued baseline scans; empty = the demo's synthetic
# bundle if present. SCAN_WORKER runs a queue worker thread inside `serve`.
SCAN_BUNDLE = env_str("SCAN_BUNDLE", "")
# Where `werklandschap demo` writes its synthetic data bundle.
DEMO_BUNDLE_DIR = HOME_DIR / "demo-bundle"
SCAN_WORKER = env_bool("SCAN_WORKER", True)

# --- Scan queue leases and `werklandschap serve` (issue 14, reliability) ---
# A queue worker renews its claim on a request every SCAN_LEASE_SECONDS / 3;
# a request whose worker has been silent for SCAN_LEASE_SECONDS (killed,
# machine gone) is taken over by another worker, at most SCAN_MAX_ATTEMPTS
# times in all. Every worker of one database should use the same lease.
SCAN_LEASE_SECONDS = env_int("SCAN_LEASE_SECONDS", 120)
SCAN_MAX_ATTEMPTS = env_int("SCAN_MAX_ATTEMPTS", 3)
# gunicorn under `werklandschap serve`: worker processes, threads per worker,
# and seconds before a silent worker is killed (flags of `serve` override).
SERVE_WORKERS = env_int("SERVE_WORKERS", 2)
SERVE_THREADS = env_int("SERVE_THREADS", 4)
SERVE_TIMEOUT = env_int("SERVE_TIMEOUT", 60)
# --- end scan queue leases and serve ---
PARK_MIN_AREA_HA = float(env_str("PARK_MIN_AREA_HA", "0.1"))  # import rejects smaller parks
PARK_MAX_AREA_HA = float(env_str("PARK_MAX_AREA_HA", "5000"))  # ... and larger ones

# PDF reports (issue 14): rendered by the scan queue's worker, never in a web
# request (portal/report_jobs.py). A job claimed longer ago than this lease (its
# worker died mid-render) is queued again; a render takes well under a minute.
REPORT_LEASE_S = env_int("REPORT_LEASE_S", 600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "loggers": {
        "werklandschap": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "WARNING"},
    },
}
