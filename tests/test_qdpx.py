"""REFI-QDA projects: export validated against the QDA-XML schema, import of coded projects, round trips."""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cxtext.agreement import agreement
from cxtext.cli import main
from cxtext.errors import ColumnError, ConfigError, InputError, UnsupportedFormatError
from cxtext.topics.export import topic_guid
from cxtext.topics.codebook import load_codebook
from cxtext.topics.qdpx import QDE_NAMESPACE, build_project, export_qdpx
from cxtext.topics.qdpx_read import read_qdpx

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path(os.environ.get("CXTEXT_REFI_SCHEMA", ROOT.parent / "shared" / "schemas" / "refi-qda" / "Project.xsd"))
NS = {"q": QDE_NAMESPACE}


@pytest.fixture(scope="module")
def schema():
    xmlschema = pytest.importorskip("xmlschema")
    if not SCHEMA.is_file():
        pytest.skip(f"the REFI-QDA schema is not at {SCHEMA} (set CXTEXT_REFI_SCHEMA)")
    return xmlschema.XMLSchema(str(SCHEMA))


def _evidence(text, topic, word):
    start = text.index(word)
    return json.dumps({topic: [{"text": word, "start": start, "end": start + len(word)}]})


def turns() -> pd.DataFrame:
    texts = ["How was the delivery?", "Late, and the price\nwent up.", "Sorry. [P1] noted.", "The staff were kind.",
             "Thanks."]
    return pd.DataFrame({
        "file": ["a.vtt", "a.vtt", "a.vtt", "b.vtt", "b.vtt"], "turn": [1, 2, 3, 1, 2],
        "speaker": ["Moderator", "Ana Lopez", "Moderator", "Rui <Costa> & co", "Moderator"],
        "role": ["staff", "customer", "staff", "customer", "staff"],
        "start": [1.0, 4.0, 9.0, 1.0, 5.0], "end": [3.0, 8.0, 11.0, 4.0, 6.0], "text": texts, "nonspeech": [""] * 5,
        "language": ["en"] * 5, "sentiment": ["neutral", "negative", "neutral", "positive", "positive"],
        "sentiment_score": [0.0, -0.7, 0.0, 0.8, 0.5],
        "topics": ["process", "process;price", "", "people", ""],
        "topic_evidence": [_evidence(texts[0], "process", "delivery"),
                           json.dumps({"process": [{"text": "Late", "start": 0, "end": 4}],
                                       "price": [{"text": "price", "start": 14, "end": 19}]}),
                           "{}", _evidence(texts[3], "people", "staff"), "{}"],
        "journey": ["delivery", "", "", "", ""], "journey_evidence": [_evidence(texts[0], "delivery", "delivery")] + ["{}"] * 4,
        "coder1": ["process/delivery", "price", "", "people", ""],
    })


def survey() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["r1", "r2", "r3"], "comment": ["Too expensive", "", "Kind staff,\r\nslow checkout"], "nps": ["3", "", "8"],
        "channel": ["web", "app", "web"], "sentiment": ["negative", "", "mixed"], "sentiment_score": [-0.6, None, 0.1],
        "topics": ["price", "", "people;process"], "topic_evidence": ["{}", "{}", "{}"],
    })


def _qde(path):
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde"), {n: archive.read(n).decode("utf-8") for n in archive.namelist()
                                              if n.startswith("sources/")}


def test_transcript_project_is_valid_and_complete(tmp_path, schema):
    import xml.etree.ElementTree as ET

    path = tmp_path / "p.qdpx"
    project = export_qdpx(turns(), path, codes=["coder1"])
    xml, sources = _qde(path)
    schema.validate(xml.decode("utf-8"))
    root = ET.fromstring(xml)
    assert [s.get("name") for s in root.iterfind("q:Sources/q:TextSource", NS)] == ["a.vtt", "b.vtt"]
    texts = sorted(sources.values(), key=len)
    assert "Ana Lopez: Late, and the price went up." in "\n".join(sources.values())  # one line per turn
    assert all(text.count("\n") in (1, 2) for text in texts)
    groups = [c.get("name") for c in root.iterfind("q:CodeBook/q:Codes/q:Code", NS)]
    assert groups == ["topics", "journey", "coder1"]
    price = root.find("q:CodeBook/q:Codes/q:Code/q:Code[@name='price']", NS)
    assert price.get("guid") == topic_guid(load_codebook("default"), "price")  # same GUIDs as the .qdc export
    assert project.codings == 4 + 1 + 3 and project.segments == 5  # topics, journey, coder1
    cases = {c.get("name"): c for c in root.iterfind("q:Cases/q:Case", NS)}
    assert set(cases) == {"Moderator", "Ana Lopez", "Rui <Costa> & co"}
    assert len(cases["Moderator"].findall("q:SelectionRef", NS)) == 3
    variables = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind("q:Variables/q:Variable", NS)}
    assert variables == {"role": "Text", "sentiment_balance": "Float", "mean_sentiment_score": "Float"}
    # offsets of every selection point at the turn's text in the source
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        text = sources["sources/" + source.get("plainTextPath").split("//", 1)[1]]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            piece = text[int(selection.get("startPosition")):int(selection.get("endPosition"))]
            assert piece in {t.replace("\n", " ") for t in turns()["text"]}


