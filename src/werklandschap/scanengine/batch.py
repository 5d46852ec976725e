"""National batch: scan many parks on both cores or on a Dask cluster, resumable.

Results are appended to a JSON-lines file as each park finishes (one line per park,
flushed), so an interrupted batch loses at most the parks in flight; a rerun with
``resume=True`` skips every park id already in the file. A park that fails is a
line with ``status: failed`` and its message; the batch goes on.

Parallelism: local worker processes (``workers``), or with ``scheduler`` (a Dask
scheduler address such as ``tcp://10.0.0.5:8786``) the parks are submitted to a
``dask.distributed`` cluster. Each worker loads the bundle once and keeps it. At
most a few parks per worker are in flight, so memory stays flat in the number of
parks.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import shapely

from .bundle import Bundle, load_bundle
from .engine import failed, scan_park

_BUNDLES: dict[tuple[str, float], Bundle] = {}
_LOCK = threading.Lock()


def _bundle_for(path: str) -> Bundle:
    """The bundle of ``path`` loaded once per process (reloaded when the file changes)."""
    key = (path, os.stat(path).st_mtime)
    with _LOCK:
        b = _BUNDLES.get(key)
        if b is None:
            if not _BUNDLES:
                _worker_init()  # first task in this worker (process pool or Dask)
            b = load_bundle(path, check_classes=False)  # checked once by the caller
            _BUNDLES[key] = b
        return b


_SINGLE_THREAD_VARS = (
    "GDAL_NUM_THREADS",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def _worker_init() -> None:
    """One thread per worker process: the workers already use every core, and a
    multi-threaded GDAL decode or BLAS in each of them only oversubscribes the CPUs.
    (A forked worker inherits the parent's GDAL config, so it is set, not just the
    environment.)"""
    for var in _SINGLE_THREAD_VARS:
        os.environ[var] = "1"
    from rasterio.env import set_gdal_config

    set_gdal_config("GDAL_NUM_THREADS", "1")


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(parent_pid: int) -> None:
    """Make this worker die when the batch process dies, even by SIGKILL.

    Without it, a killed ``scan --all`` leaves its pool workers behind: they
    inherit both ends of the task pipe, so they never see it close and wait
    forever. Linux: the kernel sends SIGKILL when the parent goes
    (PR_SET_PDEATHSIG; tied to the thread that started the worker, which is the
    thread calling :func:`run_batch` and alive as long as the pool). Elsewhere a
    daemon thread polls the parent id.
    """
    armed = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)
    if not armed:

        def watch() -> None:
            while os.getppid() == parent_pid:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _pool_worker_init(parent_pid: int) -> None:
    """Initializer of the local process pool: die with the parent; leave Ctrl+C
    (SIGINT reaches the whole process group) to the parent, which stops the pool;
    SIGTERM ends a worker at once (the parent's handler is not inherited)."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker_init()


class Terminated(KeyboardInterrupt):
    """SIGTERM during a batch: handled like Ctrl+C (stop, keep finished parks)."""


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while a batch runs (main thread only,
    where Python delivers signals), so ``kill`` stops it as cleanly as Ctrl+C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def scan_task(park_id: str, wkb: bytes, bundle_path: str, crs: str, params: dict | None) -> dict:
    """One park in a worker (process pool or Dask): a plain function of plain data."""
    try:
        bundle = _bundle_for(bundle_path)
    except Exception as exc:
        return failed(park_id, f"park {park_id}: bundle cannot be loaded in worker: {exc}")
    return scan_park(park_id, wkb, bundle, crs=crs, params=params)


@dataclass
class BatchSummary:
    """What a batch did; ``failures`` lists (park id, message)."""

    out_path: str
    total: int = 0
    skipped: int = 0
    scanned: int = 0
    ok: int = 0
    failed: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    # The signal that interrupted the batch (SIGINT for Ctrl+C, SIGTERM), else 0;
    # command lines exit with 128 + this number, as shells do.
    interrupt_signal: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    bundle: dict[str, Any] = field(default_factory=dict)

    @property
    def parks_per_second(self) -> float:
        return self.scanned / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["parks_per_second"] = self.parks_per_second
        return d


def finished_ids(out_path: Path) -> set[str]:
    """Park ids already in a JSON-lines result file. A truncated last line (the batch
    was killed mid-write) is cut off so that appending continues on a clean line."""
    done: set[str] = set()
    if not out_path.exists():
        return done
    good_end = 0
    with open(out_path, "rb") as fh:
        for raw in fh:
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError:
                break
            if not raw.endswith(b"\n"):
                break
            done.add(str(rec["park_id"]))
            good_end += len(raw)
    if good_end != out_path.stat().st_size:
        with open(out_path, "r+b") as fh:
            fh.truncate(good_end)
    return done


def _to_wkb(geometry: Any) -> bytes:
    if isinstance(geometry, bytes | bytearray | memoryview):
        return bytes(geometry)
    from .context import to_geometry

    return shapely.to_wkb(to_geometry(geometry))


def _todo(parks: Iterable, done: set[str], summary: BatchSummary) -> Iterator[tuple[str, bytes]]:
    seen: set[str] = set()
    for park_id, geometry in parks:
        pid = str(park_id)
        summary.total += 1
        if pid in done:
            summary.skipped += 1
            continue
        if pid in seen:
            summary.skipped += 1
            summary.failures.append((pid, f"park {pid}: duplicate park id in the input, skipped"))
            continue
        seen.add(pid)
        try:
            wkb = _to_wkb(geometry)
        except Exception:
            wkb = b""  # scan_park reports the unreadable geometry as a failed park
        yield pid, wkb


class _Progress:
    def __init__(self, enabled: bool, total: int | None):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="park", desc="scan", file=sys.stderr, smoothing=0.1)

    def update(self, result: dict) -> None:
        if self.bar is not None:
            self.bar.update(1)
            if result.get("status") != "ok":
                self.bar.set_postfix_str(f"failed: {result['park_id']}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _count(parks: Iterable) -> int | None:
    try:
        return len(parks)  # type: ignore[arg-type]
    except TypeError:
        return None


def run_batch(
    parks: Iterable[tuple[str, Any]],
    bundle_path: str | os.PathLike,
    out_path: str | os.PathLike,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    resume: bool = True,
    progress: bool = True,
    crs: str = "EPSG:28992",
    params: dict | None = None,
    annotate: Callable[[dict], dict] | None = None,
) -> BatchSummary:
    """Scan ``parks`` ((id, geometry) pairs) into the JSON-lines file ``out_path``.

    ``annotate`` (optional) turns each result into the line written, in this process:
    the command line adds the input file's name and attributes of the park there.

    Raises BundleError before any work when the bundle is not valid. Interrupting
    (Ctrl-C, or SIGTERM when called from the main thread) stops cleanly: finished
    parks stay in the file, ``summary.interrupted`` and ``summary.interrupt_signal``
    say so, and the pool's workers are stopped.
    """
    bundle_path = str(Path(bundle_path).expanduser().resolve())
    bundle = load_bundle(bundle_path)  # validates everything up front, raises BundleError
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary(out_path=str(out), bundle=bundle.describe())
    done = finished_ids(out) if resume else set()
    mode = "a" if resume else "w"
    total = _count(parks)
    bar = _Progress(progress, None if total is None else max(0, total - len(done)))
    start = time.perf_counter()

    def record(fh, result: dict) -> None:
        if annotate is not None:
            result = annotate(result)
        fh.write(json.dumps(result, ensure_ascii=False) + "\n")
        fh.flush()
        summary.scanned += 1
        if result.get("status") == "ok":
            summary.ok += 1
        else:
            summary.failed += 1
            summary.failures.append((result["park_id"], result.get("error") or ""))
        bar.update(result)

    todo = _todo(parks, done, summary)
    try:
        with _sigterm_interrupts(), open(out, mode, encoding="utf-8") as fh:
            if scheduler:
                _run_dask(
                    todo, bundle_path, scheduler, crs, params, workers, lambda r: record(fh, r)
                )
            elif workers <= 1:
                for pid, wkb in todo:
                    record(fh, scan_park(pid, wkb, bundle, crs=crs, params=params))
            else:
                _run_processes(todo, bundle_path, workers, crs, params, lambda r: record(fh, r))
    except KeyboardInterrupt as exc:
        summary.interrupted = True
        summary.interrupt_signal = int(
            signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT
        )
    finally:
        bar.close()
        bundle.close()
        summary.seconds = time.perf_counter() - start
    return summary


def _run_processes(todo, bundle_path, workers, crs, params, record) -> None:
    in_flight = max(2, workers * 3)
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_pool_worker_init, initargs=(os.getpid(),)
    ) as pool:
        pending: dict = {}
        try:
            for pid, wkb in todo:
                pending[pool.submit(scan_task, pid, wkb, bundle_path, crs, params)] = pid
                if len(pending) >= in_flight:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for f in finished:
                        record(_result_of(f, pending.pop(f)))
            for f in list(pending):
                record(_result_of(f, pending.pop(f)))
        except BaseException:
            # Interrupted: the parks in flight are given up (a resume redoes them).
            # Stop the workers now instead of waiting for their current park.
            for f in pending:
                f.cancel()
            procs = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in procs:
                with contextlib.suppress(Exception):
                    proc.terminate()
            for proc in procs:
                with contextlib.suppress(Exception):
                    proc.join(timeout=10)
            raise


