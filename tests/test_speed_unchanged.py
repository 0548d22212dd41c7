"""Speed changes leave every output unchanged: each fast path against the plain one it replaced,
on a few thousand real comments (see ``tests/_real_texts.py``)."""
from __future__ import annotations

import numpy as np
import pytest

from cxtext.backends import features
from cxtext.backends.features import TextFeatures, TokenHasher

from _real_texts import real_texts


@pytest.fixture(scope="module")
def tokens():
    texts, langs = real_texts()
    assert len(texts) >= 500
    return TextFeatures().extract(list(texts), list(langs))[1]


def test_mmh3_hashes_as_scikit_learn(tokens, monkeypatch):
    from sklearn.utils import murmurhash3_32

    fast = TokenHasher().transform(tokens)
    monkeypatch.setattr(features, "_MURMUR", murmurhash3_32)
    plain = TokenHasher().transform(tokens)
    assert fast.shape == plain.shape and (fast != plain).nnz == 0
    keys = {t for toks in tokens for t in toks} | {"ñandú", "😡", "日本"}
    monkeypatch.setattr(features, "_MURMUR", None)
    ours = features._murmurhash()
    assert ours is not murmurhash3_32
    assert [ours("c:" + k, seed=0, positive=True) for k in keys] == \
        [int(murmurhash3_32("c:" + k, seed=0, positive=True)) for k in keys]
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate fails as in scikit-learn (mmh3 would crash)
        ours("w:\ud800", seed=0, positive=True)


def test_sentence_starts_are_spacys_on_real_texts():
    from cxtext.segment import _splitter

    texts, langs = real_texts()
    for lang in sorted(set(langs)):
        splitter = _splitter(lang)
        mine = [text for text, code in zip(texts, langs) if code == lang]
        mine += [t.replace(" ", "  ") for t in mine[:100]] + [t.replace(". ", ".\n") for t in mine[:100]]
        for text in mine:
            assert splitter.sentence_starts(text) == splitter._spacy_starts(text), text
