"""Test settings: fast hashing, in-memory mail, no external tiles needed."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .env import env_str

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The test machine has no internet; an unreachable tile URL proves the map
# draws its own features without a background.
MAP_TILE_URL = env_str("MAP_TILE_URL", "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders in tests; there is no collected STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None

DEMO_ALLOWED = True

# Files a test run writes (scan results, demo bundle, media) go to a fresh
# temporary directory, never into the checkout.
HOME_DIR = Path(tempfile.mkdtemp(prefix="werklandschap-test-"))
DEMO_BUNDLE_DIR = HOME_DIR / "demo-bundle"
MEDIA_ROOT = HOME_DIR / "media"
EMAIL_FILE_PATH = str(HOME_DIR / "mail")
CACHE_DIR = HOME_DIR / "cache"
CACHES = {**CACHES, "default": {**CACHES["default"], "LOCATION": str(CACHE_DIR)}}  # noqa: F405
# Tests roll their parks back without a delete signal, so a remembered demo flag would
# outlive its test; the remembered path has its own tests (tests/registry/test_demo_flag.py).
DEMO_FLAG_CACHE_SECONDS = 0
# Tests change data and look at once; the remembered state has its own tests
# (tests/monitoring/test_fresh_window.py, tests/api/test_remembered.py).
DATA_FRESH_SECONDS = 0
SUPPORT_FILES_ROOT = HOME_DIR / "support-files"
VOUCHER_FILES_ROOT = HOME_DIR / "voucher-files"
TOOLBOX_FILES_ROOT = HOME_DIR / "toolbox-files"
