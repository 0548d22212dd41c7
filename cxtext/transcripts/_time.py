"""Time stamps in transcripts: ``01:02:03.450``, ``1:23``, ``00:00:01,000`` -> seconds."""
from __future__ import annotations

import math
import re

__all__ = ["TIMESTAMP", "parse_timestamp", "format_seconds"]

#: A time stamp: optional hours, minutes, seconds, optional fraction (``.`` or ``,``).
TIMESTAMP = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_PARTS = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$")


def parse_timestamp(value: str) -> float | None:
    """Seconds of a time stamp, or ``None`` when ``value`` is not one.

    Two-part stamps are minutes:seconds (the transcript convention), so ``1:23`` is 83 s.

    Example:
        >>> parse_timestamp("01:02:03.5")
        3723.5
    """
    match = _PARTS.match(value.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if fraction:
        total += float("0." + fraction)
    return float(total)


def format_seconds(value: float | None) -> str:
    """``hh:mm:ss`` for a number of seconds; ``""`` for NaN/None.

    Example:
        >>> format_seconds(83.4)
        '00:01:23'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    whole = int(value)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
