"""The driver table: impact, key-driver weights and flags per driver, overall and per segment.

Example:
    >>> import pandas as pd
    >>> from cxtext.drivers import driver_table
    >>> tagged = pd.DataFrame({"topics": ["price", "", "price", ""], "nps": [3, 10, 6, 9]})
    >>> result = driver_table(tagged, "nps", n_boot=0, min_n=1)
    >>> result.table["impact"].tolist(), result.segments["all"]["n"]
    ([-100.0], 4)
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..cells import segment_label
from ..errors import ColumnError, ConfigError, SmallSampleWarning, format_choices, option
from ..schema import TOPICS
from ..scores import ParsedScores, ScoreSpec, parse_scores, resolve_spec
from ..scores.parsing import check_label_column, warn_issues
from .impact import bootstrap_impact, metric_values
from .indicators import driver_indicators
from .weights import collinearity_flags, key_driver_weights

__all__ = ["DRIVER_KINDS", "DRIVER_COLUMNS", "MODELS", "DriverTable", "read_tagged", "driver_table"]

#: What the drivers are: CX topics (and subtopics) or discovered themes.
DRIVER_KINDS: tuple[str, ...] = ("topics", "themes")
#: Key-driver models.
MODELS: tuple[str, ...] = ("ols", "logistic")
#: Columns of :attr:`DriverTable.table` (``segment`` comes first when ``by`` is given).
DRIVER_COLUMNS: tuple[str, ...] = (
    "driver", "level", "topic", "sentiment", "n", "share", "mean_score_with", "mean_score_without",
    "metric_with", "metric_without", "impact", "ci_low", "ci_high", "weight", "flags",
)


@dataclass(frozen=True)
class DriverTable:
    """What :func:`driver_table` found: the table, and the figures of each segment.

    Attributes:
        table: one row per (segment and) driver with the columns of :data:`DRIVER_COLUMNS`,
            sorted by absolute impact.
        segments: per segment (``"all"`` first): ``n`` (answers used), ``metric`` (its value),
            ``r2`` and ``method`` (per driver level: the key-driver model's R², a fraction, and
            the decomposition used).
        spec: the score read (:class:`~cxtext.scores.ScoreSpec`, with its column).

    Example:
        >>> result = driver_table(pd.DataFrame({"topics": ["price", ""], "nps": [3, 10]}), "nps",
        ...                       n_boot=0, min_n=1)
        >>> result.metric, result.score, list(result.segments)
        ('nps', 'nps', ['all'])
    """

    table: pd.DataFrame
    segments: Mapping[str, Mapping[str, Any]]
    spec: ScoreSpec

    @property
    def metric(self) -> str:
        """``"nps"``, ``"csat"`` or ``"ces"``."""
        return self.spec.metric

    @property
    def score(self) -> str | None:
        """The score column."""
        return self.spec.column


def read_tagged(path: str, encoding: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read a tagged table (CSV, TSV, XLSX, Parquet, JSONL) with :func:`cxtext.io.read_table`."""
    from ..io import read_table

    return read_table(path, encoding=encoding, sheet=sheet)


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
        for pos, extra in zip(cols, collinearity_flags(matrix[:, cols], list(names), collinearity, freq)):
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
    score: str | ScoreSpec,
    metric: str | None = None,
    by: str | None = None,
    *,
    scale: object = None,
    direction: str | None = None,
    model: str = "ols",
    top_box: int | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    min_n: int = 30,
    collinearity: float = 0.9,
    topics_column: str = TOPICS,
    subtopics: bool = True,
    weights: Sequence[int] | np.ndarray | None = None,
    drivers: str = "topics",
) -> DriverTable:
    """Drivers of a score: impact with bootstrap intervals, key-driver weights and flags.

    Args:
        tagged: output of :func:`cxtext.tag` (or a tagged file read back); not modified.
        score: the score: a :class:`~cxtext.scores.ScoreSpec` with its column (from
            :func:`cxtext.scores.score_spec`, the description :func:`~cxtext.scores.score_table`
            and :func:`~cxtext.report.build_report` take too), or the score column's name with
            ``metric``, ``scale``, ``direction`` and ``top_box`` as a shorthand.
        metric: ``"nps"`` (default), ``"csat"`` (mean) or ``"ces"`` (mean ease, higher = easier).
        by: optional segment column; the ``all`` segment comes first.
        scale: answer scale (``'1-10'`` for NPS, 7 for CSAT, ...); see :mod:`cxtext.scores`.
        direction: CES numeric direction (``higher_is_easier``/``lower_is_easier``).
        model: ``"ols"`` or ``"logistic"`` (promoter vs detractor; top box for CSAT/CES).
        top_box: top-box size for the logistic CSAT/CES outcome (default 2).
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
            codebook).

    Returns:
        A :class:`DriverTable`: ``.table`` has one row per (segment and) driver with the columns
        of :data:`DRIVER_COLUMNS`, sorted by absolute impact; ``.segments`` holds per-segment
        ``n``, ``metric``, ``r2`` and ``method``.

    Raises:
        ColumnError: the score, segment or topics columns are missing.
        ConfigError: unknown metric or model, or invalid scale options.

    Example:
        >>> tagged = pd.DataFrame({"topics": ["price", "", "price", ""], "csat": [1, 5, 2, 4]})
        >>> from cxtext.scores import score_spec
        >>> spec = score_spec("csat", "csat")
        >>> driver_table(tagged, spec, n_boot=0, min_n=1).table["impact"].round(2).tolist()
        [-1.5]
    """
    if model not in MODELS:
        raise ConfigError(f"model {model!r} is not allowed; use 'ols' or 'logistic'")
    if drivers not in DRIVER_KINDS:
        raise ConfigError(f"{option('drivers=', '--drivers ')}{drivers!r} is not allowed; "
                          f"use one of {format_choices(DRIVER_KINDS)}")
    column = score.column if isinstance(score, ScoreSpec) else score
    for col in ([column] if column is not None else []) + ([by] if by else []):
        if col not in tagged.columns:
            raise ColumnError(
                f"column {col!r} is not in the tagged table; available columns: {format_choices(tagged.columns)}"
            )
    spec = resolve_spec(score, metric, scale=scale, direction=direction, top_box=top_box)
    score = spec.column  # type: ignore[assignment]
    metric = spec.metric
    parsed = parse_scores(tagged[score], spec)
    check_label_column(parsed, score)
    freq = None if weights is None else np.asarray(weights, dtype=np.int64).reshape(len(tagged))
    warn_issues(parsed if freq is None else  # counted in rows, not in distinct combinations
                ParsedScores(parsed.values, pd.Series(np.repeat(parsed.issues.to_numpy(), freq)), spec), score)
    valid = parsed.valid
    if drivers == "themes":
        from ..themes._drivers import theme_indicators

        indicators = theme_indicators(tagged)
    else:
        indicators = driver_indicators(tagged, topics_column=topics_column, subtopics=subtopics)
    y_all = metric_values(parsed)
    raw_all = parsed.values.to_numpy(dtype=float)
    segments: list[tuple[str, np.ndarray]] = [("all", valid)]
    if by:
        labels = tagged[by].map(segment_label).to_numpy()
        segments += [(s, valid & (labels == s)) for s in sorted(set(labels))]
    parts = []
    summary: dict[str, dict[str, Any]] = {}
    for name, mask in segments:
        table, info = _analyse(
            y_all[mask], raw_all[mask], indicators.matrix[mask], indicators.drivers,
            metric=metric, model=model, n_boot=n_boot, seed=seed, min_n=min_n, collinearity=collinearity,
            top_from=spec.top_from, freq=None if freq is None else freq[mask],
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
    return DriverTable(out, summary, spec)
