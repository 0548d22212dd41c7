"""``cxtext export``: coded data for QDA tools (the codebook .qdc is ``cxtext codebook export``)."""
from __future__ import annotations

import click

from ._common import force_option, library_call, quiet_option

__all__ = ["export"]


@click.group()
def export() -> None:
    """Export coded data for qualitative-analysis tools.

    The codebook itself (REFI-QDA .qdc) is exported with `cxtext codebook export`.

    \b
    Example:
      cxtext export segments turns.csv -o segments.csv
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
