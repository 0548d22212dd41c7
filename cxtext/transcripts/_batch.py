"""Transcript files in, one DataFrame of turns out; failures collected per file."""
from __future__ import annotations

import glob
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError, InputFileNotFoundError, TranscriptError, TranscriptWarning, UnsupportedFormatError
from ._model import Cue, TranscriptFailure
from ._names import SpeakerMerge, merge_speakers, split_parenthetical
from ._read import TRANSCRIPT_EXTENSIONS, read_cues
from ._roles import Roles, load_roles
from ._turns import BASE_COLUMNS, SPEAKER_LABEL, SpeakerFilter, check_unit, cues_to_rows

__all__ = ["TranscriptBatch", "expand_inputs", "read_transcript", "read_transcripts"]


@dataclass
class TranscriptBatch:
    """The result of :func:`read_transcripts`.

    Attributes:
        frame: one row per turn (cue, sentence) of every file read, in file then turn order.
        failures: the files that could not be read (``file``, ``line``, ``message``); when it
            is not empty a command line should exit non-zero after writing ``frame``.
        files: the files that were read.
        merges: the name variants read as one speaker (``Hon. Tom Vale (Minister ...)`` and
            ``Hon. Tom Vale``); the labels as written are in the ``speaker_label`` column.
    """

    frame: pd.DataFrame
    failures: list[TranscriptFailure] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    merges: list[SpeakerMerge] = field(default_factory=list)


def _is_transcript(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix.lower() in TRANSCRIPT_EXTENSIONS
        and not path.name.startswith((".", "~$"))
    )


def expand_inputs(inputs: Sequence[str | Path]) -> list[Path]:
    """Transcript files named by ``inputs``: files, folders (their transcripts, sorted) and globs.

    Folders are not searched recursively; use a glob such as ``"interviews/**/*.vtt"`` for
    sub-folders. Hidden files and Word lock files (``~$...``) are skipped; duplicates are
    kept once, in the order given.

    Raises:
        InputFileNotFoundError: a file or folder does not exist.
        UnsupportedFormatError: a file named directly has another extension.
        InputError: a folder or glob holds no transcript file.

    Example:
        >>> expand_inputs(["interviews/", "extra/*.vtt"])  # doctest: +SKIP
        [PosixPath('interviews/p01.docx'), PosixPath('interviews/p02.vtt'), ...]
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    found: dict[Path, None] = {}
    allowed = ", ".join(TRANSCRIPT_EXTENSIONS)
    for item in inputs:
        text = str(item)
        path = Path(text)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if _is_transcript(p))
            if not files:
                raise InputError(f"folder {text!r} holds no transcript files ({allowed}); check the folder or the extensions")
        elif path.is_file():
            if path.suffix.lower() not in TRANSCRIPT_EXTENSIONS:
                raise UnsupportedFormatError(path, TRANSCRIPT_EXTENSIONS, role="transcript")
            files = [path]
        elif glob.has_magic(text):
            files = sorted(p for p in map(Path, glob.glob(text, recursive=True)) if _is_transcript(p))
            if not files:
                raise InputError(f"the pattern {text!r} matches no transcript files ({allowed}); check the pattern")
        else:
            raise InputFileNotFoundError(path)
        found.update(dict.fromkeys(files))
    return list(found)


def _columns(unit: str, labels: bool) -> list[str]:
    columns = list(BASE_COLUMNS)
    if unit in ("cue", "sentence"):
        columns.insert(2, unit)
    if labels:
        columns.insert(columns.index("speaker") + 1, SPEAKER_LABEL)
    return columns


def _empty_frame(unit: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("start", "end") else object) for c in _columns(unit, False)})


def _read_one(path: Path, known: Sequence[str]) -> list[Cue]:
    cues = read_cues(path, known)
    if all(c.speaker is None for c in cues):
        warnings.warn(
            f"no speaker labels recognised in {path}; each paragraph or cue is a turn with an empty speaker. "
            "Labels look like 'Name: text', '[Name] text' or 'Speaker 1  00:01:23' on its own line; "
            "a name used only once is recognised when it is listed in the speakers file.",
            TranscriptWarning,
            stacklevel=5,
        )
    return cues


def read_transcripts(
    paths: Sequence[str | Path],
    unit: str = "turn",
    exclude_speakers: Sequence[str] = (),
    speakers: str | Path | pd.DataFrame | None = None,
    lang: str = "en",
    missing_speakers: str = "warn",
    known_speakers: Sequence[str] = (),
) -> TranscriptBatch:
    """Read many transcript files into one table of speaker turns.

    Args:
        paths: transcript files (.txt, .vtt, .srt, .docx); see :func:`expand_inputs` for folders.
        unit: ``"turn"`` (consecutive cues of one speaker merged), ``"cue"`` (one row per caption
            cue or labelled block, with a ``cue`` number after ``turn``) or ``"sentence"`` (one row
            per sentence of each turn, with a ``sentence`` number after ``turn``; start/end are
            those of the cues the sentence comes from).
        exclude_speakers: speakers to leave out: case-insensitive exact names or regular
            expressions matched against the whole name (``"Moderator"``, ``"Interviewer.*"``).
            Turn numbers keep counting the excluded turns, so they still point into the file.
            A pattern matches the speaker or the label as written (``speaker_label``), with or
            without its parentheses (``The Chair`` excludes ``The Chair (Hon. Ann Poe)``).
        speakers: a roles table (path or DataFrame) with a ``speaker`` column and any of role,
            participant id, demographics; its other columns are inserted after ``speaker``.
            Its names also count as known speaker labels (see :mod:`cxtext.transcripts._labels`)
            and are kept as spelled there; an optional ``aliases`` column (``;``-separated) lists
            labels that name that speaker, which overrides the merging of name variants.
        lang: language for sentence splitting (``"auto"`` uses a language-neutral splitter).
        missing_speakers: ``"warn"`` (default), ``"error"`` or ``"ignore"`` when a speaker is
            not in the roles table.
        known_speakers: further names to accept as speaker labels.

    Returns:
        A :class:`TranscriptBatch`: ``frame`` has the columns ``file, turn, speaker,
        <role columns>, start, end, text, nonspeech`` (``cue``/``sentence`` after ``turn`` for
        those units; ``speaker_label`` after ``speaker`` when a label was read as another name:
        ``Hon. Tom Vale (Minister ...)`` -> ``Hon. Tom Vale``); ``start``/``end`` are seconds
        (NaN when the format has no times); ``file`` is the path as given; ``nonspeech`` holds
        the markup taken out of ``text`` (``[laughter]``, ``{vocalsound}``, ``(inaudible)``).
        Name variants of one person are merged across the batch and reported in a warning
        (see :mod:`cxtext.transcripts._names`). Files that fail are listed in ``failures``;
        the others go on.

    Example:
        >>> batch = read_transcripts(["p01.vtt", "p02.docx"], exclude_speakers=["Interviewer"])  # doctest: +SKIP
        >>> batch.frame[["file", "turn", "speaker", "text"]].head()  # doctest: +SKIP
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    options = dict(exclude_speakers=exclude_speakers, speakers=speakers, lang=lang,
                   missing_speakers=missing_speakers, known_speakers=known_speakers)
    return _read(paths, unit, strict=False, **options)


