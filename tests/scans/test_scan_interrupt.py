"""`werklandschap scan --all` stopped by Ctrl+C, SIGTERM or SIGKILL: the run is
marked interrupted, the command exits 130/143 saying how to resume, and the
pool's worker processes never outlive it."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import psutil
import pytest
from shapely.geometry import box

from werklandschap.scanengine.synthetic import make_bundle

from .scratch import ScratchDB, wait_for

# 30 parks on the same 1 x 1 km square: a run on two workers takes several
# seconds and is reliably caught mid-way.
SQUARE = box(85000, 447000, 86000, 448000)
N_PARKS = 30


def _interruptible() -> None:
    """In the child: SIGINT as a terminal job has it. A test suite started in the
    background (``cmd &`` in a script, nohup) passes SIGINT on as *ignored*;
    Python then installs no KeyboardInterrupt handler and Ctrl+C did nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    home = tmp_path_factory.mktemp("interrupt-home")
    db = ScratchDB(home)
    db.shell(
        "from shapely.geometry import box\n"
        "from werklandschap.registry.models import Park\n"
        f"for i in range({N_PARKS}):\n"
        f"    Park.objects.create(name=f'Groot {{i}}', slug=f'groot-{{i}}', "
        f"geometry=box(*{SQUARE.bounds!r}))\n"
    )
    manifest = make_bundle([("square", SQUARE)], tmp_path_factory.mktemp("bundle"), seed=7)
    yield db, manifest
    db.drop()


def _start(db: ScratchDB, manifest, log: Path):
    """Start a real `scan --all --workers 2` and return it once its pool is busy."""
    (before,) = db.sql("SELECT COALESCE(MAX(id), 0) FROM scans_scanrun")[0]
    proc = db.popen(
        "scan",
        "--all",
        "--bundle",
        str(manifest),
        "--workers",
        "2",
        "--no-progress",
        log=log,
        start_new_session=True,  # its own process group, as a terminal job has
        preexec_fn=_interruptible,
    )
    try:
        run_id = wait_for(
            "the run to start",
            lambda: db.sql("SELECT MAX(id) FROM scans_scanrun WHERE id > ?", (before,))[0][0],
            logs=[log],
        )
        (path,) = db.sql("SELECT results_path FROM scans_scanrun WHERE id = ?", (run_id,))[0]
        wait_for(
            "the first parks to be scanned",
            lambda: Path(path).is_file() and Path(path).read_text().count("\n") >= 1,
            logs=[log],
        )
        workers = wait_for(
            "the pool's two workers",
            lambda: (w := psutil.Process(proc.pid).children(recursive=True)) and len(w) >= 2 and w,
            logs=[log],
        )
    except BaseException:
        _cleanup(proc, psutil.Process(proc.pid).children(recursive=True))
        raise
    return proc, run_id, workers


def _gone(pids: list[int]) -> bool:
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                return False
        except psutil.NoSuchProcess:
            pass
    return True


def _cleanup(proc, workers) -> None:
    for p in [proc, *workers]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(p.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.mark.parametrize(
    ("how", "exit_code"),
    [("ctrl-c", 130), ("sigterm", 143)],
)
def test_an_interrupted_run_is_marked_interrupted_and_exits_non_zero(
    registry, tmp_path, how, exit_code
):
    db, manifest = registry
    log = tmp_path / "scan.log"
    proc, run_id, workers = _start(db, manifest, log)
    try:
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl+C in a terminal does
        else:
            proc.send_signal(signal.SIGTERM)  # `kill PID`, a service manager stopping it
        proc.wait(timeout=120)
        output = log.read_text()
        assert proc.returncode == exit_code, output
        assert f"werklandschap scan --resume {run_id}" in output
        assert "Traceback" not in output
        status, ok, failed, message = db.sql(
            "SELECT status, parks_ok, parks_failed, message FROM scans_scanrun WHERE id = ?",
            (run_id,),
        )[0]
        assert status == "interrupted", output
        assert 0 < ok + failed < N_PARKS
        assert f"--resume {run_id}" in message
        wait_for("the workers to stop", lambda: _gone([w.pid for w in workers]), logs=[log])
    finally:
        _cleanup(proc, workers)


def test_workers_die_with_a_killed_scan(registry, tmp_path):
    """SIGKILL cannot be handled: the kernel ends the pool workers with their parent
    (PR_SET_PDEATHSIG) instead of leaving them waiting forever."""
    db, manifest = registry
    log = tmp_path / "scan.log"
    proc, _run_id, workers = _start(db, manifest, log)
    pids = [w.pid for w in workers]
    try:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        wait_for("the orphaned workers to die", lambda: _gone(pids), deadline_s=60, logs=[log])
    finally:
        _cleanup(proc, workers)
