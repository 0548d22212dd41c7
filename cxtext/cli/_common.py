"""Helpers shared by the click commands: error translation and common option groups."""
from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import CxtextError, CxtextWarning

__all__ = ["library_call", "UsageError", "force_option", "quiet_option"]

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
