"""Errors of the scan engine.

Every message names the file, layer or park it is about, so that an operator can
act on it without a traceback.
"""

from __future__ import annotations


class ScanError(Exception):
    """Base class: something the scan cannot do, with a reason a person understands."""


class BundleError(ScanError):
    """The data bundle (manifest or one of its files) cannot be used."""


class ParkError(ScanError):
    """One park cannot be scanned (bad geometry, outside the data, empty intersection)."""
