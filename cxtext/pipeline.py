"""The Analyzer: comments in, language/sentiment/emotion/topic tags out.

Each comment is split into sentences and clauses (:mod:`cxtext.segment`); every unique clause is
analysed once by the backend and the topic detectors; clause results are aggregated to the
sentence and the comment by the rules in :mod:`cxtext.aggregate`.
"""
from __future__ import annotations

import copy
import inspect
import json
import math
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import __version__
from .aggregate import (NEUTRAL_EMOTION_MIN, OPPOSED_EMOTION_MIN, TOPIC_CONFLICTS, TOPIC_POLAR_MIN,
                        TOPIC_VERDICT_WEIGHT, VERDICT_WEIGHT, aggregate_predictions, calm_if_neutral,
                        calm_if_opposed, comment_prediction, in_comment, topic_sentiment)
from .backends import get_backend
from .backends.base import Backend, Prediction
from .cells import find_comment_column
from .errors import ColumnError, ConfigError, CxtextError, CxtextWarning, format_choices, option
from .io.tables import is_missing
from .lang import DETECTED, FALLBACK, FORCED, LanguageDetector, check_language
from .nonanswers import is_non_answer
from .schema import EMOTIONS, EMOTIONS_COLUMN, LANGUAGES, TOPICS, UNDETERMINED, output_columns
from .segment import Span, sets_itself_apart, split_comments
from .topics.base import TopicDetector, TopicMatch
from .topics.contextual import in_context
from .topics.matcher import CodebookDetector

__all__ = ["Analyzer", "CommentResult", "SentenceResult", "ClauseResult", "tag", "LIST_COLUMNS"]

_CHUNK = 2000


class _PredictionView:
    """Read-only shortcuts to ``self.prediction`` shared by sentence and comment results."""

    prediction: Prediction

    @property
    def sentiment(self) -> str:
        return self.prediction.sentiment

    @property
    def score(self) -> float:
        return self.prediction.score

    @property
    def sentiment_proba(self) -> dict[str, float]:
        return self.prediction.sentiment_proba

    @property
    def emotions(self) -> tuple[str, ...]:
        return self.prediction.emotions

    @property
    def emotion_proba(self) -> dict[str, float]:
        return self.prediction.emotion_proba


