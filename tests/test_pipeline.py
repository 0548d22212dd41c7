"""The Analyzer: aggregation, topic sentiment, evidence, caching, DataFrame contract."""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxtext
from cxtext.aggregate import aggregate_predictions, topic_sentiment
from cxtext.backends import register_backend
from cxtext.backends.base import Backend, Prediction
from cxtext.errors import ColumnError, ConfigError
from cxtext.schema import CX_TOPICS, EMOTIONS, output_columns
from cxtext.topics.base import TopicMatch


def _p(score: float) -> Prediction:
    label = "positive" if score > 0.05 else "negative" if score < -0.05 else "neutral"
    proba = {"negative": max(0.0, -score), "neutral": 1 - abs(score), "positive": max(0.0, score)}
    return Prediction(label, score, proba)


def test_strong_negative_and_positive_do_not_average_to_neutral():
    assert aggregate_predictions([_p(0.8), _p(-0.8)]).sentiment == "negative"
    assert aggregate_predictions([_p(0.9), _p(-0.3)]).sentiment == "positive"


def test_neutral_sentences_do_not_dilute_a_complaint():
    result = aggregate_predictions([_p(0.0), _p(0.0), _p(-0.7)])
    assert result.sentiment == "negative"
    assert result.score < -0.5


def test_single_prediction_is_kept_and_empty_is_neutral():
    one = _p(0.4)
    assert aggregate_predictions([one]) is one
    assert aggregate_predictions([]).sentiment == "neutral"


def test_at_most_three_emotions_the_most_probable():
    from cxtext.schema import EMOTIONS

    proba = dict(zip(EMOTIONS, [0.9, 0.2, 0.8, 0.3, 0.1, 0.7, 0.4, 0.6]))
    many = Prediction("negative", -0.5, {}, EMOTIONS, proba)
    assert aggregate_predictions([many]).emotions == ("anger", "disgust", "sadness")
    few = Prediction("negative", -0.5, {}, ("anger",), proba)
    assert aggregate_predictions([few, few]).emotions == ("anger",)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([0.8, -0.8], "mixed"), ([0.8, 0.0], "positive"), ([-0.5], "negative"), ([0.0], "neutral")],
)
def test_topic_sentiment(scores, expected):
    assert topic_sentiment([_p(s) for s in scores]) == expected



def _neutral(positive: float, negative: float) -> Prediction:
    return Prediction("neutral", positive - negative,
                      {"negative": negative, "neutral": 1 - positive - negative, "positive": positive})


def test_topic_clause_called_neutral_counts_as_its_likelier_polarity_unless_clearly_neutral():
    assert topic_sentiment([_neutral(0.30, 0.05)]) == "positive"
    assert topic_sentiment([_neutral(0.05, 0.30)]) == "negative"
    assert topic_sentiment([_neutral(0.10, 0.05)]) == "neutral"  # both below TOPIC_POLAR_MIN
    assert topic_sentiment([_neutral(0.30, 0.05), _p(-0.8)]) == "mixed"
    assert topic_sentiment([_neutral(0.30, 0.05)], polar_min=None) == "neutral"


def test_topic_whose_clauses_disagree_takes_a_polar_verdict():
    praise, complaint = _p(0.8), _p(-0.8)
    assert topic_sentiment([praise, complaint], verdict="positive") == "positive"
    assert topic_sentiment([praise, complaint], verdict="negative") == "negative"
    assert topic_sentiment([praise, complaint], verdict="neutral") == "mixed"
    assert topic_sentiment([praise, complaint]) == "mixed"
    # clauses that agree keep their polarity whatever the verdict
    assert topic_sentiment([complaint, _p(0.0)], verdict="positive") == "negative"


