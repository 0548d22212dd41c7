"""Redaction: check digits, each rule in four languages, ordinary words untouched, speakers, files, CLI."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import cxtext.redact as redact_api
from cxtext.cli import main
from cxtext.errors import ConfigError
from cxtext.redact import ENTITY_TYPES, Redaction, Redactor, SpeakerKey, person_names, redact_file
from cxtext.redact._checks import (
    cnpj_ok,
    codice_fiscale_ok,
    cpf_ok,
    dni_ok,
    iban_ok,
    luhn_ok,
    nie_ok,
    nif_pt_ok,
    nino_ok,
    ssn_ok,
)
from cxtext.redact._evaluate import evaluate, parse_marked, read_marked

FIXTURES = Path(__file__).parent / "fixtures" / "redaction"
MEETINGS = Path(__file__).parent / "fixtures" / "transcripts" / "meetings"


def test_public_names():
    for name in redact_api.__all__:
        assert getattr(redact_api, name) is not None


# ---- check digits ------------------------------------------------------------------------

@pytest.mark.parametrize("check, good, bad", [
    (luhn_ok, "4327 0716 7127 0477", "4327 0716 7127 0478"),
    (iban_ok, "ES68 6144 6718 1833 8492 4079", "ES68 6144 6718 1833 8492 4078"),
    (iban_ok, "IT11X8039827778288770442075", "IT11X803982777828877044207"),  # one character short
    (dni_ok, "80059494-J", "80059494-K"),
    (nie_ok, "Z5668705S", "Z5668705T"),
    (codice_fiscale_ok, "BNCGLI92E52F205X", "BNCGLI92E52F205Y"),
    (cpf_ok, "485.628.023-60", "485.628.023-61"),
    (cnpj_ok, "90.631.833/0001-43", "90.631.833/0001-44"),
    (nif_pt_ok, "125199457", "125199458"),
    (nino_ok, "JG 10 37 55 A", "GB 10 37 55 A"),
    (ssn_ok, "301-22-7781", "000-22-7781"),
])
def test_check_digits(check, good, bad):
    assert check(good) and not check(bad)


# ---- the rules, one language at a time ---------------------------------------------------

@pytest.mark.parametrize("marked", [
    "Escribid a ⟦EMAIL:ana.lopez@gmail.com⟧ o a ⟦EMAIL:ana [at] correo [dot] es⟧.",
    "Móvil ⟦PHONE:699123456⟧, fijo ⟦PHONE:+34 91 123 45 67⟧ y ⟦PHONE:0034 655 123 987⟧.",
    "Cellulare ⟦PHONE:+39 320 765 4321⟧, ufficio ⟦PHONE:02 8765 4321⟧.",
    "Telemóvel ⟦PHONE:+351 936 111 222⟧, no Brasil ⟦PHONE:11 3456-7890⟧.",
    "Ring ⟦PHONE:+1 415 555 0132⟧ or ⟦PHONE:+353 87 123 4567⟧ or ⟦PHONE:212-555-0147⟧.",
    "DNI ⟦ID:50724812-Z⟧, NIE ⟦ID:X7445321Z⟧, CF ⟦ID:FRRLCA78C03L219Z⟧, CNPJ ⟦ID:85.041.439/0001-15⟧.",
    "NI ⟦ID:PN 72 88 41 D⟧ and SSN ⟦ID:219-09-9998⟧, NIF ⟦ID:308455029⟧.",
    "Tarjeta ⟦CARD:3791-921502-93460⟧ y cuenta ⟦IBAN:DE08829771236636675356⟧.",
    "Perfil ⟦URL:https://www.linkedin.com/in/rui-costa-77⟧ e conta ⟦URL:https://loja.example.pt/conta/encomendas/8812⟧.",
    "Token ⟦URL:https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/view⟧ o ⟦URL:http://ex.com/?email=a%40b.es⟧.",
    "Vivo en ⟦ADDRESS:C/ Alcalá, 45⟧ y trabajo en ⟦ADDRESS:Plaza de España 3, 28008 Madrid⟧.",
    "Abito in ⟦ADDRESS:Corso Vittorio Emanuele II 42⟧, ufficio in ⟦ADDRESS:Piazza Garibaldi 7/B⟧.",
    "Moro na ⟦ADDRESS:Rua Augusta nº 27⟧, perto da ⟦ADDRESS:Travessa do Carmo 4⟧.",
    "Send it to ⟦ADDRESS:221B Baker Street⟧, London ⟦ADDRESS:NW1 6XE⟧.",
    "Me atendió la señora ⟦PERSON:Pilar Gómez⟧ y hablé con ⟦PERSON:Jorge⟧.",
    "Ringrazio il sig. ⟦PERSON:Esposito⟧ e la dottoressa ⟦PERSON:Neri⟧.",
    "Fui atendida pela ⟦PERSON:Ana⟧ e falei com o ⟦PERSON:Rui Costa⟧.",
    "The agent, ⟦PERSON:Tom⟧, and Mr ⟦PERSON:Patel⟧ helped; thanks to ⟦PERSON:Josh⟧ and ⟦PERSON:Mei⟧.",
])
def test_rules(marked):
    text, spans = parse_marked(marked)
    assert [(text[f.start:f.end], f.kind) for f in Redactor().find(text)] == [(text[a:b], k) for a, b, k in spans]


def test_the_dev_lines_of_the_fixture_set_are_redacted_exactly():
    """The lines looked at while writing the rules (the test lines are measured by benchmarks/redaction.py)."""
    dev = [e for e in read_marked(FIXTURES / "spans.tsv") if e.split == "dev"]
    assert len(dev) > 40
    for example in dev:
        found = [(f.start, f.end, f.kind) for f in Redactor(names=person_names(example.speakers)).find(example.text)]
        assert found == list(example.spans), example.text


def test_evaluate_counts_overlaps_and_misses():
    examples = read_marked(FIXTURES / "spans.tsv")
    table = evaluate(examples[:3]).set_index(["lang", "type"])
    assert set(table.columns) >= {"expected", "found", "correct", "exact", "precision", "recall"}
    assert table.loc[("all", "all"), "expected"] == sum(len(e.spans) for e in examples[:3])


# ---- nothing ordinary is touched ---------------------------------------------------------

ORDINARY = [line.split("\t", 1)[1] for line in (FIXTURES / "ordinary.txt").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_and_numbers_get_no_placeholder(text):
    assert Redactor().redact(text).text == text


@pytest.mark.parametrize("word", ["Rosa", "Mar", "Luz", "Paz", "Bill", "Will", "Grace", "Mark", "Ana", "Vera", "Sole",
                                  "Bianca", "Frank", "Sunny", "Joy", "Rose"])
def test_speaker_names_are_no_placeholder_inside_other_words(word):
    redactor = Redactor(names=[f"{word} Example"])
    text = f"{word.lower()}s and {word.lower()}y, re{word.lower()}ting, {word}{word}, {word}s, X{word}"
    assert redactor.redact(text).text == text
    assert redactor.redact(f"I asked {word}.").text == "I asked [PERSON]."
    assert redactor.redact(f"{word}'s bag").text == "[PERSON]'s bag"
    assert redactor.redact(f"a {word.lower()} thing").text == f"a {word.lower()} thing"  # not written as a name


_words = st.sampled_from(["Rosa", "rosa", "Via", "Roma", "call", "me", "on", "the", "agent", "Tom", "Ana", "and", "tel",
                          "Calle", "Mayor", "Sr.", "NIF", "pedido", "SSN", ",", ".", "€"])
_data = st.sampled_from(["12", "15", "2024-03-15", "49,99", "612 345 678", "+34 612 345 678", "ana@x.es", "ES68 6144 6718 "
                         "1833 8492 4079", "4327 0716 7127 0477", "125199457", "X1451924A", "301-22-7781", "28013",
                         "https://fb.com/ana.lopez", "Lopez", "3º B"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_words, st.one_of(_words, _data)), max_size=12).map(lambda pairs: " ".join(w for p in pairs for w in p)))
def test_placeholders_only_replace_whole_tokens(text):
    redactor = Redactor(names=["Ana Lopez"])
    result = redactor.redact(text)
    for finding in result.findings:
        assert finding.start == 0 or not text[finding.start - 1].isalnum() or not text[finding.start].isalnum()
        assert finding.end == len(text) or not text[finding.end].isalnum() or not text[finding.end - 1].isalnum()


def test_redacting_twice_changes_nothing_more():
    for example in read_marked(FIXTURES / "spans.tsv"):
        redactor = Redactor(names=person_names(example.speakers))
        once = redactor.redact(example.text).text
        assert redactor.redact(once).text == once


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_no_text_stops_redaction(text):
    result = Redactor(names=["Ana Lopez", "王小明"]).redact(text)
    assert isinstance(result.text, str)
    kept = [text[a.end:b.start] for a, b in zip(result.findings, result.findings[1:])]
    assert all(piece in result.text for piece in kept)  # what is not replaced is left as it was


def test_entities_can_be_chosen_and_are_checked():
    text = "Me atendió Laura, ana@x.es"
    assert Redactor("email").redact(text).text == "Me atendió Laura, [EMAIL]"
    with pytest.raises(ConfigError, match="'SMS'.*'EMAIL'"):
        Redactor("email,sms")


# ---- speakers and pseudonyms -------------------------------------------------------------

def test_person_names_drop_roles_and_titles():
    assert person_names(["Interviewer", "Participant 3", "The Chair", "Hon. Ruth Calloway", "Sra. Gómez", ""]) == [
        "Ruth Calloway", "Gómez"]


def test_speaker_key_is_stable_across_files_and_runs(tmp_path):
    turns = pd.DataFrame({
        "file": ["a.txt", "a.txt", "b.txt", "b.txt"], "speaker": ["Moderator", "Ana Lopez", "Bea Reed", "Ana Lopez"],
        "text": ["Hello Ana and Bea.", "Hi, Bea Reed is my neighbour.", "Ana Lopez said so.", "Yes."],
    })
    original = turns.copy()
    run = Redaction(pseudonymize_speakers=True, speaker_key=tmp_path / "key.csv")
    out = run.transcripts(turns)
    assert out["speaker"].tolist() == ["Moderator", "P1", "P2", "P1"]
    assert out["text"].tolist() == ["Hello P1 and P2.", "Hi, P2 is my neighbour.", "P1 said so.", "Yes."]
    pd.testing.assert_frame_equal(turns, original)  # the input frame is not modified
    assert not (tmp_path / "key.csv").exists()  # written only when asked, after the run
    run.write_key()
    key = pd.read_csv(tmp_path / "key.csv")
    assert key[["pseudonym", "speaker"]].values.tolist() == [["P1", "Ana Lopez"], ["P2", "Bea Reed"]]
    assert key["files"].tolist() == ["a.txt; b.txt", "b.txt"]
    later = Redaction(pseudonymize_speakers=True, speaker_key=tmp_path / "key.csv")
    second = later.transcripts(pd.DataFrame({"speaker": ["Cy Diaz", "Bea Reed"], "text": ["Ana was right.", "Ok."]}))
    assert second["speaker"].tolist() == ["P3", "P2"] and second["text"][0] == "P1 was right."


def test_pseudonyms_never_collide_with_existing_labels():
    key = SpeakerKey()
    key.reserved = {"P1"}
    assert key.assign("Ana") == "P2"


def test_speaker_key_needs_pseudonyms():
    from cxtext.errors import cli_spelling

    with pytest.raises(ConfigError, match="speaker_key= needs pseudonymize_speakers=True") as info:
        Redaction(speaker_key="key.csv")
    assert "--" not in str(info.value)  # Python callers see the arguments they pass
    with cli_spelling(), pytest.raises(ConfigError, match="--speaker-key needs --pseudonymize-speakers") as info:
        Redaction(speaker_key="key.csv")
    assert "=" not in str(info.value)  # the command line sees its flags only


# ---- files and the command line ----------------------------------------------------------

def _comments(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,comment,nps\n1,\"Me atendió Laura, mi móvil es 612 345 678\",3\n2,Great service,9\n3,,5\n"
                    "4,\"Mail ana@x.es, tarjeta 4327 0716 7127 0477\",1\n", encoding="utf-8")
    return path


def test_redact_file_keeps_rows_columns_and_input(tmp_path):
    path = _comments(tmp_path)
    before = path.read_bytes()
    run = Redaction()
    summary = redact_file(str(path), tmp_path / "r.csv", run)
    frame = pd.read_csv(tmp_path / "r.csv", dtype=str, keep_default_na=False)
    assert frame.columns.tolist() == ["id", "comment", "nps"] and frame["id"].tolist() == ["1", "2", "3", "4"]
    assert frame["comment"].tolist() == ["Me atendió [PERSON], mi móvil es [PHONE]", "Great service", "",
                                         "Mail [EMAIL], tarjeta [CARD]"]
    assert path.read_bytes() == before and summary.rows == 4
    assert run.counts["PERSON"] == 1 and "PHONE 1" in run.summary()


def test_cli_redact_table_and_errors(tmp_path):
    path = _comments(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["redact", str(path), "--text", "comment", "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    assert "Redacted 4 item(s) in 4 row(s)" in result.output
    again = runner.invoke(main, ["redact", str(path), "-o", str(tmp_path / "r.csv")])
    assert again.exit_code == 2 and "already exists" in again.output and "Traceback" not in again.output
    wrong = runner.invoke(main, ["redact", str(path), "--text", "coment", "-o", str(tmp_path / "x.csv")])
    assert wrong.exit_code == 2 and "'comment'" in wrong.output and not (tmp_path / "x.csv").exists()
    same = runner.invoke(main, ["redact", str(path), "-o", str(path), "--force"])
    assert same.exit_code == 2 and "input" in same.output
    key = runner.invoke(main, ["redact", str(path), "--speaker-key", "k.csv", "-o", str(tmp_path / "y.csv")])
    assert key.exit_code == 2 and "--pseudonymize-speakers" in key.output
    tables = runner.invoke(main, ["redact", str(path), "--pseudonymize-speakers", "-o", str(tmp_path / "z.csv")])
    assert tables.exit_code == 2 and "transcripts" in tables.output


def test_cli_redact_transcripts_with_pseudonyms(tmp_path):
    runner = CliRunner()
    out, key = tmp_path / "turns.csv", tmp_path / "key.csv"
    result = runner.invoke(main, ["redact", str(MEETINGS / "committee_en.txt"), "--pseudonymize-speakers",
                                  "--speaker-key", str(key), "-o", str(out)])
    assert result.exit_code == 0, result.output
    turns = pd.read_csv(out, keep_default_na=False)
    assert set(turns["speaker"]) == {"", "P1", "P2", "P3", "P4"}
    assert turns["text"][8] == "Order, please. Mr. P4, your time is up."
    assert turns["speaker_label"][4] == "Ms. P3 (Director General, Consumer Protection Branch, Department of Commerce)"
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"Calloway|Pell|Whitfield|Tate", text)  # no name left in the output
    assert "Whitfield" in key.read_text(encoding="utf-8")  # only in the key


def test_cli_tag_redact_offsets_point_into_the_redacted_text(tmp_path):
    path = _comments(tmp_path)
    out = tmp_path / "tagged.csv"
    result = CliRunner().invoke(main, ["tag", str(path), "--text", "comment", "--redact", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tagged = pd.read_csv(out, keep_default_na=False)
    assert tagged["comment"][0] == "Me atendió [PERSON], mi móvil es [PHONE]"
    spans = [(text, s) for text, cell in zip(tagged["comment"], tagged["topic_evidence"])
             for items in json.loads(cell or "{}").values() for s in items]
    assert spans and all(text[s["start"]:s["end"]] == s["text"] for text, s in spans)
    assert "Laura" not in out.read_text(encoding="utf-8")


def test_cli_tag_redaction_options_need_redact(tmp_path):
    result = CliRunner().invoke(main, ["tag", str(_comments(tmp_path)), "--text", "comment", "--pseudonymize-speakers",
                                       "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 2 and "--redact" in result.output


def test_every_entity_type_has_a_placeholder():
    assert set(redact_api.PLACEHOLDERS) == set(ENTITY_TYPES)


def test_redacting_transcripts_without_pseudonyms_says_the_names_stay(tmp_path):
    result = CliRunner().invoke(main, ["redact", str(MEETINGS / "committee_en.txt"), "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 0, result.output
    assert "still holds names" in result.output
    turns = pd.read_csv(tmp_path / "t.csv", keep_default_na=False)
    assert "Hon. Ruth Calloway" in set(turns["speaker"]) and "Mr. [PERSON], your time is up." in turns["text"][8]


def test_pseudonyms_need_a_speaker_column():
    with pytest.raises(ConfigError, match="'speaker' column"):
        Redaction(pseudonymize_speakers=True).transcripts(pd.DataFrame({"text": ["hi"]}))