@dataclass(frozen=True)
class ClauseResult:
    """A clause with its prediction and topic matches (offsets in the comment)."""

    text: str
    start: int
    end: int
    prediction: Prediction
    matches: dict[str, tuple[TopicMatch, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SentenceResult(_PredictionView):
    """A sentence: its clauses and their aggregate."""

    text: str
    start: int
    end: int
    prediction: Prediction
    clauses: tuple[ClauseResult, ...]

    @property
    def topics(self) -> tuple[str, ...]:
        """Topics of the main topic column found in this sentence."""
        seen: dict[str, None] = {}
        for clause in self.clauses:
            for match in clause.matches.get(TOPICS, ()):
                seen.setdefault(match.topic, None)
        return tuple(seen)


@dataclass(frozen=True)
class CommentResult(_PredictionView):
    """Everything cxtext found in one comment.

    Attributes:
        text: the comment as analysed.
        language: detected or given language (``und`` when no letters).
        prediction: the comment's aggregated :class:`~cxtext.backends.Prediction`.
        sentences: per-sentence results (each with its clauses).
        topics: topics found, in codebook order (column ``topics``).
        evidence: topic -> list of ``{"text", "start", "end"}`` (offsets in :attr:`text`).
        topic_sentiment: top-level topic -> positive/neutral/negative/mixed.
        extra: for extra codebooks (``journey``, ``channel``): column -> (topics, evidence).
        empty: True when the text had nothing to analyse (empty or whitespace only) or failed.
        failed: True when the backend or a topic detector raised on this comment: its tags are
            empty and the run went on (counted in :attr:`Analyzer.stats_`).
    """

    text: str
    language: str
    prediction: Prediction
    sentences: tuple[SentenceResult, ...]
    topics: tuple[str, ...]
    evidence: dict[str, list[dict[str, Any]]]
    topic_sentiment: dict[str, str]
    extra: dict[str, tuple[tuple[str, ...], dict[str, list[dict[str, Any]]]]] = field(default_factory=dict)
    empty: bool = False
    failed: bool = False

    def __repr__(self) -> str:
        topics = ", ".join(f"{t}:{self.topic_sentiment.get(t.split('/')[0], '')}" for t in self.topics)
        return (
            f"CommentResult(language={self.language!r}, sentiment={self.sentiment!r}, "
            f"score={self.score:+.2f}, emotions={list(self.emotions)}, topics=[{topics}])"
        )


#: Output columns that hold lists (``;``-joined in CSV/TSV/XLSX).
LIST_COLUMNS: tuple[str, ...] = (EMOTIONS_COLUMN, TOPICS)


def _as_text(value: object) -> str:
    if is_missing(value):
        return ""
    return value if isinstance(value, str) else str(value)


class Analyzer:
    """Tags comments with language, sentiment, emotions and CX topics.

    Args:
        languages: languages to consider (subset of es/it/pt/en).
        lang: ``"auto"`` to detect each comment's language, or one fixed language.
        default_lang: language for short/ambiguous text; defaults to English when among
            ``languages``, else the first of ``languages``.
        backend: registered sentiment/emotion backend (``fast``, ``lexicon``, ``accurate``,
            ``transformers``); see :func:`cxtext.backends.available_backends`.
        backend_options: keyword options for the backend (e.g. ``sentiment_model`` for
            ``transformers``).
        codebooks: built-in codebook names (``default``, ``journey``, ``channel``) or YAML paths.
        topic_model: folder of a model saved by ``cxtext train topics`` (or an NLI model with
            ``zero_shot=True``).
        topic_combine: ``union`` (codebook and model) or ``model-only``.
        zero_shot: use ``topic_model`` as a zero-shot NLI topic classifier.
        topic_options: keyword options for the zero-shot detector (batch size, device...).
        prefix: prefix for every added column name (when the input already has such columns).
        topic_polar_min: a clause that mentions a topic and that the model calls neutral counts
            as positive/negative for ``sentiment_<topic>`` when that probability reaches this
            (see :data:`cxtext.aggregate.TOPIC_POLAR_MIN`); ``None`` keeps the model's label.
        topic_context: let the backend's topic model confirm, drop or add the codebook's CX
            topics clause by clause (:mod:`cxtext.topics.contextual`); ``False`` keeps the
            codebook's word matches as they are. Applies to a codebook in the ``topics`` column,
            not to a trained or zero-shot topic model.
        verdict_weight: weight of the backend's reading of a whole multi-clause comment in its
            sentiment, against the clauses' aggregate (see
            :func:`cxtext.aggregate.comment_prediction`); 0 = the clauses alone.
        topic_conflict: what ``sentiment_<topic>`` is when one clause that mentions the topic
            is positive and another negative: ``verdict`` (default), the comment's sentiment
            when it is positive or negative, else ``mixed``; ``mixed``: always ``mixed``.
        topic_verdict_weight: in a comment of several clauses, weight of the comment's
            sentiment in each topic clause's before ``sentiment_<topic>`` is read (see
            :data:`cxtext.aggregate.TOPIC_VERDICT_WEIGHT`); 0 = the topic's clauses alone.
        non_answers: read comments that say there is nothing to say ("n/a", "nada que añadir",
            "no comments, thanks") as neutral, with no topic and no emotion
            (:mod:`cxtext.nonanswers`); ``False`` reads them like any other comment.
        neutral_emotion_min: a comment or sentence read as neutral keeps only the emotions whose
            probability reaches this (see :data:`cxtext.aggregate.NEUTRAL_EMOTION_MIN`); ``None``
            keeps every emotion the backend gives.
        opposed_emotion_min: a comment or sentence read as positive keeps a negative emotion,
            and one read as negative keeps joy or trust, only when its probability reaches this
            (see :data:`cxtext.aggregate.OPPOSED_EMOTION_MIN`); ``None`` keeps them all.

    The parameters stay attributes of the same names (:meth:`get_params`, :meth:`set_params`);
    one changed after the analyzer was prepared (``analyzer.backend = "lexicon"``) takes effect at
    the next use, which prepares it anew.

    Example:
        >>> analyzer = Analyzer(languages=["es", "pt"])
        >>> analyzer("La entrega llegó tarde pero el vendedor fue muy amable")  # doctest: +ELLIPSIS
        CommentResult(language='es', sentiment='positive', ...)
    """

    def __init__(
        self,
        languages: Sequence[str] = LANGUAGES,
        *,
        lang: str = "auto",
        default_lang: str | None = None,
        backend: str = "fast",
        backend_options: dict[str, Any] | None = None,
        codebooks: Sequence[str] = ("default",),
        topic_model: str | None = None,
        topic_combine: str = "union",
        zero_shot: bool = False,
        topic_options: dict[str, Any] | None = None,
        prefix: str = "",
        cache_size: int = 20_000,
        topic_polar_min: float | None = TOPIC_POLAR_MIN,
        topic_context: bool = True,
        verdict_weight: float = VERDICT_WEIGHT,
        topic_conflict: str = "verdict",
        topic_verdict_weight: float = TOPIC_VERDICT_WEIGHT,
        non_answers: bool = True,
        neutral_emotion_min: float | None = NEUTRAL_EMOTION_MIN,
        opposed_emotion_min: float | None = OPPOSED_EMOTION_MIN,
    ) -> None:
        self.languages = languages
        self.lang = lang
        self.default_lang = default_lang
        self.backend = backend
        self.backend_options = backend_options
        self.codebooks = codebooks
        self.topic_model = topic_model
        self.topic_combine = topic_combine
        self.zero_shot = zero_shot
        self.topic_options = topic_options
        self.prefix = prefix
        self.cache_size = cache_size
        self.topic_polar_min = topic_polar_min
        self.topic_context = topic_context
        self.verdict_weight = verdict_weight
        self.topic_conflict = topic_conflict
        self.topic_verdict_weight = topic_verdict_weight
        self.non_answers = non_answers
        self.neutral_emotion_min = neutral_emotion_min
        self.opposed_emotion_min = opposed_emotion_min

    # -- set-up -----------------------------------------------------------------------
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters and their current values (as in scikit-learn)."""
        return {name: getattr(self, name) for name in _PARAMETERS}

    def set_params(self, **params: Any) -> Analyzer:
        """Change parameters (``set_params(backend="lexicon")``); the next use prepares anew.

        Raises:
            ConfigError: a name is not a parameter of :class:`Analyzer`.
        """
        unknown = [name for name in params if name not in _PARAMETERS]
        if unknown:
            raise ConfigError(f"Analyzer has no parameter(s) {format_choices(unknown)}; "
                              f"use one of {format_choices(_PARAMETERS)}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def prepare(self) -> Analyzer:
        """Validate options and load the backend and topic detectors (done on first use, and
        again at the first use after a parameter changed)."""
        params = self.get_params()
        prepared = getattr(self, "backend_", None) is not None
        if prepared and _same_params(self._prepared_with, params):
            return self
        if not 0.0 <= float(self.verdict_weight) <= 1.0:
            raise ConfigError(f"verdict_weight={self.verdict_weight!r} must be between 0 and 1 "
                              f"(default {VERDICT_WEIGHT}; 0 = the clauses alone)")
        if not 0.0 <= float(self.topic_verdict_weight) <= 1.0:
            raise ConfigError(f"topic_verdict_weight={self.topic_verdict_weight!r} must be between 0 and 1 "
                              f"(default {TOPIC_VERDICT_WEIGHT}; 0 = the topic's clauses alone)")
        if self.topic_conflict not in TOPIC_CONFLICTS:
            raise ConfigError(f"topic_conflict={self.topic_conflict!r} is not one of "
                              f"{format_choices(TOPIC_CONFLICTS)} (default 'verdict')")
        if self.topic_polar_min is not None and not 0.0 <= float(self.topic_polar_min) <= 1.0:
            raise ConfigError(f"topic_polar_min={self.topic_polar_min!r} must be between 0 and 1 "
                              f"(default {TOPIC_POLAR_MIN}; None or 1 keeps the model's neutral)")
        if self.neutral_emotion_min is not None and not 0.0 <= float(self.neutral_emotion_min) <= 1.0:
            raise ConfigError(f"neutral_emotion_min={self.neutral_emotion_min!r} must be between 0 and 1 "
                              f"(default {NEUTRAL_EMOTION_MIN}; None or 0 keeps every emotion)")
        if self.opposed_emotion_min is not None and not 0.0 <= float(self.opposed_emotion_min) <= 1.0:
            raise ConfigError(f"opposed_emotion_min={self.opposed_emotion_min!r} must be between 0 and 1 "
                              f"(default {OPPOSED_EMOTION_MIN}; None or 0 keeps every emotion)")
        languages = [check_language(code) for code in self.languages]
        if not languages:
            raise ConfigError(f"languages must name at least one of {format_choices(LANGUAGES)}")
        fixed = check_language(self.lang, allow_auto=True, allowed=languages)
        default = self.default_lang or ("en" if "en" in languages else languages[0])
        default = check_language(default, allowed=languages)
        if fixed != "auto":
            default = fixed
        from .topics import resolve_detectors

        detectors = resolve_detectors(
            codebooks=tuple(self.codebooks) or ("default",),
            topic_model=self.topic_model,
            combine=self.topic_combine,
            zero_shot=self.zero_shot,
            model_options=self.topic_options,
        )
        options = {k: v for k, v in (self.backend_options or {}).items() if v is not None}
        backend: Backend = get_backend(self.backend, **options)
        self.fixed_lang_ = None if fixed == "auto" else fixed
        self.default_lang_ = default
        # a fixed language is a one-language detector: that language, or und without letters
        self.detector_ = LanguageDetector([fixed] if self.fixed_lang_ else languages, default)
        self.topic_detectors_: list[TopicDetector] = list(detectors)
        self.main_topics_ = self.topic_detectors_[0].top_level_topics  # read for every comment
        self.cache_: OrderedDict[tuple[str, str], _Cached] = OrderedDict()
        self.verdicts_: OrderedDict[tuple[str, str], Prediction] = OrderedDict()
        if not prepared:  # prepared anew: the counts of the run so far stand
            self.stats_ = TagStats()
        self.topic_rule_ = self._topic_rule(backend, self.topic_detectors_[0])
        self.backend_ = backend
        # containers are copied, so changing one in place (backend_options["x"] = ...) counts too
        self._prepared_with = {k: copy.copy(v) if isinstance(v, (list, dict, set)) else v for k, v in params.items()}
        return self

    def _topic_rule(self, backend: Backend, main: TopicDetector) -> dict[str, tuple[float, float]]:
        """The backend's topic rule for the main codebook's CX topics (empty: matches stand)."""
        if not self.topic_context or not isinstance(main, CodebookDetector):
            return {}
        return {t: r for t, r in backend.topic_rule().items() if t in main.top_level_topics}

    def warm_up(self) -> Analyzer:
        """Load everything the first comments would load (language model, sentence splitters,
        backend and topic matchers for every language), so a run's first rows come out at
        full speed and worker processes forked afterwards share it all."""
        from .lang import preload
        from .segment import split_comments

        loading = preload() if str(self.lang).strip().lower() == "auto" else None
        self.prepare()
        samples = {"es": "Hola. Todo bien.", "it": "Ciao. Tutto bene.", "pt": "Olá. Tudo bem.", "en": "Hi. All good."}
        langs = [self.fixed_lang_] if self.fixed_lang_ else list(self.detector_.languages)
        keep = self.stats_
        try:
            texts = [samples.get(lang, "Hi. All good.") for lang in langs]
            # what needs no language detection first, while the language model loads
            split_comments(texts, langs)
            self.backend_.analyze(texts, langs)
            for detector in self.topic_detectors_:
                detector.detect(texts, langs)
            if loading is not None:
                loading.join()
            for text in texts:
                self.analyze([text])
        finally:
            self.stats_ = keep
        return self

    @property
    def output_columns(self) -> list[str]:
        """Columns :meth:`tag` adds, in order (with :attr:`prefix`)."""
        self.prepare()
        main, *extra = self.topic_detectors_
        extra_names = tuple(n for d in extra for n in (d.column, f"{d.column}_evidence"))
        return [self.prefix + n for n in output_columns(main.top_level_topics, extra_names)]

    @property
    def list_columns(self) -> list[str]:
        """Output columns holding lists."""
        self.prepare()
        names = list(LIST_COLUMNS) + [d.column for d in self.topic_detectors_[1:]]
        return [self.prefix + n for n in names]

    def describe(self) -> dict[str, str]:
        """cxtext version, backend and topic models in use (stamped into outputs)."""
        self.prepare()
        info = {"cxtext": __version__}
        info.update(self.backend_.describe())
        for detector in self.topic_detectors_:
            info.update({f"{detector.column}.{k}": v for k, v in detector.describe().items()})
        info["topic_polar_min"] = "off" if self.topic_polar_min is None else f"{float(self.topic_polar_min):g}"
        info["topic_context"] = "on" if self.topic_rule_ else "off"
        info["verdict_weight"] = f"{float(self.verdict_weight):g}"
        info["topic_conflict"] = self.topic_conflict
        info["topic_verdict_weight"] = f"{float(self.topic_verdict_weight):g}"
        info["non_answers"] = "on" if self.non_answers else "off"
        info["neutral_emotion_min"] = ("off" if self.neutral_emotion_min is None
                                       else f"{float(self.neutral_emotion_min):g}")
        info["opposed_emotion_min"] = ("off" if self.opposed_emotion_min is None
                                       else f"{float(self.opposed_emotion_min):g}")
        return info

    # -- analysis ---------------------------------------------------------------------
    def __call__(self, text: str) -> CommentResult:
        """Analyse one comment."""
        return self.analyze([text])[0]

    def analyze(self, texts: Iterable[object]) -> list[CommentResult]:
        """Analyse many comments (missing values count as empty text), in order.

        A comment that makes the backend or a detector raise gets empty tags (``failed``) and
        is counted in :attr:`stats_`; the others are analysed as usual.
        """
        batch = self._batch(texts)
        return [
            self._failed_result(text, language) if i in batch.failed else
            self._result(text, language, lang, sentences)
            for i, (text, language, lang, sentences) in enumerate(
                zip(batch.texts, batch.languages, batch.analysis_langs, batch.splits))
        ]

    def _batch(self, values: Iterable[object]) -> _Batch:
        """Languages, sentences and cached clause results of a batch of comments."""
        self.prepare()
        texts = [_as_text(t) for t in values]
        stats = self.stats_
        failed: dict[int, BaseException] = {}
        detections = _isolating(self._detect, texts, failed, empty=(self.default_lang_, DETECTED))
        languages = [d[0] for d in detections]
        for lang, how in detections:
            if how == FALLBACK:
                stats.fallbacks += 1
            elif how == FORCED:
                stats.forced += 1
        analysis_langs = [self.default_lang_ if lang == UNDETERMINED else lang for lang in languages]
        splits = _isolating(lambda idx: split_comments([texts[i] for i in idx], [analysis_langs[i] for i in idx]),
                            list(range(len(texts))), failed, empty=[])
        keys = {}
        for i, (sentences, lang) in enumerate(zip(splits, analysis_langs)):
            for sentence in sentences:
                for clause in sentence:
                    keys.setdefault((clause.text, lang), []).append(i)
        broken = self._fill_cache(keys)
        for key in broken:
            for i in keys[key]:
                failed.setdefault(i, broken[key])
        if self.verdict_weight:
            self._fill_verdicts(_whole_key(texts[i], lang, [c for s in sentences for c in s])
                                for i, (sentences, lang) in enumerate(zip(splits, analysis_langs))
                                if i not in failed)
        stats.rows += len(texts)
        stats.add_failures(failed.values())
        return _Batch(texts, languages, analysis_langs, splits, set(failed))

    def _detect(self, texts: Sequence[str]) -> list[tuple[str, int]]:
        found = self.detector_.detect(texts)
        return list(zip(found.langs, found.how))

    def _fill_cache(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], BaseException]:
        """Analyse the clauses not cached yet; the whole batch stays cached until it is built.

        Returns the clauses that made the backend or a detector raise (not cached).
        """
        cache = self.cache_
        needed = list(keys)
        missing = []
        for key in needed:
            if key in cache:
                cache.move_to_end(key)  # least recently used entries are evicted first
            else:
                missing.append(key)
        broken: dict[tuple[str, str], BaseException] = {}
        for start in range(0, len(missing), _CHUNK):
            batch = missing[start:start + _CHUNK]
            failed: dict[int, BaseException] = {}
            results = _isolating(self._analyze_clauses, batch, failed)
            for i, key in enumerate(batch):
                if i in failed:
                    broken[key] = failed[i]
                else:
                    cache[key] = results[i]
        while len(cache) > max(self.cache_size, len(needed)):
            cache.popitem(last=False)
        return broken

    def _fill_verdicts(self, keys: Iterable[tuple[str, str] | None]) -> None:
        """The backend's prediction of every comment with several clauses, read as a whole (its
        verdict; see :func:`cxtext.aggregate.comment_prediction`). A comment whose whole text
        makes the backend raise keeps the clauses' aggregate."""
        cache = self.verdicts_
        needed = [k for k in dict.fromkeys(keys) if k is not None]
        missing = []
        for key in needed:
            if key in cache:
                cache.move_to_end(key)
            else:
                missing.append(key)
        for start in range(0, len(missing), _CHUNK):
            batch = missing[start:start + _CHUNK]
            failed: dict[int, BaseException] = {}
            results = _isolating(lambda ks: self.backend_.analyze([k[0] for k in ks], [k[1] for k in ks]),
                                 batch, failed)
            cache.update((key, result) for i, (key, result) in enumerate(zip(batch, results)) if i not in failed)
        while len(cache) > max(self.cache_size, len(needed)):
            cache.popitem(last=False)

    def _analyze_clauses(self, keys: Sequence[tuple[str, str]]) -> list[_Cached]:
        texts = [k[0] for k in keys]
        langs = [k[1] for k in keys]
        predictions = self.backend_.analyze(texts, langs)
        matches = [detector.detect(texts, langs) for detector in self.topic_detectors_]
        if self.topic_rule_:
            matches[0] = [in_context(t, m, p.topic_proba, self.topic_rule_)
                          for t, m, p in zip(texts, matches[0], predictions)]
        return [(predictions[i], tuple(tuple(m[i]) for m in matches)) for i in range(len(keys))]

    def _result(self, text: str, language: str, lang: str, sentences: list[list[Span]]) -> CommentResult:
        sentence_results = []
        for clauses in sentences:
            clause_results = []
            for clause in clauses:
                prediction, matches = self.cache_[(clause.text, lang)]
                shifted = {
                    detector.column: tuple(
                        TopicMatch(m.topic, m.start + clause.start, m.end + clause.start, m.text)
                        for m in found
                    )
                    for detector, found in zip(self.topic_detectors_, matches)
                }
                clause_results.append(ClauseResult(clause.text, clause.start, clause.end, prediction, shifted))
            sentence_prediction = self._calm(aggregate_predictions([c.prediction for c in clause_results]))
            first, last = clauses[0], clauses[-1]
            sentence_results.append(
                SentenceResult(text[first.start:last.end], first.start, last.end,
                               sentence_prediction, tuple(clause_results))
            )
        found = self._comment_tags(text, lang, [c for s in sentences for c in s])
        if found is None:
            return CommentResult(text, language, aggregate_predictions([]), (), (), {}, {}, {}, empty=True)
        prediction, (topics, evidence), sentiments, extras = found
        return CommentResult(text, language, prediction, tuple(sentence_results), topics, evidence,
                             sentiments, extras)

    def _calm(self, prediction: Prediction) -> Prediction:
        """A sentence's or comment's prediction with only the emotions its reading allows
        (:func:`~cxtext.aggregate.calm_if_neutral`, :func:`~cxtext.aggregate.calm_if_opposed`)."""
        return calm_if_opposed(calm_if_neutral(prediction, self.neutral_emotion_min), self.opposed_emotion_min)

    def _failed_result(self, text: str, language: str) -> CommentResult:
        main, *extra = self.topic_detectors_
        return CommentResult(text, language, aggregate_predictions([]), (), (), {}, {},
                             {d.column: ((), {}) for d in extra}, empty=True, failed=True)

    def _comment_tags(self, text: str, lang: str, clauses: list[Span]):  # noqa: ANN202 - see below
        """Comment prediction, (topics, evidence), topic sentiments and extra columns of the
        clauses of one comment (from the cache); ``None`` when there is no clause."""
        if not clauses:
            return None
        if self.non_answers and is_non_answer(text):
            return _NON_ANSWER, ((), {}), {}, {d.column: ((), {}) for d in self.topic_detectors_[1:]}
        cache = self.cache_
        cached = [cache[(clause.text, lang)] for clause in clauses]
        whole = self.verdicts_.get(_whole_key(text, lang, clauses)) if self.verdict_weight else None
        prediction = self._calm(comment_prediction([c[0] for c in cached], whole, self.verdict_weight))
        extra = self.topic_detectors_[1:]
        per_topic: dict[str, list[Prediction]] = {}
        weight = float(self.topic_verdict_weight) if len(clauses) > 1 else 0.0
        for clause, (pred, matches) in zip(clauses, cached):
            tops = {m.top_level for m in matches[0]}
            if tops and weight and not _agrees(pred, prediction) and not sets_itself_apart(clause.text, lang):
                pred = in_comment(pred, prediction, weight)
            for top in tops:
                per_topic.setdefault(top, []).append(pred)
        verdict = prediction.sentiment if self.topic_conflict == "verdict" else None
        sentiments = {t: topic_sentiment(per_topic[t], self.topic_polar_min, verdict)
                      for t in self.main_topics_ if t in per_topic}
        found = [_topics(d, [(clause.start, c[1][k]) for clause, c in zip(clauses, cached)])
                 for k, d in enumerate(self.topic_detectors_)]
        extras = {d.column: f for d, f in zip(extra, found[1:])}
        return prediction, found[0], sentiments, extras

    # -- tables -----------------------------------------------------------------------
    def tag(self, frame: pd.DataFrame, text: str | None = None, progress: bool = False) -> pd.DataFrame:
        """Return a new DataFrame: ``frame``'s columns followed by the tag columns.

        Comments whose language could not be detected, or that made the backend raise, are
        counted and reported in one :class:`~cxtext.errors.CxtextWarning` per kind at the end.

        Args:
            frame: the comments; it is not modified.
            text: the text column; may be omitted when ``frame`` has exactly one text column.
            progress: show a progress bar on stderr for long frames.

        Raises:
            ColumnError: unknown/ambiguous text column, or an input column already has the name
                of an output column (use ``prefix``).
        """
        self.prepare()
        column = find_comment_column(frame, text)
        self.check_columns(frame.columns)
        self.stats_ = TagStats()
        parts = []
        bar = progress_bar(len(frame), progress)
        for start in range(0, len(frame), _CHUNK):
            part = frame.iloc[start:start + _CHUNK]
            parts.append(self.tag_chunk(part, column))
            bar.update(len(part))
        bar.close()
        self.warn_stats()
        if not parts:
            return self.tag_chunk(frame, column)
        return pd.concat(parts)

    def warn_stats(self, stats: TagStats | None = None) -> None:
        """Warn (one line per kind) about language fallbacks and failed comments of a run."""
        stats = stats or self.stats_
        languages = self.detector_.languages
        for message in stats.messages(self.default_lang_, languages):
            warnings.warn(message, CxtextWarning, stacklevel=3)

    def check_columns(self, columns: Iterable[object]) -> None:
        """Raise :class:`ColumnError` if an input column clashes with an output column."""
        clash = [c for c in self.output_columns if c in set(map(str, columns))]
        if clash:
            raise ColumnError(
                f"the input already has column(s) {format_choices(clash)}, which cxtext tag adds; "
                "choose a prefix for the new columns, e.g. " + option("prefix='cx_'", "--prefix cx_")
            )

    def tag_chunk(self, frame: pd.DataFrame, column: str) -> pd.DataFrame:
        """Tag one chunk (the text column must exist); keeps the index and row order.

        Counts go to :attr:`stats_` (reset by :meth:`tag`, or by the caller between runs).
        """
        batch = self._batch(frame[column].tolist())
        records = [self._row(i, batch) for i in range(len(batch.texts))]
        names = self.output_columns
        tags = pd.DataFrame.from_records(records, columns=names, index=frame.index) if records else \
            pd.DataFrame({n: pd.Series([], dtype=object) for n in names}, index=frame.index)
        out = frame.copy()
        for name in names:
            out[name] = tags[name]
        return out

    def _row(self, i: int, batch: _Batch) -> list[Any]:
        """The output row of comment ``i`` of a batch (as :meth:`record` of its result)."""
        extra = self.topic_detectors_[1:]
        language = batch.languages[i]
        found = None
        if i not in batch.failed:
            found = self._comment_tags(batch.texts[i], batch.analysis_langs[i],
                                       [c for s in batch.splits[i] for c in s])
        if found is None:
            return [language, "", math.nan, [], [], "{}"] + [""] * len(self.main_topics_) + \
                [x for _ in extra for x in ([], "{}")]
        prediction, (topics, evidence), sentiments, extras = found
        row = [language, prediction.sentiment, round(prediction.score, 4), list(prediction.emotions),
               list(topics), json.dumps(evidence, ensure_ascii=False)]
        row += [sentiments.get(t, "") for t in self.main_topics_]
        for detector in extra:
            topics, evidence = extras[detector.column]
            row += [list(topics), json.dumps(evidence, ensure_ascii=False)]
        return row

    def record(self, result: CommentResult) -> list[Any]:
        """The output row values of one result, in :attr:`output_columns` order."""
        main, *extra = self.topic_detectors_
        if result.empty:
            row: list[Any] = [result.language, "", math.nan, [], [], "{}"]
        else:
            row = [
                result.language,
                result.sentiment,
                round(result.score, 4),
                list(result.emotions),
                list(result.topics),
                json.dumps(result.evidence, ensure_ascii=False),
            ]
        row += [result.topic_sentiment.get(t, "") for t in main.top_level_topics]
        for detector in extra:
            topics, evidence = result.extra.get(detector.column, ((), {}))
            row += [list(topics), json.dumps(evidence, ensure_ascii=False)]
        return row

    def tag_chunks(self, chunks: Iterable[pd.DataFrame], text: str) -> Iterator[pd.DataFrame]:
        """Tag a stream of chunks lazily (memory stays flat)."""
        for chunk in chunks:
            yield self.tag_chunk(chunk, text)


_PARAMETERS = tuple(inspect.signature(Analyzer.__init__).parameters)[1:]

#: what a non-answer ("n/a", "nada que añadir") gets: neutral, no emotion (no topic either)
_NON_ANSWER = Prediction("neutral", 0.0, {"negative": 0.0, "neutral": 1.0, "positive": 0.0}, (),
                         dict.fromkeys(EMOTIONS, 0.0))


def _same_params(before: dict[str, Any], now: dict[str, Any]) -> bool:
    """Whether the parameters an analyzer was prepared with are still its parameters."""
    for name, value in now.items():
        old = before.get(name)
        try:
            if not (old is value or bool(old == value)):
                return False
        except (TypeError, ValueError):  # e.g. arrays, whose == has no single truth value
            return False
    return True


def _agrees(clause: Prediction, comment: Prediction) -> bool:
    """Whether a clause and its comment share a polar label that is each one's most probable
    class: reading the clause in its comment (:func:`~cxtext.aggregate.in_comment`) would keep
    it (a mix of two distributions keeps a class both rank first), so the mix is skipped."""
    label = clause.sentiment
    if label == "neutral" or label != comment.sentiment:
        return False
    a, b = clause.sentiment_proba, comment.sentiment_proba
    top_a, top_b = a.get(label, 0.0), b.get(label, 0.0)
    return (a.get("neutral", 0.0) <= top_a and b.get("neutral", 0.0) <= top_b
            and a.get(_OTHER_POLE[label], 0.0) <= top_a and b.get(_OTHER_POLE[label], 0.0) <= top_b)


_OTHER_POLE = {"positive": "negative", "negative": "positive"}


def _whole_key(text: str, lang: str, clauses: Sequence[Span]) -> tuple[str, str] | None:
    """Cache key of a comment's whole text (first to last clause), or ``None`` for one clause."""
    if len(clauses) < 2:
        return None
    return text[clauses[0].start:clauses[-1].end], lang


def _topics(detector: TopicDetector, pieces: Iterable[tuple[int, Sequence[TopicMatch]]]) -> tuple[
    tuple[str, ...], dict[str, list[dict[str, Any]]]
]:
    """Topics (codebook order) and evidence of ``(clause offset, clause matches)`` pairs."""
    evidence: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str, int, int]] = set()  # a set, not `item in list`: long comments stay linear
    for offset, matches in pieces:
        for match in matches:
            key = (match.topic, match.text, match.start + offset, match.end + offset)
            if key not in seen:
                seen.add(key)
                evidence.setdefault(match.topic, []).append(
                    {"text": match.text, "start": key[2], "end": key[3]})
    order = {t: i for i, t in enumerate(detector.topics)}
    topics = tuple(sorted(evidence, key=lambda t: (order.get(t, len(order)), t)))
    return topics, {t: evidence[t] for t in topics}


