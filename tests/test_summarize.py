"""Summaries per speaker/file and representative quotes, on small hand-made tagged tables."""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from click.testing import CliRunner

from cxtext.cli import main
from cxtext.errors import ColumnError, ConfigError
from cxtext.summarize import summarize


def _evidence(topic, text, word):
    start = text.index(word)
    return json.dumps({topic: [{"text": word, "start": start, "end": start + len(word)}]})


def tagged(as_strings: bool = False) -> pd.DataFrame:
    texts = [
        "The price is far too high for what you get.",
        "Yes.",
        "The staff at the counter were friendly and quick.",
        "Honestly the price doubled and nobody told us, it is too much.",
        "The price is fine for me, no complaints at all here really.",
        "Delivery was late again.",
    ]
    frame = pd.DataFrame({
        "file": ["a.vtt", "a.vtt", "a.vtt", "b.vtt", "b.vtt", "b.vtt"],
        "turn": [1, 2, 3, 1, 2, 2],
        "speaker": ["Ana", "Bo", "Ana", "Cy", "Bo", "Bo"],
        "start": [1.0, 5.0, 62.5, 3725.0, float("nan"), float("nan")],
        "text": texts,
        "topics": [["price"], [], ["people"], ["price"], ["price"], ["process"]],
        "sentiment": ["negative", "neutral", "positive", "negative", "positive", "negative"],
        "sentiment_score": [-0.8, 0.0, 0.9, -0.9, 0.6, -0.5],
        "emotions": [["anger"], [], ["joy", "trust"], ["anger", "surprise"], ["trust"], ["sadness"]],
        "topic_evidence": [_evidence("price", texts[0], "price"), "{}", _evidence("people", texts[2], "staff"),
                           _evidence("price", texts[3], "price"), _evidence("price", texts[4], "price"), ""],
        "sentiment_price": ["negative", "", "", "negative", "positive", ""],
        "sentiment_people": ["", "", "positive", "", "", ""],
        "sentiment_process": ["", "", "", "", "", "negative"],
    })
    if as_strings:  # as read back from CSV: everything text, lists ;-joined
        frame = frame.astype(object)
        for column in ("topics", "emotions"):
            frame[column] = [";".join(v) for v in frame[column]]
        frame = frame.map(lambda v: "" if isinstance(v, float) and math.isnan(v) else str(v))
    return frame


@pytest.mark.parametrize("as_strings", [False, True])
def test_per_speaker_table(as_strings):
    frame = tagged(as_strings)
    original = frame.copy()
    table = summarize(frame).table.set_index("speaker")
    assert table.index.tolist() == ["Ana", "Bo", "Cy"]  # order of first appearance
    ana, bo = table.loc["Ana"], table.loc["Bo"]
    assert (ana.turns, ana.rows, ana.words) == (2, 2, 19)
    assert (bo.turns, bo.rows) == (2, 3)  # b.vtt turn 2 has two rows (sentence unit)
    assert (bo.positive, bo.neutral, bo.negative) == (1, 1, 1)
    assert bo.sentiment_balance == pytest.approx(0.0)
    assert ana.sentiment_balance == pytest.approx(0.0)
    assert table.loc["Cy"].sentiment_balance == pytest.approx(-1.0)
    assert ana.mean_sentiment_score == pytest.approx(0.05)
    assert ana.dominant_emotions == "anger (1); joy (1); trust (1)"
    assert (ana.mentions_price, ana.mentions_people, ana.mentions_process) == (1, 1, 0)
    assert table["word_share"].sum() == pytest.approx(1.0, abs=1e-3)
    pd.testing.assert_frame_equal(frame, original)


def test_by_file_and_topic_table():
    result = summarize(tagged(), by="file")
    assert result.table["file"].tolist() == ["a.vtt", "b.vtt"]
    assert result.table["turns"].tolist() == [3, 2]
    topics = result.topics
    price_b = topics[(topics["file"] == "b.vtt") & (topics["topic"] == "price")].iloc[0]
    assert (price_b.mentions, price_b.positive, price_b.negative, price_b.mixed) == (2, 1, 1, 0)
    assert [c for c in result.table.columns if c.startswith("mentions_")] == [
        "mentions_price", "mentions_people", "mentions_process"]


