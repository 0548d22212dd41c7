"""NPS, CSAT and CES: parsing, validation and metrics with honest uncertainty.

Every score column is parsed value by value. Values that are out of range, not numbers or
unknown labels are never dropped or coerced silently: :func:`validate_scores` returns a
``score_issue`` column that names the problem per row, and a :class:`ScoreIssueWarning`
summarises the counts. Missing values (empty cells) are flagged ``missing`` in the same
column but do not trigger the warning (partial survey answers are normal).

Metrics (all with a 95% interval):

* ``nps``: % promoters (9-10) - % detractors (0-6, or 1-6 on a 1-10 survey), on -100..100,
  standard error from the multinomial variance ``(p_P + p_D - (p_P - p_D)**2) / n``,
  normal interval clipped to [-100, 100].
* ``csat``: mean on the declared scale (t interval, clipped to the scale); ``csat_top_box``: % answering in the top
  boxes (4-5 of 5, 6-7 of 7 by default), Wilson interval.
* ``ces``: mean *ease* (higher is easier: numeric scales where low means easy are reversed,
  labels map to 1 = very difficult ... 5 = very easy), t interval; ``ces_top_box``: % easy
  (top two boxes), Wilson interval.

Example:
    >>> import pandas as pd
    >>> from cxtext.scores import nps
    >>> round(nps(pd.Series([10, 9, 8, 3])).value, 1)
    25.0
"""
from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .errors import ColumnError, ConfigError, ScoreIssueWarning, format_choices, option

__all__ = [
    "ScoreSpec",
    "ParsedScores",
    "MetricResult",
    "CES_LABELS",
    "nps_spec",
    "csat_spec",
    "ces_spec",
    "parse_scores",
    "validate_scores",
    "nps",
    "csat",
    "ces",
    "mean_interval",
    "wilson_interval",
    "nps_interval",
    "score_table",
    "scale_meaning",
    "score_options",
    "SCORE_ISSUE",
]

#: Name of the per-row issue column.
SCORE_ISSUE = "score_issue"
_Z = 1.959963984540054  # 97.5% quantile of the standard normal

#: CES answer labels per language, mapped to ease 1 (very difficult) .. 5 (very easy).
#: Matching ignores case, accents and repeated spaces.
CES_LABELS: dict[str, dict[str, int]] = {
    "es": {
        "muy facil": 5, "facil": 4, "neutral": 3, "neutro": 3, "ni facil ni dificil": 3,
        "dificil": 2, "muy dificil": 1,
    },
    "it": {
        "molto facile": 5, "facile": 4, "neutrale": 3, "neutro": 3, "ne facile ne difficile": 3,
        "difficile": 2, "molto difficile": 1,
    },
    "pt": {
        "muito facil": 5, "facil": 4, "neutro": 3, "neutral": 3, "nem facil nem dificil": 3,
        "dificil": 2, "muito dificil": 1,
    },
    "en": {
        "very easy": 5, "easy": 4, "neutral": 3, "neither easy nor difficult": 3,
        "difficult": 2, "hard": 2, "very difficult": 1, "very hard": 1,
    },
}
_CES_LOOKUP: dict[str, int] = {k: v for table in CES_LABELS.values() for k, v in table.items()}


def _normalise_label(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped.casefold()).strip(" .!")


@dataclass(frozen=True)
class ScoreSpec:
    """How to read one score column.

    Attributes:
        metric: ``"nps"``, ``"csat"`` or ``"ces"``.
        low: lowest valid answer.
        high: highest valid answer.
        higher_is_better: for CES, whether a high number means *easy* (reversed otherwise so
            that the reported CES is always "higher = easier").
        top_box: number of top answers counted as the top box (CSAT/CES).
        labels: CES read from text labels (1 = very difficult ... 5 = very easy); numbers
            are then flagged, since their direction is unknown.
    """

    metric: str
    low: int
    high: int
    higher_is_better: bool = True
    top_box: int = 2
    labels: bool = False

    def describe(self) -> str:
        """Human description of the valid values, e.g. ``'integers 0-10'``."""
        if self.labels:
            return "CES labels in es/it/pt/en (e.g. 'Muy fácil' ... 'Very difficult')"
        return f"integers {self.low}-{self.high}"


