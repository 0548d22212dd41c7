"""``cxtext drivers``: which topics (and feelings about them) move the score."""
from __future__ import annotations

from pathlib import Path

import click

from ._common import (
    UsageError,
    force_option,
    library_call,
    print_table,
    quiet_option,
    warnings_shown_unless,
    write_frame,
)

__all__ = ["drivers"]


@click.command()
@click.argument("tagged", metavar="TAGGED")
@click.option("--score", required=True, metavar="COLUMN", help="Score column.")
@click.option("--metric", default="nps", show_default=True, type=click.Choice(["nps", "csat", "ces"]))
@click.option("--by", metavar="COLUMN", help="Also analyse each value of this column.")
@click.option("--drivers", "kind", default="topics", show_default=True, type=click.Choice(["topics", "themes"]),
              help="Drivers: CX topics (and subtopics), or themes from 'cxtext themes discover' (theme, theme:sentiment).")
@click.option("--scale", metavar="N|LOW-HIGH", help="Answer scale: 1-10 for NPS, 7 for CSAT, numeric CES scale.")
@click.option("--ces-direction", type=click.Choice(["higher_is_easier", "lower_is_easier"]), help="Numeric CES only.")
@click.option("--model", default="ols", show_default=True, type=click.Choice(["ols", "logistic"]),
              help="Key-driver model: OLS on the score, or logistic (promoter vs detractor; top box).")
@click.option("--n-boot", default=2000, show_default=True, type=click.IntRange(0), help="Bootstrap resamples.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--min-n", default=30, show_default=True, type=click.IntRange(1), help="Flag drivers with fewer mentions.")
@click.option("--all-columns", is_flag=True, help="Print every column, not just the main ones.")
@click.option("-o", "--output", metavar="FILE", help="Write the table (.csv, .tsv or .json).")
@force_option
@quiet_option
@library_call
def drivers(tagged: str, score: str, metric: str, by: str | None, kind: str, scale: str | None,
            ces_direction: str | None, model: str, n_boot: int, seed: int, min_n: int, all_columns: bool, output: str | None,
            force: bool, quiet: bool) -> None:
    """Drivers of a score in a TAGGED file (output of `cxtext tag`), sorted by impact.

    impact = metric of all comments - metric without the comments that mention the driver
    (95% bootstrap interval); weight = share of the score's explained variance (Shapley /
    relative weights, summing to R²); flags: small_n, ci_crosses_zero, collinear(...).

    \b
    Examples:
      cxtext drivers tagged.csv --score nps --metric nps
      cxtext drivers tagged.csv --score csat --metric csat --by channel -o drivers.csv
      cxtext drivers tagged.csv --score nps --model logistic -o drivers.json
      cxtext drivers themed.csv --score nps --drivers themes -o theme_drivers.csv
    """
    from ..drivers import driver_table, read_tagged

    if output and Path(output).suffix.lower() not in (".csv", ".tsv", ".json"):
        raise UsageError(f"cannot write {output!r}: use a .csv, .tsv or .json output file")
    table = read_tagged(tagged)
    with warnings_shown_unless(quiet):
        result = driver_table(table, score, metric, by, scale=scale, direction=ces_direction, model=model,
                              n_boot=n_boot, seed=seed, min_n=min_n, drivers=kind)
    if output:
        write_frame(result, output, force)
    if not quiet or not output:
        main = ["driver", "n", "share", "impact", "ci_low", "ci_high", "weight", "flags"]
        shown = result if all_columns else result[(["segment"] if by else []) + main]
        print_table(shown)
