"""Transcripts of real-world meetings: titles, roles, nested parentheses, markup, name variants, scripts."""
from __future__ import annotations

import re
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtext.errors import TranscriptWarning
from cxtext.transcripts import read_transcript, read_transcripts
from cxtext.transcripts._markup import split_markup
from cxtext.transcripts._names import merge_speakers, name_key, person, split_parenthetical
from cxtext.transcripts._plain import parse_plain_text
from cxtext.transcripts._subtitles import parse_subtitles

MEETINGS = Path(__file__).parent / "fixtures" / "transcripts" / "meetings"
FILES = sorted(MEETINGS.glob("*.txt"))


def _quiet(path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TranscriptWarning)
        return read_transcript(path, **options)


# ---- labels with titles, roles and nested parentheses -----------------------------------

EXPECTED = {
    "committee_en.txt": [
        "", "Hon. Ruth Calloway", "Hon. Marcus Pell", "Hon. Ruth Calloway", "Ms. Dana Whitfield", "Mr. Owen Tate",
        "Hon. Marcus Pell", "Mr. Owen Tate", "Hon. Ruth Calloway", "Ms. Dana Whitfield"],
    "comision_es.txt": [
        "", "Valcárcel Ruiz", "El señor MORENO TALAVERA", "Valcárcel Ruiz", "Pardo Estévez",
        "El señor MORENO TALAVERA", "Valcárcel Ruiz"],
    "audizione_it.txt": ["", "PRESIDENTE", "GIULIA FERRANTE", "PRESIDENTE", "ELENA BRUNI", "GIULIA FERRANTE", "PRESIDENTE"],
    "reuniao_pt.txt": [
        "", "Rui Carvalhais", "A Sr.ª Deputada Marta Fonseca", "Rui Carvalhais", "Tiago Leal Moura",
        "A Sr.ª Deputada Marta Fonseca", "Rui Carvalhais"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_label_of_a_meeting_is_a_speaker(name):
    frame = _quiet(MEETINGS / name)
    assert frame["speaker"].tolist() == EXPECTED[name]
    assert frame["turn"].tolist() == list(range(1, len(EXPECTED[name]) + 1))
    assert not frame["text"].str.contains(r"\n[A-Z][^\n:]*:|\{|\[risas|\(inaudible", regex=True).any()


def test_labels_as_written_are_kept_and_merges_reported():
    with pytest.warns(TranscriptWarning, match=r"read 8 speaker labels as 4 speaker\(s\).*'Hon\. Ruth Calloway' <- "
                                                r"'The Chair \(Hon\. Ruth Calloway \(Lakeshore North, Ind\.\)\)', 'The Chair'"):
        batch = read_transcripts([MEETINGS / "committee_en.txt"])
    frame = batch.frame
    assert frame.columns.tolist() == ["file", "turn", "speaker", "speaker_label", "start", "end", "text", "nonspeech"]
    assert frame["speaker_label"][4] == ("Ms. Dana Whitfield (Director General, Consumer Protection Branch, "
                                         "Department of Commerce)")
    assert frame["speaker_label"][7] == "Mr. Tate"
    assert {m.speaker: m.variants for m in batch.merges}["Mr. Owen Tate"] == (
        "Mr. Owen Tate (Riverside-Elm Valley, Lib.)", "Mr. Tate")
    assert frame["text"][8] == "Order, please. Mr. Tate, your time is up."  # a name inside a turn is no label


def test_files_without_variants_have_no_speaker_label_column():
    frame = read_transcript(MEETINGS.parent / "qa.txt")
    assert "speaker_label" not in frame.columns


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_word_of_a_meeting_is_lost(path):
    """Every word of the file is in a label, the text or the non-speech markup, as often as written."""
    frame = _quiet(path, unit="cue")
    label = frame["speaker_label"] if "speaker_label" in frame.columns else frame["speaker"]
    found = Counter(w for value in [*label, *frame["text"], *frame["nonspeech"]] for w in re.findall(r"\w+", value))
    assert found == Counter(re.findall(r"\w+", path.read_text(encoding="utf-8")))


def test_markup_kept_out_of_the_text_in_its_own_column():
    frame = _quiet(MEETINGS / "committee_en.txt")
    assert frame["nonspeech"].tolist()[1:6] == ["{vocalsound}", "[inaudible]", "", "(inaudible) [laughter]", ""]
    assert frame["text"][4] == ("Thank you. Most complaints concern refunds that take more than thirty days. "
                                "I know, it is a long wait.")
    es = _quiet(MEETINGS / "comision_es.txt")
    assert es["text"][2].startswith("Gracias, presidenta. Los envíos")  # "(Rumores)." takes its full stop along
    assert es["nonspeech"][2] == "(Rumores)."


def test_speakers_table_overrides_the_merging(tmp_path):
    roles = pd.DataFrame({
        "speaker": ["Ruth Calloway", "Mr. Tate", "Mr. Owen Tate"],
        "aliases": ["The Chair; Hon. Ruth Calloway", "", ""],
        "role": ["chair", "member", "member"],
    })
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TranscriptWarning)
        frame = read_transcripts([MEETINGS / "committee_en.txt"], speakers=roles).frame
    speakers = frame["speaker"].tolist()
    assert speakers[3] == speakers[8] == "Ruth Calloway"  # the alias, spelled as in the table
    assert speakers[1] == "Ruth Calloway"  # the person named in "The Chair (Hon. Ruth Calloway (...))"
    assert speakers[5] == "Mr. Owen Tate" and speakers[7] == "Mr. Tate"  # listed apart: kept apart
    assert frame.columns.tolist()[:5] == ["file", "turn", "speaker", "speaker_label", "role"]
    assert frame["role"][3] == "chair"


def test_exclude_speaker_matches_the_label_as_written_too():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TranscriptWarning)
        frame = read_transcript(MEETINGS / "committee_en.txt", exclude_speakers=["the chair"])
    assert "Hon. Ruth Calloway" not in set(frame["speaker"])


