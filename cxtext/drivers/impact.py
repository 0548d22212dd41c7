"""Impact: the metric of all comments minus the metric without a driver's comments, bootstrapped.

Example:
    >>> import numpy as np
    >>> from cxtext.drivers import bootstrap_impact
    >>> bootstrap_impact(np.array([1.0, 3.0]), np.array([[True], [False]]), 0)[0].tolist()
    [-1.0]
"""
from __future__ import annotations

import warnings

import numpy as np

from ..scores import ParsedScores

__all__ = ["metric_values", "bootstrap_impact"]


def metric_values(parsed: ParsedScores) -> np.ndarray:
    """Per-row values whose mean is the metric: NPS -> +100/0/-100, CSAT/CES -> the answer.

    Example:
        >>> from cxtext.scores import nps_spec, parse_scores
        >>> metric_values(parse_scores([10, 8, 2], nps_spec())).tolist()
        [100.0, 0.0, -100.0]
    """
    v = parsed.values.to_numpy(dtype=float)
    if parsed.spec.metric == "nps":
        return np.where(np.isnan(v), np.nan, np.where(v >= 9, 100.0, np.where(v <= 6, -100.0, 0.0)))
    return v


def _canonical_order(y: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Row order that depends only on the rows' contents (so results ignore input order)."""
    keys = [matrix[:, j] for j in range(matrix.shape[1] - 1, -1, -1)] + [y]
    return np.lexsort(keys) if keys else np.arange(len(y))


def bootstrap_impact(
    y: np.ndarray, matrix: np.ndarray, n_boot: int = 2000, seed: int = 0, confidence: float = 0.95,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Impact = mean(y) - mean(y without the rows of each driver), with percentile intervals.

    Args:
        y: per-row metric values (no NaN), see :func:`metric_values`.
        matrix: ``(n, k)`` boolean driver indicators.
        n_boot: bootstrap resamples (0 skips the interval: NaN).
        seed: random seed (results are reproducible and independent of row order).
        confidence: interval coverage.
        weights: frequency weights (row i stands for ``weights[i]`` identical rows, as the
            counts :func:`cxtext.dask.drivers` brings back): the same result as the repeated
            rows, at a cost that depends on the distinct rows only.

    Returns:
        ``(impact, ci_low, ci_high)``, each of length ``k``. A driver nobody mentions has
        impact 0 and interval [0, 0]; a driver everybody mentions has NaN.

    Example:
        >>> imp, lo, hi = bootstrap_impact(np.array([1.0, 3.0]), np.array([[True], [False]]), 100)
        >>> imp.tolist()
        [-1.0]
    """
    y = np.asarray(y, dtype=float)
    m = np.asarray(matrix, dtype=bool).reshape(len(y), -1)
    if weights is not None:
        return _weighted_bootstrap(y, m, np.asarray(weights, dtype=np.int64), n_boot, seed, confidence)
    n, k = m.shape
    if n == 0:
        nan = np.full(k, np.nan)
        return nan, nan.copy(), nan.copy()
    order = _canonical_order(y, m)
    y, m = y[order], m[order]
    mf = m.astype(float)
    total = y.sum()
    counts = mf.sum(axis=0)
    sums = y @ mf
    with np.errstate(invalid="ignore", divide="ignore"):
        impact = total / n - (total - sums) / (n - counts)
    impact = np.where(counts == 0, 0.0, impact)
    if n_boot <= 0:
        nan = np.full(k, np.nan)
        return impact, nan, nan.copy()
    rng = np.random.default_rng(seed)
    # Rows with the same value and drivers are interchangeable: resample counts of the unique
    # patterns (multinomial), which is much faster for discrete scores such as NPS.
    patterns, freq = np.unique(np.column_stack([y, mf]), axis=0, return_counts=True)
    probs = freq / n if len(patterns) < n / 2 else None
    if probs is not None:
        y, mf = patterns[:, 0], patterns[:, 1:]
    return impact, *_percentiles(y, mf, probs, n, n_boot, rng, confidence, counts)


def _percentiles(y: np.ndarray, mf: np.ndarray, probs: np.ndarray | None, n: int, n_boot: int,
                 rng: np.random.Generator, confidence: float, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap interval of the impacts: resampled rows, or pattern counts when ``probs`` is given."""
    compress = probs is not None
    rows = len(y)
    chunk = max(1, min(n_boot, 4_000_000 // max(rows, 1)))
    ym = mf * y[:, None]
    draws = []
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        if compress:
            w = rng.multinomial(n, probs, size=b).astype(float)
        else:
            idx = rng.integers(0, n, size=(b, n))
            w = np.bincount((idx + (np.arange(b) * n)[:, None]).ravel(), minlength=b * n).reshape(b, n).astype(float)
        s_all = w @ y
        c = w @ mf
        s = w @ ym
        with np.errstate(invalid="ignore", divide="ignore"):
            draws.append(s_all[:, None] / n - (s_all[:, None] - s) / (n - c))
    boot = np.vstack(draws)
    alpha = (1 - confidence) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns (driver in every row)
        low = np.nanquantile(boot, alpha, axis=0)
        high = np.nanquantile(boot, 1 - alpha, axis=0)
    never = counts == 0
    low[never], high[never] = 0.0, 0.0
    return low, high


def _weighted_bootstrap(y: np.ndarray, m: np.ndarray, weights: np.ndarray, n_boot: int, seed: int,
                        confidence: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`bootstrap_impact` of frequency-weighted rows: the distinct (answer, drivers)
    patterns and their counts give the same draws as the repeated rows."""
    keep = weights > 0
    y, m, weights = y[keep], m[keep], weights[keep]
    n = int(weights.sum())
    patterns, inverse = np.unique(np.column_stack([y, m.astype(float)]), axis=0, return_inverse=True)
    freq = np.bincount(inverse.ravel(), weights=weights, minlength=len(patterns)).astype(np.int64)
    if n == 0 or len(patterns) >= n / 2:  # few rows: the row bootstrap, on the rows themselves
        return bootstrap_impact(np.repeat(patterns[:, 0], freq), np.repeat(patterns[:, 1:], freq, axis=0) > 0,
                                n_boot, seed, confidence)
    py, pm = patterns[:, 0], patterns[:, 1:]
    total = float(freq @ py)
    counts = freq @ pm
    sums = (freq * py) @ pm
    with np.errstate(invalid="ignore", divide="ignore"):
        impact = total / n - (total - sums) / (n - counts)
    impact = np.where(counts == 0, 0.0, impact)
    if n_boot <= 0:
        nan = np.full(m.shape[1], np.nan)
        return impact, nan, nan.copy()
    rng = np.random.default_rng(seed)
    return impact, *_percentiles(py, pm, freq / n, n, n_boot, rng, confidence, counts)
