"""Redacting tables and transcript turns, speaker pseudonyms and their key, whole files.

:class:`Redaction` holds the choices of one run (types, pseudonyms, key file) and counts what it
replaced; ``cxtext redact`` and ``cxtext tag --redact`` both use it. Pseudonyms are ``P1``,
``P2``, ... in order of first appearance across all the files of the run; role labels
(``Interviewer``, ``Moderator``, ``Participant 3``, ``The Chair``) are no names and stay. The key
(pseudonym -> speaker) is written only to the file named by ``speaker_key``; when that file
already exists its pseudonyms are kept and new speakers are added, so a second batch of
interviews gets the same pseudonyms for the same people.
"""
from __future__ import annotations

import itertools
import os
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError, InputError, option
from ._people import person_names
from ._redactor import Redactor, check_entities

__all__ = ["Redaction", "SpeakerKey", "RedactSummary", "redact_file"]

KEY_COLUMNS = ("pseudonym", "speaker", "labels", "files")


class SpeakerKey:
    """Pseudonyms for speaker names (``P1``, ``P2``, ...) and the key that maps them back.

    Example:
        >>> key = SpeakerKey()
        >>> key.assign("Ana Lopez"), key.assign("Interviewer"), key.assign("ana lopez"), key.assign("Bo")
        ('P1', 'Interviewer', 'P1', 'P2')
    """

    def __init__(self, prefix: str = "P") -> None:
        self.prefix = prefix
        self.pseudonyms: dict[str, str] = {}  # speaker key (case-folded) -> pseudonym
        self.speakers: dict[str, str] = {}  # speaker key -> speaker as first written
        self.labels: dict[str, dict[str, None]] = {}
        self.files: dict[str, dict[str, None]] = {}
        self.reserved: set[str] = set()

    @staticmethod
    def _key(speaker: str) -> str:
        return " ".join(str(speaker).split()).casefold()

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SpeakerKey:
        """A key written by :meth:`write` (CSV with ``pseudonym`` and ``speaker`` columns)."""
        from ..io import read_table

        frame = read_table(path)
        if not {"pseudonym", "speaker"} <= set(frame.columns):
            raise InputError(
                f"speaker key {str(path)!r} has no 'pseudonym' and 'speaker' columns (columns: "
                f"{', '.join(map(str, frame.columns))}); give a key written by cxtext or a new file name"
            )
        key = cls()
        for record in frame.to_dict("records"):
            speaker, pseudonym = str(record["speaker"]).strip(), str(record["pseudonym"]).strip()
            if speaker and pseudonym:
                k = cls._key(speaker)
                key.pseudonyms[k], key.speakers[k] = pseudonym, speaker
                for column, store in (("labels", key.labels), ("files", key.files)):
                    values = str(record.get(column) or "")
                    store[k] = dict.fromkeys(v.strip() for v in values.split(";") if v.strip())
        return key

    @staticmethod
    def is_role(speaker: str) -> bool:
        """Role labels keep their name: they identify no one."""
        from ..transcripts._labels import is_known_role
        from ..transcripts._names import is_role_label

        return is_known_role(speaker) or is_role_label(speaker)

    def assign(self, speaker: str, label: str = "", file: str = "") -> str:
        """The pseudonym of ``speaker`` (a new one on first sight); roles and blanks come back as given."""
        text = str(speaker).strip()
        if not text or self.is_role(text):
            return speaker
        k = self._key(text)
        if k not in self.pseudonyms:
            used = set(self.pseudonyms.values()) | self.reserved
            number = len(self.pseudonyms) + 1
            while f"{self.prefix}{number}" in used:
                number += 1
            self.pseudonyms[k], self.speakers[k] = f"{self.prefix}{number}", text
        for value, store in ((label, self.labels), (file, self.files)):
            if str(value).strip():
                store.setdefault(k, {})[str(value).strip()] = None
        return self.pseudonyms[k]

    def get(self, speaker: str) -> str | None:
        return self.pseudonyms.get(self._key(speaker))

    def frame(self) -> pd.DataFrame:
        """The key: ``pseudonym, speaker, labels, files`` (one row per speaker)."""
        rows = [{"pseudonym": p, "speaker": self.speakers[k], "labels": "; ".join(self.labels.get(k, {})),
                 "files": "; ".join(self.files.get(k, {}))} for k, p in self.pseudonyms.items()]
        return pd.DataFrame(rows, columns=list(KEY_COLUMNS))

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the key as CSV (atomically; an existing key is replaced by this extended one)."""
        from ..io import atomic_output

        with atomic_output(path, force=True) as tmp:
            self.frame().to_csv(tmp, index=False)
        return Path(path)


@dataclass
class Redaction:
    """The redaction choices of one run, and what it replaced.

    Args:
        entities: the types to redact (see :data:`cxtext.redact.ENTITY_TYPES`; default all).
        pseudonymize_speakers: replace speaker names by ``P1``, ``P2``, ... in the speaker
            column and in the text (transcripts).
        speaker_key: where to write the key (pseudonym -> speaker); needs pseudonyms. An
            existing key is read first and extended, so pseudonyms stay the same across runs.
        names: more names to replace everywhere (e.g. the staff of a shop).

    Example:
        >>> run = Redaction(pseudonymize_speakers=True)
        >>> turns = pd.DataFrame({"speaker": ["Interviewer", "Ana Lopez"], "text": ["Hi Ana.", "Hi! Call me on 612 345 678."]})
        >>> run.transcripts(turns)[["speaker", "text"]].values.tolist()
        [['Interviewer', 'Hi P1.'], ['P1', 'Hi! Call me on [PHONE].']]
    """

    entities: Sequence[str] | str | None = None
    pseudonymize_speakers: bool = False
    speaker_key: str | os.PathLike[str] | None = None
    names: Sequence[str] = ()
    counts: Counter = field(default_factory=Counter, init=False)
    rows: int = field(default=0, init=False)
    transcript_rows: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.entities = check_entities(self.entities)
        if self.speaker_key is not None and not self.pseudonymize_speakers:
            raise ConfigError(f"{option('speaker_key=', '--speaker-key')} needs "
                              f"{option('pseudonymize_speakers=True', '--pseudonymize-speakers')}: "
                              "without pseudonyms there is no key to write")
        if self.speaker_key is not None and Path(self.speaker_key).is_dir():
            raise ConfigError(f"--speaker-key {str(self.speaker_key)!r} is a folder; give a .csv file name")
        existing = self.speaker_key is not None and Path(self.speaker_key).is_file()
        self.key = SpeakerKey.load(self.speaker_key) if existing else SpeakerKey()

    def _redactor(self, names: Iterable[str] = (), pseudonyms: dict[str, str] | None = None) -> Redactor:
        return Redactor(self.entities, [*names, *self.names], pseudonyms)

    def table(self, frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
        """A copy of ``frame`` with the text ``columns`` redacted (other columns, rows, order kept)."""
        redactor = self._redactor()
        out = frame.copy()
        for column in columns:
            out[column] = redactor.redact_many(frame[column].tolist(), self.counts)
        self.rows += len(frame)
        return out

    def transcripts(self, frame: pd.DataFrame, text: str = "text") -> pd.DataFrame:
        """A copy of transcript turns with the text redacted, the speakers' names included.

        With pseudonyms the ``speaker`` column becomes ``P1``, ``P2``, ... (roles stay), and the
        speakers' names in the text and in ``speaker_label`` become their pseudonyms.
        """
        if self.pseudonymize_speakers and "speaker" not in frame.columns:
            raise ConfigError("pseudonyms need a 'speaker' column (transcript turns); this table has none: "
                              f"columns {', '.join(map(str, frame.columns))}")
        speakers = [s for s in dict.fromkeys(frame["speaker"].astype(str)) if s.strip()] if "speaker" in frame else []
        if self.pseudonymize_speakers:
            self.key.reserved |= {s for s in speakers if SpeakerKey.is_role(s)}
            labels = frame["speaker_label"] if "speaker_label" in frame.columns else frame.get("speaker")
            files = frame["file"] if "file" in frame.columns else [""] * len(frame)
            for speaker, label, file in zip(frame["speaker"].astype(str), labels.astype(str), files):
                self.key.assign(speaker, label if label != speaker else "", str(file))
        known = [*speakers, *self.key.speakers.values()]
        pseudonyms: dict[str, str] = {}
        if self.pseudonymize_speakers:
            for speaker in dict.fromkeys(known):
                pseudonym = self.key.get(speaker)
                for name in person_names([speaker]):
                    if pseudonym:
                        pseudonyms[name] = pseudonym
        redactor = self._redactor(person_names(known), pseudonyms)
        out = frame.copy()
        out[text] = redactor.redact_many(frame[text].tolist(), self.counts)
        if self.pseudonymize_speakers:
            if "speaker_label" in out.columns:
                out["speaker_label"] = redactor.redact_many(frame["speaker_label"].tolist())
            out["speaker"] = [self.key.assign(s) for s in frame["speaker"].astype(str)]
        self.rows += len(frame)
        self.transcript_rows += len(frame)
        return out

    def write_key(self) -> Path | None:
        """Write the speaker key where ``speaker_key`` says (nothing without one)."""
        if self.speaker_key is None:
            return None
        return self.key.write(self.speaker_key)

    def summary(self) -> str:
        """One line: what was replaced, by type."""
        kinds = [k for k in self.entities if self.counts.get(k)]
        found = ", ".join(f"{k} {self.counts[k]}" for k in kinds) or "nothing found"
        names = f" ({self.counts['speaker names']} of them speaker names)" if self.counts.get("speaker names") else ""
        line = f"Redacted {sum(self.counts[k] for k in kinds)} item(s) in {self.rows:,} row(s): {found}{names}"
        if self.pseudonymize_speakers:
            line += f"; {len(self.key.pseudonyms)} speaker(s) pseudonymised"
            line += f", key in {self.speaker_key}" if self.speaker_key else " (no --speaker-key: the key is not kept)"
        elif self.transcript_rows:
            line += "; the speaker column still holds names (add --pseudonymize-speakers to replace them)"
        return line


@dataclass
class RedactSummary:
    """What :func:`redact_file` did: rows, output, the text columns, time, transcript failures."""

    rows: int
    output: str
    columns: list[str]
    seconds: float
    failures: list[Any] = field(default_factory=list)
    transcripts: bool = False


def redact_file(
    sources: Sequence[str] | str,
    output: str | os.PathLike[str],
    redaction: Redaction,
    *,
    text: Sequence[str] = (),
    force: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    chunk_size: int = 5000,
    unit: str = "turn",
    speakers: str | None = None,
    exclude_speakers: Sequence[str] = (),
    progress: bool = False,
) -> RedactSummary:
    """Redact a table (its text columns) or transcripts (their turns) into ``output``.

    The input is never modified; the output appears only when the whole run succeeds (an
    existing one is kept unless ``force``), then the speaker key is written.

    Example:
        >>> redact_file("comments.csv", "redacted.csv", Redaction(), text=["comment"])  # doctest: +SKIP
    """
    from ..io import check_output_path, open_table, open_writer
    from ..tagfile import is_transcript

    started = time.perf_counter()
    sources = [sources] if isinstance(sources, (str, os.PathLike)) else list(sources)
    if str(output) != "-":
        check_output_path(output, force)
        if any(str(s) != "-" and Path(s).exists() and Path(s).resolve() == Path(output).resolve() for s in sources):
            raise InputError("the output file is the input file; cxtext never modifies its input: choose another -o")
    transcripts = [s for s in sources if s != "-" and is_transcript(s)]
    if transcripts:
        if len(transcripts) != len(sources):
            raise InputError("give either one table or transcripts, not both; run cxtext redact once for each")
        from ..transcripts import expand_inputs, read_transcripts

        batch = read_transcripts(expand_inputs(sources), unit=unit, speakers=speakers,
                                 exclude_speakers=exclude_speakers)
        frame = redaction.transcripts(batch.frame)
        with open_writer(output, force=force) as writer:
            writer.write(frame)
        redaction.write_key()
        return RedactSummary(len(frame), str(output), ["text"], time.perf_counter() - started, list(batch.failures),
                             transcripts=True)
    if len(sources) > 1:
        raise InputError(f"cxtext redact reads one table at a time, got {len(sources)}; run it once per file")
    if redaction.pseudonymize_speakers:
        raise ConfigError("--pseudonymize-speakers is for transcripts (a speaker column from .txt/.vtt/.srt/.docx); "
                          "for a table, name the columns to redact with --text")
    reader = open_table(sources[0], encoding=encoding, sheet=sheet)
    try:
        return _redact_table(reader, output, redaction, text, force, chunk_size, started, progress)
    finally:
        if str(sources[0]) == "-":
            reader.path.unlink(missing_ok=True)


def _redact_table(reader: Any, output: str | os.PathLike[str], redaction: Redaction, text: Sequence[str],
                  force: bool, chunk_size: int, started: float, progress: bool) -> RedactSummary:
    from ..io import open_writer
    from ..cells import find_comment_column
    from ..pipeline import progress_bar

    chunks = reader.chunks(chunk_size)
    first = next(chunks, None)
    if first is None:
        first = pd.DataFrame({c: pd.Series([], dtype=object) for c in reader.columns})
    columns = list(text) or [find_comment_column(first, None)]
    missing = [c for c in columns if c not in first.columns]
    if missing:
        find_comment_column(first, missing[0])  # raises the column error with the columns listed
    rows = 0
    bar = progress_bar(reader.count_rows(), progress)
    try:
        with open_writer(output, force=force) as writer:
            for chunk in itertools.chain([first], chunks):
                writer.write(redaction.table(chunk, columns))
                rows += len(chunk)
                bar.update(len(chunk))
    finally:
        bar.close()
    return RedactSummary(rows, str(output), columns, time.perf_counter() - started)
