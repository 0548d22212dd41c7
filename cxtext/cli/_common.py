"""Helpers shared by the click commands: error translation and common option groups."""
from __future__ import annotations

import contextlib
import functools
import signal
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import CxtextError, CxtextNotice, CxtextWarning, cli_spelling

__all__ = [
    "library_call",
    "UsageError",
    "force_option",
    "quiet_option",
    "read_options",
    "table_io_options",
    "input_file_options",
    "dask_engine_options",
    "speaker_options",
    "warnings_shown_unless",
    "print_table",
    "check_frame_output",
    "write_frame",
]

F = TypeVar("F", bound=Callable[..., Any])


class UsageError(click.ClickException):
    """A one-line error with exit code 2 (bad input or options), no traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True, file=file)


def library_call(func: F) -> F:
    """Decorate a click callback so library errors become one-line messages (exit code 2).

    Messages name command-line options (``--force``), never Python arguments; operating-system
    errors (permissions, full disks) are one line too; Ctrl-C, SIGTERM and SIGHUP leave no
    partial output and exit with 128 + the signal number.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..io._signals import Stopped, stop_on_signals  # lazy: cxtext --help imports no pandas

        try:
            with warnings.catch_warnings(), cli_spelling(), stop_on_signals():
                warnings.simplefilter("default", CxtextWarning)
                warnings.showwarning = _show_warning
                return func(*args, **kwargs)
        except CxtextError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:  # anything the library did not name more precisely
            where = f" {exc.filename!r}" if exc.filename else ""
            raise UsageError(f"cannot access{where}: {exc.strerror or exc}") from None
        except Stopped as exc:
            click.echo(f"Stopped by {signal.Signals(exc.signum).name}; no output was written.", err=True)
            sys.exit(128 + exc.signum)
        except KeyboardInterrupt:
            click.echo("Interrupted; no output was written.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


_original_showwarning = warnings.showwarning


def _warning_line(message: Warning | str, category: type[Warning]) -> str:
    return f"{'Note' if issubclass(category, CxtextNotice) else 'Warning'}: {message}"


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    if issubclass(category, CxtextWarning):
        click.echo(_warning_line(message, category), err=True)
    else:
        _original_showwarning(message, category, *args, **kwargs)


def _sep_value(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from ..errors import ConfigError
    from ..io._options import parse_sep

    try:
        return parse_sep(value)
    except ConfigError as exc:
        raise click.BadParameter(str(exc)) from None


def _with_io_options(func: F, names: tuple[str, ...]) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..io import io_options

        chosen = {name: kwargs.pop(name) for name in names}
        if "formula_escape" in chosen:
            chosen["formula_escape"] = not chosen.pop("formula_escape")
        with io_options(**{k: v for k, v in chosen.items() if v is not None}):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


_SEP = click.option(
    "--sep", "sep", metavar="CHAR", callback=_sep_value,
    help="CSV/TSV field separator: , ; tab | or another character (default: detected, and said when not ',').",
)
_HEADER_ROW = click.option(
    "--header-row", "header_row", type=click.IntRange(1), metavar="N",
    help="Row (line) holding the column names in CSV/TSV/XLSX, when title rows come first [default: 1].",
)
_NO_FORMULA_ESCAPE = click.option(
    "--no-formula-escape", "formula_escape", is_flag=True,
    help="Write text starting with = + - @ as is (by default CSV/TSV cells get a leading ' and XLSX stores "
         "them as text, so a spreadsheet never runs a comment as a formula).",
)


def read_options(func: F) -> F:
    """``--sep`` and ``--header-row`` for every table the command reads."""
    return _SEP(_HEADER_ROW(_with_io_options(func, ("sep", "header_row"))))


def table_io_options(func: F) -> F:
    """:func:`read_options` plus ``--no-formula-escape`` for the tables it writes."""
    return _SEP(_HEADER_ROW(_NO_FORMULA_ESCAPE(_with_io_options(func, ("sep", "header_row", "formula_escape")))))


def input_file_options(func: F) -> F:
    """``--encoding`` and ``--sheet`` passed to the command as ``encoding`` and ``sheet``."""
    encoding = click.option("--encoding", metavar="NAME",
                            help="Encoding of a CSV/TSV/JSONL input (default: detected: UTF-8, else cp1252/latin-1).")
    sheet = click.option("--sheet", metavar="NAME", help="Sheet of an .xlsx input (default: the first).")
    return encoding(sheet(func))


def dask_engine_options(func: F) -> F:
    """``--engine local|dask`` and ``--scheduler`` for commands that read a tagged folder or glob."""
    engine = click.option("--engine", default="local", show_default=True, type=click.Choice(["local", "dask"]),
                          help="dask: FILE is a folder or glob of parts, reduced on a Dask cluster "
                               "(needs cxtext[dask]).")
    scheduler = click.option("--scheduler", metavar="ADDRESS",
                             help="[dask] scheduler address, e.g. tcp://HOST:8786 (default: a local cluster).")
    return engine(scheduler(func))


force_option = click.option(
    "--force", is_flag=True, help="Overwrite the output file if it exists."
)
quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="No progress bar or summary on stderr."
)


def speaker_options(func: F) -> F:
    """``--exclude-speaker`` (repeatable) and ``--speakers FILE`` of commands that read transcripts."""
    func = click.option("--speakers", metavar="FILE",
                        help="[transcripts] CSV mapping speaker to role/participant id/demographics.")(func)
    return click.option("--exclude-speaker", "exclude_speakers", multiple=True, metavar="NAME",
                        help="[transcripts] drop turns of this speaker (case-insensitive, regex allowed); "
                             "repeatable.")(func)


@contextlib.contextmanager
def warnings_shown_unless(quiet: bool) -> Iterator[None]:
    """Show every warning of the block as a ``Warning:`` line on stderr, or none with ``--quiet``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if not quiet:
        for item in caught:
            click.echo(_warning_line(item.message, item.category), err=True)


def print_table(frame, digits: int = 2) -> None:  # noqa: ANN001 - pandas DataFrame
    """Print a DataFrame as an aligned text table."""
    click.echo(frame.to_string(index=False, float_format=lambda v: f"{v:.{digits}f}"))


FRAME_SUFFIXES = (".csv", ".tsv", ".json")


def check_frame_output(output: str | None, force: bool) -> None:
    """Before any work: ``output`` has a .csv/.tsv/.json name and can be written."""
    from ..errors import UnsupportedFormatError
    from ..io import check_output_path

    if output is None:
        return
    if Path(output).suffix.lower() not in FRAME_SUFFIXES:
        raise UnsupportedFormatError(output, FRAME_SUFFIXES, role="output")
    check_output_path(output, force)


def write_frame(frame, output: str, force: bool) -> None:  # noqa: ANN001 - pandas DataFrame
    """Write ``frame`` atomically as CSV, TSV (formulas neutralised) or JSON (records), chosen by extension."""
    from ..io import atomic_output, open_writer

    check_frame_output(output, force)
    if Path(output).suffix.lower() == ".json":
        with atomic_output(output, force) as tmp:
            frame.to_json(tmp, orient="records", force_ascii=False, indent=1)
        return
    with open_writer(output, force=force) as writer:
        writer.write(frame)
