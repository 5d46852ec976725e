"""The English translation: complete, no fuzzy guesses, and compiled."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import werklandschap

LOCALE = Path(werklandschap.__file__).parent / "locale" / "en" / "LC_MESSAGES"

needs_msgfmt = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed"
)


@needs_msgfmt
def test_po_has_no_fuzzy_or_untranslated_entries():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    stats = result.stderr
    assert "translated message" in stats
    assert "fuzzy" not in stats and "untranslated" not in stats, stats


@needs_msgfmt
def test_mo_is_compiled_from_current_po():
    normalised = subprocess.run(
        ["msgattrib", "--no-wrap", str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    msgids = {
        m.encode("raw_unicode_escape").decode("unicode_escape")
        for m in re.findall(r'^msgid "(.+)"$', normalised, flags=re.M)
    }
    with (LOCALE / "django.mo").open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    # Keys are "msgid", ("msgid", n) for plurals and "context\x04msgid" with a msgctxt.
    compiled = {(k[0] if isinstance(k, tuple) else k).split("\x04")[-1] for k in catalog}
    missing = sorted(msgids - compiled)
    assert not missing, f"run compilemessages; not in django.mo: {missing[:5]}"