def test_export_is_deterministic(tmp_path):
    export_qdpx(turns(), tmp_path / "one.qdpx")
    export_qdpx(turns(), tmp_path / "two.qdpx")
    assert (tmp_path / "one.qdpx").read_bytes() == (tmp_path / "two.qdpx").read_bytes()


def test_survey_project_one_line_per_comment_and_cases_with_variables(tmp_path, schema):
    import xml.etree.ElementTree as ET

    path = tmp_path / "s.qdpx"
    export_qdpx(survey(), path, text="comment", sentiment_codes=True, name="Survey Q3")
    xml, sources = _qde(path)
    schema.validate(xml.decode("utf-8"))
    (text,) = sources.values()
    assert text.split("\n") == ["Too expensive", "", "Kind staff,  slow checkout"]
    root = ET.fromstring(xml)
    assert root.get("name") == "Survey Q3"
    cases = root.findall("q:Cases/q:Case", NS)
    assert [c.get("name") for c in cases] == ["r1", "r2", "r3"]
    sentiment_group = root.find("q:CodeBook/q:Codes/q:Code[@name='sentiment']", NS)
    assert [c.get("name") for c in sentiment_group][1:] == ["positive", "neutral", "negative"]


def test_evidence_unit_codes_the_matched_words(tmp_path, schema):
    import xml.etree.ElementTree as ET

    path = tmp_path / "e.qdpx"
    export_qdpx(turns(), path, code_unit="evidence")
    xml, sources = _qde(path)
    schema.validate(xml.decode("utf-8"))
    root = ET.fromstring(xml)
    source = root.find("q:Sources/q:TextSource", NS)
    text = sources["sources/" + source.get("plainTextPath").split("//", 1)[1]]
    coded = sorted(text[int(s.get("startPosition")):int(s.get("endPosition"))]
                   for s in source.iterfind("q:PlainTextSelection", NS) if s.find("q:Coding", NS) is not None)
    assert coded == ["Late", "delivery", "delivery", "price"]  # topics and journey evidence, not whole turns


def test_round_trip_gives_back_every_row_with_its_codes(tmp_path):
    export_qdpx(turns(), tmp_path / "p.qdpx", codes=["coder1"])
    back = read_qdpx(tmp_path / "p.qdpx")
    original = turns()
    assert back["text"].tolist() == [t.replace("\n", " ") for t in original["text"]]
    assert back["speaker"].tolist() == original["speaker"].tolist()
    assert [sorted(c) for c in back["codes"]] == [
        sorted(["process", "delivery", "process/delivery"]), ["price", "process"], [], ["people"], []]
    assert back["role"].tolist() == original["role"].tolist()  # the speakers' variables come back
    survey_back = read_qdpx(export_qdpx(survey(), tmp_path / "s.qdpx", text="comment") and tmp_path / "s.qdpx")
    assert survey_back["codes"].tolist() == [["price"], [], ["people", "process"]]
    assert survey_back["case"].tolist() == ["r1", "r2", "r3"] and survey_back["nps"].tolist()[0] == "3"
    assert "speaker" not in survey_back.columns  # "Kind staff," is a comment, not a speaker label


NVIVO_LIKE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Focus groups" origin="Other QDA 14">
 <Users>
  <User guid="{00000000-0000-0000-0000-00000000000A}" name="ana"/>
  <User guid="00000000-0000-0000-0000-00000000000b" name="rui"/>
 </Users>
 <CodeBook><Codes>
  <Code guid="10000000-0000-0000-0000-000000000001" name="price" isCodable="true"/>
  <Code guid="10000000-0000-0000-0000-000000000002" name="process" isCodable="true">
   <Code guid="10000000-0000-0000-0000-000000000003" name="delivery" isCodable="true"/>
  </Code>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="20000000-0000-0000-0000-000000000001" name="Group 1">
   <PlainTextContent>Moderator: What do you think?
