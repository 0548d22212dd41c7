"""Which topics, and which feelings about them, move the score, and by how much.

Input: a *tagged* table (``cxtext tag`` output: a ``topics`` column holding lists or
``;``-joined strings, and ``sentiment_<topic>`` columns holding ``positive``, ``neutral``,
``negative``, ``mixed`` or nothing) plus a score column (NPS, CSAT or CES answers).

Drivers come at three levels:

* ``topic``: the comment mentions the topic (``process``), any subtopic included;
* ``topic_sentiment``: it mentions the topic with that sentiment (``process:negative``);
* ``subtopic``: hierarchical topics as tagged (``process/delivery``), when present.

For every driver :func:`driver_table` reports

* ``n``, ``share`` (% of the comments with a valid score), the mean answer and the metric (NPS,
  mean CSAT, mean CES ease) among the comments *with* and *without* the driver;
* ``impact`` = metric(all) - metric(all without the comments that mention the driver), the
  remove-and-recompute figure CX teams know, with a seeded percentile-bootstrap 95% interval
  (vectorised: every driver of every resample comes from one matrix product);
* ``weight``: the key-driver weight. The answer is regressed (OLS; or ``model="logistic"``:
  promoter vs detractor for NPS, top box vs the rest for CSAT/CES) on the indicators of one
  level, and the explained variance is split among them: exact Shapley values (= general
  dominance weights) up to 15 indicators, Johnson's relative weights beyond (and for the
  logistic model, with the McKelvey-Zavoina pseudo-R², Tonidandel & LeBreton 2010), in % of the
  score's variance: the weights of a level sum to 100 x that model's R² (``attrs["segments"][s]["r2"]``,
  a fraction). Like every proportion cxtext reports, ``share`` and ``weight`` are percentages;
* ``flags``: ``small_n`` (n below ``min_n``), ``ci_crosses_zero``, ``collinear(<other>)``
  (|phi| above ``collinearity`` with another driver of the same level), ``high_vif``
  (variance inflation factor above 10), ``not_modelled`` (constant indicator, no weight).

Rows are sorted by absolute impact; with ``by``, a segment lists only the drivers its comments
mention. Results do not depend on the row order of the input: rows are put in a canonical order
before resampling.

Example:
    >>> import pandas as pd
    >>> from cxtext.drivers import driver_table
    >>> tagged = pd.DataFrame({
    ...     "topics": ["process", "", "process;price", "price"],
    ...     "sentiment_process": ["negative", "", "negative", ""],
    ...     "sentiment_price": ["", "", "positive", "neutral"],
    ...     "nps": [3, 10, 6, 9]})
    >>> t = driver_table(tagged, score="nps", metric="nps", n_boot=200)
    >>> t.loc[t.driver == "process", "impact"].item()
    -100.0
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import cell_text, split_labels
from .errors import ColumnError, ConfigError, SmallSampleWarning, format_choices, option
from .schema import CX_TOPICS, TOPIC_SENTIMENTS, TOPICS, topic_sentiment_column
from .scores import ParsedScores, ScoreSpec, _check_label_column, _warn_issues, ces_spec, csat_spec, nps_spec, parse_scores

__all__ = [
    "METRICS",
    "DRIVER_KINDS",
    "DriverIndicators",
    "read_tagged",
    "parse_topics",
    "driver_indicators",
    "metric_values",
    "bootstrap_impact",
    "shapley_r2",
    "relative_weights",
    "key_driver_weights",
    "driver_table",
    "DRIVER_COLUMNS",
]

METRICS: tuple[str, ...] = ("nps", "csat", "ces")
#: What the drivers are: CX topics (and subtopics) or discovered themes.
DRIVER_KINDS: tuple[str, ...] = ("topics", "themes")
#: Columns of :func:`driver_table` (``segment`` comes first when ``by`` is given).
DRIVER_COLUMNS: tuple[str, ...] = (
    "driver", "level", "topic", "sentiment", "n", "share", "mean_score_with", "mean_score_without",
    "metric_with", "metric_without", "impact", "ci_low", "ci_high", "weight", "flags",
)
_EXACT_SHAPLEY_MAX = 15
_VIF_MAX = 10.0


def read_tagged(path: str, encoding: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read a tagged table (CSV, TSV, XLSX, Parquet, JSONL) with :func:`cxtext.io.read_table`."""
    from .io import read_table

    return read_table(path, encoding=encoding, sheet=sheet)


# --------------------------------------------------------------------------- indicators


def parse_topics(value: object) -> list[str]:
    """Topics of one cell: a list/tuple/array, a ``;``-joined string, a JSON or Python list, or empty.

    The rule is :func:`cxtext.cells.split_labels`'s (repeats dropped).

    Example:
        >>> parse_topics("process;price"), parse_topics(["people"]), parse_topics(float("nan"))
        (['process', 'price'], ['people'], [])
    """
    return split_labels(value)


