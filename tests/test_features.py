"""Tests of the shared text features (normalisation, negation, contrast, emoji, hashing)."""
from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxtext.backends import features

from cxtext.backends.features import CUE_NAMES, TextFeatures, TokenHasher, load_lexicon, normalize

COMPOUND = CUE_NAMES.index("compound")


@pytest.fixture(scope="module")
def feats() -> TextFeatures:
    return TextFeatures()


def cue(feats: TextFeatures, text: str, lang: str, name: str) -> float:
    cues, _ = feats.extract([text], [lang])
    return float(cues[0, CUE_NAMES.index(name)])


def test_normalize_strips_accents_masks_and_cuts_elongation() -> None:
    assert normalize("NÃO @Ana https://x.co/a Buenooooo", "pt") == "nao @user url buenoo"


_REFERENCE_PATTERNS = {  # the plain forms of the patterns features.py writes for speed
    "_SPACES_RE": (r"[^\S\n]+", " "),
    "_APOS_RE": (r"(?<=\w)['’](?=\w)", " "),
    "_ELONG_RE": (r"(\w)\1{2,}", r"\1\1"),
}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aab '’\t\n\u00a0\u2003_9ÀÀ."), max_size=24) | st.text(max_size=24))
def test_fast_patterns_replace_what_their_plain_forms_replace(text: str) -> None:
    for name, (plain, replacement) in _REFERENCE_PATTERNS.items():
        fast = getattr(features, name)
        assert fast.sub(replacement, text) == re.sub(plain, replacement, text), name
        assert [m.start() for m in fast.finditer(text)] == [m.start() for m in re.finditer(plain, text)] \
            or name == "_SPACES_RE"  # a lone plain space is left alone: same text, fewer matches


def test_english_apostrophes_join_romance_apostrophes_split() -> None:
    assert normalize("don't", "en") == "dont"
    assert normalize("l'amore", "it") == "l amore"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("no es bueno", "es"), ("non è buono", "it"), ("não é bom", "pt"), ("it is not good", "en")],
)
def test_negation_flips_positive_word(feats: TextFeatures, text: str, lang: str) -> None:
    assert cue(feats, text, lang, "compound") < 0
    assert cue(feats, text, lang, "negated_pos") == 1
    _, tokens = feats.extract([text], [lang])
    assert any(t.startswith("n:") for t in tokens[0])


def test_negation_scope_ends_at_punctuation(feats: TextFeatures) -> None:
    _, tokens = feats.extract(["no, bueno"], ["es"])
    assert tokens[0] == ["no", "bueno"]


def test_portuguese_no_is_not_a_negator(feats: TextFeatures) -> None:
    # "no" is "em + o" (in the) in Portuguese
    assert cue(feats, "gostei no hotel", "pt", "compound") > 0


@pytest.mark.parametrize(
    ("text", "lang", "sign"),
    [
        ("The room was great but the staff was rude", "en", -1),
        ("La habitación era fea, pero el personal fue excelente", "es", 1),
        ("La camera era bella ma il servizio pessimo", "it", -1),
        ("O quarto era ruim, mas a equipe foi ótima", "pt", 1),
    ],
)
def test_clause_after_contrast_carries_the_verdict(feats: TextFeatures, text: str, lang: str, sign: int) -> None:
    assert cue(feats, text, lang, "contrast") == 1
    assert np.sign(cue(feats, text, lang, "compound")) == sign


@pytest.mark.parametrize(
    ("text", "lang", "token"),
    [
        ("El precio es muy alto.", "es", "=price_high"),
        ("Altos precios en todo", "es", "=price_high"),
        ("Il canone è altissimo", "it", "=price_high"),
        ("A mensalidade é muito alta", "pt", "=price_high"),
        ("Low prices, friendly staff", "en", "=price_low"),
        ("O preço não é baixo", "pt", "n:=price_low"),
    ],
)
def test_a_level_word_beside_a_price_word_reads_as_a_price_level(
    feats: TextFeatures, text: str, lang: str, token: str
) -> None:
    _, tokens = feats.extract([text], [lang])
    assert token in tokens[0]
    assert np.sign(cue(feats, text, lang, "compound")) == (1 if token in ("=price_low", "n:=price_high") else -1)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("La calidad es muy alta", "es"),  # no price word
        ("Prezzo giusto. Qualità alta", "it"),  # the clause ended before the level word
        ("the price was fine but the volume is too high", "en"),  # a contrast marker between
        ("the fee covers everything and the sound quality stays really high", "en"),  # too far
    ],
)
def test_a_level_word_away_from_a_price_word_keeps_its_meaning(feats: TextFeatures, text: str, lang: str) -> None:
    _, tokens = feats.extract([text], [lang])
    assert not any("=price_" in t for t in tokens[0]), tokens[0]


