"""``lexicon`` backend: a rule and lexicon analyzer that needs no training.

Polarity comes from small hand-written lexicons per language (``cxtext/data/lexicons``; for en
and pt also the VADER and LeIA word lists, MIT) with
negation scope, intensifiers, contrast (``but``/``pero``/``ma``/``mas``: the clause after the
marker weighs more), emoji/emoticons, elongations and exclamation marks; the sum is squashed
to [-1, 1] like VADER's compound score. Emotions are the Plutchik-8 cues of the words found.
It is transparent and fast, but weaker than the trained ``fast`` backend, whose features
include these cues.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..schema import EMOTIONS, LANGUAGES
from .base import Backend, Prediction, check_inputs, label_from_score
from .features import CUE_NAMES, TextFeatures

__all__ = ["LexiconBackend"]

_COMPOUND = CUE_NAMES.index("compound")
_EMO0 = len(CUE_NAMES) - len(EMOTIONS)


class LexiconBackend(Backend):
    """Rule/lexicon sentiment and emotion (no training, no model files).

    Args:
        neutral_band: scores within this distance of zero are ``neutral``.
        emotion_threshold: an emotion is reported when its probability reaches this value
            (one cue word gives 0.5).

    Example:
        >>> backend = LexiconBackend()
        >>> [p.sentiment for p in backend.analyze(["no es bueno", "😡", "ottimo!"], ["es", "en", "it"])]
        ['negative', 'negative', 'positive']
    """

    name = "lexicon"

    def __init__(self, neutral_band: float = 0.1, emotion_threshold: float = 0.5) -> None:
        self.neutral_band = neutral_band
        self.emotion_threshold = emotion_threshold
        self._features: TextFeatures | None = None

    def _feats(self) -> TextFeatures:
        if self._features is None:
            self._features = TextFeatures(LANGUAGES)
        return self._features

    def scores(self, texts: Sequence[str], langs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Compound polarity per text and emotion probabilities (n x 8), as arrays."""
        check_inputs(texts, langs)
        cues, _ = self._feats().extract(texts, langs)
        score = np.clip(cues[:, _COMPOUND], -1.0, 1.0)
        emo = 1.0 - np.power(0.5, cues[:, _EMO0:])  # 1 cue -> 0.5, 2 -> 0.75, ...
        return score, emo

    def analyze(self, texts: Sequence[str], langs: Sequence[str]) -> list[Prediction]:
        """One :class:`Prediction` per text (see :class:`~cxtext.backends.base.Backend`)."""
        score, emo = self.scores(texts, langs)
        out = []
        for s, e in zip(score.tolist(), emo.tolist()):
            proba = {"negative": max(-s, 0.0), "neutral": 1.0 - abs(s), "positive": max(s, 0.0)}
            out.append(
                Prediction(
                    sentiment=label_from_score(s, self.neutral_band),
                    score=s,
                    sentiment_proba=proba,
                    emotions=tuple(l for l, p in zip(EMOTIONS, e) if p >= self.emotion_threshold),
                    emotion_proba=dict(zip(EMOTIONS, e)),
                )
            )
        return out

    def describe(self) -> dict[str, str]:
        """Name of the backend and of its lexicons."""
        return {"backend": self.name, "lexicons": "cxtext/data/lexicons (hand-written; VADER en, LeIA pt; MIT)"}
