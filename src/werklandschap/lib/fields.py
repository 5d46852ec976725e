"""A model field holding a shapely geometry as WKB (in RD New unless stated)."""

from __future__ import annotations

import shapely
from django.db import models
from shapely.geometry.base import BaseGeometry


class GeometryField(models.BinaryField):
    """Stores a shapely geometry as ISO WKB bytes; returns shapely objects.

    Spatial selection happens on the bounding-box columns stored beside the
    geometry (see ``registry.models.SpatialMixin``) followed by exact shapely
    predicates in Python, which keeps SQLite and PostgreSQL identical.
    """

    description = "Geometry (WKB)"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return shapely.from_wkb(bytes(value))

    def to_python(self, value):
        if value is None or isinstance(value, BaseGeometry):
            return value
        if isinstance(value, bytes | bytearray | memoryview):
            return shapely.from_wkb(bytes(value))
        if isinstance(value, str):
            return shapely.from_wkt(value)
        raise TypeError(f"Cannot make a geometry of {type(value).__name__}")

    def get_db_prep_value(self, value, connection, prepared=False):
        if isinstance(value, BaseGeometry):
            value = shapely.to_wkb(value)
        return super().get_db_prep_value(value, connection, prepared)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else value.wkt
