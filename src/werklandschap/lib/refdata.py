"""Reading the reference-data files shipped in ``werklandschap/data/reference``."""

from __future__ import annotations

from pathlib import Path

import yaml

DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


class ReferenceDataError(ValueError):
    """A reference-data file is missing, malformed or inconsistent; names the file."""


def read_yaml(directory: Path, name: str) -> dict:
    path = Path(directory) / name
    if not path.is_file():
        raise ReferenceDataError(f"{path}: bestand ontbreekt")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{path}: geen geldige YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{path}: verwacht een YAML-mapping bovenaan")
    return data


def require(mapping: dict, key: str, where: str):
    if key not in mapping or mapping[key] in (None, ""):
        raise ReferenceDataError(f"{where}: veld '{key}' ontbreekt")
    return mapping[key]
