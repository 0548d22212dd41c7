"""Place clauses the encoder did not read, by their words (large inputs with the encoder).

With more distinct clauses than ``max_encoded``, themes are found among a sample of them
(chosen by a hash of their text, so the same comments give the same sample in any order);
every other clause joins the theme whose sampled clauses share most of its words: cosine
similarity of lemma TF-IDF vectors to each theme's mean vector, in the clause's own language,
with a floor (the least similar :data:`LOW_QUANTILE` of the sampled clauses fall below it).
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from ._cluster import LOW_QUANTILE, weighted_quantile

__all__ = ["WordPlacer", "sample_positions"]


def sample_positions(keys: Sequence[tuple[str, str]], size: int) -> np.ndarray:
    """Positions of the ``size`` keys with the smallest hash (all when there are fewer), sorted.

    Example:
        >>> sample_positions([("a", "en"), ("b", "en"), ("c", "en")], 5).tolist()
        [0, 1, 2]
    """
    if len(keys) <= size:
        return np.arange(len(keys))
    digests = [hashlib.blake2b(f"{lang}\x00{text}".encode(), digest_size=8).digest() for text, lang in keys]
    order = sorted(range(len(keys)), key=lambda i: digests[i])
    return np.array(sorted(order[:size]), dtype=int)


class WordPlacer:
    """Nearest theme by words: fitted on the sampled clauses and their themes."""

    def fit(self, documents: list[list[str]], langs: Sequence[str], labels: np.ndarray, weights: np.ndarray,
            k: int) -> WordPlacer:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer_ = TfidfVectorizer(analyzer=lambda doc: doc, sublinear_tf=True, dtype=np.float64)
        matrix = self.vectorizer_.fit_transform([[f"{lang}:{w}" for w in doc] for doc, lang in zip(documents, langs)])
        themed = labels >= 0
        centroids = np.zeros((k, matrix.shape[1]))
        for t in range(k):
            rows = np.nonzero(labels == t)[0]
            if len(rows):
                centroids[t] = np.asarray(matrix[rows].multiply(weights[rows][:, None]).sum(axis=0)).ravel()
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        self.centroids_ = centroids / np.where(norms > 0, norms, 1.0)
        own = np.asarray((matrix[np.nonzero(themed)[0]] @ self.centroids_.T))[
            np.arange(themed.sum()), labels[themed]] if themed.any() else np.zeros(0)
        self.floor_ = max(weighted_quantile(own, weights[themed], LOW_QUANTILE), 1e-9) if len(own) else 1.0
        return self

    def place(self, documents: list[list[str]], langs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Theme of each clause (``-1`` below the floor or without a known word) and its similarity."""
        if not documents:
            return np.zeros(0, dtype=int), np.zeros(0)
        matrix = self.vectorizer_.transform([[f"{lang}:{w}" for w in doc] for doc, lang in zip(documents, langs)])
        sims = np.asarray(matrix @ self.centroids_.T)
        best = sims.argmax(axis=1)
        top = sims[np.arange(len(documents)), best]
        return np.where(top >= self.floor_, best, -1), top
