"""``cxtext themes discover``: rows and columns kept, outputs atomic, codebook round trip, errors."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from _theme_fixtures import labelled
from cxtext.cli import main
from cxtext.schema import THEME_COLUMNS

ARGS = ["--embedding", "lexical", "--min-size", "4", "--quiet"]


def _run(*args: str):
    return CliRunner().invoke(main, ["themes", "discover", *args])


@pytest.fixture
def comments(tmp_path):
    texts, _ = labelled("en")
    frame = pd.DataFrame({"id": [f"{i:03d}" for i in range(len(texts))], "comment": texts,
                          "nps": [i % 11 for i in range(len(texts))]})
    path = tmp_path / "comments.csv"
    frame.to_csv(path, index=False)
    return path


def test_rows_and_columns_kept_in_order(comments, tmp_path):
    out = tmp_path / "themed.csv"
    result = _run(str(comments), "--text", "comment", "-o", str(out), *ARGS)
    assert result.exit_code == 0, result.output
    before = pd.read_csv(comments, dtype=str, keep_default_na=False)
    after = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(after.columns) == list(before.columns) + list(THEME_COLUMNS)
    assert after[before.columns].equals(before)  # "007"-style ids and order intact
    assert (after["theme"] != "").mean() > 0.8
    assert all(t in s.split(";") for t, s in zip(after["theme"], after["themes"]) if t)
    for cell in after["theme_evidence"]:
        json.loads(cell)


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".xlsx", ".tsv"])
def test_other_formats(comments, tmp_path, suffix):
    out = tmp_path / f"themed{suffix}"
    result = _run(str(comments), "--text", "comment", "-o", str(out), *ARGS)
    assert result.exit_code == 0, result.output
    from cxtext.io import read_table

    assert len(read_table(out)) == 24


def test_codebook_round_trip(comments, tmp_path):
    out, book, table = tmp_path / "themed.csv", tmp_path / "themes.yaml", tmp_path / "themes.csv"
    result = _run(str(comments), "--text", "comment", "-o", str(out), "--codebook-out", str(book),
                  "--themes-out", str(table), *ARGS)
    assert result.exit_code == 0, result.output
    check = CliRunner().invoke(main, ["codebook", "check", str(book)])
    assert check.exit_code == 0, check.output
    text = book.read_text(encoding="utf-8")
    assert "extends: default" in text and "examples:" in text and "names:" in text
    from cxtext.topics import load_codebook

    codebook = load_codebook(book)
    themed = pd.read_csv(out, keep_default_na=False)
    assert set(themed["theme"]) - {""} <= set(codebook.topics)
    spec = codebook.spec(themed["theme"][0])
    assert spec.names["en"] and spec.examples["en"]
    tagged = tmp_path / "tagged.csv"
    tag = CliRunner().invoke(main, ["tag", str(comments), "--text", "comment", "--codebook", str(book),
                                    "-o", str(tagged), "-q"])
    assert tag.exit_code == 0, tag.output
    topics = pd.read_csv(tagged, keep_default_na=False)["topics"]
    agree = [t in cell.split(";") for t, cell in zip(themed["theme"], topics) if t]
    assert sum(agree) / len(agree) >= 0.8  # the codebook's terms find the discovered themes again
    summary = pd.read_csv(table)
    assert list(summary["theme"]) == list(dict.fromkeys(summary["theme"]))
    assert {"theme", "topic", "name", "comments", "negative_share", "quote_1"} <= set(summary.columns)


def test_a_tagged_input_keeps_its_language_column(tmp_path):
    texts, _ = labelled("it")
    path = tmp_path / "tagged.csv"
    pd.DataFrame({"comment": texts, "language": ["it"] * len(texts)}).to_csv(path, index=False)
    out = tmp_path / "themed.csv"
    result = _run(str(path), "-o", str(out), *ARGS)
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)["language"].eq("it").all()


def test_transcripts(tmp_path):
    texts, _ = labelled("en")
    lines = []
    for i, text in enumerate(texts):
        lines.append(f"Moderator: Tell me more about number {i}.")
        lines.append(f"Ana: {text}")
    (tmp_path / "interview.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "turns.csv"
    result = _run(str(tmp_path / "interview.txt"), "--exclude-speaker", "Moderator", "-o", str(out), *ARGS)
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, keep_default_na=False)
    assert set(frame["speaker"]) == {"Ana"} and len(frame) == len(texts)
    assert (frame["theme"] != "").mean() > 0.8


def test_existing_output_is_refused_and_nothing_is_written(comments, tmp_path):
    out, book = tmp_path / "themed.csv", tmp_path / "themes.yaml"
    book.write_text("keep me", encoding="utf-8")
    result = _run(str(comments), "--text", "comment", "-o", str(out), "--codebook-out", str(book), *ARGS)
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert not out.exists() and book.read_text() == "keep me"


@pytest.mark.parametrize("extra, message", [
    (["--text", "missing"], "text column 'missing' not found"),
    (["--text", "comment", "--codebook-out", "themes.txt"], "'.yaml', '.yml'"),
    (["--text", "comment", "--min-size", "500"], "min_size=500"),
])
def test_bad_input_is_one_line_exit_2(comments, tmp_path, extra, message):
    out = tmp_path / "themed.csv"
    result = _run(str(comments), "-o", str(out), *ARGS[:2], "--quiet", *extra)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_running_on_its_own_output_asks_for_a_prefix(comments, tmp_path):
    out = tmp_path / "themed.csv"
    assert _run(str(comments), "--text", "comment", "-o", str(out), *ARGS).exit_code == 0
    again = _run(str(out), "--text", "comment", "-o", str(tmp_path / "again.csv"), *ARGS)
    assert again.exit_code == 2 and "--prefix" in again.output
    ok = _run(str(out), "--text", "comment", "-o", str(tmp_path / "again.csv"), "--prefix", "v2_", *ARGS)
    assert ok.exit_code == 0, ok.output
    assert "v2_theme" in pd.read_csv(tmp_path / "again.csv").columns


def test_output_may_not_be_the_input(comments):
    result = _run(str(comments), "--text", "comment", "-o", str(comments), "--force", *ARGS)
    assert result.exit_code == 2 and "also an input" in result.output


def test_summary_lists_the_themes(comments, tmp_path):
    result = CliRunner().invoke(main, ["themes", "discover", str(comments), "--text", "comment",
                                       "-o", str(tmp_path / "t.csv"), "--embedding", "lexical", "--min-size", "4"])
    assert result.exit_code == 0, result.output
    assert "themes in 24 rows" in result.output and "late delivery" in result.output
