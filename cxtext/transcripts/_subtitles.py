"""WebVTT (Zoom, Teams, others) and SubRip (SRT) captions -> cues.

Blocks are separated by blank lines. ``WEBVTT`` headers, ``NOTE``, ``STYLE`` and ``REGION``
blocks and metadata before the first cue are skipped; cue ids are optional. Timings may have
hours or not and ``.`` or ``,`` before the milliseconds; cue settings after the end time are
ignored. Speakers come from voice tags (Teams: ``<v Ana>text</v>``, also unclosed, several per
cue) or from a ``Name:`` / ``[Name]`` label at the start of the cue (Zoom), accepted by
:class:`~._labels.LabelPolicy`; when at least half of the cues carry a label, every name-like
label is accepted. Other tags (``<c>``, ``<i>``, ``<00:00:01.000>``, ``{\\an8}``) and HTML
entities are cleaned from the text. A cue without a speaker continues the previous speaker
(``None`` before the first one). A block that is not a cue after the first cue continues
that cue's text. A timing line that cannot be read raises :class:`TranscriptError`.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import TranscriptError
from ._labels import LabelPolicy, clean_label, looks_like_name
from ._model import Cue
from ._plain import BRACKET_LABEL, colon_label
from ._time import parse_timestamp

__all__ = ["parse_subtitles", "looks_like_subtitles"]

_TIMING = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)?(?:\s+([^>]*))?>", re.IGNORECASE)
_VOICE_END = re.compile(r"</v\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_SKIP_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass
class _Piece:
    text: str
    line: int
    start: float
    end: float
    voice: str | None
    label: str | None = None
    rest: str = ""


def looks_like_subtitles(text: str) -> str | None:
    """``"vtt"``, ``"srt"`` or ``None`` for a text file, from its first lines."""
    lines = [line.strip() for line in text.split("\n")[:40] if line.strip()]
    if lines and lines[0].startswith("WEBVTT"):
        return "vtt"
    for line in lines[:6]:
        match = _TIMING.match(line)
        if match and parse_timestamp(match[1]) is not None:
            return "srt"
    return None


def _clean(text: str) -> str:
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\u200e", "").replace("\u200f", "").replace("\xa0", " ")
    text = re.sub(r"^\s*[-–]\s+", "", text, flags=re.MULTILINE)  # "- " dialogue dashes
    return re.sub(r"\s+", " ", text).strip()


def _voices(payload: str) -> list[tuple[str | None, str]]:
    """Split a cue payload into (voice, text) parts; voice None where no ``<v>`` applies."""
    parts: list[tuple[str | None, str]] = []
    matches = list(_VOICE.finditer(payload))
    if not matches:
        return [(None, payload)]
    if payload[: matches[0].start()].strip():
        parts.append((None, payload[: matches[0].start()]))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(payload)
        body = payload[match.end():end]
        closing = _VOICE_END.search(body)
        if closing:
            tail = body[closing.end():]
            body = body[: closing.start()]
            parts.append((clean_label(match[1] or "") or None, body))
            if tail.strip():
                parts.append((None, tail))
        else:
            parts.append((clean_label(match[1] or "") or None, body))
    return parts


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _timing(line: str, number: int, file: str) -> tuple[float, float]:
    match = _TIMING.match(line)
    start = parse_timestamp(match[1]) if match else None
    end = parse_timestamp(match[2]) if match else None
    if start is None or end is None:
        raise TranscriptError(
            file, number,
            f"cannot read the cue timing {line.strip()!r}; expected 'hh:mm:ss.mmm --> hh:mm:ss.mmm' "
            "(hours optional, e.g. '00:01.000 --> 00:04.500')",
        )
    return start, end


def parse_subtitles(text: str, file: str = "<text>", known_speakers: Iterable[str] = ()) -> list[Cue]:
    """Cues of a WebVTT or SRT document (already decoded, newlines normalised to ``\\n``).

    Example:
        >>> vtt = "WEBVTT\\n\\n00:01.000 --> 00:02.000\\n<v Ana>Hi there</v>\\n"
        >>> [(c.speaker, c.text, c.start) for c in parse_subtitles(vtt)]
        [('Ana', 'Hi there', 1.0)]
    """
    pieces: list[_Piece] = []
    for first, block in _blocks(text.split("\n")):
        head = block[0].strip()
        if head.startswith("WEBVTT") or head.split(" ")[0].split("\t")[0] in _SKIP_BLOCKS:
            continue
        timing_at = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if timing_at is None:
            if pieces:  # a blank line inside a cue's text: continue that cue
                pieces[-1].text += "\n" + "\n".join(block)
            elif head.isdigit() and len(block) > 1:
                raise TranscriptError(file, first + 1, f"cue {head} has no timing line; expected 'hh:mm:ss,mmm --> hh:mm:ss,mmm'")
            continue  # metadata before the first cue ("Kind: captions")
        start, end = _timing(block[timing_at], first + timing_at, file)
        if end < start:
            raise TranscriptError(file, first + timing_at, f"the cue ends ({block[timing_at].strip()}) before it starts")
        payload = "\n".join(block[timing_at + 1:])
        for voice, body in _voices(payload):
            pieces.append(_Piece(body, first, start, end, voice))

    for piece in pieces:
        piece.text = _clean(piece.text)
        if piece.voice is None and piece.text:
            match = BRACKET_LABEL.match(piece.text) or colon_label(piece.text)
            if match and not match["text"].startswith("//") and parse_timestamp(match["name"]) is None:
                piece.label = clean_label(match["name"])
                piece.rest = match["text"].lstrip("*").strip()
    labelled = [p for p in pieces if p.label]
    policy = LabelPolicy((p.label for p in labelled), known_speakers)
    mostly_labelled = bool(pieces) and len(labelled) * 2 >= len(pieces)

    cues: list[Cue] = []
    speaker: str | None = None
    for piece in pieces:
        text = piece.text
        if piece.voice:
            speaker = piece.voice
        elif piece.label and (policy.accepts(piece.label) or (mostly_labelled and looks_like_name(piece.label))):
            speaker, text = piece.label, piece.rest
        if text:
            cues.append(Cue(text=text, line=piece.line, speaker=speaker, start=piece.start, end=piece.end))
    return cues
