"""Map a Hugging Face classifier's ``id2label`` onto cxtext's sentiment and Plutchik-8 labels.

Built-in conventions (matched case-insensitively; ``_`` and ``-`` count as spaces):

* sentiment names in en/es/it/pt (``POS``/``NEG``/``NEU``, ``positive``, ``negativo``,
  ``neutrale``, ...), five-point scales (``very negative`` ... ``very positive``) and star
  ratings (``1 star`` ... ``5 stars``): 1-2 stars are negative, 3 neutral, 4-5 positive, and the
  score is the expected number of stars rescaled to [-1, 1];
* emotion names and synonyms in en/es/it/pt, Plutchik's intensities (``rage``, ``serenity``...)
  and dyads (``love`` = joy + trust, ``optimism`` = anticipation + joy, ...), the GoEmotions
  labels; ``neutral``/``others``/``none`` map to no emotion.

``LABEL_0``, ``LABEL_1``... carry no meaning and are never guessed: declare their order in a
label map. A label map is a dict or a JSON file::

    {
      "sentiment": ["negative", "neutral", "positive"],
      "emotion": {"happy": "joy", "love": ["joy", "trust"], "other": null},
      "thresholds": {"joy": 0.4}
    }

``sentiment``/``emotion`` are either a list in the model's class order or a dict from the
model's label names to cxtext labels (sentiment values: ``negative``/``neutral``/``positive``
or a star rating 1-5; emotion values: a Plutchik-8 label, a list of them, or ``null``). A dict
without these keys is a flat ``{model label: cxtext label}`` map used for both models.
``thresholds`` sets the per-emotion decision threshold (0.5 by default).
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputFileNotFoundError, ModelError, format_choices
from ..schema import EMOTIONS, SENTIMENTS

__all__ = [
    "LabelMap",
    "SentimentMapping",
    "EmotionMapping",
    "load_label_map",
    "sentiment_mapping",
    "emotion_mapping",
    "DEFAULT_THRESHOLD",
]

DEFAULT_THRESHOLD = 0.5

_LABEL_MAP_HELP = (
    "pass a label map with --label-map FILE.json (label_map= in Python), e.g. "
    '{"sentiment": ["negative", "neutral", "positive"]} in the model\'s class order, or '
    '{"emotion": {"happy": "joy", "other": null}}'
)

# --------------------------------------------------------------------------- built-in maps

_SENTIMENT_NAMES: dict[str, str] = {}
for _label, _names in {
    "negative": (
        "neg", "negative", "negativo", "negativa", "negativi", "negativos", "bad", "malo",
        "cattivo", "ruim",
    ),
    "neutral": (
        "neu", "neutral", "neutro", "neutra", "neutrale", "neutrali", "neutros",
    ),
    "positive": (
        "pos", "positive", "positivo", "positiva", "positivi", "positivos", "good", "bueno",
        "buono", "bom",
    ),
}.items():
    for _name in _names:
        _SENTIMENT_NAMES[_name] = _label

#: Five-point scale names -> star rating (1 = very negative ... 5 = very positive).
_FIVE_POINT: dict[str, int] = {}
for _stars, _names in {
    1: ("very negative", "muy negativo", "molto negativo", "muito negativo", "strongly negative"),
    5: ("very positive", "muy positivo", "molto positivo", "muito positivo", "strongly positive"),
}.items():
    for _name in _names:
        _FIVE_POINT[_name] = _stars

_STARS = re.compile(
    r"^(?P<n>[1-5])\s*(?:stars?|estrellas?|stelle|stella|estrelas?)$"
)

_EMOTION_NAMES: dict[str, tuple[str, ...]] = {}


def _add_emotions(target: tuple[str, ...], *names: str) -> None:
    for name in names:
        _EMOTION_NAMES[name] = target


# Plutchik-8 and their intensities, with translations.
_add_emotions(
    ("joy",), "joy", "happiness", "happy", "joyful", "ecstasy", "serenity", "amusement",
    "relief", "alegria", "alegría", "felicidad", "felicidade", "gioia", "felicità", "felicita",
    "contentment", "satisfaction", "satisfacción", "soddisfazione", "satisfação",
)
_add_emotions(
    ("trust",), "trust", "admiration", "acceptance", "approval", "caring", "confianza",
    "fiducia", "confiança", "confianca", "admiración", "ammirazione", "admiração",
)
_add_emotions(
    ("fear",), "fear", "terror", "apprehension", "nervousness", "anxiety", "worry", "scared",
    "miedo", "temor", "paura", "medo", "ansiedad", "ansia", "ansiedade",
)
_add_emotions(
    ("surprise",), "surprise", "amazement", "distraction", "realization", "confusion",
    "sorpresa", "surpresa",
)
_add_emotions(
    ("sadness",), "sadness", "sad", "grief", "pensiveness", "sorrow", "tristeza", "tristezza",
)
_add_emotions(
    ("disgust",), "disgust", "loathing", "boredom", "asco", "disgusto", "repugnancia",
    "nojo", "desgosto", "aversão",
)
_add_emotions(
    ("anger",), "anger", "angry", "rage", "annoyance", "irritation", "ira", "enojo", "enfado",
    "rabia", "rabbia", "raiva", "collera", "irritación", "fastidio",
)
_add_emotions(
    ("anticipation",), "anticipation", "vigilance", "interest", "curiosity", "desire",
    "expectation", "anticipación", "anticipacion", "anticipazione", "attesa", "antecipação",
    "antecipacao", "expectativa", "aspettativa", "interés", "interesse",
)
# Plutchik's dyads (two emotions at once).
_add_emotions(("joy", "trust"), "love", "amor", "amore", "gratitude", "gratitud", "gratitudine", "gratidão")
_add_emotions(
    ("anticipation", "joy"), "optimism", "optimismo", "ottimismo", "otimismo", "excitement", "hope",
    "esperanza", "speranza", "esperança",
)
_add_emotions(("fear", "trust"), "submission")
_add_emotions(("fear", "surprise"), "awe")
_add_emotions(("sadness", "surprise"), "disapproval", "disappointment", "decepción", "delusione", "decepção")
_add_emotions(("disgust", "sadness"), "remorse")
_add_emotions(("anger", "disgust"), "contempt", "desprecio", "disprezzo", "desprezo")
_add_emotions(("anger", "anticipation"), "aggressiveness")
_add_emotions(("anticipation", "sadness"), "pessimism", "pesimismo", "pessimismo")
_add_emotions(("anger", "joy"), "pride", "orgullo", "orgoglio", "orgulho")
_add_emotions(("disgust", "fear"), "shame", "embarrassment", "vergüenza", "vergogna", "vergonha")
# No emotion.
_add_emotions(
    (), "neutral", "neutro", "neutra", "neutrale", "others", "other", "none", "no emotion",
    "otros", "otro", "altro", "altri", "outros", "outro", "nessuna", "ninguna", "nenhuma",
)

# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class SentimentMapping:
    """How each model class turns into cxtext sentiment.

    Attributes:
        labels: the model's class names, by class index.
        sentiments: the cxtext sentiment of each class.
        scores: the polarity of each class in [-1, 1]; the text's score is their expectation.
    """

    labels: tuple[str, ...]
    sentiments: tuple[str, ...]
    scores: tuple[float, ...]

    def weights(self) -> list[list[float]]:
        """Class x sentiment 0/1 matrix (columns in :data:`cxtext.schema.SENTIMENTS` order)."""
        return [[1.0 if s == target else 0.0 for target in SENTIMENTS] for s in self.sentiments]


@dataclass(frozen=True)
class EmotionMapping:
    """How each model class turns into Plutchik-8 emotions.

    Attributes:
        labels: the model's class names, by class index.
        emotions: the Plutchik-8 labels of each class (empty for neutral/others).
        thresholds: decision threshold per Plutchik-8 label.
    """

    labels: tuple[str, ...]
    emotions: tuple[tuple[str, ...], ...]
    thresholds: dict[str, float]

    def weights(self) -> list[list[float]]:
        """Class x emotion 0/1 matrix (columns in :data:`cxtext.schema.EMOTIONS` order)."""
        return [[1.0 if e in targets else 0.0 for e in EMOTIONS] for targets in self.emotions]


@dataclass(frozen=True)
class LabelMap:
    """A user's label map, parsed (see the module docstring for the format).

    Attributes:
        sentiment: model label -> value, or a list in class order, or ``None``.
        emotion: same for the emotion model.
        thresholds: per-emotion thresholds.
    """

    sentiment: Mapping[str, Any] | Sequence[Any] | None = None
    emotion: Mapping[str, Any] | Sequence[Any] | None = None
    thresholds: Mapping[str, float] | None = None


def _norm(label: object) -> str:
    text = str(label).strip().lower().replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", text)


def load_label_map(label_map: str | Path | Mapping[str, Any] | None) -> LabelMap:
    """Parse a label map given as a dict, a JSON file path, or ``None`` (built-in maps only).

    Example:
        >>> load_label_map({"sentiment": ["negative", "neutral", "positive"]}).sentiment
        ['negative', 'neutral', 'positive']

    Raises:
        InputFileNotFoundError: the JSON file does not exist.
        ConfigError: the file is not valid JSON or not in the documented shape.
    """
    if label_map is None:
        return LabelMap()
    source = "label map"
    if isinstance(label_map, (str, Path)):
        path = Path(label_map).expanduser()
        if not path.is_file():
            raise InputFileNotFoundError(path)
        source = f"label map {str(path)!r}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source} is not valid UTF-8 JSON ({exc}); {_LABEL_MAP_HELP}") from None
    else:
        data = label_map
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"{source} must be a JSON object, got {type(data).__name__}; {_LABEL_MAP_HELP}"
        )
    sections = {"sentiment", "emotion", "thresholds"}
    if not sections & set(data):
        # a flat {model label: cxtext label} map, used for whichever model has those labels
        return LabelMap(sentiment=dict(data), emotion=dict(data))
    unknown = set(data) - sections
    if unknown:
        raise ConfigError(
            f"{source} has unknown keys {format_choices(sorted(unknown))}; "
            f"allowed keys: {format_choices(sorted(sections))}"
        )
    for key in ("sentiment", "emotion"):
        value = data.get(key)
        if value is not None and (isinstance(value, str) or not isinstance(value, (Mapping, Sequence))):
            raise ConfigError(
                f"{source}: {key!r} must be a list in class order or an object "
                f"{{model label: cxtext label}}, got {value!r}"
            )
    thresholds = data.get("thresholds")
    if thresholds is not None:
        if not isinstance(thresholds, Mapping):
            raise ConfigError(f"{source}: 'thresholds' must be an object {{emotion: number}}, got {thresholds!r}")
        bad = [k for k in thresholds if k not in EMOTIONS]
        if bad:
            raise ConfigError(
                f"{source}: thresholds given for unknown emotions {format_choices(bad)}; "
                f"allowed: {format_choices(EMOTIONS)}"
            )
        for key, value in thresholds.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise ConfigError(
                    f"{source}: threshold for {key!r} must be a number in [0, 1], got {value!r}"
                )
    return LabelMap(
        sentiment=data.get("sentiment"), emotion=data.get("emotion"), thresholds=thresholds
    )


def _user_lookup(
    user: Mapping[str, Any] | Sequence[Any] | None, index: int, label: str, n_labels: int, task: str
) -> tuple[bool, Any]:
    """(found, value) of a class in the user's map."""
    if user is None:
        return False, None
    if isinstance(user, Mapping):
        normalised = {_norm(k): v for k, v in user.items()}
        for key in (label, str(index)):
            if _norm(key) in normalised:
                return True, normalised[_norm(key)]
        return False, None
    if len(user) != n_labels:
        raise ConfigError(
            f"the {task} label map lists {len(user)} labels but the model has {n_labels} classes; "
            "list one cxtext label per class, in the model's class order (see its config.json id2label)"
        )
    return True, user[index]


