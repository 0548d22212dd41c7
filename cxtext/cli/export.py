"""``cxtext export``: coded data for QDA tools (the codebook .qdc is ``cxtext codebook export``)."""
from __future__ import annotations

import click

from ._common import force_option, input_file_options, library_call, quiet_option, read_options

__all__ = ["export"]


@click.group()
def export() -> None:
    """Export coded data for qualitative-analysis tools (NVivo, ATLAS.ti, MAXQDA, QualCoder).

    The codebook alone (REFI-QDA .qdc) is exported with `cxtext codebook export`.

    \b
    Examples:
      cxtext export segments turns.csv -o segments.csv
      cxtext export qdpx turns.csv -o project.qdpx
    """


@export.command()
@click.argument("tagged", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write (.csv, .xlsx, ...).")
@click.option("--codes", default="topics", show_default=True, help="Column holding the codes.")
@click.option("--include-uncoded", is_flag=True, help="Also write segments without any code (empty code).")
@force_option
@quiet_option
@library_call
def segments(tagged: str, output: str, codes: str, include_uncoded: bool, force: bool, quiet: bool) -> None:
    """One row per segment x code: file, turn, speaker, start, end, text, code, code_sentiment, evidence.

    \b
    Examples:
      cxtext export segments turns.csv -o segments.csv
      cxtext export segments coded.xlsx --codes coder1 -o coder1_segments.csv
    """
    from ..io import check_output_path, read_table, write_table
    from ..transcripts import coded_segments

    check_output_path(output, force)
    frame = coded_segments(read_table(tagged), codes=codes, include_uncoded=include_uncoded)
    write_table(frame, output, force=force)
    if not quiet:
        click.echo(f"Wrote {len(frame)} coded segments to {output}", err=True)


@export.command()
@click.argument("tagged", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The project file (.qdpx).")
@click.option("--codes", "codes", multiple=True, metavar="COLUMN",
              help="A further code column (repeatable), e.g. a coder's column; topics, journey, channel and "
                   "themes are exported when present.")
@click.option("--code-unit", default="turn", show_default=True, type=click.Choice(["turn", "evidence"]),
              help="Code each turn/comment, or each evidence span (the matched words).")
@click.option("--sentiment-codes", is_flag=True, help="Also code each turn/comment as positive, neutral or negative.")
@click.option("--text", "text", metavar="COLUMN", help="[tables] the comment column (default: text, or the one free-text column).")
@click.option("--name", metavar="NAME", help="Project name (default: the input file's name).")
@input_file_options
@read_options
@force_option
@quiet_option
@library_call
def qdpx(tagged: str, output: str, codes: tuple[str, ...], code_unit: str, sentiment_codes: bool, text: str | None,
         name: str | None, encoding: str | None, sheet: str | None, force: bool, quiet: bool) -> None:
    """A REFI-QDA project (.qdpx) of tagged turns or comments, coded, with speakers as cases.

    Transcript turns: one text source per transcript, one line per turn; survey comments: one
    source for the table, one line per comment. Codes per code column, a coding per turn (or
    per evidence span), speakers (or comments) as cases, sentiment and roles as variables.
    Opens in NVivo, ATLAS.ti, MAXQDA and QualCoder (import a REFI-QDA project).

    \b
    Examples:
      cxtext tag interviews/ -o turns.csv && cxtext export qdpx turns.csv -o project.qdpx
      cxtext export qdpx tagged.csv --text comment --codes coder1 -o survey.qdpx
      cxtext export qdpx turns.parquet --code-unit evidence --sentiment-codes -o project.qdpx
    """
    from pathlib import Path

    from ..io import check_output_path, read_table
    from ..topics.qdpx import export_qdpx

    check_output_path(output, force)
    project = export_qdpx(read_table(tagged, encoding=encoding, sheet=sheet), output, force=force, codes=list(codes), text=text,
                          code_unit=code_unit, sentiment_codes=sentiment_codes, name=name or Path(tagged).stem)
    if not quiet:
        click.echo(f"Wrote {output}: {len(project.sources)} source(s), {project.segments} segment(s), "
                   f"{project.codes} code(s), {project.codings} coding(s)", err=True)
