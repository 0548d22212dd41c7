"""The ``cxtext`` command line: a lazy click group, one module per command.

Each command module parses options, makes one library call and turns
:class:`cxtext.errors.CxtextError` into a one-line message with exit code 2
(see :mod:`cxtext.cli._common`). Commands are imported only when used, so
``cxtext --help`` stays fast and the fast path never imports heavy libraries.
"""
from __future__ import annotations

import importlib

import click

from .. import __version__

__all__ = ["main"]

#: command name -> "module:attribute" of its click command
COMMANDS: dict[str, str] = {
    "tag": "cxtext.cli.tag:tag",
    "codebook": "cxtext.cli.codebook:codebook",
    "train": "cxtext.cli.train:train",
    "summarize": "cxtext.cli.summarize:summarize",
    "agree": "cxtext.cli.agree:agree",
    "export": "cxtext.cli.export:export",
    "scores": "cxtext.cli.scores:scores",
    "drivers": "cxtext.cli.drivers:drivers",
    "report": "cxtext.cli.report:report",
    "redact": "cxtext.cli.redact:redact",
    "import": "cxtext.cli.import_:import_",
    "themes": "cxtext.cli.themes:themes",
}


#: command name -> the first line of its help, shown by ``cxtext --help`` without importing the
#: command (tests/test_cli_tag.py checks they match the commands' own help)
SHORT_HELP: dict[str, str] = {
    "agree": "Agreement between two coders on the same...",
    "codebook": "Show, check and export topic codebooks...",
    "drivers": "Drivers of a score in a TAGGED file...",
    "export": "Export coded data for qualitative-analysis...",
    "import": "Import coding done in NVivo, ATLAS.ti,...",
    "redact": "Replace personal data by [EMAIL], [PHONE],...",
    "report": "Write an HTML report of the score and its...",
    "scores": "NPS, CSAT and CES of FILE with 95%...",
    "summarize": "Summarise tagged turns per speaker or...",
    "themes": "Discover themes below the six CX topics,...",
    "tag": "Tag comments with language, sentiment,...",
    "train": "Train models from your own labelled comments.",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SHORT_HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, _, attr = COMMANDS[cmd_name].partition(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cxtext")
def main() -> None:
    """Customer-experience text analytics, offline, in es/it/pt/en.

    \b
    Examples:
      cxtext tag comments.csv --text comment -o tagged.csv
      cxtext scores tagged.csv --nps nps --by channel
      cxtext drivers tagged.csv --score nps --metric nps -o drivers.csv
      cxtext report tagged.csv --score nps -o report.html
      cxtext themes discover comments.csv --text comment -o themed.csv --codebook-out themes.yaml
    """
