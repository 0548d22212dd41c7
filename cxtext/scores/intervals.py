"""Standard errors and 95% intervals: NPS (multinomial), means (t), proportions (Wilson).

Example:
    >>> from cxtext.scores import wilson_interval
    >>> round(wilson_interval(3, 4)[2], 3)
    30.064
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["nps_interval", "mean_interval", "wilson_interval"]

_Z = 1.959963984540054  # 97.5% quantile of the standard normal


def nps_interval(promoters: int, detractors: int, n: int) -> tuple[float, float, float, float]:
    """NPS, its standard error and 95% normal interval from counts.

    Uses the multinomial variance ``Var(p_P - p_D) = (p_P + p_D - (p_P - p_D)**2) / n``;
    the interval is clipped to [-100, 100].

    Returns:
        ``(nps, se, ci_low, ci_high)`` on the -100..100 scale (NaN when ``n == 0``).

    Example:
        >>> [round(v, 3) for v in nps_interval(2, 1, 4)]
        [25.0, 41.458, -56.256, 100.0]
    """
    if n <= 0:
        return (math.nan,) * 4
    p_p, p_d = promoters / n, detractors / n
    value = 100.0 * (p_p - p_d)
    se = 100.0 * math.sqrt(max(p_p + p_d - (p_p - p_d) ** 2, 0.0) / n)
    return value, se, max(-100.0, value - _Z * se), min(100.0, value + _Z * se)


def mean_interval(values: Sequence[float] | np.ndarray, confidence: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, standard error and t interval (n - 1 degrees of freedom).

    Returns:
        ``(mean, se, ci_low, ci_high)``; the interval is NaN for fewer than 2 values.

    Example:
        >>> [round(v, 4) for v in mean_interval([1, 2, 3, 4, 5])]
        [3.0, 0.7071, 1.0368, 4.9632]
    """
    from scipy import stats

    arr = np.asarray(values, dtype=float)
    n = arr.size
    if n == 0:
        return (math.nan,) * 4
    mean = float(arr.mean())
    if n < 2:
        return mean, math.nan, math.nan, math.nan
    se = float(arr.std(ddof=1) / math.sqrt(n))
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * se
    return mean, se, mean - half, mean + half


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float, float, float]:
    """Proportion (in %), its standard error and the Wilson score interval (in %).

    Example:
        >>> [round(v, 3) for v in wilson_interval(3, 4)]
        [75.0, 21.651, 30.064, 95.441]
    """
    from scipy import stats

    if n <= 0:
        return (math.nan,) * 4
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return 100 * p, 100 * math.sqrt(p * (1 - p) / n), 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)