def test_quotes_prefer_majority_view_and_spread_speakers():
    quotes = summarize(tagged(), quotes_per_topic=2).quotes
    price = quotes[quotes["topic"] == "price"]
    assert price["rank"].tolist() == [1, 2]
    assert price["topic_sentiment"].tolist() == ["negative", "negative"]  # 2 of 3 price mentions are negative
    assert sorted(price["speaker"]) == ["Ana", "Cy"]
    cy = price[price["speaker"] == "Cy"].iloc[0]
    assert (cy["file"], cy["turn"], cy["time"]) == ("b.vtt", 1, "01:02:05")
    assert quotes["topic"].tolist()[0] == "price"  # most mentioned topic first
    assert summarize(tagged(), quotes_per_topic=0).quotes.empty


def test_quotes_speaker_spread_before_second_quote():
    frame = pd.DataFrame({
        "speaker": ["Ana", "Ana", "Bo"], "text": ["The price is a scandal, far too expensive for a basic plan."] * 2 + ["Price ok."],
        "topics": ["price"] * 3, "sentiment": ["negative", "negative", "positive"],
    })
    quotes = summarize(frame, quotes_per_topic=2).quotes
    assert quotes["speaker"].tolist() == ["Ana", "Bo"]


def test_long_turn_is_cut_to_the_evidence_sentence():
    text = ("I want to start with the onboarding, which took ages and needed three calls with support. "
            "Then the invoice came and the price was higher than the quote we were given. "
            "Anyway the rest was fine overall.")
    frame = pd.DataFrame({"speaker": ["Ana"], "text": [text], "topics": ["price"], "sentiment": ["negative"],
                          "topic_evidence": [_evidence("price", text, "price")]})
    quote = summarize(frame, max_quote_words=20).quotes["quote"][0]
    assert quote == "… Then the invoice came and the price was higher than the quote we were given. …"


def test_blank_group_and_minimal_columns():
    frame = pd.DataFrame({"speaker": ["Ana", "", None], "text": ["a b", "c", "d e f"]})
    table = summarize(frame).table
    assert table["speaker"].tolist() == ["Ana", "(none)"]
    assert table["words"].tolist() == [2, 4]
    assert math.isnan(table["sentiment_balance"][0])


def test_errors():
    with pytest.raises(ColumnError, match="'participant_id'.*--by"):
        summarize(tagged(), by="participant_id")
    with pytest.raises(ColumnError, match="'comment'"):
        summarize(tagged(), text="comment")
    with pytest.raises(ConfigError):
        summarize(tagged(), quotes_per_topic=-1)


def test_cli_summarize(tmp_path):
    path = tmp_path / "turns.csv"
    tagged(as_strings=True).to_csv(path, index=False)
    runner = CliRunner()
    out, quotes = tmp_path / "summary.csv", tmp_path / "quotes.csv"
    result = runner.invoke(main, ["summarize", str(path), "--by", "speaker", "-o", str(out), "--quotes", str(quotes)])
    assert result.exit_code == 0, result.output
    assert "Summary by speaker" in result.output and "[price]" in result.output
    assert pd.read_csv(out)["speaker"].tolist() == ["Ana", "Bo", "Cy"]
    assert set(pd.read_csv(quotes)["topic"]) == {"price", "people", "process"}
    again = runner.invoke(main, ["summarize", str(path), "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(main, ["summarize", str(path), "-o", str(out), "--force", "-q"]).output == ""
    assert "Example" in runner.invoke(main, ["summarize", "--help"]).output


def test_cli_export_segments(tmp_path):
    path = tmp_path / "turns.csv"
    tagged(as_strings=True).to_csv(path, index=False)
    out = tmp_path / "segments.csv"
    result = CliRunner().invoke(main, ["export", "segments", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    segments = pd.read_csv(out, keep_default_na=False)
    assert segments["code"].tolist() == ["price", "people", "price", "price", "process"]
    assert segments["evidence"].tolist()[:2] == ["price", "staff"]
    assert segments["code_sentiment"].tolist() == ["negative", "positive", "negative", "positive", "negative"]
