"""A plan chart opened on its own in Chromium, under the site's own Content-Security-Policy.

The costs page links its charts as SVG URLs; a visitor can open one in a tab. The
chart is served here with exactly the policy the site sends (read from a response
of the site), from a local server, and must draw its bars in their colours with no
CSP violation in the console (matplotlib's inline styles would have been blocked:
a black box).
"""

from __future__ import annotations

import http.server
import socketserver
import threading

import numpy as np
from PIL import Image

from tests.browser import ARTIFACTS, BROWSER_MARKS
from tests.measures.plan_examples import typical_plan
from werklandschap.costbenefit.catalog import load_catalogue
from werklandschap.costbenefit.model import evaluate
from werklandschap.measures import charts

pytestmark = BROWSER_MARKS


def serve(body: bytes, policy: str):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.send_header("Content-Security-Policy", policy)
            self.end_headers()
            self.wfile.write(body)

    server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_chart_opened_on_its_own_keeps_its_colours_under_the_site_policy(client, browser):
    policy = client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "style-src" in policy
    svg = charts.per_party(evaluate(load_catalogue(), typical_plan()))
    server = serve(svg.encode("utf-8"), policy)
    try:
        page = browser.new_page(viewport={"width": 900, "height": 500})
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/per-partij.svg")
        page.wait_for_timeout(300)
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "plan-chart-per-party-standalone.png"
        page.screenshot(path=str(shot))
    finally:
        server.shutdown()
        server.server_close()
    assert not [m for m in messages if "Content Security Policy" in m], messages
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=int)

    def share(colour: str) -> float:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        return float((np.abs(pixels - rgb).sum(axis=2) < 40).mean())

    assert share(charts.COSTS) > 0.005 and share(charts.BENEFITS) > 0.005
    assert float((pixels.sum(axis=2) < 60).mean()) < 0.2  # not a black box
