"""Provides the report arithmetic used everywhere: percentiles, median, mean and percentages.

Percentiles are computed here and nowhere else, with linear interpolation between the
closest ranks exactly as PostgreSQL's percentile_cont and Excel's PERCENTILE.INC, so a
figure on screen matches one recomputed in a spreadsheet or in SQL. Stdlib only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["mean", "median", "pct", "percentile_cont"]


def percentile_cont(values: Sequence[float], p: float) -> float | None:
    """The p-th quantile (0 ≤ p ≤ 1) by linear interpolation; None when values is empty.

    With the values sorted as v[0..n-1], rank = p·(n − 1) and the result is
    v[floor(rank)] + (v[ceil(rank)] − v[floor(rank)])·(rank − floor(rank)).
    """
    if not 0.0 <= p <= 1.0:  # also rejects NaN
        raise ValueError(f"percentile p must be between 0 and 1, got {p}")
    if not values:
        return None
    ordered = sorted(values)
    rank = p * (len(ordered) - 1)
    lo = math.floor(rank)
    hi = math.ceil(rank)
    low_value = float(ordered[lo])
    if hi == lo:
        return low_value
    return low_value + (float(ordered[hi]) - low_value) * (rank - lo)


def median(values: Sequence[float]) -> float | None:
    """The 50th percentile (the mean of the two middle values for an even count); None when empty."""
    return percentile_cont(values, 0.5)


def mean(values: Sequence[float]) -> float | None:
    """Arithmetic mean (summed with math.fsum); None when empty."""
    if not values:
        return None
    return math.fsum(values) / len(values)


def pct(part: float, whole: float) -> float | None:
    """part as a percentage of whole (0–100 scale, unrounded); None when whole is 0."""
    if whole == 0:
        return None
    return 100.0 * part / whole
