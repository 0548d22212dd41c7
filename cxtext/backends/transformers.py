"""Sentiment and emotion from any Hugging Face sequence classifier (``pip install "cxtext[transformers]"``).

The model's ``id2label`` is mapped onto cxtext's labels by :mod:`cxtext.backends._label_maps`
(built-in conventions, or a label map). Texts are tokenized in one call, sorted by length and
run in batches padded only to the longest text of the batch, under ``torch.inference_mode()``.
Texts longer than the model's limit are never truncated: they are cut at sentence boundaries
into pieces that fit (a sentence that is still too long is cut into token windows) and the
pieces' probabilities are averaged, weighted by their number of tokens.

torch and transformers are imported on first use only; ``import cxtext`` never imports them.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, MissingDependencyError, ModelError
from ..schema import EMOTIONS, SENTIMENTS
from ._label_maps import (
    EmotionMapping,
    LabelMap,
    SentimentMapping,
    emotion_mapping,
    load_label_map,
    sentiment_mapping,
)
from .base import Backend, Prediction, check_inputs, label_from_score

# shared with the zero-shot topic detector (cxtext.topics.zeroshot)
__all__ = ["TransformersBackend", "LoadedModel", "TokenUnits", "check_options", "encode", "load_model",
           "resolve_device", "run_batches"]

_TRUE = {"1", "on", "yes", "true"}
_DEVICE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")
#: Model types whose position ids start after the padding index (RoBERTa family).
_OFFSET_POSITIONS = {
    "roberta", "xlm-roberta", "xlm-roberta-xl", "camembert", "bertweet", "longformer", "mpnet",
    "data2vec-text", "ibert", "luke", "roberta-prelayernorm", "xmod",
}


def _modules() -> tuple[Any, Any]:
    """Import torch and transformers, or fail with an install hint."""
    try:
        import torch
    except ImportError:
        error = MissingDependencyError("the transformers backend", "transformers", "torch")
        error.args = (
            f"{error.args[0]}; torch is not part of the extra, install it first "
            "(CPU only: pip install torch --index-url https://download.pytorch.org/whl/cpu)",
        )
        raise error from None
    try:
        import transformers
    except ImportError:
        raise MissingDependencyError("the transformers backend", "transformers", "transformers") from None
    return torch, transformers


def _offline() -> bool:
    return any(os.environ.get(var, "").strip().lower() in _TRUE for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def _looks_like_path(name: str) -> bool:
    return (
        name.startswith((".", "/", "~"))
        or "\\" in name
        or name.count("/") > 1
        or os.path.isabs(name)
        or Path(name).expanduser().exists()
    )


def _download_hint(name: str, option: str) -> str:
    return (
        f"on a machine with internet access run `hf download {name} --local-dir DIR` "
        "(or save AutoTokenizer and AutoModelForSequenceClassification with save_pretrained(DIR)), "
        f"copy DIR here and pass {option} DIR"
    )


def resolve_device(device: str) -> str:
    """The torch device to use: ``auto`` is ``cuda`` when available, else ``cpu``.

    Example:
        >>> resolve_device("cpu")
        'cpu'

    Raises:
        ConfigError: ``cuda`` was asked for but torch sees no GPU.
    """
    torch, _ = _modules()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError(
            f"device {device!r} was requested but torch sees no CUDA GPU (torch {torch.__version__}); "
            "use --device cpu or --device auto"
        )
    return device


def check_options(batch_size: object, device: object, max_length: object) -> None:
    """Raise :class:`~cxtext.errors.ConfigError` for a bad batch size, device or maximum length."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigError(f"batch_size must be a positive integer, got {batch_size!r}; e.g. --batch-size 32")
    if not isinstance(device, str) or not _DEVICE.match(device):
        raise ConfigError(f"device must be 'auto', 'cpu' or 'cuda' (or 'cuda:N'), got {device!r}")
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 8:
        raise ConfigError(f"max_length must be an integer >= 8 tokens, got {max_length!r}; e.g. 512")


