"""The classifications of the Innovation database, read from ``data/knowledge/vocabulary.yaml``.

Types, themes, solution directions, scales, origins and evidence statuses are
data with a source, not code, so the programme team can see where each comes
from. The loader refuses a file with a block without a source, a value without
both labels, a malformed key, or theme keys other than the scan catalogue's
seven: the park dashboard matches its gaps to entries by these keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "knowledge"
BLOCKS = ("types", "themes", "directions", "scales", "origins", "evidence")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class VocabularyError(ValueError):
    """The vocabulary file is incomplete or inconsistent; the message lists every finding."""


@dataclass(frozen=True)
class Term:
    key: str
    nl: str
    en: str

    @property
    def label(self) -> str:
        """The label in the active language (Dutch unless English is active)."""
        return self.en if (get_language() or "nl").startswith("en") else self.nl

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Vocabulary:
    version: str
    blocks: dict[str, dict[str, Term]]
    sources: dict[str, str]

    def terms(self, block: str) -> list[Term]:
        return list(self.blocks[block].values())

    def keys(self, block: str) -> tuple[str, ...]:
        return tuple(self.blocks[block])

    def choices(self, block: str) -> list[tuple[str, str]]:
        """(key, label) pairs for a form field, in the file's order and the active language."""
        return [(t.key, t.label) for t in self.blocks[block].values()]

    def label(self, block: str, key: str) -> str:
        term = self.blocks[block].get(key)
        return term.label if term else key


def parse_vocabulary(data: object, where: str = "vocabulary.yaml") -> Vocabulary:
    """Check ``data`` (the parsed YAML) and build the vocabulary; raise with every problem."""
    from werklandschap.scanengine.catalog import THEMES

    problems: list[str] = []
    if not isinstance(data, dict):
        raise VocabularyError(f"{where}: expected a mapping at the top")
    blocks: dict[str, dict[str, Term]] = {}
    sources: dict[str, str] = {}
    for block in BLOCKS:
        raw = data.get(block)
        if not isinstance(raw, dict):
            problems.append(f"{where}: block '{block}' is missing")
            continue
        source = raw.get("source")
        if not isinstance(source, str) or not source.strip():
            problems.append(f"{where}: {block}: no source")
        sources[block] = str(source or "")
        values = raw.get("values")
        if not isinstance(values, dict) or not values:
            problems.append(f"{where}: {block}: no values")
            continue
        terms: dict[str, Term] = {}
        for key, labels in values.items():
            if not isinstance(key, str) or not _KEY.match(key):
                problems.append(f"{where}: {block}: key {key!r} is not a-z, 0-9, _")
                continue
            if not isinstance(labels, dict) or not all(
                isinstance(labels.get(lang), str) and labels[lang].strip() for lang in ("nl", "en")
            ):
                problems.append(f"{where}: {block}.{key}: needs a Dutch and an English label")
                continue
            terms[key] = Term(key, labels["nl"].strip(), labels["en"].strip())
        blocks[block] = terms
    if "themes" in blocks and tuple(blocks["themes"]) != tuple(THEMES):
        problems.append(
            f"{where}: themes must be the scan catalogue's {list(THEMES)}, in that order; "
            f"found {list(blocks['themes'])}"
        )
    if "directions" in blocks and len(blocks["directions"]) != 5:
        problems.append(f"{where}: directions: seeds/002 names five solution directions")
    if problems:
        raise VocabularyError("\n".join(problems))
    return Vocabulary(version=str(data.get("version", "")), blocks=blocks, sources=sources)


@cache
def load_vocabulary(path: str | None = None) -> Vocabulary:
    """The checked vocabulary (parsed once per process)."""
    file = Path(path) if path else DATA_DIR / "vocabulary.yaml"
    return parse_vocabulary(yaml.safe_load(file.read_text(encoding="utf-8")), file.name)
