"""Offline language detection restricted to the supported languages.

Uses py3langid's naive Bayes model over es/it/pt/en (cxtext ships that part of it,
``models/langid.md``), scored for a whole batch at once with numpy (the same byte n-gram
automaton and weights as ``py3langid.classify``, without a Python loop per byte). Before
scoring, shouting is undone (an ALL-CAPS word is read in lower case) and runs of repeated
punctuation or letters are shortened ("ATRASADA!!!!!!" reads as "atrasada!"), because the
model learned from ordinary text. ``benchmarks/lang.py`` measures the effect on short,
upper-case and accent-less comments.

Text with no letters is ``und``; text with fewer than three letters, without any n-gram the
model knows, or whose best language is barely more likely than the others falls back to the
default language.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .errors import ConfigError, format_choices
from .schema import LANGUAGES, UNDETERMINED

__all__ = ["LanguageDetector", "Detections", "detect_language", "check_language"]

#: fewer letters than this: the default language (too little to tell)
_MIN_LETTERS = 3
#: the best language needs at least this probability among the candidates, else the default
_MIN_CONFIDENCE = 0.35
#: letters of a text that are looked at, and characters scored (as py3langid's own limit)
_LETTER_WINDOW = 400
_MAX_CHARS = 2000
#: a text "clearly" in a supported language outside ``languages`` (counted as forced)
_CLEAR = 0.90
_CLEAR_LETTERS = 12

_LETTER = re.compile(r"[^\W\d_]")
_UPPER = "A-ZÀ-ÖØ-Þ"  # Latin capitals, accented ones included
_SHOUTED = re.compile(rf"(?<![^\W\d_])[{_UPPER}]{{2,}}(?![^\W\d_])")
_TWO_CAPITALS = re.compile(rf"[{_UPPER}]{{2}}")  # what every shouted word holds: a cheap first look
_REPEATS = re.compile(r"([^\w\s])\1+|([^\W\d_])\2\2+")  # \2\2+ is \2{2,}, found twice as fast

#: why a text got its language (:attr:`Detections.how`)
DETECTED, FALLBACK, FORCED, NO_LETTERS = 0, 1, 2, 3


def check_language(lang: str, allow_auto: bool = False, allowed: Sequence[str] = LANGUAGES) -> str:
    """Validate a language option and return it lower-cased."""
    value = str(lang).strip().lower()
    choices = (["auto"] if allow_auto else []) + list(allowed)
    if value not in choices:
        raise ConfigError(f"unsupported language {lang!r}; choose one of {format_choices(choices)}")
    return value


def normalise(text: str) -> str:
    """The text as the model reads it: shouted words in lower case, long repeats shortened.

    Example:
        >>> normalise("Entrega ATRASADA!!!!!! siiiii")
        'Entrega atrasada! sii'
    """
    if _TWO_CAPITALS.search(text):
        text = _SHOUTED.sub(lambda m: m.group().lower(), text)
    return _REPEATS.sub(lambda m: m.group()[0] * (1 if m.group(1) else 2), text)


#: py3langid's model for the supported languages (models/langid.md; from models/recipes/export_langid.py)
MODEL_FILE = "langid.npz"


class _Model:
    """py3langid's automaton and naive Bayes weights for the supported languages, as arrays.

    Read from the shipped ``langid.npz`` (2.2 MiB, about 0.1 s) rather than from py3langid's own
    file, which holds 142 languages and takes about 0.75 s to decompress at every start.
    """

    def __init__(self) -> None:
        with (resources.files("cxtext.models") / MODEL_FILE).open("rb") as handle, \
                np.load(handle, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        self.classes = tuple(str(c) for c in arrays["classes"])
        self.nextmove = arrays["nextmove"].astype(np.int32)
        self.rowbase = arrays["nextmove_row"].astype(np.int64) << 8
        self.output = arrays["out_feat"].astype(np.int64)
        self.ptc = arrays["ptc"].astype(np.float32)
        self.pc = arrays["pc"].astype(np.float32)

    def log_scores(self, texts: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """Naive Bayes scores ``(n, classes)`` and whether each text had any known n-gram.

        The automaton is walked for all texts together, one byte position at a time (texts
        sorted by length, so each step touches only the texts still running).
        """
        from scipy import sparse

        n = len(texts)
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
        order = np.argsort(-lengths, kind="stable")
        flat = np.frombuffer(b"".join(texts[i] for i in order), dtype=np.uint8)
        sorted_lengths = lengths[order]
        starts = np.concatenate(([0], np.cumsum(sorted_lengths)[:-1])) if n else np.zeros(0, np.int64)
        state = np.zeros(n, dtype=np.int64)
        rows: list[np.ndarray] = []
        feats: list[np.ndarray] = []
        running = n
        for step in range(int(sorted_lengths[0]) if n else 0):
            while running and sorted_lengths[running - 1] <= step:
                running -= 1
            current = state[:running]
            current = self.nextmove[self.rowbase[current] + flat[starts[:running] + step]]
            state[:running] = current
            found = self.output[current]
            hit = np.flatnonzero(found >= 0)
            if hit.size:
                rows.append(order[hit])
                feats.append(found[hit])
        scores = np.zeros((n, len(self.classes)), dtype=np.float32)
        known = np.zeros(n, dtype=bool)
        if rows:
            r, f = np.concatenate(rows), np.concatenate(feats)
            counts = sparse.csr_matrix((np.ones(len(r), dtype=np.float32), (r, f)),
                                       shape=(n, self.ptc.shape[0]))
            counts.sum_duplicates()
            counts.data = np.log1p(counts.data)
            scores = np.asarray(counts @ self.ptc) + self.pc
            known[np.unique(r)] = True
        scores[~known] = 0.0  # as py3langid: no known n-gram, no preference
        return scores, known


_MODEL: _Model | None = None
_MODEL_LOCK = threading.Lock()
_LOADING: threading.Thread | None = None
_LOADING_LOCK = threading.Lock()


def _model() -> _Model:
    global _MODEL
    if _MODEL is None:
        with _MODEL_LOCK:  # loaded once, also when preload() is still at it in its thread
            if _MODEL is None:
                _MODEL = _Model()
    return _MODEL


def preload() -> threading.Thread:
    """Start loading the language model in a thread and return it (the same thread on every call).

    Most of the load is decompression, which releases the GIL, so it overlaps with loading the
    other models in the calling thread (start-up of a run is shorter).
    """
    global _LOADING
    with _LOADING_LOCK:
        if _LOADING is None:  # one thread, also when called again (it may have finished)
            _LOADING = threading.Thread(target=_model, name="cxtext-language-model", daemon=True)
            _LOADING.start()
    return _LOADING


@dataclass(frozen=True)
class Detections:
    """Languages of a batch of texts and why each was chosen.

    Attributes:
        langs: one language (or ``und``) per text.
        how: per text, 0 = detected, 1 = fell back to the default (short or ambiguous),
            2 = clearly in a supported language outside ``languages`` (the closest allowed one
            was used), 3 = no letters (``und``).
    """

    langs: list[str]
    how: list[int]

    @property
    def fallbacks(self) -> int:
        """Texts that fell back to the default language."""
        return self.how.count(FALLBACK)

    @property
    def forced(self) -> int:
        """Texts clearly in another supported language than those allowed."""
        return self.how.count(FORCED)


class LanguageDetector:
    """Detects the language of comments among ``languages``.

    Args:
        languages: candidate languages (subset of es/it/pt/en).
        default: language for text with under three letters or no clear language.

    Example:
        >>> LanguageDetector(["es", "pt"], default="es")("A entrega atrasou muito")
        'pt'
        >>> LanguageDetector()("ENTREGA ATRASADA!!!!!!")
        'pt'
    """

    def __init__(self, languages: Sequence[str] = LANGUAGES, default: str = "en") -> None:
        self.languages = tuple(check_language(lang) for lang in languages)
        if not self.languages:
            raise ConfigError("languages must name at least one of " + format_choices(LANGUAGES))
        self.default = check_language(default, allowed=self.languages)

    def __call__(self, text: str) -> str:
        return self.detect_many([text])[0]

    def detect_many(self, texts: Sequence[str]) -> list[str]:
        """Language of each text, in order."""
        return self.detect(texts).langs

    def detect(self, texts: Sequence[str]) -> Detections:
        """Languages of ``texts`` with the reason for each (see :class:`Detections`)."""
        langs = [UNDETERMINED] * len(texts)
        how = [NO_LETTERS] * len(texts)
        todo, encoded, letters = [], [], []
        for i, text in enumerate(texts):
            count = len(_LETTER.findall(text, 0, _LETTER_WINDOW))
            if count == 0:
                continue
            if len(self.languages) == 1 or count < _MIN_LETTERS:
                langs[i], how[i] = self.default, FALLBACK if len(self.languages) > 1 else DETECTED
                continue
            todo.append(i)
            letters.append(count)
            encoded.append(unicodedata.normalize("NFC", normalise(text[:_MAX_CHARS]))
                           .encode("utf-8", errors="surrogatepass"))
        if todo:
            self._decide(todo, encoded, letters, langs, how)
        return Detections(langs, how)

    def _decide(self, todo: list[int], encoded: list[bytes], letters: list[int],
                langs: list[str], how: list[int]) -> None:
        from scipy.special import softmax  # lazy: cxtext --help loads no scipy

        model = _model()
        scores, known = model.log_scores(encoded)
        scale = 1.0 / np.sqrt(np.maximum(np.fromiter(map(len, encoded), dtype=np.float64), 1.0))
        scores = scores * scale[:, None]  # py3langid's temperature: sqrt(bytes)
        allowed = np.array([c in self.languages for c in model.classes])
        everything = softmax(scores, axis=1)
        within = softmax(np.where(allowed, scores, -np.inf), axis=1)
        best = within.argmax(axis=1)
        confidence = within[np.arange(len(todo)), best]
        overall = everything.argmax(axis=1)
        clear = everything[np.arange(len(todo)), overall] >= _CLEAR
        for k, i in enumerate(todo):
            if not known[k] or confidence[k] < _MIN_CONFIDENCE:
                langs[i], how[i] = self.default, FALLBACK
                continue
            langs[i], how[i] = model.classes[best[k]], DETECTED
            if not allowed[overall[k]] and clear[k] and letters[k] >= _CLEAR_LETTERS:
                how[i] = FORCED


def detect_language(text: str, languages: Sequence[str] = LANGUAGES, default: str = "en") -> str:
    """Language of one text (see :class:`LanguageDetector`)."""
    return LanguageDetector(languages, default)(text)