_Cached = tuple[Prediction, tuple[tuple[TopicMatch, ...], ...]]
#: what a backend/detector raising on one comment must not hide: cxtext's own errors (options,
#: models, input files) and running out of memory stop the run as before
_NOT_ISOLATED = (CxtextError, MemoryError)


def _isolating(run: Callable[[list[Any]], list[Any]], items: list[Any], failed: dict[int, BaseException],
               empty: Any = None, offset: int = 0) -> list[Any]:
    """``run(items)``; when it raises, halve the batch until the items that raise alone are found.

    Those get ``empty`` and their index (plus ``offset``) -> exception in ``failed``. When every
    item of a batch of several fails, the failure is not about a comment (a broken backend, say)
    and the first exception is raised.
    """
    try:
        return run(items)
    except _NOT_ISOLATED:
        raise
    except Exception as exc:  # one odd comment must not stop a run: isolate it
        if len(items) == 1:
            failed[offset] = exc
            return [empty]
        before = len(failed)
        mid = len(items) // 2
        out = _isolating(run, items[:mid], failed, empty, offset) + \
            _isolating(run, items[mid:], failed, empty, offset + mid)
        if offset == 0 and len(failed) - before == len(items):
            raise exc
        return out


@dataclass
class TagStats:
    """What happened to the comments of a run, for one warning line per kind at its end.

    Attributes:
        rows: comments analysed.
        fallbacks: comments too short or ambiguous to detect their language (analysed in the
            default language).
        forced: comments clearly in a supported language left out of ``languages`` (analysed
            in the closest allowed one).
        failed: comments that made the backend or a topic detector raise (empty tags).
        failure: the first such error, as ``Type: message``.
    """

    rows: int = 0
    fallbacks: int = 0
    forced: int = 0
    failed: int = 0
    failure: str = ""

    def add_failures(self, errors: Iterable[BaseException]) -> None:
        for error in errors:
            self.failed += 1
            if not self.failure:
                self.failure = f"{type(error).__name__}: {error}"[:300]

    def merge(self, other: TagStats) -> None:
        """Add another run's counts (e.g. a worker process's)."""
        self.rows += other.rows
        self.fallbacks += other.fallbacks
        self.forced += other.forced
        self.failed += other.failed
        self.failure = self.failure or other.failure

    def messages(self, default_lang: str, languages: Sequence[str]) -> list[str]:
        """The warning lines (none when nothing happened)."""
        lines = []
        parts = []
        if self.fallbacks:
            parts.append(f"{self.fallbacks:,} of {self.rows:,} comments were too short or ambiguous to "
                         f"detect their language and were analysed as {default_lang!r} "
                         f"(set it with {option('default_lang=', '--default-lang')})")
        if self.forced:
            parts.append(f"{self.forced:,} looked clearly written in a language not in "
                         f"{','.join(languages)} and were analysed in the closest allowed one "
                         f"(add it with {option('languages=', '--languages')})")
        if parts:
            lines.append("; ".join(parts))
        if self.failed:
            lines.append(f"{self.failed:,} of {self.rows:,} comments could not be analysed and have empty "
                         f"tags (first error: {self.failure}); the other rows are complete")
        return lines