def _parse_scale(scale: int | str | Sequence[int], default: tuple[int, int], name: str) -> tuple[int, int]:
    if scale is None:
        return default
    if isinstance(scale, (int, np.integer)) and not isinstance(scale, bool):
        return (1, int(scale))
    if isinstance(scale, str):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-|\.\.)\s*(\d+)\s*", scale)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
        elif scale.strip().isdigit():
            low, high = 1, int(scale)
        else:
            raise ConfigError(
                f"{name} scale {scale!r} is not understood; use a number of points such as 5 or 7, "
                "or a range such as '1-5' or '0-10'"
            )
    else:
        try:
            low, high = (int(v) for v in scale)
        except (TypeError, ValueError):
            raise ConfigError(
                f"{name} scale {scale!r} is not understood; use 5, 7, '1-5' or (1, 7)"
            ) from None
    if high <= low:
        raise ConfigError(f"{name} scale {scale!r} has no range; the highest answer must exceed the lowest")
    return low, high


def nps_spec(scale: int | str | Sequence[int] | None = "0-10") -> ScoreSpec:
    """Spec of an NPS question: ``'0-10'`` (default) or ``'1-10'``.

    Example:
        >>> nps_spec("1-10").low
        1
    """
    low, high = _parse_scale(scale, (0, 10), "NPS")
    if (low, high) not in {(0, 10), (1, 10)}:
        raise ConfigError(f"NPS scale {low}-{high} is not allowed; use '0-10' or '1-10'")
    return ScoreSpec("nps", low, high)


def csat_spec(scale: int | str | Sequence[int] | None = 5, top_box: int = 2) -> ScoreSpec:
    """Spec of a CSAT question: 5 (1-5, default), 7 (1-7) or any declared range.

    Args:
        scale: number of points or a range (``'1-10'``).
        top_box: how many of the highest answers count as satisfied (2: 4-5 of 5, 6-7 of 7).

    Example:
        >>> csat_spec(7).high
        7
    """
    low, high = _parse_scale(scale, (1, 5), "CSAT")
    _check_top_box(top_box, low, high, "CSAT")
    return ScoreSpec("csat", low, high, top_box=top_box)


def ces_spec(
    scale: int | str | Sequence[int] | None = None,
    direction: str | None = None,
    top_box: int = 2,
) -> ScoreSpec:
    """Spec of a CES question: text labels (default) or a numeric scale with a direction.

    Args:
        scale: ``None`` for labels only (mapped to 1-5); or 5, 7, ``'1-5'``... for numbers.
        direction: required with a numeric scale: ``'higher_is_easier'`` (e.g. CES 2.0,
            "the company made it easy", 7 = strongly agree) or ``'lower_is_easier'``
            (1 = very low effort).
        top_box: how many of the easiest answers count as "easy".

    Example:
        >>> ces_spec(7, direction="higher_is_easier").high
        7
    """
    directions = ("higher_is_easier", "lower_is_easier")
    if scale is None:
        if direction not in (None, "higher_is_easier"):
            raise ConfigError(
                f"CES direction {direction!r} only applies to numeric scales; CES labels are always "
                "read as 1 = very difficult ... 5 = very easy. Pass a scale (e.g. 5) for numbers"
            )
        return ScoreSpec("ces", 1, 5, higher_is_better=True, top_box=top_box, labels=True)
    if direction not in directions:
        raise ConfigError(
            f"CES direction {direction!r} is not allowed with a numeric scale; use one of "
            f"{format_choices(directions)} (is a high number easy or hard?)"
        )
    low, high = _parse_scale(scale, (1, 5), "CES")
    _check_top_box(top_box, low, high, "CES")
    return ScoreSpec("ces", low, high, higher_is_better=direction == "higher_is_easier",
                     top_box=top_box, labels=False)


def _check_top_box(top_box: int, low: int, high: int, name: str) -> None:
    if not isinstance(top_box, (int, np.integer)) or not 1 <= top_box <= high - low:
        raise ConfigError(
            f"{name} {option(f'top_box={top_box!r}', f'top box {top_box!r}')} is not allowed on a {low}-{high} scale; "
            "use an integer "
            f"from 1 to {high - low} (2 means the two highest answers)"
        )


