"""Phone drawings of the dashboard charts: text large enough for a 390 px screen.

The sizing contract behind ``charts.PHONE_WIDTH_IN`` / ``PHONE_TEXT_SCALE``: shown
about 300 CSS px wide (a full-width chart on a 390 px phone; the comparison
cards, 285 px, are measured in the browser test), the smallest text of a
phone drawing is at least 10.5 px. The default drawings (dashboard on a desktop, PDF
report) are what they were: ``text_scale`` 1 draws exactly the same SVG.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from werklandschap.portal import charts
from werklandschap.portal import presentation as fmt

SHOWN_PX = 300  # a full-width chart slot on a 390 px phone (measured: 303 px)


def smallest_text_px(svg: str, shown_px: float) -> float:
    view_w = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font(?:-size)?: (?:[a-z]+ )*([\d.]+)px", svg)]
    assert sizes, "no text in the drawing"
    return min(sizes) * shown_px / view_w


def ambition_rows() -> list[dict]:
    return [
        {
            "key": "green_share",
            "label": "Aandeel groen",
            "unit": "%",
            "current": 16.6,
            "target": 25.0,
            "met": False,
        },
        {
            "key": "water_retention_mm",
            "label": "Berging op eigen terrein per m2 verhard",
            "unit": "mm",
            "current": 0.0,
            "target": 50.0,
            "met": False,
        },
    ]


def phone(fn, *args, name):
    return fn(*args, width_in=charts.PHONE_WIDTH_IN[name], text_scale=charts.PHONE_TEXT_SCALE)


def test_phone_drawings_keep_text_readable_on_a_phone():
    scores = dict.fromkeys(fmt.themes(), 40.0)
    dates = [datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)]
    drawings = {
        "scores": phone(charts.theme_scores_svg, scores, name="scores"),
        "ambitions": phone(charts.ambitions_svg, ambition_rows(), name="ambitions"),
        "history": phone(charts.history_svg, dates, [16.6, 18.0], "%", 25.0, name="history"),
    }
    for name, svg in drawings.items():
        assert smallest_text_px(svg, SHOWN_PX) >= 10.5, name
    # the default drawing, squeezed into the same slot, is what the phone used to get
    assert smallest_text_px(charts.theme_scores_svg(scores), SHOWN_PX) < 7


def test_text_scale_one_is_the_default_drawing():
    scores = dict.fromkeys(fmt.themes(), 55.0)
    assert charts.theme_scores_svg(scores, text_scale=1.0) == charts.theme_scores_svg(scores)
    rows = ambition_rows()
    assert charts.ambitions_svg(rows, width_in=6.8, text_scale=1.0) == charts.ambitions_svg(
        rows, width_in=6.8
    )


def test_chart_cache_keys_change_with_the_drawing_code(monkeypatch):
    """The shared cache keeps drawings for 30 days: new chart code must not get old ones."""
    from werklandschap.portal import views

    calls = []
    views.chart_code_version.cache_clear()
    first = views.cached_chart("t", {"a": 1}, lambda: calls.append(1) or "<svg>1</svg>")
    again = views.cached_chart("t", {"a": 1}, lambda: calls.append(2) or "<svg>2</svg>")
    assert first == again == "<svg>1</svg>" and calls == [1]
    monkeypatch.setattr(views, "chart_code_version", lambda: "another-release")
    redrawn = views.cached_chart("t", {"a": 1}, lambda: calls.append(3) or "<svg>3</svg>")
    assert redrawn == "<svg>3</svg>" and calls == [1, 3]
