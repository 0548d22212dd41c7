"""What a score column is: :class:`ScoreSpec` and the functions that build and check it.

Example:
    >>> from cxtext.scores import score_spec
    >>> score_spec("csat", "csat", scale=7).describe()
    'integers 1-7'
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..errors import ConfigError, format_choices, option

__all__ = ["METRICS", "ScoreSpec", "nps_spec", "csat_spec", "ces_spec", "score_spec", "resolve_spec", "default_metric"]

#: The metrics cxtext computes from a score column.
METRICS: tuple[str, ...] = ("nps", "csat", "ces")


@dataclass(frozen=True)
class ScoreSpec:
    """How to read one score column: which column, which metric, its scale and thresholds.

    The one description of a score that :func:`~cxtext.scores.score_table`,
    :func:`cxtext.drivers.driver_table` and :func:`cxtext.report.build_report` take. Build it
    with :func:`score_spec` (or :func:`nps_spec`, :func:`csat_spec`, :func:`ces_spec`), which
    check the values; NPS thresholds are fixed (promoters 9-10, detractors 0-6).

    Attributes:
        metric: ``"nps"``, ``"csat"`` or ``"ces"``.
        low: lowest valid answer.
        high: highest valid answer.
        higher_is_better: for CES, whether a high number means *easy* (reversed otherwise so
            that the reported CES is always "higher = easier").
        top_box: number of top answers counted as the top box (CSAT/CES).
        labels: CES read from text labels (1 = very difficult ... 5 = very easy); numbers
            are then flagged, since their direction is unknown.
        column: the score column of the table (``None`` when the spec only reads values).

    Example:
        >>> spec = score_spec("csat", "satisfaction", scale=7)
        >>> spec.column, spec.low, spec.high, spec.top_from
        ('satisfaction', 1, 7, 6)
    """

    metric: str
    low: int
    high: int
    higher_is_better: bool = True
    top_box: int = 2
    labels: bool = False
    column: str | None = None

    def describe(self) -> str:
        """Human description of the valid values, e.g. ``'integers 0-10'``."""
        if self.labels:
            return "CES labels in es/it/pt/en (e.g. 'Muy fácil' ... 'Very difficult')"
        return f"integers {self.low}-{self.high}"

    @property
    def top_from(self) -> int:
        """Lowest answer of the top box (on the reported orientation: CES higher = easier)."""
        return self.high - self.top_box + 1

    def with_column(self, column: str | None) -> ScoreSpec:
        """The same spec reading another column."""
        return replace(self, column=column)


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


def nps_spec(scale: int | str | Sequence[int] | None = "0-10", column: str | None = None) -> ScoreSpec:
    """Spec of an NPS question: ``'0-10'`` (default) or ``'1-10'``.

    Example:
        >>> nps_spec("1-10").low
        1
    """
    low, high = _parse_scale(scale, (0, 10), "NPS")
    if (low, high) not in {(0, 10), (1, 10)}:
        raise ConfigError(f"NPS scale {low}-{high} is not allowed; use '0-10' or '1-10'")
    return ScoreSpec("nps", low, high, column=column)


def csat_spec(scale: int | str | Sequence[int] | None = 5, top_box: int = 2, column: str | None = None) -> ScoreSpec:
    """Spec of a CSAT question: 5 (1-5, default), 7 (1-7) or any declared range.

    Args:
        scale: number of points or a range (``'1-10'``).
        top_box: how many of the highest answers count as satisfied (2: 4-5 of 5, 6-7 of 7).
        column: the score column, if any.

    Example:
        >>> csat_spec(7).high
        7
    """
    low, high = _parse_scale(scale, (1, 5), "CSAT")
    _check_top_box(top_box, low, high, "CSAT")
    return ScoreSpec("csat", low, high, top_box=top_box, column=column)


def ces_spec(
    scale: int | str | Sequence[int] | None = None,
    direction: str | None = None,
    top_box: int = 2,
    column: str | None = None,
) -> ScoreSpec:
    """Spec of a CES question: text labels (default) or a numeric scale with a direction.

    Args:
        scale: ``None`` for labels only (mapped to 1-5); or 5, 7, ``'1-5'``... for numbers.
        direction: required with a numeric scale: ``'higher_is_easier'`` (e.g. CES 2.0,
            "the company made it easy", 7 = strongly agree) or ``'lower_is_easier'``
            (1 = very low effort).
        top_box: how many of the easiest answers count as "easy".
        column: the score column, if any.

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
        return ScoreSpec("ces", 1, 5, higher_is_better=True, top_box=top_box, labels=True, column=column)
    if direction not in directions:
        raise ConfigError(
            f"CES direction {direction!r} is not allowed with a numeric scale; use one of "
            f"{format_choices(directions)} (is a high number easy or hard?)"
        )
    low, high = _parse_scale(scale, (1, 5), "CES")
    _check_top_box(top_box, low, high, "CES")
    return ScoreSpec("ces", low, high, higher_is_better=direction == "higher_is_easier",
                     top_box=top_box, labels=False, column=column)


