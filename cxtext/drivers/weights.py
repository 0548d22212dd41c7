"""Key-driver weights: the score's explained variance split among the driver indicators.

Exact Shapley values of the OLS R² (general dominance) up to 15 indicators, Johnson's relative
weights beyond, and relative weights of a logistic model (McKelvey-Zavoina pseudo-R²); and the
collinearity flags of a set of indicators.

Example:
    >>> import numpy as np
    >>> from cxtext.drivers import key_driver_weights
    >>> x = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 5, dtype=float)
    >>> w, r2, method = key_driver_weights(x, x[:, 0] * 2 + x[:, 1])
    >>> method, round(float(w.sum()), 6) == round(r2, 6)
    ('Shapley (exact)', True)
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..errors import ConfigError, format_choices

__all__ = ["shapley_r2", "relative_weights", "key_driver_weights", "collinearity_flags", "WEIGHT_MODELS"]

#: the decompositions of :func:`key_driver_weights`
WEIGHT_MODELS: tuple[str, ...] = ("ols", "logistic")

_EXACT_SHAPLEY_MAX = 15
_VIF_MAX = 10.0


def _corr(x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    if w is not None:  # frequency weights: the moments of the repeated rows
        xc, yc = x - np.average(x, axis=0, weights=w), y - np.average(y, weights=w)
        xw = xc * w[:, None]
        sx = np.sqrt((xw * xc).sum(axis=0))
        sy = math.sqrt(float(w @ yc ** 2))
        rxx = (xw.T @ xc) / np.outer(sx, sx)
        return rxx, ((xw.T @ yc) / (sx * sy) if sy > 0 else np.zeros(x.shape[1]))
    xc = x - x.mean(axis=0)
    yc = y - y.mean()
    sx = np.sqrt((xc ** 2).sum(axis=0))
    sy = math.sqrt(float((yc ** 2).sum()))
    rxx = (xc.T @ xc) / np.outer(sx, sx)
    rxy = (xc.T @ yc) / (sx * sy) if sy > 0 else np.zeros(x.shape[1])
    return rxx, rxy


def _subset_r2(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """R² of the OLS model on every subset of predictors (index = bit mask)."""
    p = len(rxy)
    masks = np.arange(1 << p)
    bits = (masks[:, None] >> np.arange(p)) & 1
    sizes = bits.sum(axis=1)
    r2 = np.zeros(1 << p)
    for size in range(1, p + 1):
        sel = np.nonzero(sizes == size)[0]
        cols = np.nonzero(bits[sel])[1].reshape(len(sel), size)
        sub = rxx[cols[:, :, None], cols[:, None, :]]
        vec = rxy[cols]
        beta = np.einsum("bij,bj->bi", np.linalg.pinv(sub, rcond=1e-10, hermitian=True), vec)
        r2[sel] = np.einsum("bi,bi->b", beta, vec)
    return np.clip(r2, 0.0, 1.0)


def shapley_r2(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Exact Shapley decomposition of the OLS R² (general dominance weights).

    Args:
        x: ``(n, p)`` predictors (p up to about 15: 2**p models are evaluated).
        y: ``(n,)`` response.
        weights: frequency weights of the rows (see :func:`bootstrap_impact`).

    Returns:
        ``(weights, r2)`` with ``weights.sum() == r2`` (up to rounding).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(200, 3)); y = x[:, 0] + 0.5 * x[:, 1] + rng.normal(size=200)
        >>> w, r2 = shapley_r2(x, y)
        >>> bool(abs(w.sum() - r2) < 1e-9 and w[0] > w[1] > w[2])
        True
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    p = x.shape[1]
    if p == 0:
        return np.zeros(0), 0.0
    rxx, rxy = _corr(x, y, None if weights is None else np.asarray(weights, dtype=float))
    r2 = _subset_r2(rxx, rxy)
    masks = np.arange(1 << p)
    sizes = ((masks[:, None] >> np.arange(p)) & 1).sum(axis=1)
    fact = np.array([math.factorial(i) for i in range(p + 1)], dtype=float)
    coef = fact[sizes] * fact[p - sizes - 1].clip(min=0) / fact[p]
    weights = np.zeros(p)
    for j in range(p):
        without = masks[(masks >> j) & 1 == 0]
        weights[j] = float((coef[without] * (r2[without | (1 << j)] - r2[without])).sum())
    return weights, float(r2[-1])


def _standardised(x: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    if w is None:
        return (x - x.mean(axis=0)) / x.std(axis=0)
    xc = x - np.average(x, axis=0, weights=w)
    return xc / np.sqrt(np.average(xc ** 2, axis=0, weights=w))


def _orthogonal(x: np.ndarray, w: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Johnson's orthogonal counterparts Z of standardised X, and Lambda = corr(X, Z)."""
    xs = _standardised(x, w)
    rxx = np.corrcoef(xs, rowvar=False).reshape(x.shape[1], x.shape[1]) if w is None else \
        (xs * w[:, None]).T @ xs / w.sum()
    evals, evecs = np.linalg.eigh(rxx)
    evals = np.clip(evals, 1e-12, None)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T
    z = xs @ evecs @ np.diag(1 / np.sqrt(evals)) @ evecs.T
    return z, lam


