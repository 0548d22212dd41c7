"""``cxtext import``: coded projects from qualitative-analysis tools back into a table."""
from __future__ import annotations

import click

from ._common import force_option, library_call, quiet_option

__all__ = ["import_"]


@click.group("import")
def import_() -> None:
    """Import coding done in NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA .qdpx).

    \b
    Example:
      cxtext import qdpx project.qdpx -o coded.csv
    """


@import_.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, metavar="FILE", help="Table to write (.csv .tsv .xlsx .parquet .jsonl).")
@click.option("--unit", default="paragraph", show_default=True, type=click.Choice(["paragraph", "selection"]),
              help="One row per paragraph (turn/comment) with the codes touching it, or per coded selection.")
@force_option
@quiet_option
@library_call
def qdpx(project: str, output: str, unit: str, force: bool, quiet: bool) -> None:
    """Read a coded REFI-QDA project into a table: segments and their codes (per coder too).

    Codes are paths (process/delivery); a coder's codes are also in codes_<user> when several
    users coded, ready for `cxtext agree`; `cxtext train topics` learns from the codes column.

    \b
    Examples:
      cxtext import qdpx project.qdpx -o coded.csv
      cxtext agree coded.csv --a codes_ana --b codes_rui
      cxtext train topics coded.csv --text text --labels codes -o my-model/
      cxtext import qdpx project.qdpx --unit selection -o selections.csv
    """
    from ..io import check_output_path, write_table
    from ..topics.qdpx_read import read_qdpx

    check_output_path(output, force)
    frame = read_qdpx(project, unit=unit)
    list_columns = [c for c in frame.columns if c == "codes" or c.startswith("codes_") or c == "users"]
    write_table(frame, output, force=force, list_columns=list_columns)
    if not quiet:
        coded = int(frame["codes"].map(len).gt(0).sum()) if "codes" in frame else 0
        click.echo(f"Wrote {len(frame)} {unit}(s), {coded} coded, to {output}", err=True)
