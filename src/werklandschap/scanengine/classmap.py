"""The class mapping: BGT object types and attribute values -> scan classes.

The mapping is data (``data/scan/classes.yaml``, or a bundle's own file), so that
the scan's interpretation of every BGT value is visible and reviewable. A value that
the mapping does not know is an error, never silently 'other': an unknown value
would otherwise shift shares without anyone noticing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from . import config
from .errors import BundleError

_EMPTY = {"None", "nan", ""}


@dataclass(frozen=True)
class ClassInfo:
    key: str
    code: int
    label_nl: str
    sealed: bool
    green: bool
    water: bool
    label_en: str = ""

    def label(self, lang: str = "nl") -> str:
        """The class's name in ``lang`` ('nl' or 'en'); Dutch where no English is given."""
        return self.label_en if lang == "en" and self.label_en else self.label_nl


@dataclass
class ObjectTypeRule:
    name: str
    attributes: list[str]
    values: dict[str, str]
    default: str | None
    refine_attributes: list[str] = field(default_factory=list)
    refine_applies_to: set[str] = field(default_factory=set)
    refine_values: dict[str, str] = field(default_factory=dict)
    parking_attributes: list[str] = field(default_factory=list)
    parking_values: set[str] = field(default_factory=set)

    def pick(self, columns: list[str], candidates: list[str]) -> str | None:
        lower = {c.lower(): c for c in columns}
        for cand in candidates:
            if cand.lower() in lower:
                return lower[cand.lower()]
        return None

    def needed_columns(self, columns: list[str]) -> dict[str, str | None]:
        """Actual column names in a layer for the class, refine and parking attributes."""
        return {
            "class": self.pick(columns, self.attributes) if self.attributes else None,
            "refine": self.pick(columns, self.refine_attributes),
            "parking": self.pick(columns, self.parking_attributes),
        }


