"""Metrics with uncertainty: NPS, CSAT and CES results, and the per-segment score table.

Example:
    >>> import pandas as pd
    >>> from cxtext.scores import score_table, score_spec
    >>> score_table(pd.DataFrame({"nps": [10, 9, 3, 8]}), spec=score_spec("nps", "nps"))["value"].tolist()
    [25.0]
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..cells import segment_label
from ..errors import ColumnError, ConfigError, format_choices, option
from .intervals import mean_interval, nps_interval, wilson_interval
from .parsing import SCORE_ISSUE, ParsedScores, check_label_column, parse_scores, warn_issues
from .spec import METRICS, ScoreSpec, ces_spec, csat_spec, nps_spec

__all__ = [
    "MetricResult",
    "SCORE_OPTIONS",
    "nps",
    "csat",
    "ces",
    "metric_results",
    "specs_of",
    "check_columns",
    "validate_scores",
    "scale_meaning",
    "score_options",
    "score_table",
]


@dataclass(frozen=True)
class MetricResult:
    """One metric on one set of answers.

    Attributes:
        metric: ``nps``, ``csat``, ``csat_top_box``, ``ces`` or ``ces_top_box``.
        n: valid answers used.
        value: the metric (NPS on -100..100, top-box in %, means on the answer scale).
        se: standard error.
        ci_low: lower end of the 95% interval.
        ci_high: upper end of the 95% interval.
        n_invalid: answers flagged as invalid (not counting missing ones).
        n_missing: empty answers.
        detail: extra figures (NPS: % promoters/passives/detractors).
    """

    metric: str
    n: int
    value: float
    se: float
    ci_low: float
    ci_high: float
    n_invalid: int = 0
    n_missing: int = 0
    detail: Mapping[str, float] | None = None

    def as_dict(self) -> dict[str, object]:
        """Flat dict (``detail`` keys become columns)."""
        row = asdict(self)
        detail = row.pop("detail") or {}
        row.update(detail)
        return row


def _counts(parsed: ParsedScores) -> tuple[int, int]:
    counts = parsed.counts()
    missing = counts.pop("missing", 0)
    return sum(counts.values()), missing


def _parse(values: Sequence[object] | pd.Series | ParsedScores, spec: ScoreSpec, column: object) -> ParsedScores:
    if isinstance(values, ParsedScores):
        return values
    parsed = parse_scores(values, spec)
    check_label_column(parsed, column)
    warn_issues(parsed, column, stacklevel=4)
    return parsed


def nps(values: Sequence[object] | pd.Series | ParsedScores, scale: str = "0-10") -> MetricResult:
    """Net Promoter Score with a standard error and 95% interval.

    Args:
        values: answers 0-10 (or 1-10 with ``scale='1-10'``); invalid ones are flagged and
            left out (warning).
        scale: ``'0-10'`` or ``'1-10'``.

    Example:
        >>> r = nps([10, 9, 7, 8, 0, 6, 10, 10])
        >>> r.value, r.n, r.detail["promoters"]
        (25.0, 8, 50.0)
    """
    return _nps_result(_parse(values, nps_spec(scale), getattr(values, "name", "nps")))


def _nps_result(parsed: ParsedScores) -> MetricResult:
    v = parsed.values.to_numpy()[parsed.valid]
    n = int(v.size)
    promoters, detractors = int((v >= 9).sum()), int((v <= 6).sum())
    value, se, low, high = nps_interval(promoters, detractors, n)
    n_invalid, n_missing = _counts(parsed)
    detail = {
        "promoters": 100 * promoters / n if n else math.nan,
        "passives": 100 * (n - promoters - detractors) / n if n else math.nan,
        "detractors": 100 * detractors / n if n else math.nan,
    }
    return MetricResult("nps", n, value, se, low, high, n_invalid, n_missing, detail)


def _mean_and_top_box(parsed: ParsedScores, name: str) -> tuple[MetricResult, MetricResult]:
    spec = parsed.spec
    v = parsed.values.to_numpy()[parsed.valid]
    n_invalid, n_missing = _counts(parsed)
    value, se, low, high = mean_interval(v)
    if not math.isnan(low):  # the mean cannot leave the answer scale
        low, high = max(low, float(spec.low)), min(high, float(spec.high))
    mean = MetricResult(name, int(v.size), value, se, low, high, n_invalid, n_missing)
    threshold = spec.top_from
    top = MetricResult(f"{name}_top_box", int(v.size), *wilson_interval(int((v >= threshold).sum()), int(v.size)),
                       n_invalid, n_missing, {"top_box_from": float(threshold)})
    return mean, top


def csat(
    values: Sequence[object] | pd.Series | ParsedScores, scale: int | str | Sequence[int] = 5, top_box: int = 2
) -> tuple[MetricResult, MetricResult]:
    """CSAT mean (t interval) and top-box % (Wilson interval).

    Args:
        values: answers on the declared scale.
        scale: 5 (1-5), 7 (1-7) or a range such as ``'0-10'``.
        top_box: number of highest answers counted as satisfied.

    Returns:
        ``(mean_result, top_box_result)``.

    Example:
        >>> mean, top = csat([5, 4, 3, 5])
        >>> mean.value, top.value
        (4.25, 75.0)
    """
    parsed = _parse(values, csat_spec(scale, top_box), getattr(values, "name", "csat"))
    return _mean_and_top_box(parsed, "csat")


def ces(
    values: Sequence[object] | pd.Series | ParsedScores,
    scale: int | str | Sequence[int] | None = None,
    direction: str | None = None,
    top_box: int = 2,
) -> tuple[MetricResult, MetricResult]:
    """CES mean ease (higher = easier; t interval) and % easy (top boxes; Wilson interval).

    Args:
        values: labels (``'Muy fácil'``, ``'Molto difficile'``, ``'very easy'`` ...) or numbers.
        scale: ``None`` for labels; 5, 7, ``'1-7'``... for numbers (then ``direction`` is required).
        direction: ``'higher_is_easier'`` or ``'lower_is_easier'``.
        top_box: number of easiest answers counted as easy.

    Example:
        >>> mean, easy = ces(["Muy fácil", "facil", "Difícil", "VERY EASY"])
        >>> mean.value, easy.value
        (4.0, 75.0)
    """
    parsed = _parse(values, ces_spec(scale, direction, top_box), getattr(values, "name", "ces"))
    return _mean_and_top_box(parsed, "ces")


def metric_results(parsed: ParsedScores) -> list[MetricResult]:
    """Every metric of one parsed column: NPS, or the mean and the top box of CSAT/CES.

    Example:
        >>> [r.metric for r in metric_results(parse_scores([5, 4], csat_spec()))]
        ['csat', 'csat_top_box']
    """
    if parsed.spec.metric == "nps":
        return [_nps_result(parsed)]
    return list(_mean_and_top_box(parsed, parsed.spec.metric))


def specs_of(
    nps: str | None = None,
    csat: str | None = None,
    ces: str | None = None,
    spec: ScoreSpec | Sequence[ScoreSpec] | None = None,
    **options: object,
) -> list[ScoreSpec]:
    """The specs of :func:`score_table`'s arguments: ``spec``, or the column keywords and options.

    The keywords (``nps=``, ``csat=``, ``ces=`` with ``nps_scale``, ``csat_scale``,
    ``csat_top_box``, ``ces_scale``, ``ces_direction``, ``ces_top_box``) are a shorthand for
    one :class:`ScoreSpec` per column.

    Example:
        >>> [(s.metric, s.column, s.high) for s in specs_of(nps="nps", csat="sat", csat_scale=7)]
        [('nps', 'nps', 10), ('csat', 'sat', 7)]
    """
    if spec is not None:
        given = [name for name, value in (("nps", nps), ("csat", csat), ("ces", ces)) if value is not None]
        if given or options:
            raise ConfigError(
                "give the score columns either as ScoreSpec objects or by name and options, not both "
                f"(got spec= and {format_choices(given + list(options))})"
            )
        specs = [spec] if isinstance(spec, ScoreSpec) else list(spec)
        if any(not isinstance(s, ScoreSpec) or s.column is None for s in specs):
            raise ConfigError("every ScoreSpec given to a table needs its column; build it with "
                              "score_spec(metric, column, ...)")
        if specs:
            return specs
    unknown = sorted(set(options) - set(SCORE_OPTIONS))
    if unknown:
        raise ConfigError(f"unknown score option(s) {format_choices(unknown)}; "
                          f"the options are {format_choices(SCORE_OPTIONS)}")
    specs: list[ScoreSpec] = []
    if nps is not None:
        specs.append(nps_spec(options.get("nps_scale", "0-10"), column=nps))  # type: ignore[arg-type]
    if csat is not None:
        specs.append(csat_spec(options.get("csat_scale", 5), options.get("csat_top_box", 2),  # type: ignore[arg-type]
                               column=csat))
    if ces is not None:
        specs.append(ces_spec(options.get("ces_scale"), options.get("ces_direction"),  # type: ignore[arg-type]
                              options.get("ces_top_box", 2), column=ces))  # type: ignore[arg-type]
    if not specs:
        raise ConfigError("no score column given; name at least one with "
                          + option("nps=, csat= or ces=", "--nps, --csat or --ces"))
    return specs


#: The keyword options of :func:`score_table` and :func:`validate_scores` (see :func:`specs_of`).
SCORE_OPTIONS: tuple[str, ...] = ("nps_scale", "csat_scale", "csat_top_box", "ces_scale", "ces_direction",
                                  "ces_top_box")


def check_columns(df: pd.DataFrame, columns: Sequence[str], where: str = "the table") -> None:
    """Raise :class:`~cxtext.errors.ColumnError` naming the first of ``columns`` that ``df`` lacks.

    Example:
        >>> check_columns(pd.DataFrame({"nps": [1]}), ["nps"])  # present: no error
    """
    for col in columns:
        if col not in df.columns:
            raise ColumnError(
                f"column {col!r} is not in {where}; available columns: {format_choices(df.columns)}"
            )


def validate_scores(
    df: pd.DataFrame,
    nps: str | None = None,
    csat: str | None = None,
    ces: str | None = None,
    *,
    spec: ScoreSpec | Sequence[ScoreSpec] | None = None,
    **options: object,
) -> pd.DataFrame:
    """Return a copy of ``df`` with a ``score_issue`` column (``""`` when every score is valid).

    Several problems in one row are joined with ``"; "`` and prefixed with the column name.
    A :class:`ScoreIssueWarning` summarises invalid values per column.

    Args:
        df: the survey table (not modified).
        nps: NPS column name.
        csat: CSAT column name.
        ces: CES column name.
        spec: the score columns as :class:`ScoreSpec` objects (with their ``column``), instead
            of the names and options.
        **options: ``nps_scale``, ``csat_scale``, ``csat_top_box``, ``ces_scale``,
            ``ces_direction``, ``ces_top_box`` (see the spec functions).

    Example:
        >>> out = validate_scores(pd.DataFrame({"nps": [10, 11]}), nps="nps")  # doctest: +SKIP
        >>> list(out["score_issue"])  # doctest: +SKIP
        ['', 'nps: out of range 0-10: 11']
    """
    specs = specs_of(nps, csat, ces, spec, **options)
    check_columns(df, [s.column for s in specs])  # type: ignore[misc]
    out = df.copy()
    joined = pd.Series([""] * len(df), index=df.index, dtype=object)
    for one in specs:
        col = one.column
        parsed = parse_scores(df[col], one)
        check_label_column(parsed, col)
        warn_issues(parsed, col)
        tagged = parsed.issues.map(lambda s, c=col: f"{c}: {s}" if s else "")
        joined = pd.Series(
            ["; ".join(p for p in pair if p) for pair in zip(joined, tagged)], index=df.index, dtype=object
        )
    out[SCORE_ISSUE] = joined
    return out


def scale_meaning(spec: ScoreSpec, metric: str) -> str:
    """What a metric's value means, direction included, e.g. ``'mean 1-5, higher = easier'``.

    Example:
        >>> scale_meaning(ces_spec(7, "lower_is_easier"), "ces")
        'mean 1-7, higher = easier (answers reversed: 1 was easiest)'
    """
    top_from = spec.top_from
    if metric == "nps":
        return "-100..100, % promoters (9-10) - % detractors"
    if metric == "csat":
        return f"mean {spec.low}-{spec.high}, higher = more satisfied"
    if metric == "csat_top_box":
        return f"% answering {top_from}-{spec.high}"
    if metric == "ces":
        reversed_note = "" if spec.higher_is_better else f" (answers reversed: {spec.low} was easiest)"
        return f"mean {spec.low}-{spec.high}, higher = easier{reversed_note}"
    if spec.labels:
        return "% answering easy or very easy"
    if spec.higher_is_better:
        return f"% easy (answering {top_from}-{spec.high})"
    return f"% easy (answering {spec.low}-{spec.low + spec.top_box - 1})"


def score_options(metric: str, scale: object = None, direction: str | None = None) -> dict[str, object]:
    """The :func:`score_table` keyword options of one metric's ``scale`` and CES ``direction``.

    Prefer :func:`score_spec` and ``score_table(df, spec=...)``: one spec, no option names.

    Example:
        >>> score_options("csat", 7)
        {'csat_scale': 7}
    """
    if metric not in METRICS:
        raise ConfigError(f"metric {metric!r} is not allowed; use one of {format_choices(METRICS)}")
    if metric == "nps":
        return {"nps_scale": scale or "0-10"}
    if metric == "csat":
        return {"csat_scale": scale or 5}
    return {"ces_scale": scale, "ces_direction": direction}


def score_table(
    df: pd.DataFrame,
    nps: str | None = None,
    csat: str | None = None,
    ces: str | None = None,
    by: str | None = None,
    *,
    spec: ScoreSpec | Sequence[ScoreSpec] | None = None,
    **options: object,
) -> pd.DataFrame:
    """One row per segment and metric: ``segment, metric, n, value, se, ci_low, ci_high, ...``.

    The first segment is ``all`` (the whole table); with ``by`` every value of that column
    follows (sorted; empty cells become ``(missing)``). ``scale`` says what each value means,
    direction included (CES is always reported as ease: higher = easier). NPS rows add
    ``promoters``, ``passives`` and ``detractors`` (%); top-box rows add ``top_box_from``.

    Args:
        df: the survey table (not modified).
        nps: NPS column name.
        csat: CSAT column name (adds ``csat`` and ``csat_top_box`` rows).
        ces: CES column name (adds ``ces`` and ``ces_top_box`` rows).
        by: optional column to group by.
        spec: the score columns as :class:`ScoreSpec` objects (from :func:`score_spec`, with
            their ``column``), the same description :func:`cxtext.drivers.driver_table` and
            :func:`cxtext.report.build_report` take; instead of the names and options.
        **options: scale options, see :func:`validate_scores` (a shorthand for the specs).

    Example:
        >>> t = score_table(pd.DataFrame({"nps": [10, 9, 3, 8], "ch": ["a", "a", "b", "b"]}),
        ...                 nps="nps", by="ch")
        >>> list(t["segment"]), list(t["value"])
        (['all', 'a', 'b'], [25.0, 100.0, -50.0])
        >>> from cxtext.scores import score_spec
        >>> score_table(pd.DataFrame({"sat": [5, 4, 2]}), spec=score_spec("csat", "sat"))["metric"].tolist()
        ['csat', 'csat_top_box']
    """
    specs = specs_of(nps, csat, ces, spec, **options)
    check_columns(df, [s.column for s in specs] + ([by] if by else []))  # type: ignore[misc]
    parsed_all: list[ParsedScores] = []
    for one in specs:
        parsed = parse_scores(df[one.column], one)
        check_label_column(parsed, one.column)
        warn_issues(parsed, one.column)
        parsed_all.append(parsed)
    segments: list[tuple[str, np.ndarray]] = [("all", np.ones(len(df), dtype=bool))]
    if by:
        labels = df[by].map(segment_label).to_numpy()
        for value in sorted(set(labels)):
            segments.append((value, labels == value))
    rows: list[dict[str, object]] = []
    for segment, mask in segments:
        for parsed in parsed_all:
            sub = ParsedScores(parsed.values[mask], parsed.issues[mask], parsed.spec)
            for result in metric_results(sub):
                row = {"segment": segment, "column": parsed.spec.column}
                row.update(result.as_dict())
                row["scale"] = scale_meaning(parsed.spec, result.metric)
                rows.append(row)
    table = pd.DataFrame(rows)
    if by:
        table.insert(0, "by", by)
    first = ["segment", "metric", "n", "value", "ci_low", "ci_high", "se"]
    return table[[c for c in first if c in table] + [c for c in table if c not in first]]
