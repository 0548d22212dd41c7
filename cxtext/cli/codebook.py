"""``cxtext codebook show|check|export``: inspect, validate and export codebooks."""
from __future__ import annotations

import click

from ._common import UsageError, force_option, library_call

__all__ = ["codebook"]


@click.group()
def codebook() -> None:
    """Show, check and export topic codebooks (built-in: default, journey, channel).

    \b
    Examples:
      cxtext codebook show default --lang es
      cxtext codebook check mine.yaml
      cxtext codebook export mine.yaml -o mine.qdc
    """


@codebook.command("show")
@click.argument("spec")
@click.option("--lang", default="en", show_default=True, help="Language of the definitions and terms shown.")
@click.option("--max-terms", default=25, show_default=True, help="Terms shown per topic (0 = all).")
@library_call
def show(spec: str, lang: str, max_terms: int) -> None:
    """Print the topics of a codebook (built-in name or YAML file) with definitions and terms.

    \b
    Example:
      cxtext codebook show journey --lang it
    """
    from ..topics import load_codebook

    click.echo(load_codebook(spec).describe(lang, max_terms))


@codebook.command("check")
@click.argument("spec")
@library_call
def check(spec: str) -> None:
    """Validate a codebook; list every problem with its line (exit code 2 if any).

    \b
    Example:
      cxtext codebook check mine.yaml
    """
    from ..topics import load_codebook, validate_codebook

    problems = validate_codebook(spec)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise UsageError(f"{len(problems)} problem(s) in {spec!r}")
    cb = load_codebook(spec)
    click.echo(f"OK: {spec} is a valid codebook ({len(cb.topics)} topics -> column '{cb.column}')")


@codebook.command("export")
@click.argument("spec")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Output file: .csv (one row per topic and language) or .qdc (REFI-QDA codebook).")
@force_option
@library_call
def export(spec: str, output: str, force: bool) -> None:
    """Export a codebook to CSV or to the REFI-QDA codebook format (NVivo, ATLAS.ti, MAXQDA).

    \b
    Examples:
      cxtext codebook export default -o cx-topics.qdc
      cxtext codebook export mine.yaml -o mine.csv --force
    """
    from ..topics import load_codebook
    from ..topics.export import export_codebook

    cb = load_codebook(spec)
    path = export_codebook(cb, output, force=force)
    click.echo(f"wrote {path} ({len(cb.topics)} topics)", err=True)
