"""Packaged parameter files (``werklandschap/data/scan/*.yaml``), loaded once.

The values live in data files, not in code, so that every number carries its source
next to it and a reviewer can change a parameter without touching the engine.

Because a reviewer can change them, a stored result must say which values it was
computed with: :func:`parameters_digest` is a sha256 over the canonical JSON of every
parameter file the scan reads, and :func:`parameters_snapshot` the values themselves.
Every scan result carries the digest; the portal keeps the snapshot once per digest,
so a theme breakdown shown next year uses the thresholds of the scan, not today's.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "scan"

# Parameter files in DATA_DIR that the scan does NOT read: the programme's default
# ambitions are targets the portal compares a result with (a park may set its own),
# not an input of any figure. Every other file is covered by the digest, so a file
# added later is covered without anyone remembering to list it.
NOT_SCAN_PARAMETERS: frozenset[str] = frozenset({"ambitions"})

# In-process replacements of whole parameter files (name -> values), set with
# override(): what-if runs and tests that change a parameter after a scan was stored.
_overrides: dict[str, dict[str, Any]] = {}


def read_yaml(path: Path) -> Any:
    """One YAML file, parsed safely; the indicator catalogue (catalog.py) checks its own."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def _load_file(name: str) -> dict[str, Any]:
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _load(name: str) -> dict[str, Any]:
    if name in _overrides:
        return _overrides[name]
    return _load_file(name)


def load(name: str) -> dict[str, Any]:
    """A deep copy of a packaged parameter file (callers may modify it)."""
    return copy.deepcopy(_load(name))


def value(name: str, *keys: str) -> Any:
    """A nested value of a parameter file; ``{'value': x, 'source': ...}`` gives x."""
    node: Any = _load(name)
    for key in keys:
        node = node[key]
    if isinstance(node, dict) and "value" in node:
        return node["value"]
    return node


@contextlib.contextmanager
def override(name: str, values: dict[str, Any]) -> Iterator[None]:
    """Use ``values`` instead of parameter file ``name`` inside the block.

    The scan then computes with them and its results carry their digest, like a
    changed file would. Process-wide (not per thread); a process pool forked inside
    the block inherits it.
    """
    if not (DATA_DIR / f"{name}.yaml").is_file():
        raise KeyError(f"no parameter file {name}.yaml to override")
    previous = _overrides.get(name)
    _overrides[name] = copy.deepcopy(values)
    _digest_cache.clear()
    try:
        yield
    finally:
        if previous is None:
            _overrides.pop(name, None)
        else:
            _overrides[name] = previous
        _digest_cache.clear()


def scan_parameter_files() -> list[str]:
    """Names (without .yaml) of the parameter files the scan reads, sorted."""
    return sorted(p.stem for p in DATA_DIR.glob("*.yaml") if p.stem not in NOT_SCAN_PARAMETERS)


def _jsonable(values: Any) -> Any:
    """YAML values as JSON would keep them (dates as ISO text, integer keys as text)."""
    return json.loads(json.dumps(values, default=str, ensure_ascii=False))


def parameters_snapshot() -> dict[str, Any]:
    """``{"<name>.yaml": values}`` of every parameter file the scan reads (a copy)."""
    return {f"{name}.yaml": _jsonable(_load(name)) for name in scan_parameter_files()}


def snapshot_digest(snapshot: dict[str, Any]) -> str:
    """sha256 (hex) of the canonical JSON of a snapshot: sorted keys, no whitespace.

    Only values count: a comment or a re-indented file keeps its digest; a changed
    threshold, weight or file name changes it.
    """
    canonical = json.dumps(
        snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_digest_cache: dict[str, str] = {}


def parameters_digest() -> str:
    """The digest of :func:`parameters_snapshot`, computed once per process (and override)."""
    digest = _digest_cache.get("digest")
    if digest is None:
        digest = _digest_cache["digest"] = snapshot_digest(parameters_snapshot())
    return digest
