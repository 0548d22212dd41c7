"""Speaker roles: a table mapping speaker -> role, participant id, demographics.

The table needs a ``speaker`` column (any case); every other column is merged into the
transcript rows right after ``speaker`` (and ``speaker_label``). An optional ``aliases`` column
lists, ``;``-separated, other labels that name the speaker (``Hon. Tom Vale (Minister); Mr. Vale``). An optional ``file`` column ties a row to one
transcript (matched against the path, the file name or the name without extension), so
"Participant" can be a different person in each interview; a row with an empty ``file``
applies to every file, and a file-specific row wins over it. Speaker names match
case-insensitively with spaces collapsed.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from ..errors import ColumnError, ConfigError, InputError, TranscriptWarning, format_choices
from ..schema import output_columns

__all__ = ["Roles", "load_roles"]

_RESERVED = {"file", "turn", "cue", "sentence", "speaker", "speaker_label", "start", "end", "text", "nonspeech"}
MISSING_POLICIES = ("warn", "error", "ignore")


def _key(value: object) -> str:
    return re.sub(r"\s+", " ", "" if value is None else str(value)).strip().casefold()


def _file_keys(file: str) -> set[str]:
    path = Path(file)
    return {_key(file), _key(path.name), _key(path.stem), _key(path.as_posix())}


class Roles:
    """A loaded roles table; :meth:`merge` adds its columns to transcript rows."""

    def __init__(self, frame: pd.DataFrame, source: str = "the speakers table") -> None:
        columns = {str(c).strip().casefold(): c for c in frame.columns}
        if "speaker" not in columns:
            raise ColumnError(
                f"{source} has no 'speaker' column (columns: {format_choices(frame.columns)}); "
                "add a header row with a 'speaker' column naming each speaker as in the transcripts"
            )
        speaker_col = columns["speaker"]
        file_col = columns.get("file")
        alias_col = columns.get("aliases")
        self.columns = [c for c in frame.columns if c not in (speaker_col, file_col, alias_col)]
        clash = [c for c in self.columns if str(c).strip().casefold() in _RESERVED or c in output_columns()]
        if clash:
            raise ColumnError(
                f"{source} has column(s) {format_choices(clash)} that the transcript output already uses; "
                "rename them (e.g. 'role', 'participant_id', 'age')"
            )
        self.names: list[str] = []
        #: label as written (case-folded) -> speaker, from the ``aliases`` column
        self.aliases: dict[str, str] = {}
        self._rows: dict[tuple[str, str], dict] = {}
        for record in frame.to_dict("records"):
            speaker = _key(record[speaker_col])
            if not speaker:
                continue
            file = _key(record[file_col]) if file_col is not None else ""
            if (file, speaker) in self._rows:
                where = f" for file {record[file_col]!r}" if file else ""
                raise InputError(
                    f"speaker {record[speaker_col]!r} appears twice in {source}{where}; keep one row per speaker"
                )
            self._rows[(file, speaker)] = {c: record[c] for c in self.columns}
            self.names.append(str(record[speaker_col]).strip())
            if alias_col is not None and isinstance(record[alias_col], str):
                for alias in record[alias_col].split(";"):
                    if alias.strip():
                        self.aliases[alias.strip().casefold()] = str(record[speaker_col]).strip()

    def lookup(self, file: str, speaker: str) -> dict | None:
        speaker_key = _key(speaker)
        for file_key in _file_keys(file):
            if (file_key, speaker_key) in self._rows:
                return self._rows[(file_key, speaker_key)]
        return self._rows.get(("", speaker_key))

    def merge(self, frame: pd.DataFrame, missing: str = "warn") -> pd.DataFrame:
        """A copy of ``frame`` with the role columns after ``speaker``; reports unknown speakers."""
        if missing not in MISSING_POLICIES:
            raise ConfigError(f"missing_speakers={missing!r} is not allowed; choose one of {format_choices(MISSING_POLICIES)}")
        values = {c: [] for c in self.columns}
        unknown: dict[str, None] = {}
        for file, speaker in zip(frame["file"], frame["speaker"]):
            row = self.lookup(file, speaker) if speaker else None
            if row is None and speaker:
                unknown[f"{speaker} ({Path(file).name})"] = None
            for c in self.columns:
                values[c].append(row[c] if row is not None else "")
        if unknown and missing != "ignore":
            message = (
                f"{len(unknown)} speaker(s) are not in the speakers table: {format_choices(unknown, 10)}; "
                "their role columns are left empty. Add rows for them (a 'file' column can tie a row to one transcript)."
            )
            if missing == "error":
                raise InputError(message)
            warnings.warn(message, TranscriptWarning, stacklevel=4)
        result = frame.copy()
        at = list(result.columns).index("speaker_label" if "speaker_label" in result.columns else "speaker") + 1
        for offset, c in enumerate(self.columns):
            result.insert(at + offset, c, values[c])
        return result


def load_roles(speakers: str | Path | pd.DataFrame) -> Roles:
    """A :class:`Roles` from a table file (CSV/TSV/XLSX/...) or a DataFrame."""
    if isinstance(speakers, pd.DataFrame):
        return Roles(speakers.copy(), "the speakers table")
    from ..io import read_table

    return Roles(read_table(speakers), f"speakers file {str(speakers)!r}")