def _id2label(id2label: Mapping[int, str] | Mapping[str, str]) -> tuple[str, ...]:
    ordered = sorted(((int(k), str(v)) for k, v in id2label.items()))
    return tuple(label for _, label in ordered)


def _unmappable(task: str, model: str, bad: list[str], labels: Sequence[str], allowed: str) -> ModelError:
    return ModelError(
        f"cannot map the {task} labels {format_choices(bad)} of model {model!r} "
        f"(all its labels: {format_choices(labels)}) to cxtext's {allowed}; {_LABEL_MAP_HELP}"
    )


def _sentiment_value(value: object) -> tuple[str, float] | None:
    """(sentiment, score) of a user value or built-in name; ``None`` when unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and value in (1, 2, 3, 4, 5):
        stars = int(value)
        return ("negative" if stars <= 2 else "neutral" if stars == 3 else "positive", (stars - 3) / 2)
    name = _norm(value)
    if name in _FIVE_POINT:
        return _sentiment_value(_FIVE_POINT[name])
    match = _STARS.match(name)
    if match:
        return _sentiment_value(int(match["n"]))
    if name in _SENTIMENT_NAMES:
        label = _SENTIMENT_NAMES[name]
        return label, {"negative": -1.0, "neutral": 0.0, "positive": 1.0}[label]
    return None


def sentiment_mapping(
    id2label: Mapping[int, str] | Mapping[str, str], label_map: LabelMap | None = None, model: str = "model"
) -> SentimentMapping:
    """Map a sentiment classifier's classes to negative/neutral/positive and a score.

    Example:
        >>> m = sentiment_mapping({0: "NEG", 1: "NEU", 2: "POS"})
        >>> m.sentiments, m.scores
        (('negative', 'neutral', 'positive'), (-1.0, 0.0, 1.0))

    Raises:
        ModelError: a class cannot be mapped, or the model has no negative or no positive class.
    """
    labels = _id2label(id2label)
    user = label_map.sentiment if label_map is not None else None
    sentiments: list[str] = []
    scores: list[float] = []
    bad: list[str] = []
    for index, label in enumerate(labels):
        found, value = _user_lookup(user, index, label, len(labels), "sentiment")
        if found and isinstance(value, str) and value.strip() in {"1", "2", "3", "4", "5"}:
            value = int(value)
        mapped = _sentiment_value(value) if found else _sentiment_value(label)
        if found and mapped is None:
            raise ConfigError(
                f"the label map maps {label!r} to {value!r}; sentiment labels must be one of "
                f"{format_choices(SENTIMENTS)} or a star rating 1-5"
            )
        if mapped is None:
            bad.append(label)
            continue
        sentiments.append(mapped[0])
        scores.append(mapped[1])
    if bad:
        raise _unmappable("sentiment", model, bad, labels, "sentiment labels (negative/neutral/positive)")
    # a five-point scale: plain negative/positive sit halfway between neutral and very
    names = {_norm(label) for label in labels}
    if names & set(_FIVE_POINT) and user is None:
        scores = [
            s / 2 if _norm(label) in _SENTIMENT_NAMES and abs(s) == 1.0 else s
            for label, s in zip(labels, scores)
        ]
    if "negative" not in sentiments or "positive" not in sentiments:
        raise ModelError(
            f"model {model!r} does not look like a sentiment classifier: its labels "
            f"{format_choices(labels)} map to {format_choices(sorted(set(sentiments)))}, but both a "
            f"negative and a positive class are needed; check --sentiment-model or {_LABEL_MAP_HELP}"
        )
    return SentimentMapping(labels, tuple(sentiments), tuple(float(s) for s in scores))


def _emotion_value(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        name = _norm(value)
        if name in EMOTIONS:
            return (name,)
        return _EMOTION_NAMES.get(name)
    if isinstance(value, Sequence):
        out: list[str] = []
        for item in value:
            mapped = _emotion_value(item)
            if mapped is None:
                return None
            out.extend(e for e in mapped if e not in out)
        return tuple(e for e in EMOTIONS if e in out)
    return None


def emotion_mapping(
    id2label: Mapping[int, str] | Mapping[str, str], label_map: LabelMap | None = None, model: str = "model"
) -> EmotionMapping:
    """Map an emotion classifier's classes to Plutchik-8 labels (possibly several, or none).

    Example:
        >>> emotion_mapping({0: "love", 1: "others"}).emotions
        (('joy', 'trust'), ())

    Raises:
        ModelError: a class cannot be mapped, or no class maps to any emotion.
    """
    labels = _id2label(id2label)
    user = label_map.emotion if label_map is not None else None
    emotions: list[tuple[str, ...]] = []
    bad: list[str] = []
    for index, label in enumerate(labels):
        found, value = _user_lookup(user, index, label, len(labels), "emotion")
        if found:
            mapped = _emotion_value(value)
            if mapped is None:
                raise ConfigError(
                    f"the label map maps {label!r} to {value!r}; emotion labels must be one of "
                    f"{format_choices(EMOTIONS)}, a list of them, or null for no emotion"
                )
        else:
            mapped = _emotion_value(label)
        if mapped is None:
            bad.append(label)
            continue
        emotions.append(mapped)
    if bad:
        raise _unmappable("emotion", model, bad, labels, "Plutchik-8 emotions")
    if not any(emotions):
        raise ModelError(
            f"model {model!r} does not look like an emotion classifier: none of its labels "
            f"{format_choices(labels)} maps to a Plutchik-8 emotion; check --emotion-model or {_LABEL_MAP_HELP}"
        )
    thresholds = {e: DEFAULT_THRESHOLD for e in EMOTIONS}
    if label_map is not None and label_map.thresholds:
        thresholds.update({k: float(v) for k, v in label_map.thresholds.items()})
    return EmotionMapping(labels, tuple(emotions), thresholds)