def test_negated_high_price_is_not_a_complaint(feats: TextFeatures) -> None:
    assert cue(feats, "El precio no es alto", "es", "compound") > 0 > cue(feats, "El precio es alto", "es", "compound")


def test_emoji_and_emoticons(feats: TextFeatures) -> None:
    assert cue(feats, "😡", "en", "compound") < 0
    assert cue(feats, "😡", "en", "emo_anger") == 1
    assert cue(feats, "ok :)", "en", "emoji_pos") > 0
    assert cue(feats, "ok :(", "es", "emoji_neg") > 0


def test_intensifier_and_elongation_strengthen(feats: TextFeatures) -> None:
    plain = cue(feats, "bueno", "es", "compound")
    assert cue(feats, "muy bueno", "es", "compound") > plain
    assert cue(feats, "buenísimooo", "es", "compound") > plain
    assert cue(feats, "buenísimooo", "es", "elongations") == 1


def test_empty_and_symbol_only_text(feats: TextFeatures) -> None:
    cues, tokens = feats.extract(["", "...", "   "], ["en", "es", "it"])
    assert tokens == [[], [], []]
    assert not cues[:, COMPOUND].any()


def test_unknown_language_falls_back_to_english(feats: TextFeatures) -> None:
    assert cue(feats, "not good", "fr", "compound") < 0


@pytest.mark.parametrize("lang", ["es", "it", "pt", "en"])
def test_every_language_has_a_lexicon(lang: str) -> None:
    lexicon = load_lexicon(lang)
    assert len(lexicon) > 100
    assert {p > 0 for p, _ in lexicon.values()} == {True, False}


def test_hasher_is_deterministic_binary_and_normalised() -> None:
    tokens = [["muy", "bueno", "bueno"], [], ["n:bueno"]]
    a = TokenHasher(n_features=2**12).transform(tokens)
    b = TokenHasher(n_features=2**12).transform(tokens)
    assert (a != b).nnz == 0
    norms = np.sqrt(np.asarray(a.multiply(a).sum(axis=1)).ravel())
    np.testing.assert_allclose(norms, [1.0, 0.0, 1.0], rtol=1e-5)
    assert len(set(a.data.round(5))) <= 2  # binary features, one norm per row
    assert a[0].nnz > 3  # words + bigram + char n-grams


def test_negated_token_gets_its_own_column() -> None:
    h = TokenHasher(n_features=2**16, char_ngrams=None, bigrams=False)
    pos, neg = h.transform([["bueno"], ["n:bueno"]])
    assert set(pos.indices) != set(neg.indices)


@pytest.mark.parametrize(
    ("text", "lang", "sign"),
    [
        ("nadie responde, una tomadura de pelo", "es", -1),
        ("muy buen servicio, de lujo", "es", 1),
        ("servizio da evitare", "it", -1),
        ("non vedo l'ora", "it", 1),
    ],
)
def test_multiword_lexicon_entries_are_one_cue(feats: TextFeatures, text: str, lang: str, sign: int) -> None:
    assert np.sign(cue(feats, text, lang, "compound")) == sign


def test_fixed_phrase_overrides_its_words(feats: TextFeatures) -> None:
    # "consiglio" alone is praise (I recommend); the council of ministers is not
    assert cue(feats, "lo consiglio", "it", "compound") > 0
    assert cue(feats, "il consiglio dei ministri", "it", "compound") == 0


@pytest.mark.parametrize("lang", ["es", "it", "pt", "en"])
def test_lexicon_rows_are_well_formed(lang: str) -> None:
    for term, (polarity, emotions) in load_lexicon(lang).items():
        assert -3 <= polarity <= 3, term
        assert term == term.lower() and "\t" not in term, term