@dataclass(frozen=True)
class ParsedScores:
    """Scores parsed row by row.

    Attributes:
        values: float per row on the metric's own orientation (CES: higher = easier), NaN
            when missing or invalid. Same index as the input.
        issues: ``""`` for valid rows, else a short reason (``"missing"``,
            ``"out of range 0-10: 11"``, ``"not a number: 'n/a'"`` ...).
        spec: the :class:`ScoreSpec` used.
    """

    values: pd.Series
    issues: pd.Series
    spec: ScoreSpec

    @property
    def valid(self) -> np.ndarray:
        """Boolean mask of rows with a usable value."""
        return self.issues.eq("").to_numpy()

    def counts(self) -> dict[str, int]:
        """Number of rows per issue kind (``missing``, ``out of range``, ...)."""
        kinds = self.issues[self.issues.ne("")].str.split(":").str[0]
        kinds = kinds.str.replace(r" \d+-\d+$", "", regex=True)
        return {str(k): int(v) for k, v in kinds.value_counts().sort_index().items()}


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def parse_scores(values: Sequence[object] | pd.Series, spec: ScoreSpec) -> ParsedScores:
    """Parse one score column, flagging (never coercing) bad values.

    Args:
        values: the raw answers (numbers, numeric strings, or CES labels).
        spec: from :func:`nps_spec`, :func:`csat_spec` or :func:`ces_spec`.

    Returns:
        :class:`ParsedScores` with one value and one issue per input row.

    Example:
        >>> p = parse_scores(["10", 7, "eleven", None], nps_spec())
        >>> list(p.issues)
        ['', '', "not a number: 'eleven'", 'missing']
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    out = np.full(len(series), np.nan)
    issues: list[str] = []
    for i, raw in enumerate(series.tolist()):
        value, issue = _parse_one(raw, spec)
        if not issue:
            out[i] = value
        issues.append(issue)
    return ParsedScores(
        values=pd.Series(out, index=series.index, name=series.name),
        issues=pd.Series(issues, index=series.index, name=SCORE_ISSUE, dtype=object),
        spec=spec,
    )


_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


def _parse_one(raw: object, spec: ScoreSpec) -> tuple[float, str]:
    if _is_missing(raw):
        return math.nan, "missing"
    if isinstance(raw, (bool, np.bool_)):
        return math.nan, f"not a number: {raw!r}"
    if isinstance(raw, (int, float, np.integer, np.floating)):
        number = float(raw)
    else:
        text = str(raw).strip()
        if not _NUMBER.fullmatch(text):
            if spec.labels:
                ease = _CES_LOOKUP.get(_normalise_label(text))
                return (float(ease), "") if ease is not None else (math.nan, f"unknown label: {text!r}")
            return math.nan, f"not a number: {text!r}"
        number = float(text.replace(",", "."))
    if spec.labels:
        return math.nan, f"number in a CES label column: {_fmt(number)}"
    if not math.isfinite(number) or number != round(number):
        return math.nan, f"not an integer: {_fmt(number)}"
    if not spec.low <= number <= spec.high:
        return math.nan, f"out of range {spec.low}-{spec.high}: {_fmt(number)}"
    if spec.metric == "ces" and not spec.higher_is_better:
        number = spec.low + spec.high - number
    return number, ""


def _fmt(number: float) -> str:
    return str(int(number)) if math.isfinite(number) and number == round(number) else repr(number)


def _check_label_column(parsed: ParsedScores, column: object) -> None:
    """A CES label column that holds only numbers needs a declared scale and direction."""
    if not parsed.spec.labels:
        return
    issues = parsed.issues[parsed.issues.ne("missing")]
    if len(issues) and issues.str.startswith("number in a CES label column").all():
        raise ConfigError(
            f"CES column {str(column)!r} holds numbers, but no numeric scale was declared; pass "
            + option("ces_scale (e.g. 5 or '1-7') and ces_direction", "the scale (--ces-scale in cxtext scores, "
                     "--scale in drivers and report, e.g. 5 or 1-7) and --ces-direction")
            + " ('higher_is_easier' or 'lower_is_easier')"
        )


def _warn_issues(parsed: ParsedScores, column: object, stacklevel: int = 3) -> None:
    counts = {k: v for k, v in parsed.counts().items() if k != "missing"}
    if not counts:
        return
    total = sum(counts.values())
    detail = ", ".join(f"{v} {k}" for k, v in counts.items())
    warnings.warn(
        f"{total} of {len(parsed.issues)} values in score column {str(column)!r} are not valid "
        f"{parsed.spec.metric.upper()} answers ({detail}; allowed: {parsed.spec.describe()}); they "
        "are left out of the metric; "
        + option("validate_scores() names them row by row in a 'score_issue' column",
                 "cxtext scores FILE ... --issues issues.csv lists them row by row (column 'score_issue')")
        + ("; if the survey uses another scale, declare it (e.g. "
           + option("csat_scale=7", "--csat-scale 7, or --scale 7 in drivers and report") + ")"
           if counts.get("out of range") else ""),
        ScoreIssueWarning,
        stacklevel=stacklevel,
    )


# --------------------------------------------------------------------------- intervals


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


# --------------------------------------------------------------------------- metrics


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
    _check_label_column(parsed, column)
    _warn_issues(parsed, column, stacklevel=4)
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
    threshold = spec.high - spec.top_box + 1
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


# --------------------------------------------------------------------------- tables


def _specs(
    nps_col: str | None, csat_col: str | None, ces_col: str | None, options: Mapping[str, object]
) -> list[tuple[str, ScoreSpec]]:
    specs: list[tuple[str, ScoreSpec]] = []
    if nps_col is not None:
        specs.append((nps_col, nps_spec(options.get("nps_scale", "0-10"))))
    if csat_col is not None:
        specs.append((csat_col, csat_spec(options.get("csat_scale", 5), options.get("csat_top_box", 2))))
    if ces_col is not None:
        specs.append((ces_col, ces_spec(options.get("ces_scale"), options.get("ces_direction"),
                                        options.get("ces_top_box", 2))))
    if not specs:
        raise ConfigError("no score column given; name at least one with "
                          + option("nps=, csat= or ces=", "--nps, --csat or --ces"))
    return specs


def _check_columns(df: pd.DataFrame, columns: Sequence[str]) -> None:
    for col in columns:
        if col not in df.columns:
            raise ColumnError(
                f"column {col!r} is not in the table; available columns: {format_choices(df.columns)}"
            )


def validate_scores(
    df: pd.DataFrame,
    nps: str | None = None,
    csat: str | None = None,
    ces: str | None = None,
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
        **options: ``nps_scale``, ``csat_scale``, ``csat_top_box``, ``ces_scale``,
            ``ces_direction``, ``ces_top_box`` (see the spec functions).

    Example:
        >>> out = validate_scores(pd.DataFrame({"nps": [10, 11]}), nps="nps")  # doctest: +SKIP
        >>> list(out["score_issue"])  # doctest: +SKIP
        ['', 'nps: out of range 0-10: 11']
    """
    specs = _specs(nps, csat, ces, options)
    _check_columns(df, [c for c, _ in specs])
    out = df.copy()
    joined = pd.Series([""] * len(df), index=df.index, dtype=object)
    for col, spec in specs:
        parsed = parse_scores(df[col], spec)
        _check_label_column(parsed, col)
        _warn_issues(parsed, col)
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
    top_from = spec.high - spec.top_box + 1
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
    """The :func:`score_table` options of one metric's ``scale`` and CES ``direction``.

    Example:
        >>> score_options("csat", 7)
        {'csat_scale': 7}
    """
    if metric == "nps":
        return {"nps_scale": scale or "0-10"}
    if metric == "csat":
        return {"csat_scale": scale or 5}
    return {"ces_scale": scale, "ces_direction": direction}