def _result_of(fut, pid: str) -> dict:
    try:
        return fut.result()
    except Exception as exc:  # a worker died (e.g. out of memory): report, go on
        return failed(pid, f"park {pid}: worker failed ({type(exc).__name__}: {exc})")


def _run_dask(todo, bundle_path, scheduler, crs, params, workers, record) -> None:
    from distributed import Client, as_completed

    with Client(scheduler, set_as_default=False) as client:
        nthreads = sum(client.nthreads().values()) or workers
        in_flight = max(2, nthreads * 3)
        ids: dict[str, str] = {}

        def submit(pid, wkb):
            fut = client.submit(scan_task, pid, wkb, bundle_path, crs, params, pure=False)
            ids[fut.key] = pid
            return fut

        it = iter(todo)
        first = []
        for pid, wkb in it:
            first.append(submit(pid, wkb))
            if len(first) >= in_flight:
                break
        if not first:
            return
        ac = as_completed(first, loop=client.loop)
        for fut in ac:
            pid = ids.pop(fut.key)
            try:
                res = fut.result()
            except Exception as exc:
                res = failed(pid, f"park {pid}: Dask task failed ({type(exc).__name__}: {exc})")
            record(res)
            fut.release()
            nxt = next(it, None)
            if nxt is not None:
                ac.add(submit(*nxt))


def read_results(path: str | os.PathLike) -> list[dict]:
    """All results of a JSON-lines file (complete lines only)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            with contextlib.suppress(json.JSONDecodeError):
                out.append(json.loads(line))
    return out
