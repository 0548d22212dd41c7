"""Parsing score answers value by value: flagged, never coerced.

Example:
    >>> from cxtext.scores import parse_scores, nps_spec
    >>> list(parse_scores(["10", "11"], nps_spec()).issues)
    ['', 'out of range 0-10: 11']
"""
from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..cells import is_missing
from ..errors import ConfigError, ScoreIssueWarning, option
from .spec import ScoreSpec

__all__ = ["SCORE_ISSUE", "CES_LABELS", "ParsedScores", "parse_scores", "check_label_column", "warn_issues"]

#: Name of the per-row issue column.
SCORE_ISSUE = "score_issue"

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


def parse_scores(values: Sequence[object] | pd.Series, spec: ScoreSpec) -> ParsedScores:
    """Parse one score column, flagging (never coercing) bad values.

    Args:
        values: the raw answers (numbers, numeric strings, or CES labels).
        spec: from :func:`nps_spec`, :func:`csat_spec` or :func:`ces_spec`.

    Returns:
        :class:`ParsedScores` with one value and one issue per input row.

    Example:
        >>> from cxtext.scores import nps_spec
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
    if is_missing(raw):
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


def check_label_column(parsed: ParsedScores, column: object) -> None:
    """Raise when a CES label column holds only numbers: it needs a declared scale and direction.

    Example:
        >>> from cxtext.scores import ces_spec
        >>> check_label_column(parse_scores(["Muy fácil"], ces_spec()), "ces")  # no error
    """
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


def warn_issues(parsed: ParsedScores, column: object, stacklevel: int = 3) -> None:
    """One :class:`~cxtext.errors.ScoreIssueWarning` that counts the invalid values (missing ones aside).

    Example:
        >>> from cxtext.scores import nps_spec
        >>> warn_issues(parse_scores([10, 9], nps_spec()), "nps")  # all valid: no warning
    """
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
