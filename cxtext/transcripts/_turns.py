"""Cues -> rows: speaker turns (or cues, or sentences) and speaker exclusion."""
from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence

import pandas as pd

from ..errors import ConfigError, format_choices
from ._model import Cue

__all__ = ["UNITS", "BASE_COLUMNS", "NONSPEECH", "SPEAKER_LABEL", "cues_to_rows", "SpeakerFilter"]

UNITS = ("turn", "cue", "sentence")
#: Columns of every transcript frame, in order (``cue``/``sentence`` follow ``turn`` for those
#: units, ``speaker_label`` follows ``speaker`` when a label was shortened or merged).
BASE_COLUMNS = ("file", "turn", "speaker", "start", "end", "text", "nonspeech")
#: Non-speech markup of the row (``[laughter]``, ``{vocalsound}``), space-joined in reading order.
NONSPEECH = "nonspeech"
#: The speaker label as written, when the batch read it as another name (see ``_names``).
SPEAKER_LABEL = "speaker_label"


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


def _label(cue: Cue) -> str:
    return cue.label if cue.label is not None else (cue.speaker or "")


def _markup_text(items: list[tuple[int, str]]) -> str:
    return " ".join(token for _, token in items)


def cues_to_rows(file: str, cues: list[Cue], unit: str, lang: str = "en") -> list[dict]:
    """Rows of one file for ``unit`` "turn", "cue" or "sentence".

    Each row has the columns of :data:`BASE_COLUMNS` plus ``speaker_label`` (the label as
    written) and ``turn``/``cue``/``sentence`` numbers. Sentence rows take the times of the cues
    they come from: a sentence's ``start`` is that of the cue holding its first character, its
    ``end`` that of the cue holding its last one.
    """
    numbers = _turn_numbers(cues)
    if unit == "cue":
        return [
            {"file": file, "turn": n, "cue": i, "speaker": c.speaker or "", SPEAKER_LABEL: _label(c),
             "start": c.start, "end": c.end, "text": c.text, NONSPEECH: _markup_text(c.nonspeech)}
            for i, (n, c) in enumerate(zip(numbers, cues), start=1)
        ]
    turns: list[dict] = []
    for n, cue in zip(numbers, cues):
        if turns and turns[-1]["turn"] == n:
            row = turns[-1]
            offset = len(row["text"]) + 1 if row["text"] and cue.text else len(row["text"])
            row["text"] = f"{row['text']} {cue.text}" if row["text"] and cue.text else row["text"] + cue.text
            row["_labels"][_label(cue)] = None
        else:
            offset = 0
            row = {"file": file, "turn": n, "speaker": cue.speaker or "", "text": cue.text,
                   "_labels": {_label(cue): None}, "_cues": [], "_markup": []}
            turns.append(row)
        row["_cues"].append((offset, cue.start, cue.end))
        row["_markup"] += [(offset + p, token) for p, token in cue.nonspeech]
    rows: list[dict] = []
    for row in turns:
        base = {"file": file, "turn": row["turn"], "speaker": row["speaker"],
                SPEAKER_LABEL: "; ".join(row["_labels"])}
        if unit == "sentence":
            rows += _sentence_rows(base, row, lang)
            continue
        starts = [start for _, start, _ in row["_cues"]]
        ends = [end for _, _, end in row["_cues"]]
        rows.append({**base, "start": _first(starts), "end": _first(ends[::-1]), "text": row["text"],
                     NONSPEECH: _markup_text(row["_markup"])})
    return rows


def _cue_at(pieces: list[tuple[int, float, float]], offsets: list[int], position: int) -> tuple[int, float, float]:
    """The cue (offset, start, end) of a turn that holds the character at ``position``."""
    return pieces[max(0, bisect.bisect_right(offsets, position) - 1)]


def _sentence_rows(base: dict, turn: dict, lang: str) -> list[dict]:
    from ..segment import sentences

    text = turn["text"]
    spans = sentences(text, lang if lang and lang != "auto" else "xx") if text.strip() else []
    if not spans:  # only markup: one row keeps it
        return [{**base, "sentence": 1, "start": _first([s for _, s, _ in turn["_cues"]]),
                 "end": _first([e for _, _, e in turn["_cues"]][::-1]), "text": text,
                 NONSPEECH: _markup_text(turn["_markup"])}]
    rows = []
    offsets = [offset for offset, _, _ in turn["_cues"]]
    for number, span in enumerate(spans, start=1):
        first, last = _cue_at(turn["_cues"], offsets, span.start), _cue_at(turn["_cues"], offsets, span.end - 1)
        low = span.start if number > 1 else -1
        high = spans[number].start if number < len(spans) else math.inf
        markup = [(p, t) for p, t in turn["_markup"] if low <= p < high]
        rows.append({**base, "sentence": number, "start": first[1], "end": last[2], "text": span.text,
                     NONSPEECH: _markup_text(markup)})
    return rows


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

    def excludes(self, *names: str) -> bool:
        """Whether a pattern matches any of ``names`` (the speaker, the label as written)."""
        hit = False
        for name in {re.sub(r"\s+", " ", str(n)).strip() for n in names}:
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