@pytest.mark.parametrize("label, expected", [
    ("Hon. Marcus Pell (Minister of Commerce and Consumer Affairs)", ("Hon. Marcus Pell", None)),
    ("The Chair (Hon. Ruth Calloway (Lakeshore North, Ind.))", ("Hon. Ruth Calloway", "The Chair")),
    ("The Chair", ("The Chair", "The Chair")),
    ("Participant 3 (P03)", ("Participant 3 (P03)", None)),
    ("Entrevistada (Ana)", ("Ana", "Entrevistada")),
    ("O Sr. Presidente (Rui Carvalhais)", ("Rui Carvalhais", "O Sr. Presidente")),
    ("A Sr.ª Deputada Marta Fonseca (PS)", ("A Sr.ª Deputada Marta Fonseca", None)),
    ("Dr. Li (PI)", ("Dr. Li", None)),
])
def test_person_of_a_label(label, expected):
    assert person(label) == expected


def test_nested_parentheses_and_name_keys():
    assert split_parenthetical("A (b (c)) (d)") == ("A (b (c))", "d")
    assert split_parenthetical("Unbalanced (x") == ("Unbalanced (x", "")
    assert name_key("Dott.ssa Elena Bruni") == name_key("ELENA BRUNI") == "elena bruni"
    assert name_key("La señora PRESIDENTA") == "presidenta"


def test_one_word_names_join_only_a_unique_full_name_of_the_same_file():
    mapping, merges = merge_speakers([
        ("a.txt", ["Ana Lopez", "Ana", "Mr. Reed", "Tom Reed", "Bo"]),
        ("b.txt", ["Ana", "Ana Lopez", "Ana Ruiz"]),
    ])
    assert mapping[("a.txt", "Ana")] == "Ana Lopez"
    assert mapping[("a.txt", "Mr. Reed")] == "Tom Reed"  # after a title: the surname
    assert mapping[("a.txt", "Bo")] == "Bo"
    assert mapping[("b.txt", "Ana")] == "Ana"  # two Anas in b.txt: left alone
    assert {m.speaker for m in merges} == {"Ana Lopez", "Tom Reed"}


def test_unbalanced_or_sentence_like_labels_are_text():
    cues = parse_plain_text("Ana: hi\nBo: so (and this matters: the price\nAna: ok\nBo: then I said (to him): no\n")
    assert [c.speaker for c in cues] == ["Ana", "Bo", "Ana", "Bo"]
    assert cues[3].text == "then I said (to him): no"


# ---- non-Latin scripts (issue 14) -------------------------------------------------------

@pytest.mark.parametrize("text, speakers", [
    ("主持人：大家好。\n王小明：我觉得价格太高了。\n李华：我同意。\n王小明：对。\n主持人：谢谢。",
     ["主持人", "王小明", "李华", "王小明", "主持人"]),
    ("司会：ありがとうございます。\n田中：配送が遅すぎます。\n佐藤さん：値段は妥当です。\n田中：でも親切でした。\n佐藤さん：そうですね。",
     ["司会", "田中", "佐藤さん", "田中", "佐藤さん"]),
    ("사회자: 안녕하세요.\n김민수: 배송이 너무 늦어요.\n이지은: 가격은 괜찮았어요.\n김민수: 직원은 친절했어요.",
     ["사회자", "김민수", "이지은", "김민수"]),
    ("المحاور: مرحبا بكم.\nأحمد: التوصيل كان متأخرا جدا.\nفاطمة: السعر مرتفع.\nأحمد: لكن الموظفين لطفاء.\nفاطمة: صحيح.",
     ["المحاور", "أحمد", "فاطمة", "أحمد", "فاطمة"]),
    ("\u200fالمحاور: مرحبا.\n\u200fمُحَمَّد: التوصيل متأخر.\n\u200fالمحاور: لماذا؟\n\u200fمُحَمَّد: لا أعرف.",
     ["المحاور", "مُحَمَّد", "المحاور", "مُحَمَّد"]),
    ("【主持人】大家好。\n【王小明】价格太高。\n【主持人】为什么？\n【王小明】不知道。", ["主持人", "王小明", "主持人", "王小明"]),
])
def test_labels_in_scripts_without_capitals(text, speakers):
    assert [c.speaker for c in parse_plain_text(text)] == speakers


