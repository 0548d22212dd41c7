"""``cxtext report``: one self-contained HTML page about a score and its drivers."""
from __future__ import annotations

from pathlib import Path

import click

from ._common import force_option, input_file_options, library_call, quiet_option, read_options, warnings_shown_unless

__all__ = ["report"]


@click.command()
@click.argument("tagged", metavar="TAGGED")
@click.option("--score", required=True, metavar="COLUMN", help="Score column.")
@click.option("--metric", default=None, type=click.Choice(["nps", "csat", "ces"]),
              help="Metric of the score (default: nps, or the score column's name when it is csat/ces).")
@click.option("-o", "--output", required=True, metavar="FILE.html", help="The HTML file to write.")
@click.option("--by", metavar="COLUMN",
              help="Segment column for the 'metric by segment' chart (default: a segment/journey/channel column, "
                   "else language).")
@click.option("--title", metavar="TEXT", help="Page title.")
@click.option("--text", metavar="COLUMN", help="Comment column for the verbatims (default: comment/text/...).")
@click.option("--scale", metavar="N|LOW-HIGH", help="Answer scale (1-10 for NPS, 7 for CSAT, numeric CES).")
@click.option("--ces-direction", type=click.Choice(["higher_is_easier", "lower_is_easier"]), help="Numeric CES only.")
@click.option("--n-boot", default=2000, show_default=True, type=click.IntRange(0), help="Bootstrap resamples.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--min-n", default=30, show_default=True, type=click.IntRange(1),
              help="Leave drivers with fewer mentions out of the charts (the table lists them, flagged).")
@click.option("--show-small", is_flag=True, help="Chart the drivers below --min-n too (greyed).")
@click.option("--date", metavar="COLUMN", help="Date column: add the metric and its top drivers per month or quarter.")
@click.option("--period", default="auto", show_default=True, type=click.Choice(["auto", "month", "quarter"]),
              help="Period of the --date trend (auto: months when there are few enough, else quarters).")
@input_file_options
@read_options
@force_option
@quiet_option
@library_call
def report(tagged: str, score: str, metric: str | None, output: str, by: str | None, title: str | None,
           text: str | None, scale: str | None, ces_direction: str | None, n_boot: int, seed: int, min_n: int,
           show_small: bool, date: str | None, period: str, encoding: str | None, sheet: str | None, force: bool,
           quiet: bool) -> None:
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
    from ..drivers import read_tagged
    from ..io import check_output_path
    from ..report import write_report

    check_output_path(output, force)
    if metric is None:
        metric = score.lower() if score.lower() in ("csat", "ces") else "nps"
    table = read_tagged(tagged, encoding=encoding, sheet=sheet)
    with warnings_shown_unless(quiet):
        write_report(table, output, score, metric, force=force, by=by, title=title, text=text, scale=scale,
                     direction=ces_direction, n_boot=n_boot, seed=seed, min_n=min_n, show_small=show_small,
                     date=date, period=period, source=Path(tagged).name)
    if not quiet:
        click.echo(f"Wrote {output}", err=True)