_cell_text = cell_text


@dataclass(frozen=True)
class DriverIndicators:
    """Boolean driver indicators of a tagged table.

    Attributes:
        matrix: ``(n_rows, n_drivers)`` boolean array.
        drivers: one row per driver: ``driver, level, topic, sentiment``.
    """

    matrix: np.ndarray
    drivers: pd.DataFrame


def driver_indicators(
    tagged: pd.DataFrame,
    topics_column: str = TOPICS,
    sentiments: Sequence[str] = TOPIC_SENTIMENTS,
    subtopics: bool = True,
) -> DriverIndicators:
    """Build the topic, topic:sentiment and subtopic indicators of a tagged table.

    A topic counts as mentioned when the ``topics`` cell names it (or one of its subtopics
    ``topic/sub``) or its ``sentiment_<topic>`` cell is not empty. Topics are ordered as in
    :data:`cxtext.schema.CX_TOPICS`, then alphabetically.

    Example:
        >>> ind = driver_indicators(pd.DataFrame({"topics": ["price", ""],
        ...                                       "sentiment_price": ["negative", ""]}))
        >>> list(ind.drivers.driver), ind.matrix[:, 0].tolist()
        (['price', 'price:negative'], [True, False])
    """
    has_topics = topics_column in tagged.columns
    sentiment_topics = [str(c)[len("sentiment_"):] for c in tagged.columns
                        if str(c).startswith("sentiment_") and str(c) != "sentiment_score"]
    if not has_topics and not sentiment_topics:
        raise ColumnError(
            f"the table has neither a {topics_column!r} column nor sentiment_<topic> columns; "
            "give the output of `cxtext tag`" + option(" (or name the topics column with topics_column=)", "")
        )
    n = len(tagged)
    cells = [parse_topics(v) for v in tagged[topics_column].tolist()] if has_topics else [[] for _ in range(n)]
    sentiment_cells = {t: [_cell_text(v) for v in tagged[topic_sentiment_column(t)].tolist()]
                       for t in sentiment_topics}
    allowed = set(TOPIC_SENTIMENTS) | {""}
    # a user column that merely starts with "sentiment_" is not a topic-sentiment column
    sentiment_cells = {t: v for t, v in sentiment_cells.items() if set(v) <= allowed}
    top: dict[str, np.ndarray] = {}
    sub: dict[str, np.ndarray] = {}
    for i, labels in enumerate(cells):
        for label in labels:
            head = label.split("/")[0]
            top.setdefault(head, np.zeros(n, dtype=bool))[i] = True
            if subtopics and "/" in label:
                sub.setdefault(label, np.zeros(n, dtype=bool))[i] = True
    for t, values in sentiment_cells.items():
        mentioned = np.array([v != "" for v in values], dtype=bool)
        if mentioned.any() or t in top:
            top[t] = top.get(t, np.zeros(n, dtype=bool)) | mentioned
    order = {t: i for i, t in enumerate(CX_TOPICS)}
    names = sorted(top, key=lambda t: (order.get(t, len(order)), t))
    columns: list[np.ndarray] = []
    rows: list[tuple[str, str, str, str]] = []
    for topic in names:
        columns.append(top[topic])
        rows.append((topic, "topic", topic, ""))
    for topic in names:
        values = sentiment_cells.get(topic)
        if values is None:
            continue
        arr = np.array(values, dtype=object)
        for sentiment in sentiments:
            hits = arr == sentiment
            if not hits.any():  # keep the table short: only sentiments that occur
                continue
            columns.append(hits)
            rows.append((f"{topic}:{sentiment}", "topic_sentiment", topic, sentiment))
    for label in sorted(sub, key=lambda t: (order.get(t.split("/")[0], len(order)), t)):
        columns.append(sub[label])
        rows.append((label, "subtopic", label.split("/")[0], ""))
    matrix = np.column_stack(columns).astype(bool) if columns else np.zeros((n, 0), dtype=bool)
    drivers = pd.DataFrame(rows, columns=["driver", "level", "topic", "sentiment"])
    return DriverIndicators(matrix, drivers)


# --------------------------------------------------------------------------- scores


def _spec(metric: str, scale: object = None, direction: str | None = None) -> ScoreSpec:
    if metric not in METRICS:
        raise ConfigError(f"metric {metric!r} is not allowed; use one of {format_choices(METRICS)}")
    if metric == "nps":
        return nps_spec(scale or "0-10")
    if metric == "csat":
        return csat_spec(scale or 5)
    return ces_spec(scale, direction)


