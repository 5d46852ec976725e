"""Packaged parameter files (``werklandschap/data/scan/*.yaml``), loaded once.

The values live in data files, not in code, so that every number carries its source
next to it and a reviewer can change a parameter without touching the engine.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "scan"


@cache
def _load(name: str) -> dict[str, Any]:
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


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