def _read(
    paths: Sequence[str | Path],
    unit: str,
    strict: bool,
    exclude_speakers: Sequence[str],
    speakers: str | Path | pd.DataFrame | None,
    lang: str,
    missing_speakers: str,
    known_speakers: Sequence[str],
) -> TranscriptBatch:
    unit = check_unit(unit)
    roles: Roles | None = load_roles(speakers) if speakers is not None else None
    known = list(known_speakers) + (roles.names if roles is not None else [])
    aliases = roles.aliases if roles is not None else {}
    speaker_filter = SpeakerFilter(exclude_speakers)
    read: list[tuple[str, list[Cue]]] = []
    failures: list[TranscriptFailure] = []
    for path in paths:
        path = Path(path)
        try:
            if not path.is_file():
                raise TranscriptError(path, None, "the file does not exist")
            read.append((str(path), _read_one(path, known + list(aliases))))
        except TranscriptError as exc:
            if strict:
                raise
            failures.append(TranscriptFailure(exc.file, exc.line, str(exc)))
    mapping, merges = merge_speakers([(f, [c.speaker for c in cues if c.speaker]) for f, cues in read], known, aliases)
    frames: list[pd.DataFrame] = []
    for file, cues in read:
        for cue in cues:
            if cue.speaker:
                cue.label, cue.speaker = cue.speaker, mapping[(file, cue.speaker)]
        frame = pd.DataFrame(cues_to_rows(file, cues, unit, lang))
        if speaker_filter.patterns:
            frame = frame.loc[[not speaker_filter.excludes(s, label, split_parenthetical(label)[0])
                               for s, label in zip(frame["speaker"], frame[SPEAKER_LABEL])]]
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True) if frames else _empty_frame(unit)
    labels = SPEAKER_LABEL in frame.columns and bool((frame[SPEAKER_LABEL] != frame["speaker"]).any())
    frame = frame[_columns(unit, labels)]
    frame["turn"] = frame["turn"].astype("int64")
    frame["start"] = frame["start"].astype(float)
    frame["end"] = frame["end"].astype(float)
    if speaker_filter.patterns and read and speaker_filter.unused():
        warnings.warn(
            f"--exclude-speaker pattern(s) {', '.join(map(repr, speaker_filter.unused()))} matched no speaker; "
            f"speakers found: {', '.join(map(repr, sorted(set(frame['speaker']))[:20]))}",
            TranscriptWarning,
            stacklevel=3,
        )
    if merges:
        warnings.warn(
            f"read {sum(len(m.variants) for m in merges)} speaker labels as {len(merges)} speaker(s): "
            f"{'; '.join(map(str, merges[:10]))}{' ...' if len(merges) > 10 else ''}; the labels as written are in the speaker_label column. "
            "To keep variants apart or join others, list them in --speakers (an 'aliases' column maps labels to a speaker).",
            TranscriptWarning,
            stacklevel=3,
        )
    if roles is not None:
        frame = roles.merge(frame, missing_speakers)
    return TranscriptBatch(frame.reset_index(drop=True), failures, [f for f, _ in read], merges)


def read_transcript(
    path: str | Path,
    unit: str = "turn",
    exclude_speakers: Sequence[str] = (),
    speakers: str | Path | pd.DataFrame | None = None,
    lang: str = "en",
    missing_speakers: str = "warn",
    known_speakers: Sequence[str] = (),
) -> pd.DataFrame:
    """Read one transcript file (see :func:`read_transcripts` for the options and columns).

    Raises:
        TranscriptError: the file cannot be parsed (the message names the file and line).

    Example:
        >>> turns = read_transcript("interview.vtt", exclude_speakers=["Moderator"])  # doctest: +SKIP
    """
    if not Path(path).is_file():
        raise InputFileNotFoundError(path)
    options = dict(exclude_speakers=exclude_speakers, speakers=speakers, lang=lang,
                   missing_speakers=missing_speakers, known_speakers=known_speakers)
    return _read([path], unit, strict=True, **options).frame
