"""A redistribution proposal: who could pay whom so that nobody loses on the plan.

Greening stalls because the costs and the benefits of a measure fall to different
parties. Given each party's NPV, the proposal is a list of transfers
``(from, to, amount)`` from gaining parties to losing parties:

- Feasible (total NPV >= 0): every losing party receives exactly its loss, so it
  breaks even; that total (the sum of the losses) is the smallest possible, since
  no smaller total can lift all losers to zero. Among the many ways to raise it,
  every gaining party contributes the SAME FRACTION of its gain (sum of losses /
  sum of gains), split over the losers in proportion to their losses. The
  proposal does not depend on the order of the parties and no gainer ends below
  zero.
- Infeasible (total NPV < 0): nobody can be made whole. The proposal then
  minimises the largest remaining loss without making a gainer lose: the
  gainers pass on all their gain and it lifts the worst-off losers to a common
  level ("water-filling"). ``feasible`` is False and ``shortfall`` says how much
  is missing for everyone to break even (minus the total NPV).

Transfers move money between parties, so the total NPV stays what it was.
A loss within half a cent of zero counts as none (no transfers of float noise);
every gain above zero can contribute, so a total NPV >= 0 is always feasible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TOLERANCE = 0.005  # EUR


@dataclass(frozen=True)
class Transfer:
    from_party: str
    to_party: str
    amount: float  # EUR, present value


@dataclass(frozen=True)
class Redistribution:
    feasible: bool
    transfers: tuple[Transfer, ...]
    npv_before: dict[str, float]
    npv_after: dict[str, float]
    total_transferred: float
    shortfall: float  # 0 when feasible; else what is missing for every party to break even


def _water_fill(losses: dict[str, float], budget: float) -> dict[str, float]:
    """Split ``budget`` over the losers so that the largest remaining loss is smallest:
    the worst losses are cut down to a common level ``lam`` with sum(loss - lam) = budget."""
    ordered = sorted(losses.values(), reverse=True)
    lam = 0.0
    cumulative = 0.0
    for k, loss in enumerate(ordered, start=1):
        cumulative += loss
        nxt = ordered[k] if k < len(ordered) else 0.0
        # Cutting the k worst losses to level `nxt` costs cumulative - k * nxt.
        if cumulative - k * nxt >= budget:
            lam = (cumulative - budget) / k
            break
    return {party: max(0.0, loss - lam) for party, loss in losses.items()}


def redistribute(npv: Mapping[str, float], tolerance: float = TOLERANCE) -> Redistribution:
    """The transfer proposal for the parties' NPVs (see the module docstring)."""
    gains = {p: v for p, v in npv.items() if v > 0}
    losses = {p: -v for p, v in npv.items() if v < -tolerance}
    total_gain, total_loss = sum(gains.values()), sum(losses.values())
    feasible = total_gain >= total_loss
    received = dict(losses) if feasible else _water_fill(losses, total_gain)
    transfers = []
    after = {p: float(v) for p, v in npv.items()}
    if total_gain > 0:
        for giver, gain in gains.items():
            for receiver, amount in received.items():
                share = gain / total_gain * amount
                if share > 0:
                    transfers.append(Transfer(giver, receiver, share))
                    after[giver] -= share
                    after[receiver] += share
    return Redistribution(
        feasible=feasible,
        transfers=tuple(transfers),
        npv_before={p: float(v) for p, v in npv.items()},
        npv_after=after,
        total_transferred=sum(t.amount for t in transfers),
        shortfall=0.0 if feasible else total_loss - total_gain,
    )
