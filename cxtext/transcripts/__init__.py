"""Interview and focus-group transcripts: readers, speaker turns, coded segments.

Formats: plain text (``.txt``) with speaker labels, WebVTT (``.vtt``, Zoom and Teams),
SubRip (``.srt``) and Word (``.docx``). A ``.txt`` file that holds WebVTT/SRT captions is
read as captions. See :func:`read_transcripts` for the output columns and
:mod:`cxtext.transcripts._labels` for how speaker labels are recognised.

Example:
    >>> from cxtext.transcripts import expand_inputs, read_transcripts
    >>> batch = read_transcripts(expand_inputs(["interviews/"]), exclude_speakers=["Moderator"])  # doctest: +SKIP
    >>> batch.frame.columns.tolist()  # doctest: +SKIP
    ['file', 'turn', 'speaker', 'start', 'end', 'text']
"""
from __future__ import annotations

from ..errors import TranscriptError
from ._batch import TranscriptBatch, expand_inputs, read_transcript, read_transcripts
from ._model import TranscriptFailure
from ._read import TRANSCRIPT_EXTENSIONS
from ._turns import UNITS
from .exchange import coded_segments

__all__ = [
    "TRANSCRIPT_EXTENSIONS",
    "UNITS",
    "TranscriptBatch",
    "TranscriptError",
    "TranscriptFailure",
    "coded_segments",
    "expand_inputs",
    "read_transcript",
    "read_transcripts",
]
