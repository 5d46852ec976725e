"""The command line and the production settings."""

import os
import subprocess
import sys
from pathlib import Path

from werklandschap.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent


def test_help_lists_operator_commands(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("demo", "serve", "load-reference", "load-boundaries", "import-parks", "scan"):
        assert name in out
        assert name in COMMANDS


def test_unknown_command_fails(capsys):
    assert main(["no-such-thing"]) == 2
    assert "Onbekend commando" in capsys.readouterr().err


def _run(args, env_extra, tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update({"WERKLANDSCHAP_HOME": str(tmp_path), **env_extra})
    exe = Path(sys.executable).parent / "werklandschap"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=120)


def test_failure_gives_nonzero_exit_and_plain_message(tmp_path):
    result = _run(["load-reference", str(tmp_path / "missing")], {}, tmp_path)
    assert result.returncode == 1
    assert "Map niet gevonden" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "werklandschap.conf.settings.production",
        "SECRET_KEY": "x" * 60 + "-production-test-key-with-enough-entropy",
        "ALLOWED_HOSTS": "werklandschappen.example",
    }
    result = _run(["manage", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_missing_secret(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "werklandschap.conf.settings.production", "SECRET_KEY": ""}
    result = _run(["manage", "check"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_serve_answers_http(tmp_path):
    """`werklandschap serve` starts gunicorn on the configured port and answers."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update({"WERKLANDSCHAP_HOME": str(tmp_path), "SCAN_WORKER": "0"})
    exe = Path(sys.executable).parent / "werklandschap"
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.25)
        assert body is not None, "server did not answer"
        assert '"status": "ok"' in body and "sqlite" in body
    finally:
        proc.terminate()
        proc.wait(timeout=20)