@dataclass
class LoadedModel:
    """A tokenizer and sequence classifier ready to run (internal to the transformers backend).

    Attributes:
        name: the model name or folder as given.
        tokenizer: the Hugging Face tokenizer.
        model: the ``AutoModelForSequenceClassification`` model, in eval mode on ``device``.
        device: torch device string.
        limit: maximum tokens per input, special tokens included.
        labels: class names by index.
    """

    name: str
    tokenizer: Any
    model: Any
    device: str
    limit: int
    labels: tuple[str, ...]

    @property
    def multi_label(self) -> bool:
        """True when the classes are independent (sigmoid), per the model's ``problem_type``."""
        return getattr(self.model.config, "problem_type", None) == "multi_label_classification"


def load_model(name: str, device: str, max_length: int, what: str, option: str) -> LoadedModel:
    """Load a sequence classifier from a local folder or the Hugging Face Hub.

    With ``HF_HUB_OFFLINE=1`` (or ``TRANSFORMERS_OFFLINE=1``) only local files are used.

    Raises:
        ModelError: the folder does not exist or holds no model, or the hub id cannot be
            reached; the message explains how to download the model elsewhere.
    """
    _, transformers = _modules()
    if not isinstance(name, (str, os.PathLike)) or not str(name).strip():
        raise ConfigError(f"{what} must be a local folder or a model hub id, got {name!r}; pass {option} PATH_OR_ID")
    name = str(name)
    local_only = _offline()
    is_folder = _looks_like_path(name)
    if is_folder:
        path = Path(name).expanduser()
        if not path.is_dir():
            raise ModelError(
                f"{what} folder {name!r} does not exist; check the path (and the current directory), "
                f"or pass a model hub id ({option} ORG/NAME) when the Hugging Face Hub is reachable"
            )
        if not (path / "config.json").is_file():
            raise ModelError(
                f"{what} folder {name!r} has no config.json, so it is not a saved Hugging Face model; "
                "save one with model.save_pretrained(DIR) and tokenizer.save_pretrained(DIR), "
                "or download it with `hf download MODEL_ID --local-dir DIR`"
            )
        source, local_only = str(path), True
    else:
        source = name
    logging_utils = transformers.utils.logging
    bars = logging_utils.is_progress_bar_enabled()
    logging_utils.disable_progress_bar()
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(source, local_files_only=local_only)
        model = transformers.AutoModelForSequenceClassification.from_pretrained(
            source, local_files_only=local_only
        )
    except (OSError, ValueError, KeyError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if is_folder:
            raise ModelError(f"cannot load {what} from folder {name!r}: {detail}") from None
        offline = " (HF_HUB_OFFLINE is set, so only the local cache was searched)" if _offline() else ""
        raise ModelError(
            f"cannot load {what} {name!r}: it is not a local folder and it could not be found on or "
            f"downloaded from the Hugging Face Hub{offline}; {_download_hint(name, option)} "
            f"(transformers said: {detail})"
        ) from None
    finally:
        if bars:
            logging_utils.enable_progress_bar()
    config = model.config
    if int(getattr(config, "num_labels", 0)) < 2:
        raise ModelError(
            f"{what} {name!r} has {getattr(config, 'num_labels', 0)} output(s); cxtext needs a "
            "classifier with one output per class (a regression head cannot be mapped to labels)"
        )
    limits = [max_length]
    tokenizer_limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(tokenizer_limit, int) and 0 < tokenizer_limit < 1_000_000:
        limits.append(tokenizer_limit)
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        if getattr(config, "model_type", "") in _OFFSET_POSITIONS:
            positions -= int(getattr(config, "pad_token_id", 1) or 1) + 1
        limits.append(positions)
    limit = min(limits)
    if limit < tokenizer.num_special_tokens_to_add(pair=False) + 4:
        raise ConfigError(f"max_length {max_length} is too small for {what} {name!r}; use e.g. 512")
    model.eval()
    model.to(device)
    labels = tuple(str(config.id2label[i]) for i in range(config.num_labels))
    return LoadedModel(name, tokenizer, model, device, limit, labels)


@dataclass
class TokenUnits:
    """Encoded inputs (each fits the model) and the text each belongs to."""

    input_ids: list[list[int]]
    token_type_ids: list[list[int]] | None
    owner: list[int]
    weight: list[float]


def _uses_token_types(tokenizer: Any) -> bool:
    return "token_type_ids" in getattr(tokenizer, "model_input_names", ())


def _split_long(loaded: LoadedModel, text: str, lang: str) -> list[str]:
    """Cut a too-long text into consecutive runs of whole sentences that fit the model."""
    from ..segment import sentences

    spans = sentences(text, lang)
    if len(spans) <= 1:
        return [text]
    budget = loaded.limit - loaded.tokenizer.num_special_tokens_to_add(pair=False)
    encoded = loaded.tokenizer([s.text for s in spans], add_special_tokens=False, verbose=False)
    counts = [len(ids) for ids in encoded["input_ids"]]
    pieces: list[str] = []
    start, used = spans[0].start, 0
    end = spans[0].start
    for span, count in zip(spans, counts):
        if used and used + count > budget:
            pieces.append(text[start:end])
            start, used = span.start, 0
        used += count
        end = span.end
    pieces.append(text[start:end])
    return pieces


def encode(loaded: LoadedModel, texts: Sequence[str], langs: Sequence[str]) -> TokenUnits:
    """Tokenize ``texts``; texts over the model limit become several weighted windows."""
    tokenizer = loaded.tokenizer
    with_types = _uses_token_types(tokenizer)
    encoded = tokenizer(list(texts), truncation=False, return_attention_mask=False, verbose=False)
    types = encoded.get("token_type_ids") if with_types else None
    units = TokenUnits([], [] if with_types else None, [], [])
    long: list[int] = []
    for index, ids in enumerate(encoded["input_ids"]):
        if len(ids) > loaded.limit:
            long.append(index)
            continue
        units.input_ids.append(ids)
        if units.token_type_ids is not None:
            units.token_type_ids.append(types[index] if types is not None else [0] * len(ids))
        units.owner.append(index)
        units.weight.append(float(len(ids)))
    for index in long:
        pieces = _split_long(loaded, texts[index], langs[index])
        windows = tokenizer(
            pieces, truncation=True, max_length=loaded.limit, return_overflowing_tokens=True,
            stride=0, return_attention_mask=False, verbose=False,
        )
        window_types = windows.get("token_type_ids") if with_types else None
        for w, ids in enumerate(windows["input_ids"]):
            units.input_ids.append(ids)
            if units.token_type_ids is not None:
                units.token_type_ids.append(window_types[w] if window_types is not None else [0] * len(ids))
            units.owner.append(index)
            units.weight.append(float(len(ids)))
    return units


def run_batches(loaded: LoadedModel, units: TokenUnits, batch_size: int, activation: str) -> Any:
    """Class probabilities (numpy, one row per unit, in unit order).

    Units are sorted by length so each batch is padded only to its own longest input.
    ``activation`` is ``softmax``, ``sigmoid`` or ``logits``.
    """
    import numpy as np

    torch, _ = _modules()
    tokenizer = loaded.tokenizer
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    pad_type = int(getattr(tokenizer, "pad_token_type_id", 0) or 0)
    left = getattr(tokenizer, "padding_side", "right") == "left"
    n = len(units.input_ids)
    out = np.zeros((n, len(loaded.labels)), dtype=np.float64)
    order = sorted(range(n), key=lambda i: len(units.input_ids[i]))
    with torch.inference_mode():
        for first in range(0, n, batch_size):
            rows = order[first : first + batch_size]
            width = max(len(units.input_ids[i]) for i in rows)
            ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            types = None
            if units.token_type_ids is not None:
                types = torch.full((len(rows), width), pad_type, dtype=torch.long)
            for r, i in enumerate(rows):
                seq = units.input_ids[i]
                span = slice(width - len(seq), width) if left else slice(0, len(seq))
                ids[r, span] = torch.tensor(seq, dtype=torch.long)
                mask[r, span] = 1
                if types is not None:
                    types[r, span] = torch.tensor(units.token_type_ids[i], dtype=torch.long)
            inputs = {"input_ids": ids.to(loaded.device), "attention_mask": mask.to(loaded.device)}
            if types is not None:
                inputs["token_type_ids"] = types.to(loaded.device)
            logits = loaded.model(**inputs).logits.float()
            if activation == "softmax":
                logits = torch.softmax(logits, dim=-1)
            elif activation == "sigmoid":
                logits = torch.sigmoid(logits)
            out[rows] = logits.cpu().numpy()
    return out


def _average(units: TokenUnits, proba: Any, n_texts: int) -> Any:
    """Token-weighted mean of the window probabilities of each text."""
    import numpy as np

    owner = np.asarray(units.owner, dtype=np.int64)
    weight = np.asarray(units.weight, dtype=np.float64)
    total = np.zeros((n_texts, proba.shape[1]))
    np.add.at(total, owner, proba * weight[:, None])
    norm = np.zeros(n_texts)
    np.add.at(norm, owner, weight)
    return total / norm[:, None]


class TransformersBackend(Backend):
    """Sentiment (and optionally emotion) from Hugging Face sequence classifiers.

    Args:
        sentiment_model: local folder or model hub id of a sentiment classifier (required).
        emotion_model: folder or hub id of an emotion classifier (single- or multi-label, per
            its config's ``problem_type``). When omitted, emotions come from the ``fast`` backend.
        label_map: dict or JSON file mapping model labels to cxtext labels, for models whose
            labels the built-in maps do not know (e.g. ``LABEL_0``); see
            :mod:`cxtext.backends._label_maps` for the format.
        batch_size: texts per forward pass.
        device: ``auto`` (``cuda`` when available, else ``cpu``), ``cpu`` or ``cuda``.
        max_length: maximum tokens per input; longer texts are split and averaged, never
            truncated. The model's own limit applies when lower.

    Example:
        >>> backend = TransformersBackend(sentiment_model="models/xlmr-sentiment")  # doctest: +SKIP
        >>> backend.analyze(["El envío llegó tarde"], ["es"])[0].sentiment  # doctest: +SKIP
        'negative'

    Raises:
        ConfigError: ``sentiment_model`` is missing or an option is out of range.
    """

    name = "transformers"

    def __init__(
        self,
        sentiment_model: str | None = None,
        emotion_model: str | None = None,
        label_map: str | Mapping[str, Any] | None = None,
        batch_size: int = 32,
        device: str = "auto",
        max_length: int = 512,
    ) -> None:
        self.sentiment_model = sentiment_model
        self.emotion_model = emotion_model
        self.label_map = label_map
        self.batch_size = batch_size
        self.device = device
        self.max_length = max_length
        if sentiment_model is None or not str(sentiment_model).strip():
            raise ConfigError(
                "the transformers backend needs a sentiment model: pass --sentiment-model PATH_OR_ID "
                "(sentiment_model= in Python), a local model folder or a Hugging Face hub id such as "
                "cardiffnlp/twitter-xlm-roberta-base-sentiment; see docs/transformers.md"
            )
        check_options(batch_size, device, max_length)
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        label_map: LabelMap = load_label_map(self.label_map)
        self.device_ = resolve_device(self.device)
        self.sentiment_ = load_model(
            str(self.sentiment_model), self.device_, self.max_length, "sentiment model", "--sentiment-model"
        )
        self.sentiment_map_: SentimentMapping = sentiment_mapping(
            dict(enumerate(self.sentiment_.labels)), label_map, self.sentiment_.name
        )
        self.emotion_: LoadedModel | None = None
        self.emotion_map_: EmotionMapping | None = None
        self.emotion_backend_: Backend | None = None
        if self.emotion_model is not None:
            self.emotion_ = load_model(
                str(self.emotion_model), self.device_, self.max_length, "emotion model", "--emotion-model"
            )
            self.emotion_map_ = emotion_mapping(dict(enumerate(self.emotion_.labels)), label_map, self.emotion_.name)
        else:
            from . import get_backend

            try:
                self.emotion_backend_ = get_backend("fast")
            except ModuleNotFoundError as exc:
                raise ConfigError(
                    f"no --emotion-model was given and the fast backend, which then supplies emotions, "
                    f"cannot be loaded ({exc}); pass --emotion-model PATH_OR_ID"
                ) from None
        self._loaded = True

    def _probabilities(self, loaded: LoadedModel, texts: Sequence[str], langs: Sequence[str], activation: str) -> Any:
        units = encode(loaded, texts, langs)
        return _average(units, run_batches(loaded, units, self.batch_size, activation), len(texts))

    def analyze(self, texts: Sequence[str], langs: Sequence[str]) -> list[Prediction]:
        """Return one :class:`~cxtext.backends.base.Prediction` per text, in input order.

        The sentiment label is the most probable of negative/neutral/positive after mapping
        (for models without a neutral class: the label of the score); the score is the
        expected polarity of the model's classes (P(positive) - P(negative), or the expected
        star rating rescaled to [-1, 1]). Emotions are the Plutchik-8 labels whose probability
        reaches their threshold (summed over classes for single-label models, the maximum over
        classes for multi-label ones).
        """
        import numpy as np

        check_inputs(texts, langs)
        texts = list(texts)
        langs = list(langs)
        if not texts:
            return []
        self._load()
        proba = self._probabilities(self.sentiment_, texts, langs, "softmax")
        mapping = self.sentiment_map_
        sentiment = proba @ np.asarray(mapping.weights())
        scores = np.clip(proba @ np.asarray(mapping.scores), -1.0, 1.0)
        has_neutral = "neutral" in mapping.sentiments
        emotion_proba, emotion_labels = self._emotions(texts, langs)
        out: list[Prediction] = []
        for i in range(len(texts)):
            label = SENTIMENTS[int(np.argmax(sentiment[i]))] if has_neutral else label_from_score(float(scores[i]))
            out.append(
                Prediction(
                    sentiment=label,
                    score=float(scores[i]),
                    sentiment_proba={s: float(sentiment[i, j]) for j, s in enumerate(SENTIMENTS)},
                    emotions=emotion_labels[i],
                    emotion_proba=emotion_proba[i],
                )
            )
        return out

    def _emotions(self, texts: list[str], langs: list[str]) -> tuple[list[dict[str, float]], list[tuple[str, ...]]]:
        import numpy as np

        if self.emotion_ is None:
            predictions = self.emotion_backend_.analyze(texts, langs)
            return [dict(p.emotion_proba) for p in predictions], [tuple(p.emotions) for p in predictions]
        mapping = self.emotion_map_
        multi = self.emotion_.multi_label
        proba = self._probabilities(self.emotion_, texts, langs, "sigmoid" if multi else "softmax")
        weights = np.asarray(mapping.weights())  # classes x emotions
        if multi:
            per_emotion = np.where(weights[None, :, :] > 0, proba[:, :, None], 0.0).max(axis=1)
        else:
            per_emotion = np.clip(proba @ weights, 0.0, 1.0)
        thresholds = np.asarray([mapping.thresholds[e] for e in EMOTIONS])
        probas = [{e: float(row[j]) for j, e in enumerate(EMOTIONS)} for row in per_emotion]
        labels = [tuple(e for j, e in enumerate(EMOTIONS) if row[j] >= thresholds[j]) for row in per_emotion]
        return probas, labels

    def describe(self) -> dict[str, str]:
        """Backend name, models and library versions (stamped into outputs)."""
        info = {"backend": self.name, "sentiment_model": str(self.sentiment_model)}
        info["emotion_model"] = str(self.emotion_model) if self.emotion_model is not None else "fast backend"
        try:
            torch, transformers = _modules()
        except MissingDependencyError:
            return info
        info["torch"] = torch.__version__
        info["transformers"] = transformers.__version__
        return info
