"""The small records every reader produces: cues and per-file failures."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["Cue", "TranscriptFailure"]


@dataclass
class Cue:
    """One piece of speech as found in the file (a caption cue or a labelled block of text).

    ``speaker`` is ``None`` when the piece carries no speaker label; the turn builder
    decides whether it continues the previous speaker. Times are seconds (NaN when none).
    ``label`` is the label as written when the batch gave the cue another ``speaker`` (a merged
    name variant); ``nonspeech`` holds the markup taken out of ``text`` with its position there.
    """

    text: str
    line: int
    speaker: str | None = None
    start: float = math.nan
    end: float = math.nan
    parts: list[str] = field(default_factory=list, repr=False)
    label: str | None = None
    nonspeech: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class TranscriptFailure:
    """A file of a batch that could not be read: ``file``, ``line`` (or None) and ``message``."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message
