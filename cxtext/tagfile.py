"""Tag a whole file (or a batch of transcripts) in chunks, writing the result atomically."""
from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from .cells import find_comment_column
from .errors import ConfigError, InputError, option
from .io import TABLE_EXTENSIONS, open_table, open_writer
from .io.tables import TableReader
from ._workers import resolve_jobs, tag_in_order
from .pipeline import Analyzer, TagStats, progress_bar

__all__ = ["TagSummary", "tag_file", "tag_transcripts", "tag_inputs", "is_transcript"]


@dataclass
class TagSummary:
    """What a tagging run did: rows, time, output path, failures (transcript batches)."""

    rows: int
    seconds: float
    output: str
    text_column: str
    failures: list[Any] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Rows per second."""
        return self.rows / self.seconds if self.seconds > 0 else float("inf")


def is_transcript(path: str | os.PathLike[str]) -> bool:
    """True for transcript inputs (``.txt``, ``.vtt``, ``.srt``, ``.docx``, folders, globs)."""
    from .transcripts import TRANSCRIPT_EXTENSIONS

    text = str(path)
    if text == "-" or Path(text).suffix.lower() in TABLE_EXTENSIONS:
        return False
    return (
        Path(text).suffix.lower() in TRANSCRIPT_EXTENSIONS
        or Path(text).is_dir()
        or any(ch in text for ch in "*?[")
    )


def tag_file(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    analyzer: Analyzer,
    *,
    text: str | None = None,
    force: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    chunk_size: int = 5000,
    progress: bool = False,
    jobs: int | None = None,
    redaction: Any | None = None,
) -> TagSummary:
    """Tag the comments of a table file (CSV/TSV/XLSX/Parquet/JSONL; ``"-"`` = CSV on stdin).

    Every input column and row is kept, in order; the tag columns are appended. The output's
    format follows its extension; it is written to a temporary file and renamed at the end, so
    a failed run leaves nothing behind. The input is never modified. A
    :class:`cxtext.redact.Redaction` redacts the text column before it is tagged.

    Args:
        jobs: processes that tag (``None`` = all cores, 1 = this process only); the output is
            the same whatever the number.
        chunk_size: most rows read at a time; chunks are cut smaller when comments are long
            (about :data:`CHUNK_CHARACTERS` characters of text each) and for slow backends
            (:attr:`~cxtext.backends.Backend.chunk_rows`), and the first one is small so the
            first rows come out at once.

    Example:
        >>> tag_file("comments.csv", "tagged.parquet", Analyzer(), text="comment")  # doctest: +SKIP
    """
    started = time.perf_counter()
    analyzer.warm_up()
    if str(source) != "-" and str(output) != "-" and os.path.realpath(source) == os.path.realpath(output):
        raise InputError("the output file is the input file; cxtext never modifies its input: choose another -o")
    jobs = resolve_jobs(jobs)
    reader = open_table(source, encoding=encoding, sheet=sheet)
    try:
        return _tag_table(reader, output, analyzer, text, force, chunk_size, progress, started, jobs, redaction)
    finally:
        if str(source) == "-":
            reader.path.unlink(missing_ok=True)


def _tag_table(reader: TableReader, output: str | os.PathLike[str], analyzer: Analyzer, text: str | None,
               force: bool, chunk_size: int, progress: bool, started: float, jobs: int,
               redaction: Any = None) -> TagSummary:
    chunks = reader.chunks(chunk_size)
    first = next(chunks, None)
    if first is None:  # header only: the output is a header too
        import pandas as pd

        first = pd.DataFrame({c: pd.Series([], dtype=object) for c in reader.columns})
    column = find_comment_column(first, text)
    analyzer.check_columns(reader.columns)
    metadata = {"cxtext": str(analyzer.describe())}
    stats = TagStats()
    rows = 0
    with open_writer(output, force=force, list_columns=analyzer.list_columns, metadata=metadata) as writer:
        most = min(chunk_size, analyzer.backend_.chunk_rows or chunk_size)
        pieces = _by_length(itertools.chain([first], chunks), column, most)
        if redaction is not None:
            pieces = (redaction.table(piece, [column]) for piece in pieces)
        bar = progress_bar(reader.count_rows(), progress)
        try:
            for tagged in tag_in_order(analyzer, pieces, column, jobs, stats):
                writer.write(tagged)
                rows += len(tagged)
                bar.update(len(tagged))
        finally:
            bar.close()
    analyzer.warn_stats(stats)
    return TagSummary(rows, time.perf_counter() - started, str(output), column)


#: text characters per chunk handed to the tagger (long comments make smaller chunks)
CHUNK_CHARACTERS = 2_000_000
_FIRST_ROWS = 200


def _by_length(chunks: Iterable[pd.DataFrame], column: str, most: int) -> Iterator[pd.DataFrame]:
    """Re-cut chunks: at most ``most`` rows and about :data:`CHUNK_CHARACTERS` characters of
    text each (at least one row); the first piece is small, so the first rows come out fast."""
    limit = min(most, _FIRST_ROWS)
    for chunk in chunks:
        if not len(chunk):
            yield chunk
            continue
        lengths = [len(v) if isinstance(v, str) else 0 for v in chunk[column].tolist()]
        start, size = 0, 0
        for i, length in enumerate(lengths):
            if i > start and (i - start >= limit or size + length > CHUNK_CHARACTERS):
                yield chunk.iloc[start:i]
                start, size, limit = i, 0, most
            size += length
        yield chunk.iloc[start:]
        limit = most


def tag_transcripts(
    sources: Sequence[str],
    output: str | os.PathLike[str],
    analyzer: Analyzer,
    *,
    unit: str = "turn",
    exclude_speakers: Sequence[str] = (),
    speakers: str | None = None,
    force: bool = False,
    progress: bool = False,
    redaction: Any | None = None,
) -> TagSummary:
    """Read transcripts into speaker turns (or cues/sentences), tag them and write one table.

    Files that cannot be parsed are listed in :attr:`TagSummary.failures`; the others go on.
    A :class:`cxtext.redact.Redaction` redacts the turns (and pseudonymises speakers) first.
    """
    from .transcripts import expand_inputs, read_transcripts

    started = time.perf_counter()
    analyzer.prepare()
    paths = expand_inputs(list(sources))
    batch = read_transcripts(
        paths, unit=unit, exclude_speakers=exclude_speakers, speakers=speakers,
        lang=analyzer.fixed_lang_ or analyzer.default_lang_,
    )
    frame = redaction.transcripts(batch.frame) if redaction is not None else batch.frame
    analyzer.check_columns(frame.columns)
    tagged = analyzer.tag(frame, text="text", progress=progress)
    metadata = {"cxtext": str(analyzer.describe())}
    with open_writer(output, force=force, list_columns=analyzer.list_columns, metadata=metadata) as writer:
        writer.write(tagged)
    return TagSummary(len(tagged), time.perf_counter() - started, str(output), "text", list(batch.failures))


def tag_inputs(
    inputs: Sequence[str],
    output: str | os.PathLike[str],
    *,
    text: str | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    unit: str = "turn",
    exclude_speakers: Sequence[str] = (),
    speakers: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    chunk_size: int = 5000,
    jobs: int | None = None,
    redaction: Any | None = None,
    pseudonymize_speakers: bool = False,
    force: bool = False,
    progress: bool = False,
    **analyzer_options: Any,
) -> TagSummary:
    """Tag what ``cxtext tag`` is given: one table, or transcripts, here or on a Dask cluster.

    Transcripts (:func:`is_transcript`) go to :func:`tag_transcripts`, a table to
    :func:`tag_file`; with ``engine="dask"`` the one folder or glob of parts goes to
    :func:`cxtext.dask.tag_files`. A :class:`cxtext.redact.Redaction` redacts the text first
    and its key is written at the end. ``analyzer_options`` are :class:`Analyzer`'s.

    Raises:
        ConfigError: the inputs or options do not go together (tables and transcripts mixed,
            several tables, Dask without one input and a text column, ...).

    Example:
        >>> tag_inputs(["comments.csv"], "tagged.csv", text="comment")  # doctest: +SKIP
    """
    if engine == "dask":
        from .dask import tag_files

        if redaction is not None:
            raise ConfigError(option("redaction", "--redact") + " runs with the local engine; redact the parts first "
                              "(cxtext redact) or leave out " + option("engine='dask'", "--engine dask"))
        if len(inputs) != 1 or not text:
            raise ConfigError(option("engine='dask'", "--engine dask") + " takes one folder or glob of parts and "
                              + option("text=COLUMN", "--text COLUMN") + ", e.g. "
                              "cxtext tag \"parts/*.parquet\" --text comment --engine dask -o tagged/")
        started = time.perf_counter()
        rows = tag_files(inputs[0], output, text, scheduler=scheduler, force=force, **analyzer_options)
        return TagSummary(rows, time.perf_counter() - started, str(output), text)
    if scheduler:
        raise ConfigError(option("scheduler=", "--scheduler") + " needs " + option("engine='dask'", "--engine dask"))
    analyzer = Analyzer(**analyzer_options)
    transcripts = [i for i in inputs if i != "-" and is_transcript(i)]
    if transcripts:
        if len(transcripts) != len(inputs):
            raise ConfigError("give either one table or transcripts, not both; run cxtext tag once for each")
        summary = tag_transcripts(inputs, output, analyzer, unit=unit, exclude_speakers=exclude_speakers,
                                  speakers=speakers, force=force, progress=progress, redaction=redaction)
    else:
        if len(inputs) > 1:
            raise ConfigError(f"cxtext tag reads one table at a time, got {len(inputs)}; run it once per file")
        if pseudonymize_speakers:
            raise ConfigError(option("pseudonymize_speakers=True", "--pseudonymize-speakers")
                              + " is for transcripts (.txt .vtt .srt .docx), not tables")
        summary = tag_file(inputs[0], output, analyzer, text=text, force=force, encoding=encoding,
                           sheet=sheet, chunk_size=chunk_size, progress=progress, jobs=jobs, redaction=redaction)
    if redaction is not None:
        redaction.write_key()
    return summary
