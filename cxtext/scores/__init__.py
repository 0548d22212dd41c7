"""NPS, CSAT and CES: parsing, validation and metrics with honest uncertainty.

Every score column is parsed value by value. Values that are out of range, not numbers or
unknown labels are never dropped or coerced silently: :func:`validate_scores` returns a
``score_issue`` column that names the problem per row, and a :class:`ScoreIssueWarning`
summarises the counts. Missing values (empty cells) are flagged ``missing`` in the same
column but do not trigger the warning (partial survey answers are normal).

One :class:`ScoreSpec` (from :func:`score_spec`) says what a score column is: its name, the
metric, the scale, the CES direction and the top box. :func:`score_table`,
:func:`cxtext.drivers.driver_table` and :func:`cxtext.report.build_report` all take it.

Metrics (all with a 95% interval):

* ``nps``: % promoters (9-10) - % detractors (0-6, or 1-6 on a 1-10 survey), on -100..100,
  standard error from the multinomial variance ``(p_P + p_D - (p_P - p_D)**2) / n``,
  normal interval clipped to [-100, 100].
* ``csat``: mean on the declared scale (t interval, clipped to the scale); ``csat_top_box``: % answering in the top
  boxes (4-5 of 5, 6-7 of 7 by default), Wilson interval.
* ``ces``: mean *ease* (higher is easier: numeric scales where low means easy are reversed,
  labels map to 1 = very difficult ... 5 = very easy), t interval; ``ces_top_box``: % easy
  (top two boxes), Wilson interval.

The package: :mod:`~cxtext.scores.spec` (what a column is), :mod:`~cxtext.scores.parsing`
(answers, value by value), :mod:`~cxtext.scores.intervals` (standard errors and intervals),
:mod:`~cxtext.scores.metrics` (the metrics and the score table).

Example:
    >>> import pandas as pd
    >>> from cxtext.scores import nps
    >>> round(nps(pd.Series([10, 9, 8, 3])).value, 1)
    25.0
"""
from __future__ import annotations

from .intervals import mean_interval, nps_interval, wilson_interval
from .metrics import (
    MetricResult,
    ces,
    csat,
    nps,
    scale_meaning,
    score_options,
    score_table,
    specs_of,
    validate_scores,
)
from .parsing import CES_LABELS, SCORE_ISSUE, ParsedScores, parse_scores
from .spec import METRICS, ScoreSpec, ces_spec, csat_spec, default_metric, nps_spec, resolve_spec, score_spec

__all__ = [
    "ScoreSpec",
    "ParsedScores",
    "MetricResult",
    "CES_LABELS",
    "METRICS",
    "nps_spec",
    "csat_spec",
    "ces_spec",
    "score_spec",
    "resolve_spec",
    "default_metric",
    "parse_scores",
    "validate_scores",
    "nps",
    "csat",
    "ces",
    "mean_interval",
    "wilson_interval",
    "nps_interval",
    "score_table",
    "specs_of",
    "scale_meaning",
    "score_options",
    "SCORE_ISSUE",
]