def test_analyzer_topic_conflict_option(fake_models):
    text = "Great product, great staff, great delivery, lovely store. Bad product."
    by_verdict = cxtext.Analyzer(verdict_weight=0.6, **fake_models)(text)
    strict = cxtext.Analyzer(verdict_weight=0.6, topic_conflict="mixed", **fake_models)(text)
    assert by_verdict.sentiment == strict.sentiment == "positive"
    assert by_verdict.topic_sentiment["product"] == "positive"
    assert strict.topic_sentiment["product"] == "mixed"
    assert by_verdict.topic_sentiment["people"] == strict.topic_sentiment["people"] == "positive"
    assert cxtext.Analyzer(**fake_models).describe()["topic_conflict"] == "verdict"
    with pytest.raises(ConfigError, match="topic_conflict"):
        cxtext.Analyzer(topic_conflict="average", **fake_models).prepare()


def test_analyzer_topic_polar_min_option(fake_models):
    assert cxtext.Analyzer(topic_polar_min=None).describe()["topic_polar_min"] == "off"
    assert cxtext.Analyzer().describe()["topic_polar_min"] == "0.15"
    with pytest.raises(ConfigError, match="topic_polar_min"):
        cxtext.Analyzer(topic_polar_min=1.5).prepare()

def _reading_backend(name: str, read) -> None:
    """Register a test backend ``name`` that reads each text with ``read(text) -> Prediction``."""

    class _Reading(Backend):
        def analyze(self, texts, langs):
            return [read(text) for text in texts]

    _Reading.name = name
    register_backend(name)(_Reading)


def _emotional_neutral(text: str) -> Prediction:
    """Neutral, with a weak anticipation and, after "scared", a strong fear."""
    proba = dict.fromkeys(EMOTIONS, 0.0) | {"anticipation": 0.3, "fear": 0.9 if "scared" in text else 0.0}
    emotions = tuple(e for e in EMOTIONS if proba[e] >= 0.25)
    return Prediction("neutral", 0.0, {"negative": 0.1, "neutral": 0.8, "positive": 0.1}, emotions, proba)


def _opposed(text: str) -> Prediction:
    """Praise for a text with "thanks", else a complaint; every text shows some anger and joy."""
    praise = "thanks" in text.lower()
    proba = dict.fromkeys(EMOTIONS, 0.0) | ({"anger": 0.6, "joy": 0.8} if praise else {"anger": 0.95, "joy": 0.5})
    sentiment = {"negative": 0.1, "neutral": 0.1, "positive": 0.8}
    if not praise:
        sentiment = {"negative": 0.8, "neutral": 0.1, "positive": 0.1}
    return Prediction("positive" if praise else "negative", 0.7 if praise else -0.7, sentiment, ("anger", "joy"), proba)


def _graded(text: str) -> Prediction:
    """Clear praise for a text with "great", a weak complaint (0.5 / 0.2 / 0.3) for any other."""
    if "great" in text.lower():
        return Prediction("positive", 0.85, {"negative": 0.05, "neutral": 0.05, "positive": 0.9})
    return Prediction("negative", -0.2, {"negative": 0.5, "neutral": 0.2, "positive": 0.3})


_reading_backend("calm-test", _emotional_neutral)
_reading_backend("opposed-test", _opposed)
_reading_backend("graded-test", _graded)


def test_a_neutral_reading_keeps_only_its_strong_emotions(fake_models):
    text = "Do you open on Sundays? I am scared I will miss it."
    calm = cxtext.Analyzer(backend="calm-test")(text)
    assert calm.emotions == ("fear",)
    assert [s.prediction.emotions for s in calm.sentences] == [(), ("fear",)]
    assert calm.prediction.emotion_proba["anticipation"] == 0.3  # the probabilities stay
    every = cxtext.Analyzer(backend="calm-test", neutral_emotion_min=None)(text)
    assert every.emotions == ("anticipation", "fear")
    assert cxtext.Analyzer(backend="calm-test", neutral_emotion_min=0.95)(text).emotions == ()
    assert cxtext.Analyzer(**fake_models).describe()["neutral_emotion_min"] == "0.5"
    assert cxtext.Analyzer(neutral_emotion_min=None, **fake_models).describe()["neutral_emotion_min"] == "off"
    with pytest.raises(ConfigError, match="neutral_emotion_min"):
        cxtext.Analyzer(neutral_emotion_min=2, **fake_models).prepare()


