"""Local development and the demo: debug on, SQLite in ./var, mail to the console."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", True)

# Static files in development, with DEBUG on or off: WhiteNoise serves them straight
# from the finders (the source folders), re-read on every request, so an edited
# stylesheet shows at once and nothing has to be collected before `serve --dev`
# starts. There is deliberately no collected STATIC_ROOT (`serve` collects only when
# one is set) and the storage is Django's plain one, whose URLs need no manifest.
# Production collects into STATIC_ROOT with WhiteNoise's compressed manifest storage
# (production.py, front/static.py).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None

DEMO_ALLOWED = True
