"""``cxtext codebook show|check|export`` and ``cxtext train topics``."""
from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cxtext.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "codebooks"
NS = {"q": "urn:QDA-XML:codebook:1.0"}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_help_shows_examples(runner: CliRunner) -> None:
    for args in (["codebook", "--help"], ["codebook", "export", "--help"], ["train", "topics", "--help"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "Example" in result.output


def test_show(runner: CliRunner) -> None:
    result = runner.invoke(main, ["codebook", "show", "default", "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert "codebook default" in result.output and "precio" in result.output
    assert "Lo que el cliente pagó" in result.output
    result = runner.invoke(main, ["codebook", "show", str(FIXTURES / "mine.yaml")])
    assert result.exit_code == 0 and "  process/delivery" in result.output
    assert runner.invoke(main, ["codebook", "show", "default", "--lang", "fr"]).exit_code == 2
    assert runner.invoke(main, ["codebook", "show", "nope.yaml"]).exit_code == 2


def test_check(runner: CliRunner) -> None:
    ok = runner.invoke(main, ["codebook", "check", str(FIXTURES / "mine.yaml")])
    assert ok.exit_code == 0 and "OK" in ok.output
    bad = runner.invoke(main, ["codebook", "check", str(FIXTURES / "bad.yaml")])
    assert bad.exit_code == 2
    for line in (2, 3, 8, 10, 11):
        assert f"bad.yaml:{line}:" in bad.output
    assert "5 problem(s)" in bad.output


def test_export_csv(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "cb.csv"
    result = runner.invoke(main, ["codebook", "export", str(FIXTURES / "mine.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    delivery = [r for r in rows if r["topic"] == "process/delivery"]
    assert {r["language"] for r in delivery} == {"en", "es"}
    assert delivery[0]["parent"] == "process" and "courier" in next(r for r in delivery if r["language"] == "en")["terms"]
    again = runner.invoke(main, ["codebook", "export", "default", "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(main, ["codebook", "export", "default", "-o", str(out), "--force"]).exit_code == 0
    assert runner.invoke(main, ["codebook", "export", "default", "-o", str(tmp_path / "x.txt")]).exit_code == 2


def test_export_qdc(runner: CliRunner, tmp_path: Path) -> None:
    paths = [tmp_path / "a.qdc", tmp_path / "b.qdc"]
    for p in paths:
        assert runner.invoke(main, ["codebook", "export", str(FIXTURES / "mine.yaml"), "-o", str(p)]).exit_code == 0
    assert paths[0].read_bytes() == paths[1].read_bytes()  # stable GUIDs, deterministic output
    root = ET.parse(paths[0]).getroot()
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    top = root.findall("q:Codes/q:Code", NS)
    assert [c.get("name") for c in top] == ["price", "product", "people", "process", "place"]
    process = top[3]
    assert [c.get("name") for c in process.findall("q:Code", NS)] == ["delivery", "billing"]
    every = root.findall(".//q:Code", NS)
    assert len({c.get("guid") for c in every}) == len(every) == 7
    for code in every:
        assert GUID.match(code.get("guid")) and code.get("isCodable") == "true"
        assert re.match(r"^#[0-9A-F]{6}$", code.get("color"))
        children = [child.tag.split("}")[1] for child in code]
        assert children == sorted(children, key=lambda t: t != "Description")  # Description first
    assert "Getting the order" in process.find("q:Code/q:Description", NS).text


def test_train_topics(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "coded.csv"
    rows = [("cheap and good value", "price"), ("the staff were rude", "people"), ("great pizza", "product"),
            ("expensive, rude waiter", "price;people"), ("", "price"), ("tasty food", "product")] * 6
    pd.DataFrame(rows, columns=["comment", "codes"]).to_csv(data, index=False)
    out = tmp_path / "my-model"
    args = ["train", "topics", str(data), "--text", "comment", "--labels", "codes", "-o", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "| price |" in result.output and "| people |" in result.output and "precision" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["model.json", "weights.npz"]
    from cxtext.topics import TopicModel

    assert TopicModel.load(out).n_train_ == 30  # the row without text was dropped
    again = runner.invoke(main, args)
    assert again.exit_code == 2 and "already exists" in again.output
    assert runner.invoke(main, [*args, "--force", "-q"]).exit_code == 0
    missing = runner.invoke(main, ["train", "topics", str(data), "--text", "body", "--labels", "codes",
                                   "-o", str(tmp_path / "m2")])
    assert missing.exit_code == 2 and "'body'" in missing.output and not (tmp_path / "m2").exists()
    # bad values are named as the command line spells them, not as Python arguments
    for flag, value in (("--cv", "1"), ("--validation-size", "2")):
        bad = runner.invoke(main, [*args, "--force", flag, value])
        assert bad.exit_code == 2 and f"{flag} {value}" in bad.output, bad.output
        assert "cv=" not in bad.output and "validation_size=" not in bad.output


def test_train_topics_codebook_features_and_language(runner: CliRunner, tmp_path: Path) -> None:
    from cxtext.topics import TopicModel

    data = tmp_path / "codificado.csv"
    rows = [("muy caro para lo que es", "precio"), ("el camarero fue grosero", "personal"),
            ("la pizza estaba fría", "producto"), ("barato y amable", "precio;personal")] * 5
    pd.DataFrame(rows, columns=["respuesta", "codigos"]).to_csv(data, index=False)
    base = ["train", "topics", str(data), "--text", "respuesta", "--labels", "codigos", "--cv", "2"]
    assert runner.invoke(main, [*base, "--lang", "es", "-o", str(tmp_path / "a")]).exit_code == 0
    assert TopicModel.load(tmp_path / "a").codebook_features == "default"
    result = runner.invoke(main, [*base, "--codebook-features", "none", "-o", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert TopicModel.load(tmp_path / "b").codebook_features is None
    wrong = runner.invoke(main, [*base, "--lang", "de", "-o", str(tmp_path / "c")])
    assert wrong.exit_code == 2 and "'de'" in wrong.output and not (tmp_path / "c").exists()