def metric_values(parsed: ParsedScores) -> np.ndarray:
    """Per-row values whose mean is the metric: NPS -> +100/0/-100, CSAT/CES -> the answer.

    Example:
        >>> metric_values(parse_scores([10, 8, 2], nps_spec())).tolist()
        [100.0, 0.0, -100.0]
    """
    v = parsed.values.to_numpy(dtype=float)
    if parsed.spec.metric == "nps":
        return np.where(np.isnan(v), np.nan, np.where(v >= 9, 100.0, np.where(v <= 6, -100.0, 0.0)))
    return v


# --------------------------------------------------------------------------- impact


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


# --------------------------------------------------------------------------- key-driver weights


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


# --------------------------------------------------------------------------- flags


def _collinearity_flags(x: np.ndarray, names: Sequence[str], threshold: float,
                        w: np.ndarray | None = None) -> list[list[str]]:
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


# --------------------------------------------------------------------------- table


def _analyse(
    y_metric: np.ndarray,
    raw: np.ndarray,
    matrix: np.ndarray,
    drivers: pd.DataFrame,
    *,
    metric: str,
    model: str,
    n_boot: int,
    seed: int,
    min_n: int,
    collinearity: float,
    top_from: float,
    freq: np.ndarray | None = None,
) -> tuple[pd.DataFrame, dict[str, object]]:
    f = np.ones(len(y_metric)) if freq is None else freq.astype(float)  # rows each row stands for
    n = len(y_metric) if freq is None else int(freq.sum())
    counts = matrix.sum(axis=0) if freq is None else f @ matrix
    impact, low, high = bootstrap_impact(y_metric, matrix, n_boot, seed, weights=freq)
    with np.errstate(invalid="ignore", divide="ignore"):
        mf = matrix.astype(float)
        metric_with = ((f * y_metric) @ mf) / counts
        metric_without = ((f * y_metric) @ (1 - mf)) / (n - counts)
        mean_with = ((f * raw) @ mf) / counts
        mean_without = ((f * raw) @ (1 - mf)) / (n - counts)
    weights = np.full(len(drivers), np.nan)
    flags: list[list[str]] = [[] for _ in range(len(drivers))]
    mean = float(y_metric.mean() if freq is None else f @ y_metric / n) if n else math.nan
    info: dict[str, object] = {"n": n, "metric": mean, "r2": {}, "method": {}}
    if model == "logistic":
        if metric == "nps":
            keep = (raw <= 6) | (raw >= 9)
            outcome = (raw >= 9).astype(float)
        else:
            keep = np.ones(len(raw), dtype=bool)
            outcome = (raw >= top_from).astype(float)
    for level in drivers["level"].unique():
        cols = np.nonzero(drivers["level"].to_numpy() == level)[0]
        x = matrix[:, cols].astype(float)
        if model == "logistic":
            w, r2, method = key_driver_weights(x[keep], outcome[keep], "logistic", None if freq is None else f[keep])
        else:
            w, r2, method = key_driver_weights(x, raw, "ols", freq)
        weights[cols] = w
        info["r2"][level] = r2  # type: ignore[index]
        info["method"][level] = method  # type: ignore[index]
        names = drivers["driver"].to_numpy()[cols]
        for pos, extra in zip(cols, _collinearity_flags(matrix[:, cols], list(names), collinearity, freq)):
            flags[pos].extend(extra)
            if np.isnan(weights[pos]):
                flags[pos].append("not_modelled")
    for j in range(len(drivers)):
        if counts[j] < min_n:
            flags[j].insert(0, "small_n")
        if not (low[j] > 0 or high[j] < 0):
            flags[j].insert(1 if counts[j] < min_n else 0, "ci_crosses_zero")
    table = drivers.copy()
    table["n"] = counts.astype(int)
    table["share"] = 100 * counts / n if n else np.nan
    table["mean_score_with"] = mean_with
    table["mean_score_without"] = mean_without
    table["metric_with"] = metric_with
    table["metric_without"] = metric_without
    table["impact"] = impact
    table["ci_low"] = low
    table["ci_high"] = high
    table["weight"] = 100 * weights
    table["flags"] = [";".join(f) for f in flags]
    return table, info


