"""A scratch database that real `werklandschap` subprocesses and the test share.

pytest-django's SQLite test database lives in memory, out of reach of another
process, so tests that run real workers (and kill them) get their own database:
a SQLite file, or, when the suite runs against PostgreSQL (DATABASE_URL set, as
under scripts/pg-throwaway), a fresh database on that same server. It is
migrated by the real `werklandschap manage migrate`; the test reads it with
plain SQL.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

EXE = str(Path(sys.executable).parent / "werklandschap")


class ScratchDB:
    def __init__(self, home: Path):
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "werklandschap.conf.settings.dev",
                "WERKLANDSCHAP_HOME": str(home),
                "SCAN_WORKER": "0",
                "PYTHONUNBUFFERED": "1",
            }
        )
        server = os.environ.get("DATABASE_URL", "")
        self.pg_admin_url = ""
        if server.startswith(("postgres://", "postgresql://")):
            self.name = f"wl_scratch_{uuid.uuid4().hex[:10]}"
            parts = urlsplit(server)
            self.pg_admin_url = urlunsplit(parts._replace(path="/postgres"))
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + self.name))
            self._pg_admin(f'CREATE DATABASE "{self.name}"')
        else:
            self.env.pop("DATABASE_URL", None)
            self.name = str(home / "werklandschap.sqlite3")
        self.run("manage", "migrate", "-v0")

    @property
    def is_postgres(self) -> bool:
        return bool(self.pg_admin_url)

    def _pg_admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
            conn.execute(statement)

    def drop(self) -> None:
        if self.is_postgres:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Run one statement (``?`` placeholders) and return its rows."""
        if self.is_postgres:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as conn:
                cur = conn.execute(query.replace("?", "%s"), params)
                return cur.fetchall() if cur.description else []
        conn = sqlite3.connect(self.name, timeout=30)
        try:
            with conn:
                return conn.execute(query, params).fetchall()
        finally:
            conn.close()

    def run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [EXE, *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"werklandschap {' '.join(args)} failed:\n" + (
            result.stdout + result.stderr
        )
        return result

    def popen(self, *args: str, log: Path, env: dict | None = None, **kw) -> subprocess.Popen:
        """Start ``werklandschap ARGS`` with its output in ``log`` (never a full pipe)."""
        fh = open(log, "w")  # noqa: SIM115 - closed with the process by the caller's kill()
        return subprocess.Popen(
            [EXE, *args],
            env={**self.env, **(env or {})},
            stdout=fh,
            stderr=subprocess.STDOUT,
            text=True,
            **kw,
        )

    def shell(self, code: str) -> str:
        return self.run("manage", "shell", "-c", code).stdout


def wait_for(
    what: str, check: Callable[[], object], *, deadline_s: float = 120, logs: list[Path] = ()
):
    """Poll ``check`` until it returns something truthy; fail naming ``what`` (and
    showing the processes' output) only after a generous deadline."""
    end = time.monotonic() + deadline_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            output = "\n".join(f"--- {p}:\n{p.read_text()}" for p in logs if p.exists())
            raise AssertionError(f"gave up waiting for {what} after {deadline_s} s\n{output}")
        time.sleep(0.1)


def park_boxes(n: int) -> list:
    """``n`` small, separate parks near Delft (RD New), in a 10-wide grid."""
    from shapely.geometry import box

    return [
        box(
            85000 + (i % 10) * 250,
            447000 + (i // 10) * 200,
            85200 + (i % 10) * 250,
            447150 + (i // 10) * 200,
        )
        for i in range(n)
    ]


def add_parks(db: ScratchDB, n: int, *, queue: bool) -> None:
    """The parks of :func:`park_boxes` in the registry (and a scan request each if ``queue``)."""
    db.shell(
        "from shapely.geometry import box\n"
        "from werklandschap.registry.models import Park\n"
        "from werklandschap.scans.services import request_scan\n"
        f"for i, bounds in enumerate({[b.bounds for b in park_boxes(n)]!r}):\n"
        "    park = Park.objects.create(name=f'Werker {i}', slug=f'werker-{i}', "
        "geometry=box(*bounds))\n"
        f"    if {queue!r}:\n"
        "        request_scan(park, reason='test')\n"
    )
