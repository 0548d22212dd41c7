"""``cxtext tag`` end to end through click: formats, contract, every bad input."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from click.testing import CliRunner

from cxtext.cli import main
from cxtext.io import read_table, write_table
from cxtext.schema import CX_TOPICS, output_columns

FORMATS = ["csv", "tsv", "xlsx", "parquet", "jsonl"]


@pytest.fixture
def run(fake_models):
    def invoke(*args, input=None):
        result = CliRunner().invoke(main, ["tag", "--backend", "keywords", "-q", *map(str, args)], input=input)
        return result

    return invoke


@pytest.fixture
def comments(tmp_path):
    frame = pd.DataFrame({
        "id": ["1", "2", "3", "4", "5", "6"],
        "¿Por qué?": [
            "El producto es excelente pero la entrega llegó tarde",
            "",
            "   ",
            "😡😡",
            "great staff, awful price " * 4000,  # ~100k characters
            "O atendimento foi ótimo",
        ],
        "nps": ["9", "", "x", "3", "10", "7"],
    })
    return frame


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt_in", FORMATS)
@pytest.mark.parametrize("fmt_out", ["csv", "parquet"])
def test_every_format_in_and_out(run, tmp_path, comments, fmt_in, fmt_out):
    source = tmp_path / f"in.{fmt_in}"
    if fmt_in == "xlsx":  # an Excel cell holds at most 32,767 characters
        comments.loc[4, "¿Por qué?"] = comments.loc[4, "¿Por qué?"][:30_000]
    write_table(comments, source)
    before = _digest(source)
    out = tmp_path / f"out.{fmt_out}"
    result = run(source, "--text", "¿Por qué?", "-o", out)
    assert result.exit_code == 0, result.output
    assert _digest(source) == before
    tagged = read_table(out)
    assert list(tagged.columns) == list(comments.columns) + output_columns(CX_TOPICS)
    assert [str(v) for v in tagged["id"]] == comments["id"].tolist()
    assert tagged["sentiment"].fillna("").tolist()[:4] == ["negative", "", "", "neutral"]
    assert tagged["language"].tolist()[:4] == ["es", "und", "und", "und"]


def test_xlsx_output_and_multi_label_cells(run, tmp_path, comments):
    source = tmp_path / "in.csv"
    write_table(comments, source)
    run(source, "--text", "¿Por qué?", "-o", tmp_path / "o.csv")
    csv_out = read_table(tmp_path / "o.csv")
    assert csv_out["topics"][0] == "product;process"
    assert csv_out["topics"][1] == ""
    small = comments.drop(index=4)
    write_table(small, tmp_path / "s.csv")
    assert run(tmp_path / "s.csv", "--text", "¿Por qué?", "-o", tmp_path / "o.xlsx").exit_code == 0
    assert read_table(tmp_path / "o.xlsx")["topics"][0] == "product;process"


def test_stdin_to_stdout(run):
    result = run("-", "--text", "c", "-o", "-", input="c,k\ngreat product,1\nbad delivery,2\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("c,k,language,sentiment")
    assert [line.split(",")[1] for line in lines[1:]] == ["1", "2"]


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ["missing.csv"], "does not exist"),
        ("data.xyz", ["data.xyz"], "unknown file extension"),
        ("data.csv", ["data.csv", "--text", "comentario"], "not found.*'id', 'comment'"),
        ("empty.csv", ["empty.csv"], "is empty"),
        ("dup.csv", ["dup.csv"], "appears more than once"),
        ("two.csv", ["two.csv"], "2 text-like columns"),
        ("data.csv", ["data.csv", "--text", "comment", "--lang", "fr"], "Invalid value for '--lang'"),
        ("data.csv", ["data.csv", "--text", "comment", "--backend", "nope"], "unknown backend 'nope'"),
        ("clash.csv", ["clash.csv", "--text", "comment"], "--prefix"),
        ("data.csv", ["data.csv", "--text", "comment", "-o", "out.docx2"], "unknown file extension"),
    ],
)
def test_bad_input_is_one_line_exit_2(run, tmp_path, monkeypatch, setup, args, message):
    monkeypatch.chdir(tmp_path)
    files = {
        "data.xyz": "a\n1\n",
        "data.csv": "id,comment\n1,great product here\n",
        "empty.csv": "",
        "dup.csv": "comment,comment\nhello there friend,again and again\n",
        "two.csv": "a,b\nthis is a long text,and another long text\n",
        "clash.csv": "comment,topics\nnice long comment here,x\n",
    }
    if setup:
        (tmp_path / setup).write_text(files[setup])
    if "-o" not in args:
        args = [*args, "-o", "out.csv"]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    error_lines = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(error_lines) == 1 and pytest.importorskip("re").search(message, error_lines[0]), result.output
    assert not (tmp_path / "out.csv").exists()


def test_refuses_overwrite_without_force_and_leaves_no_partial_file(run, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("comment\ngreat product\n")
    out = tmp_path / "out.csv"
    out.write_text("keep me")
    result = run(source, "-o", out)
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_text() == "keep me"
    assert run(source, "-o", out, "--force").exit_code == 0
    assert "great product" in out.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_output_may_not_be_the_input(run, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("comment\ngreat product\n")
    result = run(source, "-o", source, "--force")
    assert result.exit_code == 2 and "never modifies its input" in result.output
    assert source.read_text() == "comment\ngreat product\n"


def test_cp1252_input_warns_and_works(run, tmp_path):
    source = tmp_path / "win.csv"
    source.write_bytes('comentario\n"El envío llegó tarde, pésimo"\n'.encode("cp1252"))
    result = run(source, "-o", tmp_path / "o.csv")
    assert result.exit_code == 0
    assert "Warning:" in result.stderr and "--encoding" in result.stderr
    assert read_table(tmp_path / "o.csv")["comentario"][0] == "El envío llegó tarde, pésimo"


def test_header_only_file_gives_header_only_output(run, tmp_path):
    source = tmp_path / "h.csv"
    source.write_text("id,comment\n")
    assert run(source, "--text", "comment", "-o", tmp_path / "o.csv").exit_code == 0
    assert read_table(tmp_path / "o.csv").columns.tolist()[:3] == ["id", "comment", "language"]


def test_prefix_and_chunking(run, tmp_path):
    frame = pd.DataFrame({"comment": [f"great product {i}" for i in range(12)], "sentiment": ["x"] * 12})
    write_table(frame, tmp_path / "in.csv")
    result = run(tmp_path / "in.csv", "--text", "comment", "--prefix", "cx_", "--chunk-size", "5",
                 "-o", tmp_path / "o.csv")
    assert result.exit_code == 0, result.output
    out = read_table(tmp_path / "o.csv")
    assert out["comment"].tolist() == frame["comment"].tolist()
    assert out["cx_sentiment"].eq("positive").all() and out["sentiment"].eq("x").all()


def test_help_shows_examples():
    result = CliRunner().invoke(main, ["tag", "--help"])
    assert result.exit_code == 0 and "cxtext tag comments.csv --text comment -o tagged.csv" in result.output


def test_transcripts_batch_tags_turns_and_reports_failures(run, tmp_path):
    fixtures = __import__("pathlib").Path(__file__).parent / "fixtures" / "transcripts"
    out = tmp_path / "turns.csv"
    result = run(fixtures / "zoom.vtt", fixtures / "broken.vtt", "--exclude-speaker", "ana lopez", "-o", out)
    assert result.exit_code == 1
    assert "broken.vtt" in result.stderr and "line 8" in result.stderr
    turns = read_table(out)
    assert turns.columns.tolist()[:6] == ["file", "turn", "speaker", "start", "end", "text"]
    assert "Ana Lopez" not in set(turns["speaker"]) and len(turns) > 0
    assert turns["sentiment"].isin(["positive", "neutral", "negative"]).all()


def test_table_and_transcripts_cannot_be_mixed(run, tmp_path):
    (tmp_path / "a.csv").write_text("comment\nhello there\n")
    (tmp_path / "b.txt").write_text("A: hello\n")
    result = run(tmp_path / "a.csv", tmp_path / "b.txt", "-o", tmp_path / "o.csv")
    assert result.exit_code == 2 and "not both" in result.output


def test_output_is_identical_whatever_the_number_of_jobs(tmp_path):
    import csv

    texts = ["El producto es excelente pero la entrega llegó tarde.", "ok", "", "Ottimo servizio, grazie!",
             "O atendimento foi péssimo. Nunca mais!", "The staff were lovely but the price is too high.",
             "ENTREGA ATRASADA!!!!!!", "😡😡", "Me cobraron dos veces; nadie responde."]
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "comment"])
        for i in range(450):
            writer.writerow([i, f"{texts[i % len(texts)]} {'#' + str(i) if i % 3 else ''}".strip()])
    outputs = []
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"out{jobs}.csv"
        result = CliRunner().invoke(main, ["tag", str(source), "--text", "comment", "-o", str(out), "-q",
                                           "--jobs", jobs, "--chunk-size", "40"])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert read_table(tmp_path / "out2.csv")["id"].tolist() == [str(i) for i in range(450)]


def test_fallbacks_are_one_warning_line(run, tmp_path):
    source = tmp_path / "in.csv"
    write_table(pd.DataFrame({"comment": ["ok", "si", "The delivery was late and nobody called me back"] * 50}), source)
    result = run(source, "--text", "comment", "-o", tmp_path / "out.csv", "--chunk-size", "20")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning:")]
    assert warnings == ["Warning: 100 of 150 comments were too short or ambiguous to detect their language and "
                        "were analysed as 'en' (set it with --default-lang)"]


def test_a_worker_that_dies_fails_the_run_cleanly(fake_models, tmp_path):
    source = tmp_path / "in.csv"
    write_table(pd.DataFrame({"comment": ["great product"] * 300 + ["DIE now"] + ["good"] * 10}), source)
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["tag", str(source), "--text", "comment", "-o", str(out), "-q",
                                       "--backend", "flaky", "--jobs", "2", "--chunk-size", "50"])
    assert result.exit_code == 2
    assert "a worker process died while tagging rows 301-311" in result.output
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_help_imports_nothing_heavy():
    # modules imported, not seconds: `cxtext --help` must not load pandas, numpy or spaCy
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from cxtext.cli import main; "
            "CliRunner().invoke(main, ['--help']); "
            "print(sorted(m for m in ('pandas', 'numpy', 'spacy', 'pyarrow', 'cxtext.pipeline') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_short_help_of_the_group_matches_each_command():
    import click

    from cxtext.cli import COMMANDS, SHORT_HELP

    ctx = click.Context(main)
    assert sorted(SHORT_HELP) == sorted(COMMANDS)
    for name in COMMANDS:
        assert SHORT_HELP[name] == main.get_command(ctx, name).get_short_help_str(limit=45), name


@pytest.mark.slow
def test_workers_end_when_the_parent_is_killed(tmp_path):
    import os
    import subprocess
    import sys
    import time

    source = tmp_path / "in.csv"
    write_table(pd.DataFrame({"comment": ["The delivery was late. Nobody called me back!"] * 3000}), source)
    proc = subprocess.Popen([sys.executable, "-m", "cxtext", "tag", str(source), "--text", "comment", "-o", "-",
                             "-q", "--jobs", "2", "--chunk-size", "50"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, cwd=tmp_path)  # not the source tree: the installed cxtext
    proc.stdout.readline()
    proc.stdout.readline()
    workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    proc.kill()
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(os.path.exists(f"/proc/{w}") for w in workers):
        time.sleep(0.2)
    assert workers and not any(os.path.exists(f"/proc/{w}") for w in workers)


def test_a_slow_backend_gets_small_chunks(fake_models, tmp_path):
    """``Backend.chunk_rows`` caps the rows of each chunk (so that every worker stays busy)."""
    from conftest import KeywordBackend

    from cxtext.backends import register_backend
    from cxtext.pipeline import Analyzer
    from cxtext.tagfile import tag_file

    @register_backend("keywords-slow")
    class SlowKeywords(KeywordBackend):
        chunk_rows = 3

    source = tmp_path / "in.csv"
    write_table(pd.DataFrame({"comment": [f"great product number {i}" for i in range(500)]}), source)
    analyzer = Analyzer(backend="keywords-slow")
    tag_file(source, tmp_path / "out.csv", analyzer, text="comment", jobs=1)
    sizes = [len(call) for call in analyzer.backend_.calls[1:]]  # after the warm-up's call
    assert sum(sizes) >= 500 and max(sizes) <= 3
    assert read_table(tmp_path / "out.csv")["comment"].tolist() == [f"great product number {i}" for i in range(500)]


def test_topic_conflict_flag(run, tmp_path):
    source = tmp_path / "c.csv"
    source.write_text("comment\n\"Great product, great staff, great delivery, lovely store. Bad product.\"\n")
    for choice, expected in (("verdict", "positive"), ("mixed", "mixed")):
        out = tmp_path / f"{choice}.csv"
        result = run(source, "--text", "comment", "--topic-conflict", choice, "-o", out)
        assert result.exit_code == 0, result.output
        assert pd.read_csv(out, keep_default_na=False)["sentiment_product"].tolist() == [expected]
    result = run(source, "--text", "comment", "--topic-conflict", "average", "-o", tmp_path / "x.csv")
    assert result.exit_code == 2 and "--topic-conflict" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.csv").exists()


def test_opposed_emotion_option_reaches_the_analyzer(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("comment\nSe me rompió la lavadora el viernes y el técnico la dejó arreglada el sábado por la "
                      "mañana. ¡Mil gracias!\n", encoding="utf-8")
    emotions = []
    for options in ((), ("--opposed-emotion-min", "0")):
        out = tmp_path / "out.csv"
        result = CliRunner().invoke(main, ["tag", str(source), "--text", "comment", "--lang", "es", "-o", str(out),
                                           "-q", "--force", "--jobs", "1", *options])
        assert result.exit_code == 0, result.output
        emotions.append(read_table(out)["emotions"][0])
    assert "anger" not in emotions[0] and "anger" in emotions[1]


def test_topic_context_and_neutral_emotion_options_reach_the_analyzer(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("comment\nAmbiance relaxed and stylish.\nIs there a student discount?\n", encoding="utf-8")

    def tagged(*options: str):
        out = tmp_path / "out.csv"
        result = CliRunner().invoke(main, ["tag", str(source), "--text", "comment", "--lang", "en", "-o", str(out),
                                           "-q", "--force", "--jobs", "1", *options])
        assert result.exit_code == 0, result.output
        return read_table(out)

    default = tagged()
    assert default["topics"][0] == ""  # the topic head doubts "ambiance" here
    assert tagged("--no-topic-context")["topics"][0] == "place"
    assert default["emotions"][1] == ""
    assert tagged("--neutral-emotion-min", "0")["emotions"][1] == "anticipation"
