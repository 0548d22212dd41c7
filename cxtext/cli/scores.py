"""``cxtext scores``: NPS, CSAT and CES with 95% intervals, overall and by segment."""
from __future__ import annotations

import click

from ._common import (
    dask_engine_options,
    force_option,
    input_file_options,
    library_call,
    print_table,
    quiet_option,
    table_io_options,
    warnings_shown_unless,
)

__all__ = ["scores"]


@click.command()
@click.argument("file", metavar="FILE")
@click.option("--nps", "nps_col", metavar="COLUMN", help="NPS column (0-10; see --nps-scale).")
@click.option("--csat", "csat_col", metavar="COLUMN", help="CSAT column (see --csat-scale).")
@click.option("--ces", "ces_col", metavar="COLUMN", help="CES column (labels, or numbers with --ces-scale/--ces-direction).")
@click.option("--by", metavar="COLUMN", help="Also compute every metric per value of this column.")
@click.option("--nps-scale", default="0-10", show_default=True, type=click.Choice(["0-10", "1-10"]))
@click.option("--csat-scale", default="5", show_default=True, metavar="N|LOW-HIGH", help="5, 7 or a range such as 1-10.")
@click.option("--csat-top-box", default=2, show_default=True, type=click.IntRange(1), help="Highest answers counted as satisfied.")
@click.option("--ces-scale", metavar="N|LOW-HIGH", help="Numeric CES scale (default: CES read as labels).")
@click.option("--ces-direction", type=click.Choice(["higher_is_easier", "lower_is_easier"]), help="Needed with --ces-scale.")
@click.option("-o", "--output", metavar="FILE", help="Write the table (.csv .tsv .xlsx .parquet .jsonl, or .json).")
@click.option("--issues", "issues", metavar="FILE",
              help="Write every input row with a 'score_issue' column naming what is wrong with its scores "
                   "(.csv .tsv .xlsx .parquet .jsonl).")
@input_file_options
@table_io_options
@dask_engine_options
@force_option
@quiet_option
@library_call
def scores(file: str, nps_col: str | None, csat_col: str | None, ces_col: str | None, by: str | None,
           nps_scale: str, csat_scale: str, csat_top_box: int, ces_scale: str | None, ces_direction: str | None,
           output: str | None, issues: str | None, encoding: str | None, sheet: str | None, engine: str,
           scheduler: str | None, force: bool, quiet: bool) -> None:
    """NPS, CSAT and CES of FILE with 95% intervals (overall, and per segment with --by).

    Invalid answers (out of range, not a number, unknown CES label) are left out and counted
    in a warning; --issues FILE writes every row with a score_issue column that names them.
    The scale column says what each value means: CES is always reported as ease (higher =
    easier; numeric answers where low means easy are reversed).

    \b
    Examples:
      cxtext scores survey.csv --nps nps
      cxtext scores survey.csv --nps nps --csat csat --ces ces --by channel -o scores.csv
      cxtext scores survey.csv --ces effort --ces-scale 7 --ces-direction higher_is_easier
      cxtext scores export.csv --sep ";" --header-row 3 --nps nps --issues bad_scores.xlsx
      cxtext scores tagged/ --nps score --engine dask --scheduler tcp://HOST:8786 -o s.csv
    """
    from ..drivers import read_tagged
    from ..io import check_output_path, check_table_output, write_table
    from ..scores import score_table, specs_of, validate_scores

    check_table_output(output, force)
    if issues:
        check_output_path(issues, force)
    specs = specs_of(nps_col, csat_col, ces_col, nps_scale=nps_scale, csat_scale=csat_scale,
                     csat_top_box=csat_top_box, ces_scale=ces_scale, ces_direction=ces_direction)
    if engine == "dask":
        if issues:
            raise click.UsageError("--issues writes every row, which --engine dask does not bring back; "
                                   "run without --engine dask (or write the tagged parts with cxtext tag)")
        from .. import dask as cxdask

        with warnings_shown_unless(quiet), cxdask.client(scheduler):
            result = cxdask.scores(cxdask.read_table(file), by=by, spec=specs)
    else:
        if scheduler:
            raise click.UsageError("--scheduler needs --engine dask")
        table = read_tagged(file, encoding=encoding, sheet=sheet)
        with warnings_shown_unless(quiet):
            result = score_table(table, by=by, spec=specs)
    if issues:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the same counts were just shown
            checked = validate_scores(table, spec=specs)
        write_table(checked, issues, force=force)
        if not quiet:
            bad = int(checked["score_issue"].ne("").sum())
            click.echo(f"Wrote {len(checked):,} rows ({bad:,} with a score issue) to {issues}", err=True)
    if output:
        write_table(result, output, force=force)
    if not quiet or not output:
        shown = ["segment", "metric", "n", "value", "ci_low", "ci_high", "scale"]
        print_table(result[shown])
