"""Codebook parsing, validation (with line numbers), hierarchy and ``extends``."""
from __future__ import annotations

from pathlib import Path

import pytest

from cxtext.errors import CodebookError, InputError
from cxtext.schema import CX_TOPICS, LANGUAGES
from cxtext.topics import BUILTIN_CODEBOOKS, load_codebook, validate_codebook

FIXTURES = Path(__file__).parent / "fixtures" / "codebooks"


@pytest.mark.parametrize("name, column", [("default", "topics"), ("journey", "journey"), ("channel", "channel")])
def test_builtin_codebooks_are_valid(name: str, column: str) -> None:
    assert validate_codebook(name) == []
    cb = load_codebook(name)
    assert cb.name == name and cb.column == column
    assert len(cb.topics) == len(set(cb.topics)) >= 6
    for topic in cb.topics:
        spec = cb.spec(topic)
        assert cb.definitions[topic].get("en"), f"{name}/{topic} has no English definition"
        for lang in LANGUAGES:  # every built-in topic has terms in every language
            assert spec.terms.get(lang) or spec.terms.get("any"), f"{name}/{topic} has no {lang} terms"


def test_default_codebook_is_the_total_experience_model() -> None:
    cb = load_codebook("default")
    assert cb.topics == CX_TOPICS
    assert set(cb.definitions["price"]) == set(LANGUAGES)
    assert set(BUILTIN_CODEBOOKS) == {"default", "journey", "channel"}


def test_journey_and_channel_topics() -> None:
    assert load_codebook("journey").topics == ("awareness", "consideration", "purchase", "use", "support", "advocacy")
    assert load_codebook("channel").topics == ("store", "phone", "website", "app", "email", "social", "chat")


def test_problems_have_line_numbers() -> None:
    problems = validate_codebook(FIXTURES / "bad.yaml")
    found = {(p.line, p.message.split()[0] + " " + p.message.split()[1]) for p in problems}
    assert found == {
        (2, "unknown 'extends'"),
        (3, "unknown key"),
        (8, "bad language"),
        (10, "regex '(unclosed'"),
        (11, "topic 'empty'"),
    }
    assert all(str(p).startswith(str(FIXTURES / "bad.yaml") + f":{p.line}: ") for p in problems)


def test_load_raises_with_every_problem() -> None:
    with pytest.raises(CodebookError) as info:
        load_codebook(FIXTURES / "bad.yaml")
    message = str(info.value)
    assert isinstance(info.value, InputError)
    for line in (2, 3, 8, 10, 11):
        assert f"bad.yaml:{line}:" in message
    assert "cxtext codebook check" in message


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("topics:\n  price:\n    terms: {en: [a, b}\n", 3, "not valid YAML"),
        ("topics:\n  price:\n    terms: {en: [price]}\n  price:\n    terms: {en: [cost]}\n", 4, "duplicate key"),
        ("topics:\n  price:\n    terms:\n      en: [price]\n    synonyms: [x]\n", 5, "unknown key 'synonyms'"),
        ("topics:\n  price:\n    terms:\n      en: price\n      xx: [cost]\n", 5, "bad language code 'xx'"),
        ("name: x\n", 1, "missing 'topics:'"),
        ("topics:\n  price:\n    terms:\n      en: [price, '***']\n", 4, "no letters"),
        ("topics:\n  a//b:\n    terms: {en: [x]}\n", 2, "invalid topic name"),
        ("topics:\n  price:\n    terms: {en: []}\n", 2, "is empty"),
    ],
)
def test_single_problems(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    problems = validate_codebook(path)
    assert len(problems) == 1, problems
    assert problems[0].line == line and words in problems[0].message


def test_missing_file() -> None:
    problems = validate_codebook("no/such/codebook.yaml")
    assert len(problems) == 1 and "does not exist" in problems[0].message
    with pytest.raises(CodebookError):
        load_codebook("no/such/codebook.yaml")


def test_extends_default_with_subtopics_and_removal() -> None:
    cb = load_codebook(FIXTURES / "mine.yaml")
    assert cb.name == "mine" and cb.column == "topics"
    assert cb.topics == ("price", "product", "people", "process", "process/delivery", "process/billing", "place")
    assert "concierge team" in cb.spec("people").terms["en"]
    assert "staff" in cb.spec("people").terms["en"]  # inherited terms kept (merged)
    assert cb.definitions["process/delivery"] == {"en": "Getting the order to the customer."}
    assert cb.definitions["price"]["en"] == load_codebook("default").definitions["price"]["en"]
    assert cb.detector().top_level_topics == ("price", "product", "people", "process", "place")


def test_flat_hierarchical_paths() -> None:
    cb = load_codebook(FIXTURES / "flat.yaml")
    assert cb.topics == ("process/delivery", "process/billing")
    assert cb.detector().top_level_topics == ("process",)


def test_extends_relative_file_and_replace(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("name: base\ntopics:\n  a:\n    terms: {en: [apple]}\n", encoding="utf-8")
    (tmp_path / "child.yaml").write_text(
        "extends: base.yaml\ntopics:\n  a:\n    replace: true\n    terms: {en: [pear]}\n  b:\n    terms: {en: [plum]}\n",
        encoding="utf-8",
    )
    cb = load_codebook(tmp_path / "child.yaml")
    assert cb.topics == ("a", "b")
    assert cb.spec("a").terms == {"en": ("pear",)}


def test_extends_cycle_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\ntopics:\n  x:\n    terms: {en: [x]}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\ntopics:\n  y:\n    terms: {en: [y]}\n", encoding="utf-8")
    problems = validate_codebook(tmp_path / "a.yaml")
    assert problems and problems[0].line == 1 and "cycle" in problems[0].message


def test_remove_unknown_topic(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("extends: default\nremove: [pricing]\ntopics:\n  price:\n    terms: {en: [tariff]}\n",
                    encoding="utf-8")
    problems = validate_codebook(path)
    assert [(p.line, "cannot remove 'pricing'" in p.message) for p in problems] == [(2, True)]


def test_custom_column(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("column: brand\ntopics:\n  acme:\n    terms: {any: [acme]}\n", encoding="utf-8")
    cb = load_codebook(path)
    assert cb.column == "brand" and cb.name == "c"
    assert [m.topic for m in cb.detector().detect(["ACME rocks"], ["it"])[0]] == ["acme"]


def test_describe_is_what_codebook_show_prints():
    from click.testing import CliRunner

    from cxtext.cli import main
    from cxtext.errors import ConfigError
    from cxtext.topics import load_codebook

    text = load_codebook("journey").describe("it", max_terms=3)
    assert text.splitlines()[0].startswith("codebook journey") and "  terms: " in text
    shown = CliRunner().invoke(main, ["codebook", "show", "journey", "--lang", "it", "--max-terms", "3"])
    assert shown.exit_code == 0 and shown.output == text + "\n"
    with pytest.raises(ConfigError, match="lang='xx' is not supported"):
        load_codebook("default").describe("xx")