def relative_weights(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Johnson's (2000) relative weights of an OLS model; they sum to its R².

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(300, 2)); y = 2 * x[:, 0] + rng.normal(size=300)
        >>> w, r2 = relative_weights(x, y)
        >>> bool(abs(w.sum() - r2) < 1e-9 and w[0] > 10 * w[1])
        True
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape[1] == 0:
        return np.zeros(0), 0.0
    w = None if weights is None else np.asarray(weights, dtype=float)
    z, lam = _orthogonal(x, w)
    ys = _standardised(y[:, None], w)[:, 0]
    # z columns are standardised and uncorrelated
    beta = z.T @ ys / len(y) if w is None else (z * w[:, None]).T @ ys / w.sum()
    weights = (lam ** 2) @ (beta ** 2)
    return weights, float(weights.sum())


def _logistic_relative_weights(x: np.ndarray, y: np.ndarray,
                               w: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Relative weights for a logistic model (Tonidandel & LeBreton 2010), McKelvey-Zavoina R²."""
    from sklearn.linear_model import LogisticRegression

    if x.shape[1] == 0 or len(np.unique(y)) < 2:
        return np.zeros(x.shape[1]), 0.0
    z, lam = _orthogonal(x, w)
    model = LogisticRegression(C=1e6, max_iter=2000)
    model.fit(z, y, sample_weight=w)
    logit = z @ model.coef_[0] + model.intercept_[0]
    var_fit = float(logit.var()) if w is None else float(np.average((logit - np.average(logit, weights=w)) ** 2,
                                                                      weights=w))
    r2 = var_fit / (var_fit + math.pi ** 2 / 3)
    z_std = z.std(axis=0) if w is None else np.sqrt(np.average((z - np.average(z, axis=0, weights=w)) ** 2,
                                                               axis=0, weights=w))
    beta = model.coef_[0] * z_std * math.sqrt(r2) / math.sqrt(var_fit) if var_fit > 0 else \
        np.zeros(x.shape[1])
    weights = (lam ** 2) @ (beta ** 2)
    return weights, float(weights.sum())


def key_driver_weights(x: np.ndarray, y: np.ndarray, model: str = "ols",
                       weights: np.ndarray | None = None) -> tuple[np.ndarray, float, str]:
    """Split the explained variance of the answer among the driver indicators.

    Args:
        x: ``(n, p)`` indicators (constant columns get weight NaN).
        y: ``(n,)`` answers (OLS) or 0/1 outcome (logistic).
        model: ``"ols"`` (exact Shapley up to 15 indicators, Johnson beyond) or ``"logistic"``.
        weights: frequency weights of the rows (see :func:`bootstrap_impact`).

    Returns:
        ``(weights, r2, method)``; ``method`` names the decomposition used.
    """
    if model not in WEIGHT_MODELS:
        raise ConfigError(f"model {model!r} is not allowed; use one of {format_choices(WEIGHT_MODELS)}")
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    freq = None if weights is None else np.asarray(weights, dtype=float)
    if freq is not None:  # rows that stand for nobody say nothing
        x, y, freq = x[freq > 0], y[freq > 0], freq[freq > 0]
    weights = np.full(x.shape[1], np.nan)
    usable = x.std(axis=0) > 0 if len(x) else np.zeros(x.shape[1], dtype=bool)
    if (len(y) if freq is None else freq.sum()) < 3 or not usable.any() or float(y.std()) == 0:
        weights[usable] = 0.0
        return weights, 0.0, "none"
    xu = x[:, usable]
    if model == "logistic":
        w, r2 = _logistic_relative_weights(xu, y, freq)
        method = "relative weights (logistic, McKelvey-Zavoina R²)"
    elif xu.shape[1] <= _EXACT_SHAPLEY_MAX:
        w, r2 = shapley_r2(xu, y, freq)
        method = "Shapley (exact)"
    else:
        w, r2 = relative_weights(xu, y, freq)
        method = "Johnson relative weights"
    weights[usable] = w
    return weights, r2, method


def collinearity_flags(x: np.ndarray, names: Sequence[str], threshold: float,
                       w: np.ndarray | None = None) -> list[list[str]]:
    """Per indicator: ``collinear(<others>)`` (|phi| above ``threshold``) or ``high_vif`` (VIF above 10).

    Example:
        >>> x = np.array([[1, 1, 0], [0, 0, 1], [1, 1, 1], [0, 0, 0]], dtype=bool)
        >>> collinearity_flags(x, ["a", "b", "c"], 0.9)
        [['collinear(b)'], ['collinear(a)'], []]
    """
    flags: list[list[str]] = [[] for _ in names]
    if w is not None:
        x, w = x[w > 0], w[w > 0].astype(float)
    usable = np.nonzero(x.std(axis=0) > 0)[0] if len(x) else np.zeros(0, dtype=int)
    if len(usable) < 2:
        return flags
    xu = x[:, usable].astype(float)
    if w is not None:  # frequency weights: the same correlations and fits as the repeated rows
        r, _ = _corr(xu, xu[:, 0], w)
        xu = (xu - np.average(xu, axis=0, weights=w)) * np.sqrt(w)[:, None]
    else:
        r = np.corrcoef(xu, rowvar=False)
    for a_pos, a in enumerate(usable):
        partners = [names[usable[b]] for b in range(len(usable)) if b != a_pos and abs(r[a_pos, b]) > threshold]
        if partners:
            flags[a].append(f"collinear({','.join(partners)})")
    centred = xu - xu.mean(axis=0) if w is None else xu
    for a_pos, a in enumerate(usable):
        others = np.delete(centred, a_pos, axis=1)
        target = centred[:, a_pos]
        fitted = others @ np.linalg.lstsq(others, target, rcond=None)[0]
        r2 = float(fitted @ fitted / (target @ target))
        vif = math.inf if r2 >= 1 - 1e-12 else 1 / (1 - r2)
        if vif > _VIF_MAX and not flags[a]:
            flags[a].append("high_vif")
    return flags
