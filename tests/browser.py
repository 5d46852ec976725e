"""Shared set-up of the browser tests: Debian's Chromium driven by Playwright.

``pytestmark = BROWSER_MARKS`` in a test module; the ``browser`` fixture lives
in tests/conftest.py (one Chromium per worker, a fresh context per test).
Screenshots go to ``ARTIFACTS`` for a person to look at.
"""

from __future__ import annotations

import asyncio
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


class SharedChromium:
    """One Chromium per test process (xdist worker), started by its first browser test.

    Starting Chromium and Playwright's driver costs about a second; each test still
    gets a browser with nothing in it, because everything a test opens lives in its
    own context (``browser.new_page()`` makes one too) and ``release()`` closes them
    all when the test ends.

    Playwright's sync API marks its event loop as running in this thread after every
    call. Outside a browser test that would make Django refuse ORM calls ("async
    context") and ``async_to_sync`` refuse to run, so the mark is lifted when a test
    ends and put back when the next browser test starts (Playwright's own calls
    need it while the driver waits).
    """

    def __init__(self) -> None:
        self._manager = None
        self._playwright = None
        self._chromium = None

    def acquire(self):
        """The running Chromium (started or restarted when needed), ready for calls."""
        from playwright.sync_api import sync_playwright

        if self._playwright is None:
            self._manager = sync_playwright()
            self._playwright = self._manager.start()
        else:
            asyncio._set_running_loop(self._playwright._loop)
        if self._chromium is None or not self._chromium.is_connected():
            self._chromium = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
        return self._chromium

    def release(self) -> None:
        """Close what the test opened; the next test starts from an empty browser."""
        try:
            if self._chromium is not None and self._chromium.is_connected():
                for context in list(self._chromium.contexts):
                    context.close()
        finally:
            asyncio._set_running_loop(None)

    def stop(self) -> None:
        if self._playwright is None:
            return
        asyncio._set_running_loop(self._playwright._loop)
        try:
            if self._chromium is not None and self._chromium.is_connected():
                self._chromium.close()
        finally:
            self._playwright.stop()
            self._playwright = self._chromium = None
