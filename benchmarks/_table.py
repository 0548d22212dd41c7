"""The one results table of the benchmarks: a Markdown row per (section, system), a column per
language and ``all``."""
from __future__ import annotations

from cxtext.schema import LANGUAGES

#: section, system, {language or "all": formatted value}, note
Row = tuple[str, str, dict[str, str], str]


def print_table(rows: list[Row], first: str = "section") -> None:
    """Print ``rows`` as a Markdown table whose first column is headed ``first``."""
    cols = [*LANGUAGES, "all"]
    print(f"| {first} | system | " + " | ".join(cols) + " | note |")
    print("|---|---|" + "---|" * len(cols) + "---|")
    for section, system, cells, note in rows:
        print(f"| {section} | {system} | " + " | ".join(cells.get(c, "") for c in cols) + f" | {note} |")
