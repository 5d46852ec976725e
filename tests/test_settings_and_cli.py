"""The command line and the production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "werklandschap.conf.settings.production",
    "SECRET_KEY": "x" * 60 + "-production-test-key-with-enough-entropy",
    "ALLOWED_HOSTS": "werklandschappen.example",
    "EMAIL_HOST": "smtp.werklandschappen.example",
}


def _one_plain_sentence(result) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(["manage", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_missing_secret_in_one_sentence(tmp_path):
    result = _run(["manage", "check"], {**PRODUCTION, "SECRET_KEY": ""}, tmp_path)
    assert "SECRET_KEY" in _one_plain_sentence(result)


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    ],
)
def test_production_refuses_mail_that_is_not_sent(tmp_path, backend):
    """Confirmation links written to the console or a file would end up in logs."""
    result = _run(["manage", "check"], {**PRODUCTION, "EMAIL_BACKEND": backend}, tmp_path)
    assert "EMAIL_BACKEND" in _one_plain_sentence(result)


def test_production_needs_a_mail_server(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"}
    result = _run(["manage", "check"], env, tmp_path)
    assert "EMAIL_HOST" in _one_plain_sentence(result)


def test_a_malformed_number_is_one_plain_sentence(tmp_path):
    result = _run(["manage", "check"], {"SERVE_TIMEOUT": "lang"}, tmp_path)
    assert "SERVE_TIMEOUT" in _one_plain_sentence(result)


def test_serve_starts_with_production_settings_by_default(tmp_path):
    """Without DJANGO_SETTINGS_MODULE, `serve` is production: no SECRET_KEY, no start."""
    result = _run(["serve", "--port", "9"], {"SECRET_KEY": ""}, tmp_path)
    assert "SECRET_KEY" in _one_plain_sentence(result)


def test_serve_dev_contradicting_explicit_settings_is_refused(tmp_path):
    result = _run(["serve", "--dev"], PRODUCTION, tmp_path)
    assert result.returncode == 2
    assert "--dev" in result.stderr and "Traceback" not in result.stderr


def test_serve_options_default_from_the_environment(tmp_path):
    env = {"SERVE_WORKERS": "3", "SERVE_THREADS": "5", "SERVE_TIMEOUT": "95"}
    result = _run(["serve", "--help"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "SERVE_WORKERS, nu 3" in text
    assert "SERVE_THREADS, nu 5" in text
    assert "SERVE_TIMEOUT, nu 95" in text


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_healthy(proc, port: int, log: Path, deadline_s: float = 300) -> str:
    """Poll /health/ until the server answers; fail early if the process exits and,
    either way, show what it printed. Readiness, not a fixed time: a busy machine
    may take long to start, and production runs collectstatic first (40 s of CPU
    for the compressed static files, measured 2026-12-01)."""
    import time
    import urllib.request

    end = time.monotonic() + deadline_s
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as r:
                return r.read().decode()
        except OSError:
            pass
        if proc.poll() is not None:
            raise AssertionError(
                f"server exited with {proc.returncode} before answering:\n{log.read_text()}"
            )
        if time.monotonic() > end:
            raise AssertionError(f"server did not answer within {deadline_s} s:\n{log.read_text()}")
        time.sleep(0.25)


@pytest.mark.parametrize("mode", ["production", "dev"])
def test_serve_answers_http(tmp_path, mode):
    """`werklandschap serve` starts gunicorn on the configured port with the given
    workers, threads and timeout, and answers; production is the default."""
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update({"WERKLANDSCHAP_HOME": str(tmp_path), "SCAN_WORKER": "0"})
    args = ["serve", "--port", str(port), "--workers", "1", "--threads", "2", "--timeout", "90"]
    if mode == "production":
        env.update({k: v for k, v in PRODUCTION.items() if k != "DJANGO_SETTINGS_MODULE"})
        env.update({"ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"})
    else:
        args.append("--dev")
    _run(["manage", "migrate", "-v0"], {"SCAN_WORKER": "0"}, tmp_path)
    log = tmp_path / "serve.log"
    exe = Path(sys.executable).parent / "werklandschap"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(exe), *args], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        body = _wait_until_healthy(proc, port, log)
        assert '"status": "ok"' in body and "sqlite" in body
        # gunicorn took the options: two threads means its threaded worker.
        assert "Using worker: gthread" in log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
