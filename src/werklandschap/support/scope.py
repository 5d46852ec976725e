"""The desk's scope rules ("what we do not do"), read from ``data/support/scope.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from werklandschap.portal.presentation import lang

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "support" / "scope.yaml"
_REQUIRED = ("key", "label", "label_en", "pointer", "pointer_en")


class ScopeRulesError(ValueError):
    """scope.yaml is incomplete: names the file and the wrong entry."""


@dataclass(frozen=True)
class ScopeRule:
    key: str
    label_nl: str
    label_en: str
    pointer_nl: str
    pointer_en: str

    @property
    def label(self) -> str:
        return self.label_en if lang() == "en" else self.label_nl

    @property
    def pointer(self) -> str:
        return self.pointer_en if lang() == "en" else self.pointer_nl


def load(path: Path = DATA_FILE) -> tuple[ScopeRule, ...]:
    """Read and check the scope rules (every field present, keys unique)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not data.get("source"):
        raise ScopeRulesError(f"{path.name}: 'source' is missing")
    rules = []
    for number, row in enumerate(data.get("rules") or [], start=1):
        missing = [k for k in _REQUIRED if not str(row.get(k) or "").strip()]
        if missing:
            raise ScopeRulesError(f"{path.name}: rule {number} lacks {', '.join(missing)}")
        rules.append(
            ScopeRule(row["key"], row["label"], row["label_en"], row["pointer"], row["pointer_en"])
        )
    keys = [r.key for r in rules]
    if not rules or len(set(keys)) != len(keys):
        raise ScopeRulesError(f"{path.name}: no rules, or a key used twice")
    return tuple(rules)


@cache
def scope_rules() -> tuple[ScopeRule, ...]:
    return load()


def rule_for(key: str) -> ScopeRule | None:
    return next((r for r in scope_rules() if r.key == key), None)