@dataclass
class _Batch:
    texts: list[str]
    languages: list[str]
    analysis_langs: list[str]
    splits: list[list[list[Span]]]
    failed: set[int]


def progress_bar(total: int | None, enabled: bool):  # noqa: ANN201 - tqdm (disabled = no-op)
    """A progress bar on stderr that appears only for runs longer than two seconds.

    It always shows rows per second ("850 rows/s", "12.3k rows/s"), never tqdm's inverse
    "3.23s/rows" for slow starts.
    """
    if not enabled:  # tqdm.auto warns in notebooks without ipywidgets, even for a bar never shown
        from tqdm import tqdm
    else:
        from tqdm.auto import tqdm

    fmt = ("{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} rows [{elapsed}<{remaining}, {rate_noinv_fmt}]"
           if total else "{n_fmt} rows [{elapsed}, {rate_noinv_fmt}]")
    return tqdm(total=total, disable=not enabled, unit=" rows", unit_scale=True, delay=2, leave=False,
                bar_format=fmt)


def tag(frame: pd.DataFrame, text: str | None = None, *, progress: bool = False, **options: Any) -> pd.DataFrame:
    """Tag a DataFrame of comments; returns a new DataFrame (see :class:`Analyzer`).

    Example:
        >>> import pandas as pd, cxtext
        >>> df = pd.DataFrame({"comment": ["Great product, awful delivery"]})
        >>> cxtext.tag(df, text="comment")[["sentiment", "topics"]]
          sentiment              topics
        0  negative  [product, process]
    """
    return Analyzer(**options).tag(frame, text=text, progress=progress)
