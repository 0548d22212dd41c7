"""Cues -> rows: speaker turns (or cues, or sentences) and speaker exclusion."""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd

from ..errors import ConfigError, format_choices
from ._model import Cue

__all__ = ["UNITS", "BASE_COLUMNS", "cues_to_rows", "SpeakerFilter"]

UNITS = ("turn", "cue", "sentence")
#: Columns of every transcript frame, in order (``cue``/``sentence`` follow ``turn`` for those units).
BASE_COLUMNS = ("file", "turn", "speaker", "start", "end", "text")


def _turn_numbers(cues: list[Cue]) -> list[int]:
    """Turn number of each cue: consecutive cues of the same (non-empty) speaker share one."""
    numbers: list[int] = []
    previous: str | None = None
    for cue in cues:
        speaker = cue.speaker or ""
        if not numbers or not speaker or speaker != previous:
            numbers.append((numbers[-1] if numbers else 0) + 1)
        else:
            numbers.append(numbers[-1])
        previous = speaker
    return numbers


def _first(values: list[float]) -> float:
    return next((v for v in values if not math.isnan(v)), math.nan)


def cues_to_rows(file: str, cues: list[Cue], unit: str) -> list[dict]:
    """Rows of one file for ``unit`` "turn" or "cue" (sentences are split later)."""
    numbers = _turn_numbers(cues)
    if unit == "cue":
        return [
            {"file": file, "turn": n, "cue": i, "speaker": c.speaker or "", "start": c.start,
             "end": c.end, "text": c.text}
            for i, (n, c) in enumerate(zip(numbers, cues), start=1)
        ]
    rows: list[dict] = []
    for n, cue in zip(numbers, cues):
        if rows and rows[-1]["turn"] == n:
            row = rows[-1]
            row["text"] = f"{row['text']} {cue.text}".strip() if cue.text else row["text"]
            row["_ends"].append(cue.end)
            row["_starts"].append(cue.start)
            continue
        rows.append({"file": file, "turn": n, "speaker": cue.speaker or "", "text": cue.text,
                     "_starts": [cue.start], "_ends": [cue.end]})
    for row in rows:
        starts, ends = row.pop("_starts"), row.pop("_ends")
        row["start"] = _first(starts)
        row["end"] = _first(ends[::-1])
    return [{k: row[k] for k in BASE_COLUMNS} for row in rows]


class SpeakerFilter:
    """Speakers to leave out: case-insensitive exact names or regular expressions (full match).

    Example:
        >>> SpeakerFilter(["moderator", "Interviewer.*"]).excludes("Interviewer 2")
        True
    """

    def __init__(self, patterns: Sequence[str] = ()) -> None:
        if isinstance(patterns, str):
            patterns = [patterns]
        self.patterns = [str(p).strip() for p in patterns]
        self._regexes: list[re.Pattern[str] | None] = []
        for pattern in self.patterns:
            try:
                self._regexes.append(re.compile(pattern, re.IGNORECASE))
            except re.error:
                self._regexes.append(None)  # not a regex: an exact name only
        self.used = [False] * len(self.patterns)

    def excludes(self, speaker: str) -> bool:
        name = re.sub(r"\s+", " ", str(speaker)).strip()
        hit = False
        for i, (pattern, regex) in enumerate(zip(self.patterns, self._regexes)):
            if name.casefold() == pattern.casefold() or (regex is not None and regex.fullmatch(name)):
                self.used[i] = True
                hit = True
        return hit

    def unused(self) -> list[str]:
        """Patterns that matched no speaker so far (probably a typo)."""
        return [p for p, u in zip(self.patterns, self.used) if not u]


def check_unit(unit: str) -> str:
    value = str(unit).strip().lower()
    if value not in UNITS:
        raise ConfigError(f"unknown transcript unit {unit!r}; choose one of {format_choices(UNITS)}")
    return value


def split_sentences(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per sentence of each turn, with a ``sentence`` number (1-based within the turn)."""
    from ..segment import sentences

    spacy_lang = lang if lang and lang != "auto" else "xx"
    rows = []
    for record in frame.to_dict("records"):
        spans = sentences(str(record["text"]), spacy_lang) or []
        for number, span in enumerate(spans, start=1):
            rows.append({**record, "sentence": number, "text": span.text})
    columns = list(frame.columns)
    columns.insert(columns.index("turn") + 1, "sentence")
    return pd.DataFrame(rows, columns=columns)