Ana: The delivery was late and expensive.
Rui: Prices are fine.
Moderator: Thanks.</PlainTextContent>
   <PlainTextSelection guid="30000000-0000-0000-0000-000000000001" startPosition="39" endPosition="47" creatingUser="00000000-0000-0000-0000-00000000000a">
    <Coding guid="40000000-0000-0000-0000-000000000001"><CodeRef targetGUID="10000000-0000-0000-0000-000000000003"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="30000000-0000-0000-0000-000000000002" startPosition="35" endPosition="71">
    <Coding guid="40000000-0000-0000-0000-000000000002" creatingUser="00000000-0000-0000-0000-00000000000b"><CodeRef targetGUID="10000000-0000-0000-0000-000000000003"/></Coding>
    <Coding guid="40000000-0000-0000-0000-000000000003" creatingUser="00000000-0000-0000-0000-00000000000b"><CodeRef targetGUID="10000000-0000-0000-0000-000000000001"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="30000000-0000-0000-0000-000000000003" startPosition="77" endPosition="83" creatingUser="{00000000-0000-0000-0000-00000000000A}">
    <Coding guid="40000000-0000-0000-0000-000000000004"><CodeRef targetGUID="10000000-0000-0000-0000-000000000001"/></Coding>
   </PlainTextSelection>
  </TextSource>
 </Sources>
</Project>
"""


def test_import_of_a_project_coded_by_two_people(tmp_path, schema):
    schema.validate(NVIVO_LIKE)
    path = tmp_path / "nvivo.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", NVIVO_LIKE)
    coded = read_qdpx(path)
    assert coded["speaker"].tolist() == ["Moderator", "Ana", "Rui", "Moderator"]
    assert coded["text"][1] == "The delivery was late and expensive."
    assert coded["codes_ana"].tolist() == [[], ["process/delivery"], ["price"], []]
    assert coded["codes_rui"].tolist() == [[], ["process/delivery", "price"], [], []]
    result = agreement(coded, "codes_ana", "codes_rui")
    assert result.table.set_index("code").loc["price", "a_only"] == 1
    selections = read_qdpx(path, unit="selection")
    assert selections["text"].tolist() == ["delivery", "The delivery was late and expensive.", "Prices"]


def test_cli_export_and_import(tmp_path):
    tagged = tmp_path / "turns.csv"
    frame = turns()
    frame.to_csv(tagged, index=False)
    runner = CliRunner()
    result = runner.invoke(main, ["export", "qdpx", str(tagged), "--codes", "coder1", "-o", str(tmp_path / "p.qdpx")])
    assert result.exit_code == 0, result.output
    assert "2 source(s), 5 segment(s)" in result.output
    result = runner.invoke(main, ["import", "qdpx", str(tmp_path / "p.qdpx"), "-o", str(tmp_path / "coded.csv")])
    assert result.exit_code == 0, result.output
    coded = pd.read_csv(tmp_path / "coded.csv", keep_default_na=False)
    assert coded["codes"].tolist()[1] in ("process;price", "price;process")
    again = runner.invoke(main, ["export", "qdpx", str(tagged), "-o", str(tmp_path / "p.qdpx")])
    assert again.exit_code == 2 and "already exists" in again.output


def test_errors(tmp_path):
    with pytest.raises(UnsupportedFormatError, match=".qdpx"):
        export_qdpx(turns(), tmp_path / "p.zip")
    with pytest.raises(ColumnError, match="'coder9'"):
        build_project(turns(), codes=["coder9"])
    with pytest.raises(ConfigError, match="'span'"):
        build_project(turns(), code_unit="span")
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError, match="not a REFI-QDA project"):
        read_qdpx(bad)
    missing = tmp_path / "missing.qdpx"
    with zipfile.ZipFile(missing, "w") as archive:
        archive.writestr("project.qde", NVIVO_LIKE.replace(
            "<PlainTextContent>", '<PlainTextContent xmlns:x="y" x:a="b">').replace(
            '<TextSource guid="20000000-0000-0000-0000-000000000001" name="Group 1">',
            '<TextSource guid="20000000-0000-0000-0000-000000000001" name="Group 1" plainTextPath="internal://g1.txt">'
        ).split("<PlainTextContent")[0] + "</TextSource></Sources></Project>")
    with pytest.raises(InputError, match="g1.txt"):
        read_qdpx(missing)
    result = CliRunner().invoke(main, ["import", "qdpx", str(bad), "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "Traceback" not in result.output and not (tmp_path / "x.csv").exists()
