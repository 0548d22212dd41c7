"""Plain-text transcripts: speaker labels at line starts, continuation lines, paragraphs.

Recognised line forms (time stamps optional, ``hh:mm:ss``/``mm:ss``):

- ``Name: text``, ``NAME: text``, ``Q: text``, ``**Name:** text`` (Markdown bold), with titles
  and (nested) parentheses: ``Hon. Jane Roe (Minister of Invented Affairs):``, ``The Chair
  (Hon. Ann Poe (Riverside, Lib.)):``; the full-width colon ``：`` counts as a colon
- ``[Name] text``, ``[Name]: text`` and ``【Name】text``
- ``Name  00:01:23`` or ``Name (00:01:23)`` alone on a line (Otter), text on the next lines
  (such a header counts as a strong marker when the file has at least two of them)
- ``Name (00:01:23): text`` and ``Name [00:01:23]: text`` (Rev)
- ``[00:01:23] Name: text``, ``00:01:23 Name: text``; a time stamp alone on a line dates the next turn
- ``Name:`` alone on a line, text on the next lines
- ``NAME. text`` and ``NAME, role. text`` in capitals (Italian and Spanish parliamentary records:
  ``PRESIDENTE. Grazie.``), accepted when the name recurs or a role follows it; the role is
  kept as ``NAME (role)``

Whether a candidate really is a speaker is decided by :class:`~._labels.LabelPolicy`.
Lines without an accepted label continue the current speaker; a blank line starts a new
paragraph of the same turn (kept as ``\\n`` in the text). A bracketed time stamp at the
start of an unlabelled line (``[00:05:10] and then...``) starts a new cue of the same
speaker at that time. Text before the first label becomes a turn with an empty speaker.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ._labels import MAX_LABEL, MAX_NAME, LabelPolicy, clean_label, is_known_role, looks_like_name
from ._names import split_parenthetical
from ._model import Cue
from ._time import TIMESTAMP, parse_timestamp

__all__ = ["Line", "parse_lines", "parse_plain_text"]

_TS = TIMESTAMP
_TS_ONLY = re.compile(rf"^[\[(]?\s*({_TS})\s*[\])]?$")
_LEAD_TS_BRACKET = re.compile(rf"^[\[(]\s*({_TS})\s*[\])]\s*[-–—]?\s*(.*)$")
_LEAD_TS_BARE = re.compile(rf"^({_TS})\s+[-–—]?\s*(.+)$")
_NAME = r"[^\W\d_][^:\[\]()\n]{0,44}?"
_COLONS = ":：﹕"
_HEADER = re.compile(rf"^(?P<name>{_NAME})\s*(?:[\[(]\s*(?P<ts1>{_TS})\s*[\])]|\s(?P<ts2>{_TS}))\s*[{_COLONS}]?$")
_REV = re.compile(rf"^(?P<name>{_NAME})\s*[\[(]\s*(?P<ts>{_TS})\s*[\])]\s*[{_COLONS}]\s*(?P<text>.*)$")
BRACKET_LABEL = re.compile(rf"^[\[【](?P<name>[^\]】\d][^\]】]{{0,44}})[\]】]\s*[{_COLONS}]?\s*(?P<text>.*)$")
_NAME_START = re.compile(r"^\**[^\W\d_]")


class _ColonMatch(dict):
    """``match["name"]`` / ``match["text"]`` of :func:`colon_label`, like a regex match."""


def colon_label(text: str) -> _ColonMatch | None:
    """``Name: text`` at the start of ``text``: the name may hold (nested) parentheses.

    The first colon outside parentheses ends the name; parentheses must balance before it.

    Example:
        >>> colon_label("The Chair (Hon. Ann Poe (Riverside, Lib.)): Order.")["name"]
        'The Chair (Hon. Ann Poe (Riverside, Lib.))'
    """
    if not _NAME_START.match(text):
        return None
    depth = 0
    for i, ch in enumerate(text[:MAX_LABEL + 1]):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return None
        elif ch in _COLONS and depth == 0:
            name = text[:i]
            if len(split_parenthetical(name.strip("* "))[0]) > MAX_NAME:
                return None
            return _ColonMatch(name=name.rstrip(), text=text[i + 1:])
        elif ch == "\n":
            return None
    return None


@dataclass
class Line:
    """One line (or DOCX paragraph) of a transcript.

    ``bold_label`` is a label found in bold type at the start of a DOCX paragraph or in the
    speaker cell of a table (strong evidence); ``rest`` is then the text after it and
    ``start`` the time from a time cell.
    """

    text: str
    number: int
    bold_label: str | None = None
    rest: str = ""
    start: float = math.nan


_CAPS_PERIOD = re.compile(
    r"^(?P<name>[^\W\d_][^\W\d_'’\-]*(?:[ '’\-][^\W\d_]+){0,4})(?:,\s+(?P<role>[^.:;\n]{1,120}))?\.\s+(?P<text>\S.*)$"
)


def _caps_period(text: str) -> tuple[str, str, bool] | None:
    """``("ELENA BRUNI (direttrice)", "Grazie.", True)`` for ``"ELENA BRUNI, direttrice. Grazie."``."""
    match = _CAPS_PERIOD.match(text)
    if not match:
        return None
    letters = [c for c in match["name"] if c.isalpha()]
    if len(letters) < 4 or not all(c.isupper() for c in letters):
        return None
    role = (match["role"] or "").strip()
    return (f"{match['name']} ({role})" if role else match["name"]), match["text"], bool(role)


@dataclass
class _Hit:
    label: str
    text: str
    start: float
    strong: bool
    header: bool = False
    period: bool = False  # "NAME. text": needs a recurring name or a role to count


def _float(value: str | None) -> float:
    seconds = parse_timestamp(value) if value else None
    return math.nan if seconds is None else seconds


def _label_hit(text: str) -> _Hit | None:
    match = _HEADER.match(text)
    if match:
        return _Hit(clean_label(match["name"]), "", _float(match["ts1"] or match["ts2"]), True, header=True)
    match = _REV.match(text)
    if match:
        return _Hit(clean_label(match["name"]), match["text"].strip(), _float(match["ts"]), True)
    match = BRACKET_LABEL.match(text)
    if match and parse_timestamp(match["name"]) is None:
        return _Hit(clean_label(match["name"]), match["text"].strip(), math.nan, False)
    colon = _colon_hit(text)
    if colon is not None and (looks_like_name(colon.label) or is_known_role(colon.label)):
        return colon
    period = _caps_period(text)
    if period is not None:
        label, body, has_role = period
        return _Hit(clean_label(label), _DASH.sub("", body.strip()), math.nan, has_role, period=True)
    return colon


_DASH = re.compile(r"^[—–]\s*")


def _colon_hit(text: str) -> _Hit | None:
    match = colon_label(text)
    if not match:
        return None
    body = match["text"]
    if body.startswith("//"):  # https://...
        return None
    if match["name"].rstrip()[-1:].isdigit() and body[:1].isdigit():  # "Room 10:30"
        return None
    if match["name"].startswith("*"):
        body = body.lstrip("*")
    return _Hit(clean_label(match["name"]), _DASH.sub("", body.strip()), math.nan, False)


def _hit(line: Line) -> tuple[_Hit | None, float, str]:
    """The label candidate of a line, the time stamp in front of it (NaN) and the text after it."""
    if line.bold_label:
        return _Hit(clean_label(line.bold_label), line.rest.strip(), line.start, True), math.nan, line.rest
    text = line.text.strip().lstrip("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    match = _LEAD_TS_BRACKET.match(text)
    if match and match[2]:
        return _label_hit(match[2]), _float(match[1]), match[2]
    match = _LEAD_TS_BARE.match(text)
    if match:
        hit = _label_hit(match[2])
        if hit is not None and hit.label:
            return hit, _float(match[1]), match[2]
    return _label_hit(text), math.nan, text


def _accept_sandwiched(lines: list[Line], hits: list, accepted: list[bool], policy: LabelPolicy) -> None:
    """Accept a name used once (``Mary: ...``) between two labelled lines (or before the end).

    Needs at least two other accepted speakers in the file and a name-like label of at most
    three words; this catches focus-group members who speak once.
    """
    labels = {hits[i][0].label.casefold() for i, ok in enumerate(accepted) if ok}
    if len(labels) < 2:
        return
    filled = [i for i, line in enumerate(lines) if line.text.strip() or line.bold_label]
    for position, i in enumerate(filled):
        hit = hits[i][0]
        if accepted[i] or hit is None or not hit.label or hit.header or len(hit.label.split()) > 3:
            continue
        if policy.count(hit.label) != 1 or not looks_like_name(hit.label):
            continue
        before = accepted[filled[position - 1]] if position > 0 else False
        after = accepted[filled[position + 1]] if position + 1 < len(filled) else True
        if before and after:
            accepted[i] = True


def parse_lines(lines: Iterable[Line], known_speakers: Iterable[str] = ()) -> list[Cue]:
    """Cues of a plain-text or DOCX transcript (speaker ``None`` before the first label)."""
    lines = list(lines)
    hits = [_hit(line) if line.text.strip() or line.bold_label else (None, math.nan, "") for line in lines]
    policy = LabelPolicy((h.label for h, _, _ in hits if h is not None and h.label), known_speakers)
    if sum(1 for h, _, _ in hits if h is not None and h.header) < 2:
        for h, _, _ in hits:  # one "Monday 10:30" line is no Otter transcript
            if h is not None and h.header:
                h.strong = False
    accepted = [h is not None and bool(h.label) and policy.accepts(h.label, strong=h.strong)
                and (not h.period or h.strong or policy.count(h.label) >= 2 or is_known_role(h.label))
                for h, _, _ in hits]
    _accept_sandwiched(lines, hits, accepted, policy)

    cues: list[Cue] = []
    current: Cue | None = None
    pending_start = math.nan
    new_paragraph = False

    def add_text(cue: Cue, text: str) -> None:
        nonlocal new_paragraph
        if not text:
            return
        if not cue.parts or new_paragraph:
            cue.parts.append(text)
        else:
            cue.parts[-1] += " " + text
        new_paragraph = False

    for index, (line, (hit, lead_start, body)) in enumerate(zip(lines, hits)):
        text = line.text.strip()
        if not text and not line.bold_label:
            new_paragraph = True
            continue
        only_ts = _TS_ONLY.match(text) if not line.bold_label else None
        if only_ts:
            pending_start = _float(only_ts[1])
            continue
        if accepted[index]:
            start = hit.start if not math.isnan(hit.start) else lead_start
            if math.isnan(start):
                start = pending_start
            current = Cue(text="", line=line.number, speaker=hit.label, start=start)
            cues.append(current)
            new_paragraph = False
            add_text(current, hit.text)
            pending_start = math.nan
            continue
        if not math.isnan(lead_start):
            # "[00:05:10] text": a new cue of the same speaker at that time
            speaker = current.speaker if current is not None else None
            current = Cue(text="", line=line.number, speaker=speaker, start=lead_start)
            cues.append(current)
            new_paragraph = False
            add_text(current, body.strip())
            continue
        if current is None or (current.speaker is None and new_paragraph):
            current = Cue(text="", line=line.number, speaker=None, start=pending_start)
            pending_start = math.nan
            cues.append(current)
            new_paragraph = False
        add_text(current, text)

    for cue in cues:
        cue.text = "\n".join(cue.parts)
    return [c for c in cues if c.text]


def parse_plain_text(text: str, known_speakers: Iterable[str] = ()) -> list[Cue]:
    """Cues of a plain-text transcript given as one string (lines numbered from 1).

    Example:
        >>> [(c.speaker, c.text) for c in parse_plain_text("Interviewer: Hi.\\nAna: Hello.\\nAna: Bye.")]
        [('Interviewer', 'Hi.'), ('Ana', 'Hello.'), ('Ana', 'Bye.')]
    """
    return parse_lines((Line(t, i) for i, t in enumerate(text.split("\n"), start=1)), known_speakers)
