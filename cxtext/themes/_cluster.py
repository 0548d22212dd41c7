"""Clusters of clause vectors: k-means micro-clusters joined by Ward linkage, small ones dissolved.

The clauses are first grouped into about ten times as many micro-clusters as themes
(weighted k-means; up to 500 clauses, each clause is its own micro-cluster), which Ward's
agglomerative linkage then joins into the themes: on the
dev halves of the review sets this beat k-means alone (NMI with the gold aspects +0.01 to
+0.02, ARI +0.03 to +0.08) and, unlike Ward on every clause, its memory does not grow with the
square of the number of clauses.

Every clause joins its most similar theme unless that similarity is below the floor (the
``low_quantile`` of the fitted clauses' best similarities, unless given): clauses unlike any
theme stay unthemed instead of diluting one. A theme with fewer than ``min_size`` clauses is
dissolved and its clauses go to their next most similar theme.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Clusters", "choose_k", "cluster", "assign", "LOW_QUANTILE"]

#: Share of the fitted clauses (the least similar to any theme) left without a theme.
LOW_QUANTILE = 0.05
_MICRO_PER_THEME = 10
_MAX_MICRO = 500


@dataclass(frozen=True)
class Clusters:
    """Fitted clusters: ``centroids`` (unit rows) and the similarity ``floor``."""

    centroids: np.ndarray
    floor: float


def choose_k(n_points: float, min_size: int, max_themes: int) -> int:
    """Number of clusters to start from: about sqrt(n/2), at most ``max_themes`` and n/min_size.

    Example:
        >>> choose_k(2000, 10, 30), choose_k(50, 10, 30)
        (30, 5)
    """
    k = round(math.sqrt(n_points / 2))
    return max(1, min(k, max_themes, int(n_points // max(min_size, 1))))


def assign(x: np.ndarray, clusters: Clusters) -> tuple[np.ndarray, np.ndarray]:
    """Best cluster of each row (``-1`` below the floor) and that similarity."""
    if len(x) == 0 or len(clusters.centroids) == 0:
        return np.full(len(x), -1), np.zeros(len(x))
    sims = x @ clusters.centroids.T
    best = sims.argmax(axis=1)
    top = sims[np.arange(len(x)), best]
    return np.where(top >= clusters.floor, best, -1), top


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    position = np.searchsorted(cumulative, q * cumulative[-1])
    return float(values[order][min(position, len(values) - 1)])


def _centroids(x: np.ndarray, weights: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((k, x.shape[1]))
    np.add.at(out, labels[labels >= 0], (weights[:, None] * x)[labels >= 0])
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1.0)


def cluster(x: np.ndarray, weights: np.ndarray, k: int, min_size: int, seed: int = 0,
            floor: float | None = None) -> Clusters:
    """Fit clusters on unit rows ``x`` weighted by ``weights`` (see the module docstring).

    Returns:
        The surviving clusters; there may be none when every cluster is smaller than ``min_size``.
    """
    k = max(1, min(k, len(x)))
    labels = _micro_then_ward(x, weights, k, seed)
    centroids = _centroids(x, weights, labels, k)
    sims = x @ centroids.T
    alive = np.ones(k, dtype=bool)
    for final in (False, False, True):  # centroids move twice; the last pass keeps them fixed
        # the floor follows the current centroids, so that it leaves out LOW_QUANTILE of the clauses
        best = np.where(alive[None, :], sims, -np.inf).max(axis=1)
        level = weighted_quantile(best, weights, LOW_QUANTILE) if floor is None else float(floor)
        alive, labels, ok = _dissolve_small(sims, weights, alive, level, min_size)
        if not alive.any():
            return Clusters(np.zeros((0, x.shape[1])), level)
        if not final:
            centroids = _centroids(x, weights, np.where(ok, labels, -1), k)
            sims = x @ centroids.T
    return Clusters(centroids[alive], level)


def _micro_then_ward(x: np.ndarray, weights: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering, KMeans

    if len(x) <= _MAX_MICRO:  # few clauses: Ward on the clauses themselves
        return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x) if k > 1 else np.zeros(len(x), int)
    n_micro = min(max(_MICRO_PER_THEME * k, 100), _MAX_MICRO)
    micro = KMeans(n_clusters=n_micro, n_init=1, random_state=seed).fit(x, sample_weight=weights)
    centres = _centroids(x, weights, micro.labels_, n_micro)
    used = np.unique(micro.labels_)
    if len(used) <= k:
        return micro.labels_
    joined = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(centres[used])
    mapping = np.full(n_micro, -1)
    mapping[used] = joined
    return mapping[micro.labels_]


def _dissolve_small(sims: np.ndarray, weights: np.ndarray, alive: np.ndarray, level: float,
                    min_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop the smallest cluster until every one left gets ``min_size`` (weighted) rows."""
    alive = alive.copy()
    rows = np.arange(len(sims))
    while True:
        masked = np.where(alive[None, :], sims, -np.inf)
        labels = masked.argmax(axis=1)
        ok = masked[rows, labels] >= level
        if not alive.any():
            return alive, labels, ok
        sizes = np.bincount(labels[ok], weights=weights[ok], minlength=len(alive)).astype(float)
        sizes[~alive] = np.inf
        smallest = int(sizes.argmin())
        if sizes[smallest] >= min_size:
            return alive, labels, ok
        alive[smallest] = False
