"""``cxtext agree``: inter-coder agreement (Cohen's kappa per code, Krippendorff's alpha)."""
from __future__ import annotations

import click

from ._common import force_option, library_call, quiet_option

__all__ = ["agree"]


@click.command()
@click.argument("coded", type=click.Path(dir_okay=False))
@click.option("--a", "coder_a", required=True, help="Column of the first coder (e.g. coder1).")
@click.option("--b", "coder_b", required=True, help="Column of the second coder (e.g. topics from cxtext tag).")
@click.option("--uncoded", type=click.Choice(["absent", "skip"]), default="absent", show_default=True,
              help="An empty cell means 'no code applies' (absent) or 'not coded, leave the segment out' (skip).")
@click.option("--code", "codes", multiple=True, help="Only this code (repeat for several). Default: every code used.")
@click.option("--case-sensitive", is_flag=True, help="Treat 'Price' and 'price' as different codes.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the per-code table here.")
@force_option
@quiet_option
@library_call
def agree(coded: str, coder_a: str, coder_b: str, uncoded: str, codes: tuple[str, ...],
          case_sensitive: bool, output: str | None, force: bool, quiet: bool) -> None:
    """Agreement between two coders on the same segments, code by code.

    Cells hold one or more codes joined with ';'. Each code is a yes/no decision per
    segment: Cohen's kappa and confusion counts per code, Krippendorff's alpha overall.

    \b
    Examples:
      cxtext agree coded.csv --a coder1 --b coder2
      cxtext agree coded.csv --a coder1 --b topics -o agreement.csv
      cxtext agree coded.csv --a coder1 --b coder2 --uncoded skip --code price --code people
    """
    from ..agreement import agreement
    from ..io import check_output_path, read_table, write_table

    if output:
        check_output_path(output, force)
    result = agreement(read_table(coded), coder_a, coder_b, uncoded=uncoded,
                       codes=list(codes) or None, case_sensitive=case_sensitive)
    if output:
        write_table(result.table, output, force=force)
    if not quiet or not output:
        click.echo(result.to_text())