def test_cjk_labels_in_captions():
    vtt = ("WEBVTT\n\n00:01.000 --> 00:02.000\n主持人：欢迎。\n\n00:02.000 --> 00:04.000\n王小明：配送太慢了。\n\n"
           "00:04.000 --> 00:05.000\n主持人：谢谢。\n")
    assert [(c.speaker, c.text) for c in parse_subtitles(vtt)] == [("主持人", "欢迎。"), ("王小明", "配送太慢了。"), ("主持人", "谢谢。")]


def test_a_cjk_sentence_with_a_colon_is_not_a_speaker():
    cues = parse_plain_text("主持人：你好。\n王小明：我认为最重要的问题是：价格太高，而且服务很差。\n主持人：好。\n王小明：是的。")
    assert [c.speaker for c in cues] == ["主持人", "王小明", "主持人", "王小明"]


# ---- markup ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, clean, markup", [
    ("It was fine. [laughter] The queue was long.", "It was fine. The queue was long.", ["[laughter]"]),
    ("{vocalsound} Okay {disfmarker} so", "Okay so", ["{vocalsound}", "{disfmarker}"]),
    ("ok [inaudible 00:01:02], then", "ok, then", ["[inaudible 00:01:02]"]),
    ("he said (risas) bien *sighs*", "he said bien", ["(risas)", "*sighs*"]),
    ("[CROSSTALK]", "", ["[CROSSTALK]"]),
    ("I asked [the shop] (which was costly) about [NAME] and [PERSON].",
     "I asked [the shop] (which was costly) about [NAME] and [PERSON].", []),
    ("(long story) short", "(long story) short", []),
    ("Wait (long pause) yes", "Wait yes", ["(long pause)"]),
])
def test_split_markup(text, clean, markup):
    result, found = split_markup(text)
    assert result == clean and [m for _, m in found] == markup


_word = st.text("abcdefgh", min_size=1, max_size=5)
_markup = st.sampled_from(["[laughter]", "{vocalsound}", "(inaudible)", "[CROSSTALK]", "(risas)"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(_word, _markup, st.sampled_from([",", ".", "?"])), min_size=1, max_size=15))
def test_markup_split_loses_no_word(tokens):
    text = " ".join(tokens)
    clean, found = split_markup(text)
    assert Counter(re.findall(r"\w+", clean)) + Counter(w for _, m in found for w in re.findall(r"\w+", m)) == \
        Counter(re.findall(r"\w+", text))
    assert all(0 <= position <= len(clean) for position, _ in found)


def test_a_turn_of_markup_only_is_kept(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Ana: hello\nBo: [laughs]\nAna: bye\nBo: ok\n", encoding="utf-8")
    frame = read_transcript(path)
    assert frame["text"].tolist() == ["hello", "", "bye", "ok"]
    assert frame["nonspeech"].tolist() == ["", "[laughs]", "", ""]


# ---- sentence units keep their own cue times --------------------------------------------

def test_sentences_take_the_times_of_their_cues(tmp_path):
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ana>The delivery was late. I called twice.\n\n"
           "00:00:04.000 --> 00:00:09.000\n<v Ana>Nobody answered [laughs] and then\n\n"
           "00:00:09.000 --> 00:00:12.000\n<v Ana>the parcel came broken. ¿Y el precio? Caro.\n")
    path = tmp_path / "a.vtt"
    path.write_text(vtt, encoding="utf-8")
    frame = read_transcript(path, unit="sentence", lang="es")
    assert frame["text"].tolist() == ["The delivery was late.", "I called twice.",
                                      "Nobody answered and then the parcel came broken.", "¿Y el precio?", "Caro."]
    assert frame["start"].tolist() == [1.0, 1.0, 4.0, 9.0, 9.0]
    assert frame["end"].tolist() == [4.0, 4.0, 12.0, 12.0, 12.0]
    assert frame["nonspeech"].tolist() == ["", "", "[laughs]", "", ""]
    assert frame["sentence"].tolist() == [1, 2, 3, 4, 5]
