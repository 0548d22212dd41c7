"""``cxtext drivers``: which topics (and feelings about them) move the score."""
from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ._common import (
    bootstrap_options,
    dask_engine_options,
    force_option,
    input_file_options,
    library_call,
    print_table,
    quiet_option,
    score_spec_options,
    table_io_options,
    warnings_shown_unless,
)

if TYPE_CHECKING:
    from ..scores import ScoreSpec

__all__ = ["drivers"]


@click.command()
@click.argument("tagged", metavar="TAGGED")
@score_spec_options()
@click.option("--by", metavar="COLUMN", help="Also analyse each value of this column.")
@click.option("--drivers", "kind", default="topics", show_default=True, type=click.Choice(["topics", "themes"]),
              help="Drivers: CX topics (and subtopics), or themes from 'cxtext themes discover' (theme, theme:sentiment).")
@click.option("--model", default="ols", show_default=True, type=click.Choice(["ols", "logistic"]),
              help="Key-driver model: OLS on the score, or logistic (promoter vs detractor; top box).")
@bootstrap_options("Flag drivers with fewer mentions, and leave them out of the printed table.")
@click.option("--show-small", is_flag=True, help="Also print the drivers mentioned fewer than --min-n times.")
@click.option("--all-columns", is_flag=True, help="Print every column, not just the main ones.")
@click.option("-o", "--output", metavar="FILE",
              help="Write the table (.csv .tsv .xlsx .parquet .jsonl, or .json; every driver).")
@input_file_options
@table_io_options
@dask_engine_options
@force_option
@quiet_option
@library_call
def drivers(tagged: str, spec: ScoreSpec, by: str | None, kind: str,
            model: str, n_boot: int, seed: int, min_n: int, show_small: bool, all_columns: bool,
            output: str | None, encoding: str | None, sheet: str | None, engine: str, scheduler: str | None,
            force: bool, quiet: bool) -> None:
    """Drivers of a score in a TAGGED file (output of `cxtext tag`), sorted by impact.

    impact = metric of all comments - metric without the comments that mention the driver
    (95% bootstrap interval); share = % of the comments that mention it; weight = % of the
    score's variance it explains (Shapley / relative weights; a level's weights sum to R²);
    flags: small_n, ci_crosses_zero, collinear(...). With --by, a segment lists only the
    drivers its comments mention.

    \b
    Examples:
      cxtext drivers tagged.csv --score nps --metric nps
      cxtext drivers tagged.csv --score csat --metric csat --by channel -o drivers.csv
      cxtext drivers tagged.csv --score nps --model logistic -o drivers.json
      cxtext drivers tagged/ --score nps --engine dask --scheduler tcp://HOST:8786 -o drivers.csv
      cxtext drivers themed.csv --score nps --drivers themes -o theme_drivers.csv
    """
    from ..drivers import driver_table, read_tagged
    from ..io import check_table_output, write_table

    check_table_output(output, force)
    options = dict(model=model, n_boot=n_boot, seed=seed, min_n=min_n)
    if engine == "dask":
        if kind != "topics":
            raise click.UsageError("--drivers themes runs on one machine only; drop --engine dask")
        from .. import dask as cxdask

        with warnings_shown_unless(quiet), cxdask.client(scheduler):
            result = cxdask.drivers(cxdask.read_table(tagged), spec, by=by, **options).table
    else:
        if scheduler:
            raise click.UsageError("--scheduler needs --engine dask")
        table = read_tagged(tagged, encoding=encoding, sheet=sheet)
        with warnings_shown_unless(quiet):
            result = driver_table(table, spec, by=by, drivers=kind, **options).table
    if output:
        write_table(result, output, force=force)
    if not quiet or not output:
        main = ["driver", "n", "share", "impact", "ci_low", "ci_high", "weight", "flags"]
        shown = result if all_columns else result[(["segment"] if by else []) + main]
        small = shown["n"] < min_n
        if not show_small:
            shown = shown[~small]
        shown = shown.assign(share=[f"{v:.1f}%" for v in shown["share"]],
                             weight=["-" if v != v else f"{v:.1f}%" for v in shown["weight"]])
        if shown.empty:
            click.echo(f"No driver is mentioned {min_n} times or more (--min-n); --show-small prints them all.")
        else:
            print_table(shown)
        if small.any() and not show_small:
            click.echo(f"({int(small.sum())} row(s) with fewer than {min_n} mentions not shown; --show-small "
                       "prints them" + (", the -o file has them" if output else "") + ")", err=True)
