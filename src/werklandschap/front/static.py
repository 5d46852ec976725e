"""Collect static files for production only when they changed.

``collectstatic`` with WhiteNoise's compressed manifest storage hashes and
compresses ~1,700 files (Leaflet, Chart.js, Geoman and our own): about 40 s
of CPU. Running it on every ``werklandschap serve`` made each restart slow
(and the serve test take minutes), although the files only change with a
release. A fingerprint of the source files (path, size, modification time)
is kept next to the collected files; when it matches and the manifest exists,
collecting is skipped.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

FINGERPRINT_NAME = ".source-fingerprint"
MANIFEST_NAME = "staticfiles.json"


def source_fingerprint() -> str:
    """A hash of every file the static finders would collect (path, size, mtime)."""
    digest = hashlib.sha256()
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            full = Path(storage.path(path))
            stat = full.stat()
            prefix = getattr(storage, "prefix", None) or ""
            entries.append(f"{prefix}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def collect_static_if_changed() -> bool:
    """Run ``collectstatic`` unless the collected files match the sources; True if it ran."""
    root = Path(settings.STATIC_ROOT)
    stamp = root / FINGERPRINT_NAME
    current = source_fingerprint()
    if (root / MANIFEST_NAME).is_file() and stamp.is_file() and stamp.read_text() == current:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(current)
    return True
