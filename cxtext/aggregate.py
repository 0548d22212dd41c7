"""How clause-level results add up to a sentence, a comment or a topic.

The rules (also in the README):

* **Clauses to a sentence.** One clause: its prediction as is. Several clauses: the score is a
  weighted mean of clause scores where each clause weighs by its own strength
  (``|score| + 0.05``, so a neutral greeting does not dilute a clear complaint) and negative
  clauses weigh 1.5 times more (customers' complaints outweigh polite praise; "great product
  but the delivery was a nightmare" is negative overall). The label is neutral only when every
  clause is neutral; otherwise it is the sign of that score (a tie goes to negative). So a
  comment with a strongly negative and a positive sentence never comes out neutral by averaging.
* **Comment sentiment follows the verdict** (:func:`comment_prediction`). A comment of several
  clauses is also read whole by the backend, whose models learned from whole customer comments
  (a five-star review with one "only downside: the price" is positive; "I need you to be a
  better airline!!" is not praise). Its sentiment probabilities are mixed with the clauses'
  aggregate, the whole reading weighing :data:`VERDICT_WEIGHT`; the label is the most probable
  one and the score P(positive) - P(negative) of the mix. Topic sentiment still comes from the
  clauses (the "price" clause is negative).
* **Comment emotions.** The union of the clauses' emotions, each label's probability being its
  maximum over clauses; when more than three labels pass, only the three most probable are
  kept (:data:`MAX_EMOTIONS`): a comment rarely voices more, and the per-label thresholds are
  set for recall on single lines. A comment or sentence read as **neutral** keeps only the
  emotions whose probability reaches :data:`NEUTRAL_EMOTION_MIN` (0.5)
  (:func:`calm_if_neutral`): the per-label thresholds, set for recall, gave "anticipation" to
  plain questions ("¿Abrís el taller los sábados?") and "anger" to "nope"; a neutral reading
  with an emotion contradicts itself, while a clear "Ho paura che sia strutturale" still
  shows fear. Likewise a reading that is **positive** keeps a negative emotion (anger, disgust,
  fear, sadness) and one that is **negative** keeps joy or trust only when its probability
  reaches :data:`OPPOSED_EMOTION_MIN` (0.9) (:func:`calm_if_opposed`): the union over clauses
  brings in the emotion of a minor clause or of a clause read wrong ("anger" in "they fixed
  it the same day, thank you"), and the verdict says which one the customer shows.
  ``emotion_proba`` keeps every probability.
* **Topic sentiment.** From the clauses that mention the topic only. Each such clause counts
  as positive or negative unless it is *clearly* neutral: a clause the model calls neutral
  still counts as its likelier polarity when that polarity's probability reaches
  :data:`TOPIC_POLAR_MIN` (0.15), because naming an aspect in feedback is nearly always judging
  it ("A localização é ótima, do lado da Times Square" reads as a description to a model
  trained on tweets). Then: positive or negative if any clause is, else neutral. When one
  clause is positive and another negative, the topic takes the comment's verdict (its overall
  sentiment) when that is positive or negative, and is ``mixed`` only otherwise
  (``Analyzer(topic_conflict="mixed")`` always says ``mixed``): a topic named in several clauses
  is mostly one judgement whose clauses the model reads differently, and customers and
  annotators alike rarely mean "mixed" (1.7% of the gold topic polarities of the CX dev
  comments, 1.6-3.6% in the review sets). The comment's own sentiment does not use this rule.
  In a comment of several clauses each topic clause is first read *in its comment*
  (:func:`in_comment`): its sentiment probabilities are mixed half and half
  (:data:`TOPIC_VERDICT_WEIGHT`) with the comment's, so that a clause the model misreads on its
  own ("the driver drove back across town to return it") leans on the comment's verdict
  ("Couldn't believe it."). A clause that sets itself apart from the rest, opening with a
  contrast or reservation marker ("but", "Lo único", "Only", "Peccato", "Só";
  :func:`cxtext.segment.sets_itself_apart`), keeps its own reading: it is the exception the
  customer names ("Me encanta ... Lo único, el envío tardó un poco": process negative).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .backends.base import Prediction
from .schema import EMOTIONS, SENTIMENTS

__all__ = ["aggregate_predictions", "calm_if_neutral", "calm_if_opposed", "comment_prediction", "in_comment",
           "topic_sentiment", "NEGATIVITY_WEIGHT", "MAX_EMOTIONS", "NEGATIVE_EMOTIONS", "NEUTRAL_EMOTION_MIN",
           "OPPOSED_EMOTION_MIN", "POSITIVE_EMOTIONS", "TOPIC_CONFLICTS",
           "TOPIC_POLAR_MIN", "TOPIC_VERDICT_WEIGHT", "VERDICT_WEIGHT"]

#: How much more a negative clause weighs than a positive one of the same strength.
NEGATIVITY_WEIGHT = 1.5
_FLOOR = 0.05
#: At most this many emotions per sentence or comment (the most probable ones).
MAX_EMOTIONS = 3
#: A topic clause called neutral counts as positive/negative when that probability reaches this.
#: Chosen on the train parts of the review sets in ``benchmarks/topics.py`` (``fast`` on
#: es/it/pt/en, ``accurate`` on es/it/pt; 0.1 to 0.45 tried): mean topic-polarity accuracy was
#: 0.788 at 0.1, 0.785 at 0.15, 0.781 at 0.2 and 0.712 with no leaning; 0.15 is the largest
#: value within 0.005 of the best.
TOPIC_POLAR_MIN = 0.15
#: What a topic whose clauses disagree gets: the comment's verdict (when polar), or ``mixed``.
#: Chosen on dev (``fast``: CX dev topic polarity 0.703 with ``mixed``, 0.754 with the verdict,
#: 0.750 with the strength-weighted mean of the topic's clauses; review sets es/it/pt/en 0.803 /
#: 0.833 / 0.728 / 0.756 against 0.821 / 0.832 / 0.751 / 0.756).
TOPIC_CONFLICTS = ("verdict", "mixed")
#: The probability an emotion needs on a comment or sentence read as neutral. Chosen on the CX
#: dev comments (``models/corpus/dev``, 1,920; emotion F1 over the 8 labels at the comment level,
#: and the share of the 347 neutral comments given an emotion), from no rule, 0.3-0.95, and 1
#: (none at all): ``fast`` macro-/micro-F1 0.391 / 0.463 and 17.0% without the rule, 0.393 /
#: 0.471 and 6.1% at 0.5 (the same from 0.5 to 0.8), 0.382 / 0.469 and 4.9% with none;
#: ``accurate`` 0.398 / 0.545 and 12.4% without, 0.398 / 0.554 and 3.5% at 0.5, 0.396 / 0.553 at
#: 0.8. 0.5 is the one value best for both.
NEUTRAL_EMOTION_MIN = 0.5
#: The emotions of each valence for :func:`calm_if_opposed` (surprise and anticipation have none).
POSITIVE_EMOTIONS = ("joy", "trust")
NEGATIVE_EMOTIONS = ("anger", "disgust", "fear", "sadness")
#: The probability an emotion of the other valence needs on a comment or sentence read as
#: positive or negative. Chosen on the CX dev comments from none, 0.5-0.9 and 1.01 (never),
#: the value best for both backends on the mean of emotion micro- and macro-F1 (comment level):
#: ``fast`` micro / macro 0.496 / 0.414 without the rule, 0.524 / 0.430 at 0.7, 0.525 / 0.430 at
#: 0.9, 0.525 / 0.427 at 1.01; ``accurate`` 0.554 / 0.398 without, 0.565 / 0.404 at 0.9 and 1.01.
#: Neutral comments given an emotion: 9.8% -> 8.4% (``fast``; a neutral comment read as polar).
OPPOSED_EMOTION_MIN = 0.9
_OPPOSED = {"positive": NEGATIVE_EMOTIONS, "negative": POSITIVE_EMOTIONS}
#: Weight of the whole-comment reading in a multi-clause comment's sentiment (see
#: :func:`comment_prediction`).
VERDICT_WEIGHT = 0.5
#: Weight of a multi-clause comment's sentiment probabilities in each of its topic clauses'
#: (see :func:`in_comment`). Chosen on dev from 0, 0.3-0.7 and 0.85, 1 (``fast``): CX dev
#: topic polarity 0.773 with none, 0.784 / 0.785 / 0.781 at 0.4 / 0.5 / 0.6, 0.775 at 1 (every
#: language up at 0.5: es 0.785 -> 0.793, it 0.788 -> 0.801, pt 0.775 -> 0.787, en 0.745 ->
#: 0.758); the review sets, mostly one clause per sentence, within 0.003. Then a clause that
#: sets itself apart kept its own reading (the module docstring; a tested verdict needed it):
#: 0.787 (es 0.799, it 0.803, pt 0.787, en 0.760, paired bootstrap [+0.005, +0.024]), review
#: sets es 0.828 -> 0.830, it 0.832 -> 0.832, pt 0.757 -> 0.756, en 0.753 -> 0.753. ``accurate``:
#: CX dev 0.796 -> 0.817, review sets within 0.003.
TOPIC_VERDICT_WEIGHT = 0.5

_NEUTRAL = Prediction("neutral", 0.0, {"negative": 0.0, "neutral": 1.0, "positive": 0.0}, (),
                      dict.fromkeys(EMOTIONS, 0.0))


def aggregate_predictions(predictions: Sequence[Prediction]) -> Prediction:
    """Combine clause predictions into one (see the module docstring for the rule).

    Example:
        >>> good = Prediction("positive", 0.8, {"positive": 0.9, "neutral": 0.1, "negative": 0.0})
        >>> bad = Prediction("negative", -0.8, {"positive": 0.0, "neutral": 0.1, "negative": 0.9})
        >>> aggregate_predictions([good, bad]).sentiment
        'negative'
    """
    if not predictions:
        return _NEUTRAL
    if len(predictions) == 1:
        only = predictions[0]
        if len(only.emotions) <= MAX_EMOTIONS:
            return only
        return replace(only, emotions=_strongest(only.emotions, only.emotion_proba))
    weights = [
        (abs(p.score) + _FLOOR) * (NEGATIVITY_WEIGHT if p.score < 0 else 1.0) for p in predictions
    ]
    total = sum(weights)
    score = sum(w * p.score for w, p in zip(weights, predictions)) / total
    proba = {
        label: sum(w * p.sentiment_proba.get(label, 0.0) for w, p in zip(weights, predictions)) / total
        for label in SENTIMENTS
    }
    if all(p.sentiment == "neutral" for p in predictions):
        label = "neutral"
    elif score > 0:
        label = "positive"
    else:
        label = "negative"
    emotion_proba = {
        e: max(p.emotion_proba.get(e, 0.0) for p in predictions) for e in EMOTIONS
    }
    present = {e for p in predictions for e in p.emotions}
    emotions = _strongest(tuple(e for e in EMOTIONS if e in present), emotion_proba)
    return Prediction(label, max(-1.0, min(1.0, score)), proba, emotions, emotion_proba)


def comment_prediction(clauses: Sequence[Prediction], whole: Prediction | None,
                       weight: float = VERDICT_WEIGHT) -> Prediction:
    """A comment's prediction from its clauses' and (for several clauses) its whole reading.

    Args:
        clauses: one prediction per clause.
        whole: the backend's prediction of the whole comment, or ``None`` (one clause, or not
            computed): then the clauses' aggregate as is.
        weight: the whole reading's weight in the sentiment probabilities, 0 to 1.

    Example:
        >>> praise = Prediction("positive", 0.9, {"positive": 0.95, "neutral": 0.05, "negative": 0.0})
        >>> price = Prediction("negative", -0.8, {"positive": 0.05, "neutral": 0.1, "negative": 0.85})
        >>> review = Prediction("positive", 0.7, {"positive": 0.8, "neutral": 0.1, "negative": 0.1})
        >>> comment_prediction([praise, price], None).sentiment
        'negative'
        >>> comment_prediction([praise, price], review, weight=0.6).sentiment
        'positive'
    """
    combined = aggregate_predictions(clauses)
    if whole is None or len(clauses) < 2 or not weight:
        return combined
    proba = {label: (1.0 - weight) * combined.sentiment_proba.get(label, 0.0)
             + weight * whole.sentiment_proba.get(label, 0.0) for label in SENTIMENTS}
    label = max(SENTIMENTS, key=lambda s: (proba[s], s == "neutral"))
    score = max(-1.0, min(1.0, proba["positive"] - proba["negative"]))
    return replace(combined, sentiment=label, score=score, sentiment_proba=proba)


def calm_if_neutral(prediction: Prediction, minimum: float | None = NEUTRAL_EMOTION_MIN) -> Prediction:
    """``prediction`` with, when it is neutral, only the emotions whose probability reaches
    ``minimum`` (see :data:`NEUTRAL_EMOTION_MIN`); ``None`` changes nothing.

    Example:
        >>> asked = Prediction("neutral", 0.0, emotions=("anticipation",),
        ...                    emotion_proba={"anticipation": 0.31})
        >>> calm_if_neutral(asked).emotions, calm_if_neutral(asked, None).emotions
        ((), ('anticipation',))
    """
    if minimum is None or prediction.sentiment != "neutral" or not prediction.emotions:
        return prediction
    kept = tuple(e for e in prediction.emotions if prediction.emotion_proba.get(e, 0.0) >= minimum)
    return prediction if kept == prediction.emotions else replace(prediction, emotions=kept)


def calm_if_opposed(prediction: Prediction, minimum: float | None = OPPOSED_EMOTION_MIN) -> Prediction:
    """``prediction`` with, when it is positive, only the negative emotions
    (:data:`NEGATIVE_EMOTIONS`) whose probability reaches ``minimum``, and when it is negative,
    only such positive ones (:data:`POSITIVE_EMOTIONS`); see :data:`OPPOSED_EMOTION_MIN`.
    ``None`` changes nothing.

    Example:
        >>> fixed = Prediction("positive", 0.7, emotions=("anger", "joy"),
        ...                    emotion_proba={"anger": 0.4, "joy": 0.8})
        >>> calm_if_opposed(fixed).emotions, calm_if_opposed(fixed, None).emotions
        (('joy',), ('anger', 'joy'))
    """
    opposed = _OPPOSED.get(prediction.sentiment)
    if minimum is None or not opposed:
        return prediction
    proba = prediction.emotion_proba
    if all(e not in opposed or proba.get(e, 0.0) >= minimum for e in prediction.emotions):
        return prediction
    return replace(prediction, emotions=tuple(e for e in prediction.emotions
                                              if e not in opposed or proba.get(e, 0.0) >= minimum))


def _strongest(emotions: tuple[str, ...], proba: dict[str, float]) -> tuple[str, ...]:
    """The :data:`MAX_EMOTIONS` most probable of ``emotions``, in Plutchik order."""
    if len(emotions) <= MAX_EMOTIONS:
        return emotions
    kept = set(sorted(emotions, key=lambda e: -proba.get(e, 0.0))[:MAX_EMOTIONS])
    return tuple(e for e in emotions if e in kept)


def topic_sentiment(predictions: Sequence[Prediction], polar_min: float | None = TOPIC_POLAR_MIN,
                    verdict: str | None = None) -> str:
    """Sentiment of a topic from the predictions of the clauses that mention it.

    Args:
        predictions: one per clause that mentions the topic.
        polar_min: see :data:`TOPIC_POLAR_MIN`; ``None`` takes each clause's label as it is.
        verdict: the comment's sentiment; when the clauses disagree (one positive, one
            negative) and it is positive or negative, the topic takes it. ``None``: ``mixed``.

    Example:
        >>> described = Prediction("neutral", 0.1, {"positive": 0.35, "neutral": 0.6, "negative": 0.05})
        >>> topic_sentiment([described]), topic_sentiment([described], polar_min=None)
        ('positive', 'neutral')
        >>> praise, complaint = Prediction("positive", 0.8), Prediction("negative", -0.7)
        >>> topic_sentiment([praise, complaint]), topic_sentiment([praise, complaint], verdict="negative")
        ('mixed', 'negative')
    """
    labels = {_topic_label(p, polar_min) for p in predictions}
    if {"positive", "negative"} <= labels:
        return verdict if verdict in ("positive", "negative") else "mixed"
    for label in ("negative", "positive"):
        if label in labels:
            return label
    return "neutral"


def in_comment(clause: Prediction, comment: Prediction, weight: float = TOPIC_VERDICT_WEIGHT) -> Prediction:
    """``clause`` read in its comment, for its topics' sentiment: its sentiment probabilities
    mixed with ``comment``'s, the comment weighing ``weight`` (:data:`TOPIC_VERDICT_WEIGHT`); the
    label is the most probable class (a tie keeps the clause's own), the score P(positive) -
    P(negative).

    Example:
        >>> fact = Prediction("negative", -0.2, {"positive": 0.3, "neutral": 0.2, "negative": 0.5})
        >>> glad = Prediction("positive", 0.8, {"positive": 0.85, "neutral": 0.1, "negative": 0.05})
        >>> topic_sentiment([fact]), topic_sentiment([in_comment(fact, glad)])
        ('negative', 'positive')
    """
    proba = {label: (1.0 - weight) * clause.sentiment_proba.get(label, 0.0)
             + weight * comment.sentiment_proba.get(label, 0.0) for label in SENTIMENTS}
    label = max(SENTIMENTS, key=lambda s: (proba[s], s == clause.sentiment))
    return Prediction(label, max(-1.0, min(1.0, proba["positive"] - proba["negative"])), proba,
                      clause.emotions, clause.emotion_proba, clause.topic_proba)


def _topic_label(prediction: Prediction, polar_min: float | None) -> str:
    if polar_min is None or prediction.sentiment != "neutral":
        return prediction.sentiment
    positive = prediction.sentiment_proba.get("positive", 0.0)
    negative = prediction.sentiment_proba.get("negative", 0.0)
    if max(positive, negative) < polar_min:
        return "neutral"
    return "positive" if positive >= negative else "negative"
