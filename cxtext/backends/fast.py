"""``fast`` backend: trained linear models over hashed n-grams and lexicon cues (numpy only).

Features per text (see :mod:`cxtext.backends.features`): hashed words (``n:``-marked inside a
negation scope), word bigrams and character 3-5-grams, plus the dense lexicon cues (negation,
intensifiers, contrast, emoji, elongation, emotion words). Models:

* emotion: one logistic regression per Plutchik-8 label over all four languages, with a
  threshold per label (and per language, where dev preferred it) chosen on a development split
  (``models/fast_emotion.npz``);
* sentiment: one multinomial logistic regression over the same features plus the emotion
  model's eight logits, shared by the four languages (``models/fast_sentiment.npz``; models
  before cxtext-fast-3 had one per language, which still load);
* topics: one logistic regression per CX topic over the same features, with the ``(keep,
  add)`` thresholds of :mod:`cxtext.topics.contextual` (``models/fast_topics.npz``).

Weights are stored as NPZ arrays + JSON metadata and scored with sparse matrix products, so
neither scikit-learn estimators nor pickles are loaded. The recipe is
``models/recipes/train_fast.py``; model cards ``models/fast_sentiment.md`` and
``models/fast_emotion.md``.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..schema import CX_TOPICS, EMOTIONS, LANGUAGES, SENTIMENTS
from .base import Backend, Prediction, check_inputs
from .features import CUE_NAMES, TextFeatures, TokenHasher

__all__ = ["FastBackend", "LinearModels", "design_matrix"]

SENTIMENT_FILE = "fast_sentiment"
EMOTION_FILE = "fast_emotion"
TOPIC_FILE = "fast_topics"


def design_matrix(hashed, cues: np.ndarray, cue_scale: np.ndarray, extra: np.ndarray | None = None):
    """``[hashed n-grams | scaled lexicon cues | extra dense columns]`` as one CSR matrix."""
    from scipy import sparse

    blocks = [hashed, sparse.csr_matrix(cues * cue_scale)]
    if extra is not None:
        blocks.append(sparse.csr_matrix(extra.astype(np.float32)))
    return sparse.hstack(blocks, format="csr", dtype=np.float32)


@dataclass
class LinearModels:
    """The two shipped models as arrays (loaded from ``cxtext.models``).

    Attributes:
        meta: hashing parameters, cue scale, labels, thresholds, versions (JSON metadata).
        emo_coef: (8, n_columns) emotion weights; ``emo_intercept`` (8,).
        thresholds: (8,) probability threshold per emotion label, shared (the fallback).
        lang_thresholds: {lang: (8,)} thresholds per language where the model has them
            (chosen on dev; see ``models/fast_emotion.md``); other languages use ``thresholds``.
        sent_coef: {lang: (3, n_columns + 8)} sentiment weights; ``sent_intercept`` {lang: (3,)}
            (the same arrays for every language when the model is shared).
        topic_coef: (6, n_columns) CX-topic weights over the same columns (``topic_intercept``
            (6,)), or ``None`` for models without a topic head; its ``(keep, add)`` thresholds
            are ``meta["topics"]["rule"]``.
    """

    meta: dict
    emo_coef: np.ndarray
    emo_intercept: np.ndarray
    thresholds: np.ndarray
    sent_coef: dict[str, np.ndarray]
    sent_intercept: dict[str, np.ndarray]
    lang_thresholds: dict[str, np.ndarray] | None = None
    topic_coef: np.ndarray | None = None
    topic_intercept: np.ndarray | None = None

    def thresholds_for(self, lang: str) -> np.ndarray:
        """The (8,) emotion thresholds used for texts in ``lang``."""
        return (self.lang_thresholds or {}).get(lang, self.thresholds)

    @classmethod
    def load(cls, package: str | os.PathLike = "cxtext.models") -> "LinearModels":
        """Read ``fast_sentiment.{npz,json}``, ``fast_emotion.{npz,json}`` and (when there)
        ``fast_topics.{npz,json}`` from ``package``: a package name, or a folder (the ``--out``
        of ``models/recipes/train_fast.py``)."""
        base = Path(package) if isinstance(package, os.PathLike) else resources.files(package)
        try:
            sent_meta = json.loads((base / f"{SENTIMENT_FILE}.json").read_text(encoding="utf-8"))
            emo_meta = json.loads((base / f"{EMOTION_FILE}.json").read_text(encoding="utf-8"))
            with (base / f"{SENTIMENT_FILE}.npz").open("rb") as fh:
                sent = dict(np.load(fh))
            with (base / f"{EMOTION_FILE}.npz").open("rb") as fh:
                emo = dict(np.load(fh))
            topic_meta, topics = None, None
            if (base / f"{TOPIC_FILE}.npz").is_file():
                topic_meta = json.loads((base / f"{TOPIC_FILE}.json").read_text(encoding="utf-8"))
                with (base / f"{TOPIC_FILE}.npz").open("rb") as fh:
                    topics = dict(np.load(fh))
        except (FileNotFoundError, OSError, ValueError) as exc:
            where = f"folder {str(package)!r}" if isinstance(package, os.PathLike) else f"package {package!r}"
            raise ModelError(
                f"cannot load the fast models from {where} ({exc}); reinstall cxtext "
                "or retrain them with: python models/recipes/train_fast.py --data DATA_DIR"
            ) from None
        if sent_meta.get("hasher") != emo_meta.get("hasher"):
            raise ModelError(
                "fast_sentiment and fast_emotion were trained with different hashing settings "
                f"({sent_meta.get('hasher')} vs {emo_meta.get('hasher')}); retrain both with "
                "models/recipes/train_fast.py"
            )
        if topic_meta is not None and topic_meta.get("hasher") != sent_meta.get("hasher"):
            raise ModelError(
                f"{TOPIC_FILE} was trained with other hashing settings than {SENTIMENT_FILE}; retrain "
                "them together with models/recipes/train_fast.py"
            )
        langs = sent_meta["languages"]
        return cls(
            meta={"sentiment": sent_meta, "emotion": emo_meta, "topics": topic_meta},
            emo_coef=emo["coef"].astype(np.float32),
            emo_intercept=emo["intercept"].astype(np.float32),
            thresholds=emo["thresholds"].astype(np.float32),
            sent_coef=_per_language(sent, "coef", langs),
            sent_intercept=_per_language(sent, "intercept", langs),
            lang_thresholds={
                lang: emo[f"thresholds_{lang}"].astype(np.float32)
                for lang in langs
                if f"thresholds_{lang}" in emo
            },
            topic_coef=None if topics is None else topics["coef"].astype(np.float32),
            topic_intercept=None if topics is None else topics["intercept"].astype(np.float32),
        )


def _per_language(arrays: dict[str, np.ndarray], name: str, langs: Sequence[str]) -> dict[str, np.ndarray]:
    """``{lang: array}``: one array shared by every language (``name``), or one per language
    (``name_<lang>``, models before cxtext-fast-3)."""
    if name in arrays:
        shared = arrays[name].astype(np.float32)
        return dict.fromkeys(langs, shared)
    return {lang: arrays[f"{name}_{lang}"].astype(np.float32) for lang in langs}


class FastBackend(Backend):
    """Trained linear sentiment + emotion, offline, numpy only (the default backend).

    Args:
        batch_size: texts featurised per sparse batch.
        model_dir: a folder of fast models (``models/recipes/train_fast.py --out``) to use
            instead of the shipped ones (``Analyzer(backend_options={"model_dir": ...})``).

    Example:
        >>> backend = FastBackend()
        >>> pred = backend.analyze(["El servicio fue excelente 😊"], ["es"])[0]
        >>> pred.sentiment, pred.score > 0
        ('positive', True)
    """

    name = "fast"

    def __init__(self, batch_size: int = 4096, model_dir: str | os.PathLike | None = None) -> None:
        self.batch_size = batch_size
        self.model_dir = None if model_dir is None else Path(model_dir)
        self._models: LinearModels | None = None
        self._features: TextFeatures | None = None
        self._hasher: TokenHasher | None = None

    def _load(self) -> LinearModels:
        if self._models is None:
            models = LinearModels.load() if self.model_dir is None else LinearModels.load(self.model_dir)
            params = models.meta["sentiment"]["hasher"]
            self._hasher = TokenHasher(
                n_features=params["n_features"],
                char_ngrams=tuple(params["char_ngrams"]) if params["char_ngrams"] else None,
                bigrams=params["bigrams"],
            )
            self._features = TextFeatures(LANGUAGES)
            self._cue_scale = np.asarray(models.meta["sentiment"]["cue_scale"], dtype=np.float32)
            if list(models.meta["sentiment"]["cue_names"]) != list(CUE_NAMES):
                raise ModelError(
                    "the shipped fast model was trained with other lexicon cues than this code "
                    "computes; retrain it with models/recipes/train_fast.py"
                )
            self._models = models
        return self._models

    def proba(self, texts: Sequence[str], langs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Sentiment probabilities (n x 3, order of SENTIMENTS) and emotion probabilities (n x 8).

        Example:
            >>> sent, emo = FastBackend().proba(["I love it", "sono molto arrabbiato"], ["en", "it"])
            >>> sent.shape, emo.shape
            ((2, 3), (2, 8))
        """
        sent, emo, _ = self._proba(texts, langs)
        return sent, emo

    def _proba(self, texts: Sequence[str], langs: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """:meth:`proba` plus the CX-topic probabilities (n x 6; ``None`` without a topic head)."""
        from scipy.special import expit, softmax

        check_inputs(texts, langs)
        models = self._load()
        n = len(texts)
        sent = np.zeros((n, len(SENTIMENTS)), dtype=np.float32)
        emo = np.zeros((n, len(EMOTIONS)), dtype=np.float32)
        topics = None if models.topic_coef is None else np.zeros((n, len(CX_TOPICS)), dtype=np.float32)
        langs = [lang if lang in models.sent_coef else "en" for lang in langs]
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            chunk_texts = [t if isinstance(t, str) else "" for t in texts[start:stop]]
            chunk_langs = langs[start:stop]
            cues, tokens = self._features.extract(chunk_texts, chunk_langs)
            X = design_matrix(self._hasher.transform(tokens), cues, self._cue_scale)
            emo_logit = X @ models.emo_coef.T + models.emo_intercept
            emo[start:stop] = expit(emo_logit)
            if topics is not None:
                topics[start:stop] = expit(X @ models.topic_coef.T + models.topic_intercept)
            lang_arr = np.asarray(chunk_langs)
            groups = [(lang, np.flatnonzero(lang_arr == lang)) for lang in np.unique(lang_arr)]
            if len({id(models.sent_coef[lang]) for lang, _ in groups}) == 1:  # one shared model
                groups = [(groups[0][0], np.arange(stop - start))] if groups else []
            for lang, rows in groups:
                Xl = X[rows]
                coef = models.sent_coef[lang]
                logits = Xl @ coef[:, : X.shape[1]].T + emo_logit[rows] @ coef[:, X.shape[1]:].T
                sent[start + rows] = softmax(logits + models.sent_intercept[lang], axis=1)
        return sent, emo, topics

    def analyze(self, texts: Sequence[str], langs: Sequence[str]) -> list[Prediction]:
        """One :class:`Prediction` per text (see :class:`~cxtext.backends.base.Backend`)."""
        sent, emo, topics = self._proba(texts, langs)
        models = self._models
        fall_back = {lang: lang if lang in models.sent_coef else "en" for lang in set(langs)}
        thresholds = (
            np.stack([models.thresholds_for(fall_back[lang]) for lang in langs])
            if len(langs)
            else models.thresholds
        )
        score = np.clip(sent[:, 2] - sent[:, 0], -1.0, 1.0)
        label_idx = sent.argmax(axis=1)
        above = emo >= thresholds
        topic_rows = [{}] * len(texts) if topics is None else [dict(zip(CX_TOPICS, row)) for row in topics.tolist()]
        out = []
        for s, li, sp, ep, ab, tp in zip(score.tolist(), label_idx.tolist(), sent.tolist(), emo.tolist(), above,
                                         topic_rows):
            out.append(
                Prediction(
                    sentiment=SENTIMENTS[li],
                    score=s,
                    sentiment_proba=dict(zip(SENTIMENTS, sp)),
                    emotions=tuple(e for e, a in zip(EMOTIONS, ab) if a),
                    emotion_proba=dict(zip(EMOTIONS, ep)),
                    topic_proba=tp,
                )
            )
        return out

    def topic_rule(self) -> dict[str, tuple[float, float]]:
        """The topic head's ``(keep, add)`` thresholds per CX topic (chosen on the CX dev split)."""
        meta = self._load().meta.get("topics") or {}
        return {t: (float(k), float(a)) for t, (k, a) in meta.get("rule", {}).items()}

    def describe(self) -> dict[str, str]:
        """Backend name and the versions of the shipped models."""
        models = self._load()
        info = {
            "backend": self.name,
            "sentiment_model": models.meta["sentiment"].get("version", ""),
            "emotion_model": models.meta["emotion"].get("version", ""),
        }
        if models.meta.get("topics"):
            info["topic_model"] = models.meta["topics"].get("version", "")
        if self.model_dir is not None:
            info["model_dir"] = str(self.model_dir)
        return info
