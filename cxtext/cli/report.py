"""``cxtext report``: one self-contained HTML page about a score and its drivers."""
from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ._common import (
    bootstrap_options,
    force_option,
    input_file_options,
    library_call,
    quiet_option,
    read_options,
    score_spec_options,
    warnings_shown_unless,
)

if TYPE_CHECKING:
    from ..scores import ScoreSpec

__all__ = ["report"]


@click.command()
@click.argument("tagged", metavar="TAGGED")
@score_spec_options(metric_default=None,
                    metric_help="Metric of the score (default: nps, or the score column's name when it is csat/ces).")
@click.option("-o", "--output", required=True, metavar="FILE.html", help="The HTML file to write.")
@click.option("--by", metavar="COLUMN",
              help="Segment column for the 'metric by segment' chart (default: a segment/journey/channel column, "
                   "else language).")
@click.option("--title", metavar="TEXT", help="Page title.")
@click.option("--text", metavar="COLUMN", help="Comment column for the verbatims (default: comment/text/...).")
@bootstrap_options("Leave drivers with fewer mentions out of the charts (the table lists them, flagged).")
@click.option("--show-small", is_flag=True, help="Chart the drivers below --min-n too (greyed).")
@click.option("--date", metavar="COLUMN", help="Date column: add the metric and its top drivers per month or quarter.")
@click.option("--period", default="auto", show_default=True, type=click.Choice(["auto", "month", "quarter"]),
              help="Period of the --date trend (auto: months when there are few enough, else quarters).")
@input_file_options
@read_options
@force_option
@quiet_option
@library_call
def report(tagged: str, spec: ScoreSpec, output: str, by: str | None, title: str | None, text: str | None,
           n_boot: int, seed: int, min_n: int, show_small: bool, date: str | None, period: str,
           encoding: str | None, sheet: str | None, force: bool, quiet: bool) -> None:
    """Write an HTML report of the score and its drivers from a TAGGED file.

    One file, viewable offline and on a phone: headline metric with its interval, driver
    impacts with error bars, importance vs performance, topic x sentiment heatmap, metric by
    segment, the trend over time (--date) and representative verbatims with the evidence
    highlighted.

    \b
    Examples:
      cxtext tag comments.csv --text comment -o tagged.csv
      cxtext report tagged.csv --score nps -o report.html
      cxtext report tagged.csv --score csat --metric csat --by channel --title "Q3 CSAT" -o q3.html
      cxtext report tagged.csv --score nps --date answered_at --period quarter -o trend.html
    """
    from ..report import report_file

    with warnings_shown_unless(quiet):
        report_file(tagged, output, spec, force=force, encoding=encoding, sheet=sheet, by=by, title=title,
                    text=text, n_boot=n_boot, seed=seed, min_n=min_n, show_small=show_small, date=date,
                    period=period)
    if not quiet:
        click.echo(f"Wrote {output}", err=True)