class ClassMapping:
    """Scan classes plus the rules that assign them, loaded from a YAML file."""

    def __init__(self, data: dict[str, Any], source: str):
        self.source = source
        self.version = str(data.get("version", ""))
        self.classes: dict[str, ClassInfo] = {}
        for i, (key, info) in enumerate(data["classes"].items()):
            self.classes[key] = ClassInfo(
                key=key,
                code=i,
                label_nl=str(info.get("label_nl", key)),
                sealed=bool(info.get("sealed", False)),
                green=bool(info.get("green", False)),
                water=bool(info.get("water", False)),
                label_en=str(info.get("label_en") or ""),
            )
        self.keys = list(self.classes)
        filt = data.get("filters", {}) or {}
        self.level_attributes = list(filt.get("level_attributes", []))
        self.level_keep = list(filt.get("level_keep", [0]))
        self.end_attributes = list(filt.get("end_attributes", []))
        self.status_attributes = list(filt.get("status_attributes", []))
        self.status_drop = {str(v) for v in filt.get("status_drop", [])}
        self.rules: dict[str, ObjectTypeRule] = {}
        for name, spec in (data.get("object_types") or {}).items():
            refine = spec.get("refine") or {}
            parking = spec.get("parking") or {}
            rule = ObjectTypeRule(
                name=name,
                attributes=list(spec.get("attributes", [])),
                values={str(k): str(v) for k, v in (spec.get("values") or {}).items()},
                default=spec.get("default"),
                refine_attributes=list(refine.get("attributes", [])),
                refine_applies_to={str(v) for v in refine.get("applies_to", [])},
                refine_values={str(k): str(v) for k, v in (refine.get("values") or {}).items()},
                parking_attributes=list(parking.get("attributes", [])),
                parking_values={str(v) for v in parking.get("values", [])},
            )
            for target in [
                *rule.values.values(),
                *rule.refine_values.values(),
                *([rule.default] if rule.default else []),
            ]:
                if target not in self.classes:
                    raise BundleError(
                        f"class mapping {source}: object type '{name}' maps to unknown "
                        f"scan class '{target}'"
                    )
            self.rules[name] = rule
        self.green_codes = np.array([c.code for c in self.classes.values() if c.green], int)
        self.water_codes = np.array([c.code for c in self.classes.values() if c.water], int)
        self.sealed_codes = np.array([c.code for c in self.classes.values() if c.sealed], int)

    @classmethod
    def load(cls, ref: str | Path | None = None, base: Path | None = None) -> ClassMapping:
        """The packaged mapping ('bgt' or None) or a YAML file (relative to ``base``)."""
        if ref is None or str(ref) in {"bgt", "default"}:
            return cls(config.load("classes"), "werklandschap/data/scan/classes.yaml")
        path = Path(ref)
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.exists():
            raise BundleError(f"class mapping file not found: {path}")
        try:
            with open(path, encoding="utf-8") as fh:
                data = yaml.safe_load(fh)
            return cls(data, str(path))
        except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
            raise BundleError(f"class mapping file {path} cannot be read: {exc}") from exc

    def rule(self, object_type: str) -> ObjectTypeRule:
        try:
            return self.rules[object_type]
        except KeyError:
            raise BundleError(
                f"object type '{object_type}' is not in the class mapping {self.source} "
                f"(known: {', '.join(sorted(self.rules))})"
            ) from None

    def unmapped(self, object_type: str, values: list[Any], refine: bool = False) -> list[str]:
        """Values of the class (or refine) attribute that the mapping does not cover."""
        rule = self.rule(object_type)
        known = rule.refine_values if refine else rule.values
        if refine or rule.default is not None:
            return []  # refine values are optional detail; a default catches everything
        out = []
        for v in values:
            s = "<empty>" if v is None or str(v) in _EMPTY else str(v)
            if s not in known:
                out.append(s)
        return sorted(set(out))

    def classify(
        self, object_type: str, attrs: dict[str, np.ndarray], n: int, layer_label: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """Class codes and a parking flag per feature.

        Raises BundleError naming the layer and value when a value is not mapped.
        """
        rule = self.rule(object_type)
        cols = rule.needed_columns(list(attrs))
        codes = np.full(n, -1, dtype=np.int16)
        if cols["class"] is None:
            if rule.default is None:
                raise BundleError(
                    f"layer {layer_label}: none of the class attributes "
                    f"{rule.attributes} is present"
                )
            codes[:] = self.classes[rule.default].code
        else:
            raw = attrs[cols["class"]]
            refine_raw = attrs[cols["refine"]] if cols["refine"] else None
            for value in np.unique(raw.astype(str)):
                sel = raw.astype(str) == value
                key = "<empty>" if value in _EMPTY else value
                target = rule.values.get(key, rule.default)
                if target is None:
                    raise BundleError(
                        f"layer {layer_label}: value '{key}' of attribute "
                        f"'{cols['class']}' is not in the class mapping {self.source}"
                    )
                codes[sel] = self.classes[target].code
                if refine_raw is not None and value in rule.refine_applies_to:
                    sub = refine_raw[sel].astype(str)
                    refined = codes[sel]
                    for rv in np.unique(sub):
                        rt = rule.refine_values.get(rv)
                        if rt is not None:
                            refined[sub == rv] = self.classes[rt].code
                    codes[sel] = refined
        parking = np.zeros(n, dtype=bool)
        if cols["parking"] is not None and rule.parking_values:
            parking = np.isin(attrs[cols["parking"]].astype(str), list(rule.parking_values))
        return codes, parking

    def keep_mask(self, attrs: dict[str, np.ndarray], n: int) -> np.ndarray:
        """Features that are current, ground-level land cover (see classes.yaml filters)."""
        keep = np.ones(n, dtype=bool)
        lower = {c.lower(): c for c in attrs}
        for cand in self.level_attributes:
            col = lower.get(cand.lower())
            if col is not None:
                vals = attrs[col]
                num = (
                    np.array([np.nan if v is None else float(v) for v in vals], dtype=float)
                    if vals.dtype == object
                    else vals.astype(float)
                )
                keep &= np.isnan(num) | np.isin(num, self.level_keep)
                break
        for cand in self.end_attributes:
            col = lower.get(cand.lower())
            if col is not None:
                vals = attrs[col]
                if vals.dtype == object:
                    keep &= np.array([v is None or str(v) == "" for v in vals], dtype=bool)
        for cand in self.status_attributes:
            col = lower.get(cand.lower())
            if col is not None:
                keep &= ~np.isin(attrs[col].astype(str), list(self.status_drop))
                break
        return keep

    def columns_for(self, object_type: str, available: list[str]) -> list[str]:
        """Columns a reader must fetch for this object type (class, refine, parking, filters)."""
        rule = self.rule(object_type)
        want = [c for c in rule.needed_columns(available).values() if c]
        lower = {c.lower(): c for c in available}
        for group in (self.level_attributes, self.end_attributes, self.status_attributes):
            for cand in group:
                if cand.lower() in lower:
                    want.append(lower[cand.lower()])
        return sorted(set(want))
