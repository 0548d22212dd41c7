"""Helpers shared by the click commands: error translation and common option groups."""
from __future__ import annotations

import contextlib
import functools
import signal
import sys
import warnings
from collections.abc import Callable, Iterator
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
    "score_spec_options",
    "bootstrap_options",
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


def score_spec_options(metric_default: str | None = "nps", metric_help: str | None = None) -> Callable[[F], F]:
    """``--score``, ``--metric``, ``--scale`` and ``--ces-direction``, passed as one ``spec``.

    The command gets a :class:`cxtext.scores.ScoreSpec` (built by
    :func:`cxtext.scores.score_spec`) instead of the four options. With ``metric_default=None``
    the metric follows the score column's name (:func:`cxtext.scores.default_metric`).
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from ..scores import default_metric, score_spec

            score, metric = kwargs.pop("score"), kwargs.pop("metric")
            scale, direction = kwargs.pop("scale"), kwargs.pop("ces_direction")
            try:  # runs before the command's own library_call: the same one-line error
                with cli_spelling():
                    kwargs["spec"] = score_spec(metric or default_metric(score), score, scale=scale,
                                                direction=direction)
            except CxtextError as exc:
                raise UsageError(str(exc)) from None
            return func(*args, **kwargs)

        options = [
            click.option("--score", required=True, metavar="COLUMN", help="Score column."),
            click.option("--metric", default=metric_default, show_default=metric_default is not None,
                         type=click.Choice(["nps", "csat", "ces"]), help=metric_help),
            click.option("--scale", metavar="N|LOW-HIGH",
                         help="Answer scale: 1-10 for NPS, 7 for CSAT, numeric CES scale."),
            click.option("--ces-direction", type=click.Choice(["higher_is_easier", "lower_is_easier"]),
                         help="Numeric CES only."),
        ]
        decorated: Any = wrapper
        for add in reversed(options):
            decorated = add(decorated)
        return decorated  # type: ignore[no-any-return]

    return decorate


def bootstrap_options(min_n_help: str) -> Callable[[F], F]:
    """``--n-boot``, ``--seed`` and ``--min-n`` of the commands that bootstrap driver impacts."""

    def decorate(func: F) -> F:
        func = click.option("--min-n", default=30, show_default=True, type=click.IntRange(1), help=min_n_help)(func)
        func = click.option("--seed", default=0, show_default=True, type=int)(func)
        return click.option("--n-boot", default=2000, show_default=True, type=click.IntRange(0),
                            help="Bootstrap resamples.")(func)

    return decorate