def test_a_parameter_changed_after_prepare_takes_effect(fake_models):
    analyzer = cxtext.Analyzer(**fake_models).prepare()
    first = analyzer.backend_
    analyzer.analyze(["Great product."])
    assert analyzer.prepare().backend_ is first  # nothing changed: nothing reloaded
    analyzer.backend = "lexicon"
    assert analyzer("The staff were lovely").sentiment == "positive"
    assert analyzer.describe()["backend"] == "lexicon" and not hasattr(analyzer.backend_, "calls")
    assert analyzer.set_params(backend="keywords", verdict_weight=0.0) is analyzer
    assert analyzer.get_params()["verdict_weight"] == 0.0
    analyzer.analyze(["Great product."])
    assert analyzer.backend_ is not first and analyzer.backend_.calls == [["Great product."]]  # cache emptied
    analyzer.set_params(languages=["es"])
    assert list(analyzer.prepare().detector_.languages) == ["es"] and analyzer.default_lang_ == "es"
    with pytest.raises(ConfigError, match="no parameter.*'backends'"):
        analyzer.set_params(backends="lexicon")
    analyzer.verdict_weight = 2.0
    with pytest.raises(ConfigError, match="verdict_weight"):
        analyzer("Great product.")


def test_a_parameter_changed_in_place_takes_effect(fake_models):
    analyzer = cxtext.Analyzer(languages=["en", "es"], **fake_models).prepare()
    assert analyzer.default_lang_ == "en"
    analyzer.languages.remove("en")
    assert analyzer.prepare().default_lang_ == "es"


def test_great_product_awful_delivery(fake_models):
    analyzer = cxtext.Analyzer(verdict_weight=0, **fake_models)  # the clauses' aggregate alone
    result = analyzer("The product is great but the delivery was a nightmare")
    assert result.language == "en"
    assert result.topic_sentiment == {"product": "positive", "process": "negative"}
    assert result.sentiment == "negative"
    assert [c.text for s in result.sentences for c in s.clauses] == [
        "The product is great", "but the delivery was a nightmare"]


def test_evidence_offsets_point_into_the_comment(fake_models):
    text = "Hola. El producto es bueno, pero la entrega llegó tarde y el precio es caro."
    result = cxtext.Analyzer(lang="es", **fake_models)(text)
    assert set(result.topics) == {"price", "product", "process"}
    for items in result.evidence.values():
        for item in items:
            assert text[item["start"]:item["end"]] == item["text"]
    assert result.topic_sentiment["product"] == "positive"
    assert result.topic_sentiment["process"] == "negative"


def test_a_polar_reading_keeps_only_the_strong_emotions_of_the_other_valence(fake_models):
    praise = cxtext.Analyzer(backend="opposed-test")("It broke, they fixed it, thanks")
    complaint = cxtext.Analyzer(backend="opposed-test")("It broke and nobody came")
    assert praise.emotions == ("joy",)  # anger 0.6 < 0.9 in a positive reading
    assert complaint.emotions == ("anger",)  # joy 0.5 < 0.9 in a negative reading
    assert praise.prediction.emotion_proba["anger"] == 0.6  # the probabilities stay
    assert cxtext.Analyzer(backend="opposed-test", opposed_emotion_min=0.55)("thanks").emotions == ("anger", "joy")
    assert cxtext.Analyzer(backend="opposed-test", opposed_emotion_min=None)("no").emotions == ("anger", "joy")
    assert cxtext.Analyzer(**fake_models).describe()["opposed_emotion_min"] == "0.9"
    with pytest.raises(ConfigError, match="opposed_emotion_min"):
        cxtext.Analyzer(opposed_emotion_min=-1, **fake_models).prepare()


def test_unique_clauses_are_analysed_once(fake_models):
    analyzer = cxtext.Analyzer(**fake_models)
    analyzer.analyze(["Great product.", "Great product.", "Great product. Bad delivery.",
                      "Great product. Bad delivery."])
    analyzed = [t for call in analyzer.backend_.calls for t in call]
    # each clause once, and each comment of several clauses once as a whole (its verdict)
    assert sorted(analyzed) == ["Bad delivery.", "Great product.", "Great product. Bad delivery."]