def _segment_values(df: pd.DataFrame, by: str) -> pd.Series:
    col = df[by]
    return col.map(lambda v: "(missing)" if _is_missing(v) else str(v))


def score_table(
    df: pd.DataFrame,
    nps: str | None = None,
    csat: str | None = None,
    ces: str | None = None,
    by: str | None = None,
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
        **options: scale options, see :func:`validate_scores`.

    Example:
        >>> t = score_table(pd.DataFrame({"nps": [10, 9, 3, 8], "ch": ["a", "a", "b", "b"]}),
        ...                 nps="nps", by="ch")
        >>> list(t["segment"]), list(t["value"])
        (['all', 'a', 'b'], [25.0, 100.0, -50.0])
    """
    specs = _specs(nps, csat, ces, options)
    _check_columns(df, [c for c, _ in specs] + ([by] if by else []))
    parsed_all: list[tuple[str, ParsedScores]] = []
    for col, spec in specs:
        parsed = parse_scores(df[col], spec)
        _check_label_column(parsed, col)
        _warn_issues(parsed, col)
        parsed_all.append((col, parsed))
    segments: list[tuple[str, np.ndarray]] = [("all", np.ones(len(df), dtype=bool))]
    if by:
        labels = _segment_values(df, by).to_numpy()
        for value in sorted(set(labels)):
            segments.append((value, labels == value))
    rows: list[dict[str, object]] = []
    for segment, mask in segments:
        for col, parsed in parsed_all:
            sub = ParsedScores(parsed.values[mask], parsed.issues[mask], parsed.spec)
            if parsed.spec.metric == "nps":
                results = [_nps_result(sub)]
            elif parsed.spec.metric == "csat":
                results = list(_mean_and_top_box(sub, "csat"))
            else:
                results = list(_mean_and_top_box(sub, "ces"))
            for result in results:
                row = {"segment": segment, "column": col}
                row.update(result.as_dict())
                row["scale"] = scale_meaning(parsed.spec, result.metric)
                rows.append(row)
    table = pd.DataFrame(rows)
    if by:
        table.insert(0, "by", by)
    first = ["segment", "metric", "n", "value", "ci_low", "ci_high", "se"]
    return table[[c for c in first if c in table] + [c for c in table if c not in first]]
