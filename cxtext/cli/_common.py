"""Helpers shared by the click commands: error translation and common option groups."""
from __future__ import annotations

import contextlib
import functools
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import CxtextError, CxtextWarning

__all__ = [
    "library_call",
    "UsageError",
    "force_option",
    "quiet_option",
    "speaker_options",
    "warnings_shown_unless",
    "print_table",
    "write_frame",
]

F = TypeVar("F", bound=Callable[..., Any])


class UsageError(click.ClickException):
    """A one-line error with exit code 2 (bad input or options), no traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True, file=file)


def library_call(func: F) -> F:
    """Decorate a click callback so library errors become one-line messages (exit code 2)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default", CxtextWarning)
                warnings.showwarning = _show_warning
                return func(*args, **kwargs)
        except CxtextError as exc:
            raise UsageError(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted; no output was written.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


_original_showwarning = warnings.showwarning


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    if issubclass(category, CxtextWarning):
        click.echo(f"Warning: {message}", err=True)
    else:
        _original_showwarning(message, category, *args, **kwargs)


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
            click.echo(f"Warning: {item.message}", err=True)


def print_table(frame, digits: int = 2) -> None:  # noqa: ANN001 - pandas DataFrame
    """Print a DataFrame as an aligned text table."""
    click.echo(frame.to_string(index=False, float_format=lambda v: f"{v:.{digits}f}"))


def write_frame(frame, output: str, force: bool) -> None:  # noqa: ANN001 - pandas DataFrame
    """Write ``frame`` atomically as CSV, TSV or JSON (records), chosen by extension."""
    from ..errors import UnsupportedFormatError
    from ..io import atomic_output

    suffix = Path(output).suffix.lower()
    if suffix not in (".csv", ".tsv", ".json"):
        raise UnsupportedFormatError(output, (".csv", ".tsv", ".json"), role="output")
    with atomic_output(output, force) as tmp:
        if suffix == ".json":
            frame.to_json(tmp, orient="records", force_ascii=False, indent=1)
        else:
            frame.to_csv(tmp, index=False, sep="\t" if suffix == ".tsv" else ",")