def test_verdict_of_the_whole_comment_is_mixed_with_the_clauses(fake_models):
    text = "Great room, great staff, great food, lovely view. Bad parking."
    clauses_only = cxtext.Analyzer(verdict_weight=0, **fake_models)(text)
    with_verdict = cxtext.Analyzer(verdict_weight=0.6, **fake_models)(text)
    assert clauses_only.sentiment == "negative"  # the complaint outweighs in the aggregate
    assert with_verdict.sentiment == "positive"  # the whole review reads positive
    assert with_verdict.topic_sentiment == clauses_only.topic_sentiment
    with pytest.raises(ConfigError, match="verdict_weight"):
        cxtext.Analyzer(verdict_weight=2, **fake_models).prepare()


def test_topic_clause_is_read_in_its_comment(fake_models):
    text = "Great store, I go every week. The delivery came on Monday."
    read = cxtext.Analyzer(backend="graded-test", lang="en")(text)
    alone = cxtext.Analyzer(backend="graded-test", lang="en", topic_verdict_weight=0)(text)
    assert read.sentiment == alone.sentiment == "positive"
    assert alone.topic_sentiment["process"] == "negative"  # the delivery clause on its own
    assert read.topic_sentiment["process"] == "positive"  # leaning on the comment's verdict
    assert read.topic_sentiment["place"] == alone.topic_sentiment["place"] == "positive"
    assert cxtext.Analyzer().describe()["topic_verdict_weight"] == "0.5"
    with pytest.raises(ConfigError, match="topic_verdict_weight"):
        cxtext.Analyzer(topic_verdict_weight=-0.1).prepare()


@pytest.mark.parametrize("reservation", ["Only the delivery came on Monday.", "But the delivery came on Monday."])
def test_a_clause_that_sets_itself_apart_keeps_its_own_reading(fake_models, reservation):
    result = cxtext.Analyzer(backend="graded-test", lang="en")(f"Great store, I go every week. {reservation}")
    assert result.sentiment == "positive"
    assert result.topic_sentiment["process"] == "negative"


def test_a_one_clause_comment_is_its_own_context(fake_models):
    result = cxtext.Analyzer(backend="graded-test", lang="en")("The delivery came on Monday.")
    assert result.topic_sentiment == {"process": "negative"}


def test_in_comment_mixes_the_probabilities_and_a_tie_keeps_the_clause():
    from cxtext.aggregate import in_comment

    clause, comment = _p(-0.6), _p(0.6)
    half = in_comment(clause, comment, 0.5)
    assert half.sentiment_proba == pytest.approx({"negative": 0.3, "neutral": 0.4, "positive": 0.3})
    assert half.sentiment == "neutral"
    assert in_comment(_p(-1.0), _p(1.0), 0.5).sentiment == "negative"  # 0.5 / 0.5: the clause's own
    assert in_comment(_p(1.0), _p(-1.0), 0.5).sentiment == "positive"
    assert in_comment(clause, comment, 0.0).sentiment_proba == clause.sentiment_proba


def test_small_cache_never_drops_what_the_batch_needs(fake_models):
    analyzer = cxtext.Analyzer(cache_size=2, **fake_models)
    first = analyzer.analyze(["great product.", "bad delivery.", "kind staff."])
    again = analyzer.analyze(["kind staff.", "great product. bad delivery. new words here."])
    assert [r.sentiment for r in first] == ["positive", "negative", "neutral"]
    assert [r.sentiment for r in again] == ["neutral", "negative"]
    assert len(analyzer.cache_) <= 4


def test_tag_returns_new_frame_with_contract_columns(fake_models):
    frame = pd.DataFrame({"id": [3, 1, 2], "comment": ["great product", None, "   "]}, index=[10, 11, 12])
    before = frame.copy()
    tagged = cxtext.tag(frame, text="comment", **fake_models)
    pd.testing.assert_frame_equal(frame, before)
    assert list(tagged.columns) == ["id", "comment"] + output_columns(CX_TOPICS)
    assert list(tagged.index) == [10, 11, 12]
    assert tagged["sentiment"].tolist() == ["positive", "", ""]
    assert tagged["language"].tolist()[1:] == ["und", "und"]
    assert math.isnan(tagged["sentiment_score"].iloc[1])
    assert tagged["topics"].iloc[0] == ["product"]
    assert json.loads(tagged["topic_evidence"].iloc[0]) == {
        "product": [{"text": "product", "start": 6, "end": 13}]}
    assert tagged["sentiment_product"].tolist() == ["positive", "", ""]
    assert tagged["sentiment_price"].tolist() == ["", "", ""]


