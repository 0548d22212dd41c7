"""Batches of transcripts: inputs, units, exclusion, roles, failures, the public API."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxtext.transcripts as transcripts
from cxtext.errors import ColumnError, ConfigError, InputError, InputFileNotFoundError, TranscriptError, TranscriptWarning, UnsupportedFormatError
from cxtext.transcripts import coded_segments, expand_inputs, read_transcript, read_transcripts

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"


@pytest.fixture()
def folder(tmp_path):
    for name in ("zoom.vtt", "teams.vtt", "qa.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "~$qa.docx").write_bytes(b"lock")
    (tmp_path / "sub").mkdir()
    shutil.copy(FIXTURES / "subtitles.srt", tmp_path / "sub" / "s.srt")
    return tmp_path


def test_public_api_names_import():
    for name in transcripts.__all__:
        assert getattr(transcripts, name) is not None
    assert set(transcripts.TRANSCRIPT_EXTENSIONS) == {".txt", ".vtt", ".srt", ".docx"}


# ---- expand_inputs -----------------------------------------------------------------------

def test_expand_folder_sorted_skips_other_files(folder):
    assert [p.name for p in expand_inputs([str(folder)])] == ["qa.txt", "teams.vtt", "zoom.vtt"]


def test_expand_globs_files_and_duplicates(folder):
    found = expand_inputs([str(folder / "zoom.vtt"), str(folder / "**" / "*.srt"), str(folder / "*.vtt")])
    assert [p.name for p in found] == ["zoom.vtt", "s.srt", "teams.vtt"]


def test_expand_errors(folder):
    with pytest.raises(InputFileNotFoundError):
        expand_inputs([str(folder / "missing.vtt")])
    with pytest.raises(UnsupportedFormatError):
        expand_inputs([str(folder / "notes.csv")])
    with pytest.raises(InputError, match="matches no transcript"):
        expand_inputs([str(folder / "*.mp3")])
    with pytest.raises(InputError, match="holds no transcript"):
        expand_inputs([str(_empty(folder))])


def _empty(folder):
    path = folder / "empty"
    path.mkdir()
    return path


# ---- units and columns -------------------------------------------------------------------

def test_batch_columns_order_and_dtypes(folder):
    batch = read_transcripts(expand_inputs([str(folder)]))
    frame = batch.frame
    assert frame.columns.tolist() == ["file", "turn", "speaker", "start", "end", "text", "nonspeech"]
    assert [Path(f).name for f in dict.fromkeys(frame["file"])] == ["qa.txt", "teams.vtt", "zoom.vtt"]
    assert frame["turn"].dtype == "int64" and frame["start"].dtype == float
    assert frame.loc[frame["file"].str.endswith("qa.txt"), "start"].isna().all()
    assert batch.failures == [] and len(batch.files) == 3


def test_unit_cue_keeps_cues_with_turn_numbers():
    frame = read_transcript(FIXTURES / "zoom.vtt", unit="cue")
    assert frame.columns.tolist() == ["file", "turn", "cue", "speaker", "start", "end", "text", "nonspeech"]
    assert frame["cue"].tolist() == [1, 2, 3, 4, 5]
    assert frame["turn"].tolist() == [1, 2, 2, 3, 4]
    assert frame["text"][2] == "And nobody answered the phone."


def test_unit_sentence_splits_turns():
    frame = read_transcript(FIXTURES / "qa.txt", unit="sentence")
    assert frame.columns.tolist() == ["file", "turn", "sentence", "speaker", "start", "end", "text", "nonspeech"]
    last = frame[frame["turn"] == 4]
    assert last["sentence"].tolist() == [1, 2]
    assert last["text"].tolist() == ["Because shipping is expensive.", "It costs more than the product sometimes."]
    assert (last["speaker"] == "A").all()


def test_unknown_unit():
    with pytest.raises(ConfigError, match="'paragraph'.*'turn', 'cue', 'sentence'"):
        read_transcripts([FIXTURES / "qa.txt"], unit="paragraph")


# ---- exclusion ---------------------------------------------------------------------------

def test_exclude_speakers_exact_case_insensitive_and_regex():
    frame = read_transcript(FIXTURES / "teams.vtt", exclude_speakers=["MODERATOR"])
    assert frame["speaker"].tolist() == ["Maria Silva", "João Costa"]
    assert frame["turn"].tolist() == [2, 3]  # turn numbers still point into the file
    frame = read_transcript(FIXTURES / "colon.txt", exclude_speakers=["participant \\d+", ""])
    assert frame["speaker"].tolist() == ["Interviewer", "Interviewer", "Mary"]


def test_exclude_pattern_that_matches_nobody_warns():
    with pytest.warns(TranscriptWarning, match="'Moderatr' matched no speaker"):
        read_transcripts([FIXTURES / "teams.vtt"], exclude_speakers=["Moderatr"])


def test_exclude_literal_name_with_regex_characters(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Dr. Li (PI): hi\nAna: hey\nDr. Li (PI): bye\nAna: bye\n", encoding="utf-8")
    assert read_transcript(path, exclude_speakers=["dr. li (pi)"])["speaker"].tolist() == ["Ana", "Ana"]


# ---- roles -------------------------------------------------------------------------------

def test_roles_merged_after_speaker_with_warning_for_missing():
    with pytest.warns(TranscriptWarning, match=r"2 speaker\(s\).*'Moderator \(teams.vtt\)', 'João Costa \(teams.vtt\)'"):
        frame = read_transcript(FIXTURES / "teams.vtt", speakers=FIXTURES / "roles.csv")
    assert frame.columns.tolist() == ["file", "turn", "speaker", "role", "participant_id", "age_group", "start", "end", "text", "nonspeech"]
    maria = frame[frame["speaker"] == "Maria Silva"].iloc[0]
    assert (maria["role"], maria["participant_id"], maria["age_group"]) == ("customer", "P07", "25-34")
    assert frame.loc[frame["speaker"] == "João Costa", "role"].tolist() == [""]


def test_roles_missing_error_and_ignore():
    with pytest.raises(InputError, match="João Costa"):
        read_transcript(FIXTURES / "teams.vtt", speakers=FIXTURES / "roles.csv", missing_speakers="error")
    with pytest.warns(TranscriptWarning, match="Moderatr"):  # only the exclusion warning, no roles warning
        read_transcript(FIXTURES / "teams.vtt", speakers=FIXTURES / "roles.csv", missing_speakers="ignore",
                        exclude_speakers=["Moderatr"])


def test_roles_per_file_and_case_insensitive(tmp_path):
    one, two = tmp_path / "p01.txt", tmp_path / "p02.txt"
    one.write_text("Interviewer: hi\nParticipant: hello\n", encoding="utf-8")
    two.write_text("Interviewer: hi\nParticipant: hey\n", encoding="utf-8")
    roles = pd.DataFrame({"File": ["p01", "p02.txt", ""], "Speaker": ["participant", "PARTICIPANT", "interviewer"],
                          "pid": ["P01", "P02", "staff"]})
    frame = read_transcripts([one, two], speakers=roles).frame
    assert frame["pid"].tolist() == ["staff", "P01", "staff", "P02"]
    assert roles.columns.tolist() == ["File", "Speaker", "pid"]  # caller's frame untouched


def test_roles_names_are_known_labels(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Interviewer: hi\nParticipant 1: hello\nJohn: once only\n", encoding="utf-8")
    roles = pd.DataFrame({"speaker": ["John", "Interviewer", "Participant 1"], "role": ["c", "s", "c"]})
    assert read_transcript(path, speakers=roles)["speaker"].tolist() == ["Interviewer", "Participant 1", "John"]


@pytest.mark.parametrize("roles, error, match", [
    (pd.DataFrame({"name": ["Ana"]}), ColumnError, "no 'speaker' column"),
    (pd.DataFrame({"speaker": ["Ana"], "text": ["x"]}), ColumnError, "'text'"),
    (pd.DataFrame({"speaker": ["Ana"], "sentiment": ["x"]}), ColumnError, "'sentiment'"),
    (pd.DataFrame({"speaker": ["Ana", "ana"], "role": ["a", "b"]}), InputError, "twice"),
])
def test_roles_table_errors(roles, error, match):
    with pytest.raises(error, match=match):
        read_transcripts([FIXTURES / "qa.txt"], speakers=roles)


# ---- failures ----------------------------------------------------------------------------

def test_failures_in_a_batch_do_not_stop_the_others(tmp_path):
    bad_docx = tmp_path / "bad.docx"
    bad_docx.write_bytes(b"not a zip")
    batch = read_transcripts([FIXTURES / "qa.txt", FIXTURES / "broken.vtt", bad_docx, tmp_path / "gone.txt",
                              FIXTURES / "zoom.vtt"])
    assert [Path(f).name for f in dict.fromkeys(batch.frame["file"])] == ["qa.txt", "zoom.vtt"]
    assert [(Path(f.file).name, f.line) for f in batch.failures] == [
        ("broken.vtt", 8), ("bad.docx", None), ("gone.txt", None)]
    assert all(Path(f.file).name in f.message for f in batch.failures)


def test_all_failing_gives_empty_frame_with_columns():
    batch = read_transcripts([FIXTURES / "broken.vtt"])
    assert batch.frame.empty and batch.frame.columns.tolist() == ["file", "turn", "speaker", "start", "end", "text", "nonspeech"]
    assert len(batch.failures) == 1


def test_read_transcript_raises():
    with pytest.raises(TranscriptError, match="broken.vtt, line 8"):
        read_transcript(FIXTURES / "broken.vtt")
    with pytest.raises(InputFileNotFoundError):
        read_transcript(FIXTURES / "nope.vtt")


# ---- invariants --------------------------------------------------------------------------

_speakers = st.sampled_from(["Interviewer", "Participant 1", "Participant 2", "Moderator"])
_words = st.lists(st.text("abcdefghij", min_size=1, max_size=6), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_speakers, _words), min_size=1, max_size=12), st.sampled_from(["txt", "vtt"]))
def test_written_turns_read_back(tmp_path_factory, utterances, fmt):
    path = tmp_path_factory.mktemp("h") / f"t.{fmt}"
    if fmt == "txt":
        path.write_text("".join(f"{s}: {t}\n" for s, t in utterances), encoding="utf-8")
    else:
        cues = "".join(f"{i}\n00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000\n<v {s}>{t}</v>\n\n"
                       for i, (s, t) in enumerate(utterances))
        path.write_text("WEBVTT\n\n" + cues, encoding="utf-8")
    expected: list[list[str]] = []
    for speaker, text in utterances:  # consecutive utterances of one speaker merge
        if expected and expected[-1][0] == speaker:
            expected[-1][1] += " " + text
        else:
            expected.append([speaker, text])
    frame = read_transcript(path)
    assert [list(x) for x in zip(frame["speaker"], frame["text"])] == expected
    assert frame["turn"].tolist() == list(range(1, len(expected) + 1))
    cues = read_transcript(path, unit="cue")
    assert len(cues) == len(utterances)


# ---- coded segments ----------------------------------------------------------------------

def test_coded_segments_one_row_per_code():
    tagged = pd.DataFrame({
        "file": ["a.vtt", "a.vtt", "b.vtt"], "turn": [1, 2, 1], "speaker": ["Ana", "Bo", "Cy"],
        "start": [1.0, float("nan"), 3.0], "end": [2.0, float("nan"), 4.0],
        "text": ["Too expensive and slow", "Nothing", "Kind staff"],
        "topics": [["price", "process"], [], "people"],
        "topic_evidence": ['{"price": [{"text": "expensive", "start": 4, "end": 13}], "process": [{"text": "slow"}]}',
                           "", "not json"],
        "sentiment_price": ["negative", "", ""], "sentiment_people": ["", "", "positive"],
    })
    original = tagged.copy()
    out = coded_segments(tagged)
    assert out.columns.tolist() == ["segment", "file", "turn", "speaker", "start", "end", "text", "code",
                                    "code_sentiment", "evidence"]
    assert list(zip(out["segment"], out["code"], out["code_sentiment"], out["evidence"])) == [
        (1, "price", "negative", "expensive"), (1, "process", "", "slow"), (3, "people", "positive", "")]
    assert len(coded_segments(tagged, include_uncoded=True)) == 4
    pd.testing.assert_frame_equal(tagged, original)
    journey = pd.DataFrame({"text": ["Paid online"], "journey": ["purchase"],
                            "journey_evidence": ['{"purchase": [{"text": "Paid"}]}']})
    assert coded_segments(journey, codes="journey")["evidence"].tolist() == ["Paid"]
    with pytest.raises(ColumnError, match="'codes_x'"):
        coded_segments(tagged, codes="codes_x")
