"""Money in integer euro cents: parsing, showing and splitting without losing a cent.

Floats never touch an amount: a form's ``Decimal`` becomes cents with
:func:`to_cents` (refusing fractions of a cent), and a total is split into
parts that add up to it exactly with :func:`split_cents`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format


def to_cents(amount: Decimal | int | str) -> int:
    """``Decimal('15000.50')`` -> ``1500050``; refuses fractions of a cent and floats."""
    if isinstance(amount, float):
        raise TypeError("amounts are never floats")
    value = Decimal(amount) * 100
    if value != value.to_integral_value():
        raise ValueError(f"{amount} has a fraction of a cent")
    return int(value)


def to_euros(cents: int) -> Decimal:
    """``1500050`` -> ``Decimal('15000.50')`` (exact)."""
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))


def euros(cents: int | None) -> str:
    """An amount as people read it in the active language: ``€ 15.000,50`` in Dutch."""
    if cents is None:
        return "–"
    sign = "-" if cents < 0 else ""
    shown = number_format(to_euros(abs(cents)), 2, use_l10n=True, force_grouping=True)
    return f"{sign}€ {shown}"


def split_cents(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` cents in proportion to ``weights``; the parts add up to ``total``.

    Largest remainder: each part is rounded down and the cents left over go, one
    each, to the parts that lost most by rounding (the first on a tie). E.g.
    ``split_cents(1_666_667, [1, 1, 1]) == [555_556, 555_556, 555_555]``.
    """
    if total < 0 or not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("a non-negative total and non-negative weights that are not all zero")
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(parts)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        parts[index] += 1
    return parts
