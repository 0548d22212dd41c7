"""The README's promises hold: two set-up commands, CI runs the same test command, commands exist."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from cxtext.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", section, re.S)


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    commands = _quick_start_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert "cxtext tag" in commands[0] and "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert commands[0] in ci and commands[1] in ci
    # the quick start runs as a user runs it: nothing upgraded or installed before it
    before = "\n".join(ci[:ci.index(commands[0])])
    assert "pip install" not in before


def test_quick_start_example_file_exists():
    path = re.search(r"cxtext tag (\S+)", _quick_start_commands()[0]).group(1)
    assert (ROOT / path).is_file()


def test_every_command_in_the_readme_exists_and_has_an_example_in_help():
    blocks = "\n".join(re.findall(r"```bash\n(.*?)```", README, re.S))
    used = set(re.findall(r"(?:^|&& )cxtext (\w+)", blocks, re.M))
    assert used <= set(COMMANDS)
    for name in COMMANDS:
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "cxtext " in result.output.split("Options")[0], f"'cxtext {name} --help' lacks an example"
