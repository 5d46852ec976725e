"""Shared set-up of the browser tests: Debian's Chromium driven by Playwright.

``pytestmark = BROWSER_MARKS`` in a test module; the ``browser`` fixture lives
in tests/conftest.py. Screenshots go to ``ARTIFACTS`` for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists(),
        reason=f"Debian Chromium not installed at {CHROMIUM} (apt-get install chromium)",
    ),
]