def test_existing_output_column_needs_prefix(fake_models):
    frame = pd.DataFrame({"comment": ["great"], "sentiment": ["x"]})
    with pytest.raises(ColumnError, match="prefix="):
        cxtext.tag(frame, text="comment", **fake_models)
    tagged = cxtext.tag(frame, text="comment", prefix="cx_", **fake_models)
    assert tagged["sentiment"].tolist() == ["x"]
    assert tagged["cx_sentiment"].tolist() == ["positive"]


def test_text_column_is_inferred_or_explained(fake_models):
    frame = pd.DataFrame({"id": ["1", "2"], "channel": ["web", "app"],
                          "comment": ["the delivery was late again", "great product and kind staff"]})
    assert cxtext.tag(frame, **fake_models)["sentiment"].tolist() == ["negative", "positive"]
    frame["other"] = ["this is another long text", "and one more long text"]
    with pytest.raises(ColumnError, match="2 text-like columns.*text="):
        cxtext.tag(frame, **fake_models)
    with pytest.raises(ColumnError, match="did you mean 'comment'"):
        cxtext.tag(frame, text="coment", **fake_models)


def test_extra_codebook_adds_columns(fake_models):
    tagged = cxtext.tag(pd.DataFrame({"c": ["I bought it, support was bad"]}), text="c",
                        codebooks=("default", "journey"), **fake_models)
    assert tagged["journey"].iloc[0] == ["purchase", "support"]
    assert "journey_evidence" in tagged.columns


def test_bad_options_are_clear(fake_models):
    with pytest.raises(ConfigError, match="unsupported language 'fr'"):
        cxtext.Analyzer(lang="fr", **fake_models).prepare()
    with pytest.raises(ConfigError, match="unknown backend 'nope'.*'fast'"):
        cxtext.Analyzer(backend="nope").prepare()


def test_fixed_language_and_default(fake_models):
    analyzer = cxtext.Analyzer(languages=["es", "pt"], **fake_models)
    assert analyzer("ok").language == "es"
    assert analyzer("O atendimento foi péssimo e a entrega atrasou").language == "pt"
    assert cxtext.Analyzer(lang="it", **fake_models)("ottimo").language == "it"


texts = st.one_of(st.none(), st.just(""), st.just("   "), st.just("😀👍"), st.text(max_size=60),
                  st.sampled_from(["great product", "bad delivery. great staff!", "precio caro"]))


@settings(max_examples=40, deadline=None)
@given(st.lists(texts, max_size=25))
def test_rows_in_equal_rows_out_in_order(fake_models_session, values):
    frame = pd.DataFrame({"key": list(range(len(values))), "comment": values})
    tagged = fake_models_session.tag(frame, text="comment")
    assert tagged["key"].tolist() == list(range(len(values)))
    assert tagged["comment"].tolist() == frame["comment"].tolist()
    assert set(tagged["sentiment"]) <= {"positive", "neutral", "negative", ""}


@pytest.fixture(scope="module")
def fake_models_session():
    # hypothesis and function-scoped fixtures do not mix: build one analyzer for the module
    mp = pytest.MonkeyPatch()
    import cxtext.topics
    from conftest import KeywordTopics

    mp.setattr(cxtext.topics, "resolve_detectors", lambda **kw: [KeywordTopics()], raising=False)
    analyzer = cxtext.Analyzer(backend="keywords").prepare()
    yield analyzer
    mp.undo()


