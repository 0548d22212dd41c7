"""``discover_themes``: a table or transcripts in, the same rows with theme columns out.

The input (raw comments, or the output of ``cxtext tag``) is read whole, themes are
discovered in it (:class:`~cxtext.themes.ThemeModel`) and every input row comes out once, in
order, with every input column, followed by ``theme``, ``themes``, ``theme_topic`` and
``theme_evidence``. The outputs (table, codebook, theme table) are checked before any work
and written to temporary files renamed at the end: a failed run leaves none of them behind.
"""
from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ColumnError, InputError, UnsupportedFormatError, format_choices, option
from ..schema import LANGUAGE, LANGUAGES, THEME_COLUMNS, THEMES, UNDETERMINED
from .model import ThemeModel

__all__ = ["DiscoverSummary", "discover_themes", "themes_table"]

_CODEBOOK_EXTENSIONS = (".yaml", ".yml")


@dataclass
class DiscoverSummary:
    """What :func:`discover_themes` did."""

    rows: int
    seconds: float
    output: str
    text_column: str
    model: ThemeModel
    coverage: float
    codebook: str | None = None
    failures: list[Any] = field(default_factory=list)


def themes_table(model: ThemeModel, quotes: int = 3) -> pd.DataFrame:
    """One row per theme: id, topic, name per language, size, comments, sentiment shares, quotes.

    Example:
        >>> themes_table(model).columns[:4].tolist()  # doctest: +SKIP
        ['theme', 'topic', 'name', 'comments']
    """
    model._fitted()
    languages = [lang for lang in LANGUAGES if any(lang in t.names for t in model.themes_)]
    rows = []
    for theme in model.themes_:
        row: dict[str, Any] = {"theme": theme.id, "topic": theme.topic, "name": theme.name,
                               "comments": theme.comments, "share": theme.comments / max(model.n_fit_comments_, 1),
                               "clauses": theme.size}
        row.update({f"{label}_share": theme.sentiment[label] for label in ("negative", "neutral", "positive")})
        row.update({f"name_{lang}": theme.names.get(lang, "") for lang in languages})
        row["languages"] = ";".join(f"{lang}:{n}" for lang, n in theme.languages.items())
        for i in range(quotes):
            row[f"quote_{i + 1}"] = theme.quotes[i].text if i < len(theme.quotes) else ""
        rows.append(row)
    return pd.DataFrame(rows)


def _check_outputs(output: str, codebook_out: str | None, themes_out: str | None, sources: Sequence[str],
                   force: bool) -> None:
    from ..io import check_output_path, table_format

    named = [p for p in (output, codebook_out, themes_out) if p and p != "-"]
    if len({str(Path(p).resolve()) for p in named}) < len(named):
        raise InputError(f"the output files {format_choices(named)} must all be different; choose other names")
    inputs = {str(Path(s).resolve()) for s in sources if s != "-"}
    for path in named:
        if str(Path(path).resolve()) in inputs:
            raise InputError(f"{path!r} is also an input; cxtext never modifies its input: choose another output")
    if output != "-":
        table_format(output, role="output")
        check_output_path(output, force)
    if codebook_out:
        if Path(codebook_out).suffix.lower() not in _CODEBOOK_EXTENSIONS:
            raise UnsupportedFormatError(codebook_out, _CODEBOOK_EXTENSIONS, role="codebook output")
        check_output_path(codebook_out, force)
    if themes_out:
        table_format(themes_out, role="output")
        check_output_path(themes_out, force)


def _read(sources: Sequence[str], text: str | None, encoding: str | None, sheet: str | None,
          transcript_options: dict[str, Any]) -> tuple[pd.DataFrame, str, list[Any]]:
    from ..io import read_table
    from ..cells import find_comment_column
    from ..tagfile import is_transcript

    transcripts = [s for s in sources if s != "-" and is_transcript(s)]
    if transcripts:
        if len(transcripts) != len(sources):
            raise InputError("give either one table or transcripts, not both; run cxtext themes discover once for each")
        from ..transcripts import expand_inputs, read_transcripts

        batch = read_transcripts(expand_inputs(list(sources)), **transcript_options)
        return batch.frame, "text", list(batch.failures)
    if len(sources) != 1:
        raise InputError(f"cxtext themes discover reads one table at a time, got {len(sources)}; "
                         "join them first or give transcripts")
    frame = read_table(sources[0], encoding=encoding, sheet=sheet)
    if frame.empty:
        raise InputError(f"{sources[0]!r} has no rows; themes need comments")
    return frame, find_comment_column(frame, text), []


