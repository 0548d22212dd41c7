"""Codebook regexes cannot hang a run: catastrophic shapes are refused, the rest is time-bound."""
from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from cxtext.cli import main
from cxtext.errors import CodebookError, CxtextWarning
from cxtext.topics import load_codebook, validate_codebook
from cxtext.topics import _regex

_CODEBOOK = """name: mine
column: topics
topics:
  price:
    terms: {en: [price]}
    regex: {any: ['{pattern}']}
"""


def _write(tmp_path, pattern):
    path = tmp_path / "mine.yaml"
    path.write_text(_CODEBOOK.replace("{pattern}", pattern), encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s?)*x", r"(?:(?:ab)*c?)+d", r"((x|y+)z?)+$"])
def test_catastrophic_patterns_are_refused_with_their_line(tmp_path, pattern):
    path = _write(tmp_path, pattern)
    problems = validate_codebook(path)
    assert len(problems) == 1 and problems[0].line == 6
    assert "exponential time" in str(problems[0])
    with pytest.raises(CodebookError, match="exponential time"):
        load_codebook(path)


@pytest.mark.parametrize("pattern", [r"\d+(?:[.,]\d+)?\s?€", r"(\w+\s)+precio", r"(?>a+)+b", r"a++b", r"\p{Lu}{3}\d+"])
def test_safe_patterns_load(tmp_path, pattern):
    assert validate_codebook(_write(tmp_path, pattern)) == []


def test_codebook_check_warns_and_tag_refuses_before_running(tmp_path):
    path = _write(tmp_path, r"(a+)+$")
    runner = CliRunner()
    checked = runner.invoke(main, ["codebook", "check", str(path)])
    assert checked.exit_code == 2 and "exponential time" in checked.output and "OK" not in checked.output
    (tmp_path / "in.csv").write_text("comment\n" + "a" * 5000 + "!\n", encoding="utf-8")
    started = time.perf_counter()
    tagged = runner.invoke(main, ["tag", str(tmp_path / "in.csv"), "--codebook", str(path), "-o",
                                  str(tmp_path / "out.csv")])
    assert tagged.exit_code == 2 and "exponential time" in tagged.output and "Traceback" not in tagged.output
    assert time.perf_counter() - started < 60
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "mine.yaml"]


def test_a_slow_pattern_the_check_misses_is_switched_off(tmp_path, monkeypatch):
    monkeypatch.setattr(_regex, "REGEX_TIMEOUT", 0.05)
    path = _write(tmp_path, r"(a|aa)+$")  # overlapping alternatives: not caught statically
    assert validate_codebook(path) == []
    detector = load_codebook(path).detector()
    started = time.perf_counter()
    with pytest.warns(CxtextWarning, match="switched off for the rest of this run"):
        found = detector.detect(["a" * 40 + "!", "a" * 40 + "!", "the price"], ["en"] * 3)
    assert time.perf_counter() - started < 5
    assert [[m.topic for m in row] for row in found] == [[], [], ["price"]]
