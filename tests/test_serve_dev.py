"""`werklandschap serve --dev` with DEBUG off as well as on (it crashed with DEBUG=0).

The real command in its own process, as an operator starts it: the page must render
(every {% static %} resolves) and the static file it links must be served.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .test_settings_and_cli import _free_port, _run, _wait_until_healthy

# Its own server and SQLite file (DATABASE_URL removed): run once, not again in the
# PostgreSQL phase.
pytestmark = pytest.mark.engine


@pytest.mark.parametrize("debug", ["0", "1"])
def test_serve_dev_renders_a_page_and_serves_its_static_files(tmp_path, debug):
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update({"WERKLANDSCHAP_HOME": str(tmp_path), "SCAN_WORKER": "0", "DEBUG": debug})
    _run(["manage", "migrate", "-v0"], {"SCAN_WORKER": "0"}, tmp_path)
    log = tmp_path / "serve.log"
    exe = Path(sys.executable).parent / "werklandschap"
    args = ["serve", "--dev", "--port", str(port), "--workers", "1", "--threads", "2"]
    with open(log, "w") as out:
        proc = subprocess.Popen([str(exe), *args], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(proc, port, log)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as r:
            assert r.status == 200, log.read_text()
            page = r.read().decode()
        stylesheets = re.findall(r'<link[^>]+href="(/static/[^"]+\.css)"', page)
        assert stylesheets, page[:2000]
        for href in stylesheets:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{href}", timeout=30) as r:
                assert r.status == 200
                assert r.headers["Content-Type"].startswith("text/css")
                assert r.read().strip()
        # No collected folder in development: the files come from the source folders.
        assert not (tmp_path / "static").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert "Traceback" not in log.read_text()
