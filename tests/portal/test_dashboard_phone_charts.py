"""Dashboard charts and the ambitions table on a phone (390 px) and a desktop (1280 px).

Issue 16: at 390 px the server-drawn SVG charts shrank until their labels were
about 4 px and the ambitions table ran off the page. The charts are <img> data
URIs, so the rendered text size is computed from the SVG itself: the smallest
font-size of its text (in SVG user units) times the image's rendered width over
the SVG's viewBox width. The ambitions table must fit without scrolling sideways
(on a phone it is one card per indicator). Screenshots of the chart sections go to test-artifacts/.
"""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.portal.conftest import scan
from tests.portal.test_dashboard_browser import logged_in_page

pytestmark = BROWSER_MARKS

MIN_TEXT_PX = 10.5

# Smallest rendered text (CSS px) of every visible chart image on the page.
MEASURE = """
() => Array.from(document.querySelectorAll('main img'))
  .filter(img => img.getBoundingClientRect().width > 0
    && (img.currentSrc || '').startsWith('data:image/svg+xml'))
  .map(img => {
    const b64 = img.currentSrc.split(',', 2)[1];
    const text = new TextDecoder().decode(Uint8Array.from(atob(b64), c => c.charCodeAt(0)));
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    const vb = (svg.getAttribute('viewBox') || '').trim().split(/[\\s,]+/).map(Number);
    const sizes = Array.from(svg.querySelectorAll('text')).map(t => {
      const m = /font:\\s*([\\d.]+)px/.exec(t.getAttribute('style') || '')
             || /font-size:\\s*([\\d.]+)px/.exec(t.getAttribute('style') || '');
      return m ? Number(m[1]) : 0;
    }).filter(s => s > 0);
    const scale = img.getBoundingClientRect().width / vb[2];
    return {
      where: (img.closest('section') || {}).id || '?',
      smallest: sizes.length ? Math.min(...sizes) * scale : null,
      width: img.getBoundingClientRect().width,
    };
  })
"""


@pytest.fixture
def fresh_chart_cache(settings, tmp_path):
    """Charts drawn by the code under test, not read from an earlier run's file cache."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": str(tmp_path / "c")},
    }


@pytest.fixture
def rescanned(scanned, park, bundle):
    """A second scan of ``park``, so the history charts are drawn too."""
    return scan(park, bundle)


@pytest.mark.parametrize("width", [390, 1280])
def test_dashboard_charts_readable_and_no_sideways_page(
    live_server, people, park, rescanned, browser, width, fresh_chart_cache
):
    ARTIFACTS.mkdir(exist_ok=True)
    page = logged_in_page(
        browser, live_server, people["contact"], viewport={"width": width, "height": 900}
    )
    page.goto(f"{live_server.url}/portaal/{park.slug}/")
    page.wait_for_load_state("load")
    # open folded sections so every chart is laid out
    page.evaluate("() => document.querySelectorAll('main details').forEach(d => d.open = true)")
    # the ambitions table fits: on a phone one card per indicator, nothing to scroll
    fits = page.evaluate(
        "() => { const w = document.querySelector('.ambition-table').closest('.table-wrap');"
        " return [w.scrollWidth, w.clientWidth]; }"
    )
    assert fits[0] <= fits[1] + 1, fits
    # element screenshots: let the sticky section menu scroll away instead of covering them
    page.evaluate("() => document.querySelector('.portal-nav').style.position = 'static'")
    for section in ("overzicht", "vergelijking", "ambities", "ontwikkeling"):
        loc = page.locator(f"#{section}")
        if loc.count():
            loc.screenshot(path=str(ARTIFACTS / f"dashboard-charts-{section}-{width}.png"))
    charts = page.evaluate(MEASURE)
    print(width, charts)
    assert len(charts) >= 3, charts
    assert any(c["where"] == "ontwikkeling" for c in charts), charts
    small = [c for c in charts if c["smallest"] is not None and c["smallest"] < MIN_TEXT_PX]
    assert not small, f"chart text below {MIN_TEXT_PX} px at {width} px: {small}"
    # the page itself never scrolls sideways; wide things scroll in their own region
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