class _CountingEq(str):
    """Evidence text that counts how often it is compared."""

    calls = [0]

    def __eq__(self, other):  # noqa: ANN001, ANN204
        _CountingEq.calls[0] += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_evidence_work_grows_linearly_with_matches(fake_models, monkeypatch):
    # comparisons counted, not seconds: collecting evidence by `item in list` compares every
    # match with every earlier one (a 1M-character comment took minutes)
    import cxtext.topics
    from conftest import KeywordTopics

    class CountingTopics(KeywordTopics):
        def detect(self, texts, langs):
            return [[TopicMatch(m.topic, m.start, m.end, _CountingEq(m.text)) for m in found]
                    for found in super().detect(texts, langs)]

    monkeypatch.setattr(cxtext.topics, "resolve_detectors", lambda **_: [CountingTopics()], raising=False)
    analyzer = cxtext.Analyzer(backend="keywords")

    def comparisons(n: int) -> int:
        _CountingEq.calls[0] = 0
        analyzer(" ".join(f"delivery {i} was late, but price {i} was fine," for i in range(n)))
        return _CountingEq.calls[0]

    assert comparisons(800) <= 5 * max(comparisons(200), 1)


def test_a_comment_that_makes_the_backend_raise_gets_empty_tags_and_one_warning(fake_models):
    frame = pd.DataFrame({"comment": ["great product", "BOOM great", "awful delivery", None] * 30})
    analyzer = cxtext.Analyzer(backend="flaky")
    with pytest.warns(cxtext.errors.CxtextWarning, match=r"30 of 120 comments could not be analysed.*ValueError: cannot handle BOOM") as caught:
        tagged = analyzer.tag(frame, text="comment")
    assert len([w for w in caught if "could not be analysed" in str(w.message)]) == 1
    assert tagged["sentiment"].tolist()[:4] == ["positive", "", "negative", ""]
    assert math.isnan(tagged["sentiment_score"].iloc[1]) and tagged["topics"].iloc[1] == []
    result = analyzer("BOOM")
    assert result.failed and result.empty and analyzer("great").sentiment == "positive"


@pytest.mark.parametrize("options", [{"fail_all": True}, {"config_error": True}])
def test_a_backend_that_fails_on_everything_still_stops_the_run(fake_models, options):
    analyzer = cxtext.Analyzer(backend="flaky", backend_options=options)
    with pytest.raises((ValueError, ConfigError), match="BOOM|misconfigured"):
        analyzer.analyze(["great product", "awful delivery", "kind staff"])


def test_language_fallbacks_are_counted_in_one_warning(fake_models):
    frame = pd.DataFrame({"comment": ["ok", "si", "Customer service was excellent and very fast"] * 700})
    with pytest.warns(cxtext.errors.CxtextWarning) as caught:
        cxtext.Analyzer(**fake_models).tag(frame, text="comment")
    lines = [str(w.message) for w in caught]
    assert lines == ["1,400 of 2,100 comments were too short or ambiguous to detect their language and "
                     "were analysed as 'en' (set it with default_lang=)"]


def test_forced_languages_are_counted(fake_models):
    frame = pd.DataFrame({"comment": ["I was on hold for 45 minutes and nobody ever answered the phone",
                                      "Me cobraron dos veces y nadie me devolvió el dinero"]})
    with pytest.warns(cxtext.errors.CxtextWarning, match="1 looked clearly written in a language not in es,pt"):
        cxtext.Analyzer(languages=["es", "pt"], **fake_models).tag(frame, text="comment")


def test_progress_bar_shows_rows_per_second_even_when_slow():
    from cxtext.pipeline import progress_bar

    bar = progress_bar(3, enabled=True)
    try:
        slow = bar.format_meter(n=1, total=3, elapsed=6.5, unit=bar.unit, unit_scale=True,
                                rate=1 / 6.5, bar_format=bar.bar_format)
        fast = bar.format_meter(n=120_000, total=None, elapsed=10, unit=bar.unit, unit_scale=True,
                                rate=12_000, bar_format="{n_fmt} rows [{elapsed}, {rate_noinv_fmt}]")
    finally:
        bar.close()
    assert "0.15 rows/s" in slow and "s/" not in slow.replace("rows/s", "")
    assert "12.0k rows/s" in fast
