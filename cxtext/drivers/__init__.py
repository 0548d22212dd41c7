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
  score's variance: the weights of a level sum to 100 x that model's R² (``.segments[s]["r2"]``,
  a fraction). Like every proportion cxtext reports, ``share`` and ``weight`` are percentages;
* ``flags``: ``small_n`` (n below ``min_n``), ``ci_crosses_zero``, ``collinear(<other>)``
  (|phi| above ``collinearity`` with another driver of the same level), ``high_vif``
  (variance inflation factor above 10), ``not_modelled`` (constant indicator, no weight).

Rows are sorted by absolute impact; with ``by``, a segment lists only the drivers its comments
mention. Results do not depend on the row order of the input: rows are put in a canonical order
before resampling.

:func:`driver_table` returns a :class:`DriverTable`: the table (``.table``) and the figures of
each segment (``.segments``). The score is a :class:`cxtext.scores.ScoreSpec` (the one
:func:`cxtext.scores.score_table` and :func:`cxtext.report.build_report` take), or a column
name with ``metric``, ``scale`` and ``direction``.

The package: :mod:`~cxtext.drivers.indicators` (who mentions what),
:mod:`~cxtext.drivers.impact` (remove-and-recompute impact, bootstrapped),
:mod:`~cxtext.drivers.weights` (key-driver weights, collinearity),
:mod:`~cxtext.drivers.table` (the driver table).

Example:
    >>> import pandas as pd
    >>> from cxtext.drivers import driver_table
    >>> tagged = pd.DataFrame({
    ...     "topics": ["process", "", "process;price", "price"],
    ...     "sentiment_process": ["negative", "", "negative", ""],
    ...     "sentiment_price": ["", "", "positive", "neutral"],
    ...     "nps": [3, 10, 6, 9]})
    >>> t = driver_table(tagged, score="nps", metric="nps", n_boot=200).table
    >>> t.loc[t.driver == "process", "impact"].item()
    -100.0
"""
from __future__ import annotations

from ..scores import METRICS
from .impact import bootstrap_impact, metric_values
from .indicators import DriverIndicators, driver_indicators, parse_topics
from .table import DRIVER_COLUMNS, DRIVER_KINDS, DriverTable, driver_table, read_tagged
from .weights import collinearity_flags, key_driver_weights, relative_weights, shapley_r2

__all__ = [
    "METRICS",
    "DRIVER_KINDS",
    "DriverIndicators",
    "DriverTable",
    "read_tagged",
    "parse_topics",
    "driver_indicators",
    "metric_values",
    "bootstrap_impact",
    "shapley_r2",
    "relative_weights",
    "key_driver_weights",
    "collinearity_flags",
    "driver_table",
    "DRIVER_COLUMNS",
]