def driver_table(
    tagged: pd.DataFrame,
    score: str,
    metric: str = "nps",
    by: str | None = None,
    *,
    scale: object = None,
    direction: str | None = None,
    model: str = "ols",
    top_box: int = 2,
    n_boot: int = 2000,
    seed: int = 0,
    min_n: int = 30,
    collinearity: float = 0.9,
    topics_column: str = TOPICS,
    subtopics: bool = True,
    weights: Sequence[int] | np.ndarray | None = None,
    drivers: str = "topics",
) -> pd.DataFrame:
    """Drivers of a score: impact with bootstrap intervals, key-driver weights and flags.

    Args:
        tagged: output of :func:`cxtext.tag` (or a tagged file read back); not modified.
        score: the score column.
        metric: ``"nps"``, ``"csat"`` (mean) or ``"ces"`` (mean ease, higher = easier).
        by: optional segment column; the ``all`` segment comes first.
        scale: answer scale (``'1-10'`` for NPS, 7 for CSAT, ...); see :mod:`cxtext.scores`.
        direction: CES numeric direction (``higher_is_easier``/``lower_is_easier``).
        model: ``"ols"`` or ``"logistic"`` (promoter vs detractor; top box for CSAT/CES).
        top_box: top-box size for the logistic CSAT/CES outcome.
        n_boot: bootstrap resamples for the impact interval.
        seed: random seed.
        min_n: drivers mentioned fewer times are flagged ``small_n``.
        collinearity: |phi| above which two drivers are flagged collinear.
        topics_column: name of the topics column.
        subtopics: add ``topic/sub`` drivers when the tags have them.
        weights: frequency weights: row i of ``tagged`` stands for ``weights[i]`` identical
            rows (:func:`cxtext.dask.drivers` passes the count of each distinct combination of
            answer, topics and segment). The table is the one of the repeated rows, computed
            at a cost that depends on the distinct rows only.
        drivers: ``"topics"`` (topic, topic:sentiment, subtopic) or ``"themes"`` (theme and
            theme:sentiment from ``cxtext themes discover``, or the subtopics of a themes
            codebook; see :func:`cxtext.themes._drivers.theme_indicators`).

    Returns:
        One row per (segment and) driver with the columns of :data:`DRIVER_COLUMNS`, sorted by
        absolute impact; ``attrs`` holds per-segment ``n``, ``metric``, ``r2`` and ``method``.

    Raises:
        ColumnError: the score, segment or topics columns are missing.
        ConfigError: unknown metric or model, or invalid scale options.
    """
    if model not in ("ols", "logistic"):
        raise ConfigError(f"model {model!r} is not allowed; use 'ols' or 'logistic'")
    if drivers not in DRIVER_KINDS:
        raise ConfigError(f"drivers={drivers!r} is not allowed; use one of {format_choices(DRIVER_KINDS)}")
    for col in [score] + ([by] if by else []):
        if col not in tagged.columns:
            raise ColumnError(
                f"column {col!r} is not in the tagged table; available columns: {format_choices(tagged.columns)}"
            )
    spec = _spec(metric, scale, direction)
    if metric != "nps":
        spec = ScoreSpec(spec.metric, spec.low, spec.high, spec.higher_is_better, top_box, spec.labels)
    parsed = parse_scores(tagged[score], spec)
    _check_label_column(parsed, score)
    freq = None if weights is None else np.asarray(weights, dtype=np.int64).reshape(len(tagged))
    _warn_issues(parsed if freq is None else  # counted in rows, not in distinct combinations
                 ParsedScores(parsed.values, pd.Series(np.repeat(parsed.issues.to_numpy(), freq)), spec), score)
    valid = parsed.valid
    if drivers == "themes":
        from .themes._drivers import theme_indicators

        indicators = theme_indicators(tagged)
    else:
        indicators = driver_indicators(tagged, topics_column=topics_column, subtopics=subtopics)
    y_all = metric_values(parsed)
    raw_all = parsed.values.to_numpy(dtype=float)
    segments: list[tuple[str, np.ndarray]] = [("all", valid)]
    if by:
        labels = tagged[by].map(lambda v: "(missing)" if _cell_text(v) == "" else str(v)).to_numpy()
        segments += [(s, valid & (labels == s)) for s in sorted(set(labels))]
    parts = []
    summary: dict[str, object] = {}
    for name, mask in segments:
        table, info = _analyse(
            y_all[mask], raw_all[mask], indicators.matrix[mask], indicators.drivers,
            metric=metric, model=model, n_boot=n_boot, seed=seed, min_n=min_n, collinearity=collinearity,
            top_from=spec.high - spec.top_box + 1, freq=None if freq is None else freq[mask],
        )
        summary[name] = info
        table = table.iloc[np.lexsort((table["driver"].to_numpy(), -np.abs(table["impact"].fillna(0).to_numpy())))]
        if by:
            if name != "all":  # a driver nobody in the segment mentions says nothing about it
                table = table[table["n"] > 0]
            table.insert(0, "segment", name)
        parts.append(table)
    n_small = int(sum((p["n"] < min_n).sum() for p in parts[:1]))
    if n_small and len(indicators.drivers):
        warnings.warn(
            f"{n_small} of {len(indicators.drivers)} drivers are mentioned fewer than {min_n} times "
            f"({option('min_n', '--min-n')}); their figures are flagged 'small_n' and are unreliable",
            SmallSampleWarning,
            stacklevel=2,
        )
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(DRIVER_COLUMNS))
    out.attrs["segments"] = summary
    out.attrs["metric"] = metric
    out.attrs["score"] = score
    return out
