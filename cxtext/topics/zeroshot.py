"""Zero-shot topics with a natural-language-inference (NLI) model (``pip install "cxtext[transformers]"``).

Each text is the premise; each topic gives a hypothesis built from its codebook definition
and a per-language template ("This comment is about {}."). A topic is reported when the
probability of entailment (entailment vs contradiction, as in the Hugging Face zero-shot
pipeline with ``multi_label=True``) reaches ``threshold``. A text longer than the model's limit
is cut into windows and the topic counts when any window entails it. A zero-shot match has no
word-level evidence: its evidence is the whole text.

Cost: one forward pass per text and topic, so prefer a codebook with few topics.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ConfigError, InputError, ModelError, format_choices
from .base import TopicDetector, TopicMatch

__all__ = ["ZeroShotTopicDetector", "DEFAULT_TEMPLATES"]

#: Hypothesis template per language; ``{}`` is replaced by the topic's description.
DEFAULT_TEMPLATES: dict[str, str] = {
    "en": "This comment is about {}.",
    "es": "Este comentario trata de {}.",
    "it": "Questo commento parla di {}.",
    "pt": "Este comentário é sobre {}.",
}
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)")
#: Preposition + article contractions the templates can produce ("trata de el" -> "trata del").
_CONTRACTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "es": ((r"\bde el\b", "del"),),
    "it": (
        (r"\bdi il\b", "del"), (r"\bdi lo\b", "dello"), (r"\bdi la\b", "della"),
        (r"\bdi l'", "dell'"), (r"\bdi i\b", "dei"), (r"\bdi gli\b", "degli"), (r"\bdi le\b", "delle"),
    ),
}


def _short(description: str) -> str:
    """The head of a definition: its first sentence up to a colon/semicolon/parenthesis.

    A codebook definition such as "What the customer paid and whether it felt fair: prices,
    costs, ..." becomes "what the customer paid and whether it felt fair" (first letter
    lower-cased unless it starts an acronym), which reads well inside a template.
    """
    text = " ".join(description.split())
    match = _FIRST_SENTENCE.match(text)
    if match:
        text = match.group(1)
    text = re.split(r"[:;(]", text, maxsplit=1)[0]
    text = text.rstrip(".!?;,- ")
    first_word = text.split(" ", 1)[0]
    if text and not (len(first_word) > 1 and first_word.isupper()):
        text = text[0].lower() + text[1:]
    return text


def _contract(text: str, lang: str) -> str:
    for pattern, replacement in _CONTRACTIONS.get(lang, ()):
        text = re.sub(pattern, replacement, text)
    return text


class ZeroShotTopicDetector(TopicDetector):
    """Topics of a codebook detected by an NLI model, without any training examples.

    Args:
        codebook: a codebook object (``.topics``, ``.definitions``, ``.column``, e.g. from
            :func:`cxtext.topics.load_codebook`) or the name/path of one.
        model: local folder or hub id of an NLI sequence classifier whose ``id2label`` has an
            entailment class (e.g. ``MoritzLaurer/mDeBERTa-v3-base-xnli-multilingual-nli-2mil7``).
        templates: hypothesis templates per language (each with one ``{}``), merged over
            :data:`DEFAULT_TEMPLATES`; languages without a template use the English one.
        threshold: minimum entailment probability for a topic to be reported.
        batch_size: premise/hypothesis pairs per forward pass.
        device: ``auto``, ``cpu`` or ``cuda``.
        max_length: maximum tokens per pair (the model's own limit applies when lower).

    Example:
        >>> from cxtext.topics import load_codebook  # doctest: +SKIP
        >>> detector = ZeroShotTopicDetector(load_codebook("default"), model="models/xnli")  # doctest: +SKIP
        >>> [m.topic for m in detector.detect(["Way too expensive"], ["en"])[0]]  # doctest: +SKIP
        ['price']

    Raises:
        ConfigError: a template has no ``{}``, or an option is out of range.
    """

    def __init__(
        self,
        codebook: Any,
        model: str,
        templates: Mapping[str, str] | None = None,
        threshold: float = 0.5,
        batch_size: int = 16,
        device: str = "auto",
        max_length: int = 512,
    ) -> None:
        from ..backends.transformers import check_options

        if isinstance(codebook, str):
            from .codebook import load_codebook

            codebook = load_codebook(codebook)
        self.codebook = codebook
        self.model = model
        self.templates = templates
        self.threshold = threshold
        self.batch_size = batch_size
        self.device = device
        self.max_length = max_length
        check_options(batch_size, device, max_length)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0.0 <= threshold <= 1.0:
            raise ConfigError(f"threshold must be a number in [0, 1], got {threshold!r}; e.g. 0.5")
        merged = dict(DEFAULT_TEMPLATES)
        merged.update(templates or {})
        for lang, template in merged.items():
            if not isinstance(template, str) or template.count("{}") != 1:
                raise ConfigError(
                    f"the zero-shot template for {lang!r} must contain '{{}}' exactly once "
                    f"(where the topic goes), got {template!r}; e.g. {DEFAULT_TEMPLATES['en']!r}"
                )
        self.templates_ = merged
        self.column = getattr(codebook, "column", "topics")
        self.topics = tuple(codebook.topics)
        if not self.topics:
            raise ConfigError("the codebook has no topics; zero-shot detection needs at least one")
        self._model_: Any = None

    def hypothesis(self, topic: str, lang: str) -> str:
        """The hypothesis tested for ``topic`` in language ``lang``.

        Example:
            >>> detector.hypothesis("people", "es")  # doctest: +SKIP
            'Este comentario trata del personal con el que trató el cliente.'
        """
        definitions = getattr(self.codebook, "definitions", {}) or {}
        entry = definitions.get(topic)
        description = ""
        if isinstance(entry, Mapping):
            description = entry.get(lang) or entry.get("en") or ""
        elif isinstance(entry, str):
            description = entry
        if not description.strip():
            spec = getattr(self.codebook, "spec", None)
            label = ""
            if callable(spec):
                try:
                    label = getattr(spec(topic), "label", "") or ""
                except KeyError:
                    label = ""
            description = label or topic.rsplit("/", 1)[-1].replace("_", " ")
        template = self.templates_.get(lang, self.templates_["en"])
        return _contract(template.format(_short(description)), lang)

    def _load(self) -> Any:
        if self._model_ is None:
            from ..backends.transformers import load_model, resolve_device

            self.device_ = resolve_device(self.device)
            loaded = load_model(
                str(self.model), self.device_, self.max_length, "zero-shot topic model", "--topic-model"
            )
            names = [label.strip().lower() for label in loaded.labels]
            entail = [i for i, n in enumerate(names) if n.startswith("entail")]
            if not entail:
                raise ModelError(
                    f"zero-shot topic model {self.model!r} is not an NLI model: none of its labels "
                    f"{format_choices(loaded.labels)} is 'entailment'; use an NLI model (e.g. "
                    "MoritzLaurer/mDeBERTa-v3-base-xnli-multilingual-nli-2mil7) or drop --zero-shot"
                )
            contra = [i for i, n in enumerate(names) if n.startswith("contradict")]
            self.entailment_index_ = entail[0]
            self.contradiction_index_ = contra[0] if contra else None
            self._model_ = loaded
        return self._model_

    def entailment(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[float]]:
        """Entailment probability of every topic (columns in ``self.topics`` order) per text."""
        import numpy as np

        from ..backends.transformers import TokenUnits, run_batches

        texts, langs = list(texts), list(langs)
        if len(texts) != len(langs):
            raise InputError(f"got {len(texts)} texts but {len(langs)} languages; pass one language per text")
        if not texts:
            return []
        loaded = self._load()
        tokenizer = loaded.tokenizer
        hypotheses = {
            lang: [self.hypothesis(topic, lang) for topic in self.topics] for lang in sorted(set(langs))
        }
        room = loaded.limit - tokenizer.num_special_tokens_to_add(pair=True)
        for lang, items in hypotheses.items():
            longest = max(len(ids) for ids in tokenizer(items, add_special_tokens=False, verbose=False)["input_ids"])
            if longest > room - 8:
                raise ConfigError(
                    f"the zero-shot hypotheses for {lang!r} are too long for model {self.model!r} "
                    f"({longest} tokens, limit {loaded.limit}); shorten the topic definitions or the template"
                )
        premises = [text for text in texts for _ in self.topics]
        pairs = [h for lang in langs for h in hypotheses[lang]]
        encoded = tokenizer(
            premises, pairs, truncation="only_first", max_length=loaded.limit,
            return_overflowing_tokens=True, stride=0, return_attention_mask=False, verbose=False,
        )
        with_types = "token_type_ids" in getattr(tokenizer, "model_input_names", ())
        owner = list(encoded["overflow_to_sample_mapping"])
        units = TokenUnits(
            list(encoded["input_ids"]),
            list(encoded["token_type_ids"]) if with_types and "token_type_ids" in encoded else None,
            owner,
            [1.0] * len(owner),
        )
        logits = run_batches(loaded, units, self.batch_size, "logits")
        if self.contradiction_index_ is not None:
            pair = logits[:, [self.contradiction_index_, self.entailment_index_]]
        else:
            pair = logits
        pair = pair - pair.max(axis=1, keepdims=True)
        proba = np.exp(pair) / np.exp(pair).sum(axis=1, keepdims=True)
        column = 1 if self.contradiction_index_ is not None else self.entailment_index_
        best = np.zeros(len(premises))
        np.maximum.at(best, np.asarray(owner, dtype=np.int64), proba[:, column])
        return best.reshape(len(texts), len(self.topics)).tolist()

    def detect(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[TopicMatch]]:
        """Topics whose entailment probability reaches ``threshold``; evidence is the whole text."""
        texts = list(texts)
        out: list[list[TopicMatch]] = []
        for text, row in zip(texts, self.entailment(texts, langs)):
            if not text.strip():
                out.append([])
                continue
            out.append([
                TopicMatch(topic, 0, len(text), text)
                for topic, p in zip(self.topics, row)
                if p >= self.threshold
            ])
        return out

    def describe(self) -> dict[str, str]:
        """Model and codebook used (stamped into outputs)."""
        name = getattr(self.codebook, "name", "") or type(self.codebook).__name__
        return {"topics": f"zero-shot:{self.model}", "codebook": str(name)}
