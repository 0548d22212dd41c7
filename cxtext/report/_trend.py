"""The metric and its top drivers per month or quarter, from a date column."""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ColumnError, ConfigError, format_choices, option
from ..scores import ScoreSpec

__all__ = ["Trend", "parse_dates", "trend"]

_DMY = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:[ T].*)?\s*")
PERIODS = ("auto", "month", "quarter")


@dataclass(frozen=True)
class Trend:
    """Per period: the metric (``metric``: score_table rows) and its top drivers (``drivers``)."""

    period: str
    metric: pd.DataFrame
    drivers: pd.DataFrame
    notes: tuple[str, ...]


def parse_dates(values: pd.Series) -> tuple[pd.Series, str]:
    """Dates of a column (datetimes, ISO text, or day/month/year text), NaT where unreadable.

    Returns:
        ``(dates, how)``; ``how`` says how text dates were read (``'ISO'``, ``'day/month/year'``...).

    Example:
        >>> dates, how = parse_dates(pd.Series(["13/02/2024", "01/03/2024", ""]))
        >>> [str(d.date()) if pd.notna(d) else None for d in dates], how
        (['2024-02-13', '2024-03-01', None], 'day/month/year')
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return pd.to_datetime(values).dt.tz_localize(None) if getattr(values.dt, "tz", None) else values, "dates"
    text = values.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else v)
    if text.map(lambda v: hasattr(v, "year")).any():
        return pd.to_datetime(text.where(text.map(lambda v: hasattr(v, "year"))), errors="coerce"), "dates"
    text = text.astype(str).str.strip()
    filled = text.ne("")
    iso = pd.to_datetime(text.where(filled), format="ISO8601", errors="coerce")
    if filled.any() and iso[filled].notna().mean() >= 0.9:
        return iso, "ISO"
    parts = text.str.extract(_DMY)
    first, second = pd.to_numeric(parts[0], errors="coerce"), pd.to_numeric(parts[1], errors="coerce")
    monthfirst = bool((second > 12).any()) and not bool((first > 12).any())
    day, month = (second, first) if monthfirst else (first, second)
    year = pd.to_numeric(parts[2], errors="coerce")
    year = year.where(year >= 100, year + 2000)
    frame = pd.DataFrame({"year": year, "month": month, "day": day})
    dates = pd.to_datetime(frame, errors="coerce")
    if dates.notna().sum() >= iso.notna().sum():
        return dates, "month/day/year" if monthfirst else "day/month/year"
    return iso, "ISO"


def _labels(dates: pd.Series, period: str) -> pd.Series:
    if period == "month":
        return dates.dt.strftime("%Y-%m")
    return dates.dt.year.astype("Int64").astype(str) + "-Q" + dates.dt.quarter.astype("Int64").astype(str)


def trend(
    tagged: pd.DataFrame, spec: ScoreSpec, date: str, *, period: str = "auto", min_n: int = 30,
    show_small: bool = False, n_boot: int = 500, seed: int = 0, top: int = 3,
) -> Trend:
    """The metric (95% interval) and the ``top`` drivers by |impact| for each period of ``date``.

    ``period``: ``month``, ``quarter`` or ``auto`` (months when there are at most 24 of them
    and a typical month has ``min_n`` comments, else quarters). Rows without a readable date are
    left out (a note counts them). Drivers mentioned fewer than ``min_n`` times in a period are
    not listed unless ``show_small``.
    """
    from ..drivers import driver_table
    from ..scores import score_table

    if date not in tagged.columns:
        raise ColumnError(f"date column {date!r} is not in the tagged table; available columns: "
                          f"{format_choices(tagged.columns)}; pass the right one with {option('date=', '--date')}")
    if period not in PERIODS:
        raise ConfigError(f"period {period!r} is not allowed; use one of {format_choices(PERIODS)}")
    dates, how = parse_dates(tagged[date])
    known = dates.notna().to_numpy()
    notes = []
    if not known.any():
        raise ColumnError(f"no value of column {date!r} is a date (such as 2024-03-31 or 31/03/2024); "
                          f"pass the date column with {option('date=', '--date')}")
    if how in ("day/month/year", "month/day/year"):
        notes.append(f"dates in {date!r} read as {how}")
    if not known.all():
        notes.append(f"{int((~known).sum())} row(s) without a readable date in {date!r} are left out of the trend")
    if period == "auto":
        months = _labels(dates[known], "month")
        per_month = months.value_counts()
        period = "month" if len(per_month) <= 24 and float(per_month.median()) >= min_n else "quarter"
    labels = _labels(dates, period).where(known)
    frame = tagged.loc[known].copy()
    key = "__period__"
    frame[key] = labels[known].to_numpy()
    metric = spec.metric
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the whole-table analysis warned already
        table = score_table(frame, by=key, spec=spec)
        drivers = driver_table(frame, spec, by=key, n_boot=n_boot, seed=seed, min_n=min_n).table
    table = table[(table["metric"] == metric) & (table["segment"] != "all")].drop(columns=["by"])
    level = "topic_sentiment" if (drivers["level"] == "topic_sentiment").any() else "topic"
    drivers = drivers[(drivers["segment"] != "all") & (drivers["level"] == level)]
    if not show_small:
        drivers = drivers[drivers["n"] >= min_n]
    drivers = drivers.assign(order=-drivers["impact"].abs()).sort_values(["segment", "order", "driver"])
    drivers = drivers.groupby("segment", sort=True).head(top).drop(columns="order")
    return Trend(period, table.reset_index(drop=True), drivers.reset_index(drop=True), tuple(notes))
