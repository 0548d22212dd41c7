"""``cxtext summarize``: per-speaker (or per-file) summaries and representative quotes."""
from __future__ import annotations

import click

from ._common import force_option, library_call, quiet_option

__all__ = ["summarize"]


@click.command()
@click.argument("tagged", type=click.Path(dir_okay=False))
@click.option("--by", default="speaker", show_default=True,
              help="Group by this column: speaker, file, or a role column such as participant_id.")
@click.option("--text", "text_column", default="text", show_default=True, help="The text column.")
@click.option("--quotes-per-topic", "-n", default=3, show_default=True, type=click.IntRange(min=0),
              help="Representative quotes to keep per topic.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the per-group table here (.csv, .xlsx, ...).")
@click.option("--quotes", "quotes_path", type=click.Path(dir_okay=False), help="Write the quotes table here.")
@click.option("--topics", "topics_path", type=click.Path(dir_okay=False), help="Write the group x topic table here.")
@force_option
@quiet_option
@library_call
def summarize(tagged: str, by: str, text_column: str, quotes_per_topic: int, output: str | None,
              quotes_path: str | None, topics_path: str | None, force: bool, quiet: bool) -> None:
    """Summarise tagged turns per speaker or file: turns, words, topics, sentiment, emotions, quotes.

    TAGGED is the output of `cxtext tag` (CSV, TSV, XLSX, Parquet or JSONL).

    \b
    Examples:
      cxtext tag interviews/ -o turns.csv
      cxtext summarize turns.csv --by speaker
      cxtext summarize turns.csv --by file -o by_file.csv --quotes quotes.csv
      cxtext summarize turns.csv --by participant_id -n 5
    """
    from ..io import check_output_path, read_table, write_table
    from ..summarize import summarize as run

    for path in (output, quotes_path, topics_path):
        if path:
            check_output_path(path, force)
    result = run(read_table(tagged), by=by, quotes_per_topic=quotes_per_topic, text=text_column)
    for path, frame in ((output, result.table), (quotes_path, result.quotes), (topics_path, result.topics)):
        if path:
            write_table(frame, path, force=force)
    if not quiet or not (output or quotes_path or topics_path):
        click.echo(result.to_text())