def _check_top_box(top_box: int, low: int, high: int, name: str) -> None:
    if not isinstance(top_box, (int, np.integer)) or not 1 <= top_box <= high - low:
        raise ConfigError(
            f"{name} {option(f'top_box={top_box!r}', f'top box {top_box!r}')} is not allowed on a {low}-{high} scale; "
            "use an integer "
            f"from 1 to {high - low} (2 means the two highest answers)"
        )


def score_spec(
    metric: str,
    column: str | None = None,
    *,
    scale: int | str | Sequence[int] | None = None,
    direction: str | None = None,
    top_box: int = 2,
) -> ScoreSpec:
    """The :class:`ScoreSpec` of one metric: the one place the score options are read.

    Args:
        metric: ``"nps"``, ``"csat"`` or ``"ces"``.
        column: the score column.
        scale: the answer scale; ``None`` for the metric's default (NPS ``'0-10'``, CSAT 5,
            CES labels).
        direction: CES with a numeric scale: ``'higher_is_easier'`` or ``'lower_is_easier'``.
        top_box: how many of the best answers count as the top box (CSAT/CES).

    Raises:
        ConfigError: an unknown metric, or a scale, direction or top box the metric does not allow.

    Example:
        >>> score_spec("nps", "likely_to_recommend", scale="1-10").low
        1
        >>> score_spec("ces", "effort", scale=7, direction="lower_is_easier").higher_is_better
        False
    """
    if metric not in METRICS:
        raise ConfigError(f"metric {metric!r} is not allowed; use one of {format_choices(METRICS)}")
    if metric == "nps":
        return nps_spec(scale or "0-10", column=column)
    if metric == "csat":
        return csat_spec(scale or 5, top_box, column=column)
    return ces_spec(scale, direction, top_box, column=column)


def resolve_spec(
    score: str | ScoreSpec, metric: str | None = None, *, scale: object = None, direction: str | None = None,
    top_box: int | None = None,
) -> ScoreSpec:
    """The :class:`ScoreSpec` of a ``score`` given as a spec, or as a column name and options.

    :func:`cxtext.drivers.driver_table` and :func:`cxtext.report.build_report` take either; a
    spec comes back as it is (it must name its column, and the options must not contradict it).

    Example:
        >>> resolve_spec("sat", "csat", scale=7).high
        7
    """
    if isinstance(score, ScoreSpec):
        given = [name for name, value in (("metric", metric), ("scale", scale), ("direction", direction),
                                          ("top_box", top_box)) if value is not None and
                 not (name == "metric" and value == score.metric) and not (name == "top_box" and value == score.top_box)]
        if given:
            raise ConfigError(f"a ScoreSpec already holds the metric, scale, direction and top box; leave out "
                              f"{format_choices(given)}, or build the spec with them (score_spec(...))")
        if score.column is None:
            raise ConfigError("the ScoreSpec needs its score column: score_spec(metric, column, ...)")
        return score
    return score_spec(metric or "nps", score, scale=scale, direction=direction,  # type: ignore[arg-type]
                      top_box=2 if top_box is None else top_box)


def default_metric(column: str) -> str:
    """The metric of a score column when none is named: ``csat`` or ``ces`` by its name, else ``nps``.

    Example:
        >>> default_metric("CSAT"), default_metric("likely_to_recommend")
        ('csat', 'nps')
    """
    name = str(column).lower()
    return name if name in ("csat", "ces") else "nps"