def _given_languages(frame: pd.DataFrame, prefix: str) -> list[object] | None:
    """The ``language`` column of a tagged input, when it holds only cxtext's codes."""
    for name in (prefix + LANGUAGE, LANGUAGE):
        if name in frame.columns:
            values = {str(v).strip().lower() for v in frame[name].dropna()}
            if values <= set(LANGUAGES) | {UNDETERMINED, ""}:
                return frame[name].tolist()
    return None


def discover_themes(
    sources: Sequence[str] | str,
    output: str | os.PathLike[str],
    *,
    text: str | None = None,
    codebook_out: str | os.PathLike[str] | None = None,
    themes_out: str | os.PathLike[str] | None = None,
    prefix: str = "",
    force: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    transcript_unit: str = "turn",
    exclude_speakers: Sequence[str] = (),
    speakers: str | None = None,
    progress: bool = False,
    **model_options: Any,
) -> DiscoverSummary:
    """Discover themes in a table (or transcripts) and write it back with the theme columns.

    Args:
        sources: one table (.csv .tsv .xlsx .parquet .jsonl; ``-`` = CSV on stdin), raw or
            tagged, or transcripts (.txt .vtt .srt .docx, folders, globs).
        output: the output table; its extension sets the format (``-`` = CSV on stdout).
        text: the comment column (optional when there is exactly one text column).
        codebook_out: also write the themes as an editable codebook (.yaml).
        themes_out: also write one row per theme (:func:`themes_table`; any table format).
        prefix: prefix for the added column names.
        force: overwrite existing outputs.
        encoding, sheet: how to read a CSV/TSV or XLSX input.
        transcript_unit, exclude_speakers, speakers: how to read transcripts (see
            :func:`cxtext.transcripts.read_transcripts`).
        progress: show a progress bar on stderr.
        **model_options: options of :class:`ThemeModel` (``min_size``, ``max_themes``,
            ``lang``, ``embedding`` ...).

    Raises:
        InputError: unreadable input, an output that exists (without ``force``) or is an input.
        ColumnError: missing text column, or the input already has theme columns.

    Example:
        >>> discover_themes("comments.csv", "themed.csv", text="comment", codebook_out="themes.yaml")  # doctest: +SKIP
    """
    from ..io import atomic_output, open_writer, write_table

    started = time.perf_counter()
    sources = [sources] if isinstance(sources, (str, os.PathLike)) else list(sources)
    sources = [str(s) for s in sources]
    output = str(output)
    codebook_out = str(codebook_out) if codebook_out else None
    themes_out = str(themes_out) if themes_out else None
    if not sources:
        raise InputError("no input given; name a table or transcripts")
    _check_outputs(output, codebook_out, themes_out, sources, force)
    model = ThemeModel(**model_options)
    transcript_options = {"unit": transcript_unit, "exclude_speakers": exclude_speakers, "speakers": speakers,
                          "lang": model.lang if model.lang != "auto" else (model.default_lang or "en")}
    frame, column, failures = _read(sources, text, encoding, sheet, transcript_options)
    names = [prefix + c for c in THEME_COLUMNS]
    clash = [c for c in names if c in set(map(str, frame.columns))]
    if clash:
        raise ColumnError(f"the input already has column(s) {format_choices(clash)}, which cxtext themes discover "
                          "adds; choose a prefix for the new columns, e.g. " + option("prefix='new_'", "--prefix new_"))
    columns = model.fit_transform(frame[column].tolist(), _given_languages(frame, prefix), progress=progress)
    out = frame.copy()
    for name, values in zip(names, (columns[c] for c in THEME_COLUMNS)):
        out[name] = values.to_numpy()
    codebook_text = model.to_codebook(source=", ".join(Path(s).name for s in sources)) if codebook_out else None
    metadata = {"cxtext": str(model.describe())}
    with open_writer(output, force=force, list_columns=[prefix + THEMES], metadata=metadata) as writer:
        writer.write(out)
        if themes_out:
            write_table(themes_table(model), themes_out, force=force)
        if codebook_out:
            with atomic_output(codebook_out, force) as tmp:
                tmp.write_text(codebook_text or "", encoding="utf-8")
    coverage = float((columns[THEME_COLUMNS[0]] != "").mean()) if len(columns) else 0.0
    return DiscoverSummary(len(out), time.perf_counter() - started, output, column, model, coverage,
                           codebook_out, failures)

