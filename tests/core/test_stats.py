import math
import statistics
from collections.abc import Sequence
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_tui.core.stats import mean, median, pct, percentile_cont


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        # PostgreSQL: SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) over 1..4 = 2.5
        ([1, 2, 3, 4], 0.5, 2.5),
        ([1, 2, 3, 4], 0.25, 1.75),  # Excel PERCENTILE.INC({1,2,3,4}, 0.25) = 1.75
        ([1, 2, 3, 4], 0.75, 3.25),
        ([1, 2, 3, 4], 0.0, 1.0),
        ([1, 2, 3, 4], 1.0, 4.0),
        ([10, 20, 30, 40, 50], 0.9, 46.0),  # rank 3.6 -> 40 + 0.6 * 10
        ([50, 10, 40, 20, 30], 0.9, 46.0),  # order of input does not matter
        ([15, 20, 35, 40, 50], 0.4, 29.0),  # rank 1.6 -> 20 + 0.6 * 15
        ([3, 1, 2], 0.5, 2.0),
        ([7], 0.0, 7.0),
        ([7], 0.37, 7.0),
        ([7], 1.0, 7.0),
        ([5, 5, 5], 0.8, 5.0),
        ([120.0, 300.0], 0.95, 291.0),  # 120 + 0.95 * 180
        ([-4, 4], 0.5, 0.0),
    ],
)
def test_percentile_cont(values: list[float], p: float, expected: float) -> None:
    result = percentile_cont(values, p)
    assert result == pytest.approx(expected, abs=1e-12)
    assert isinstance(result, float)


def test_percentile_cont_empty_is_none() -> None:
    assert percentile_cont([], 0.5) is None
    assert percentile_cont((), 0.0) is None


@pytest.mark.parametrize("p", [-0.01, 1.01, 50, float("nan")])
def test_percentile_cont_rejects_p_outside_0_1(p: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile_cont([1, 2, 3], p)


def test_percentile_cont_checks_p_even_when_empty() -> None:
    with pytest.raises(ValueError):
        percentile_cont([], 2)


def test_percentile_cont_does_not_sort_the_callers_list() -> None:
    values = [3.0, 1.0, 2.0]
    percentile_cont(values, 0.5)
    assert values == [3.0, 1.0, 2.0]


def _reference(values: Sequence[float], p: float) -> float:
    """Exact rational arithmetic, straight from the definition."""
    ordered = sorted(Fraction(v) for v in values)
    rank = Fraction(p) * (len(ordered) - 1)
    lo = math.floor(rank)
    hi = math.ceil(rank)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (rank - lo))


VALUES = st.lists(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=60,
)
P = st.floats(min_value=0.0, max_value=1.0)


@given(VALUES, P)
def test_percentile_cont_matches_brute_force(values: list[float], p: float) -> None:
    result = percentile_cont(values, p)
    assert result is not None
    assert result == pytest.approx(_reference(values, p), rel=1e-9, abs=1e-6)
    assert min(values) <= result <= max(values)


@given(VALUES.filter(lambda v: len(v) >= 2))
def test_quartiles_match_statistics_quantiles_inclusive(values: list[float]) -> None:
    # statistics.quantiles(method="inclusive") is the stdlib's PERCENTILE.INC.
    expected = statistics.quantiles(values, n=4, method="inclusive")
    got = [percentile_cont(values, p) for p in (0.25, 0.5, 0.75)]
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-6)


@given(VALUES, P, P)
def test_percentile_cont_is_monotone_in_p(values: list[float], p: float, q: float) -> None:
    low, high = sorted((p, q))
    a = percentile_cont(values, low)
    b = percentile_cont(values, high)
    assert a is not None and b is not None
    assert a <= b + 1e-6


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 2, 3, 4], 2.5), ([5, 1, 3], 3.0), ([42], 42.0), ([], None)],
)
def test_median(values: list[float], expected: float | None) -> None:
    assert median(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 2, 3, 4], 2.5), ([42], 42.0), ([0.1] * 10, 0.1), ([-1, 1], 0.0), ([], None)],
)
def test_mean(values: list[float], expected: float | None) -> None:
    assert mean(values) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 4, 25.0), (3, 3, 100.0), (0, 5, 0.0), (7, 8, 87.5), (0, 0, None), (3, 0, None)],
)
def test_pct(part: float, whole: float, expected: float | None) -> None:
    assert pct(part, whole) == expected


def test_pct_is_not_rounded() -> None:
    assert pct(1, 3) == pytest.approx(33.333333333333336)
