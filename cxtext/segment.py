"""Split comments into sentences (spaCy ``blank(lang)`` + sentencizer) and clauses.

Every piece keeps its character offsets in the original comment, so evidence and
topic-level sentiment can point back into the text. Clauses are sentences cut before a
contrast marker ("the product is great | but delivery was a nightmare"), because the two
sides of "but" usually carry different verdicts.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .schema import LANGUAGES

__all__ = ["Span", "sentences", "clauses", "split_comments", "CONTRAST_MARKERS"]

#: Words that open a contrasting clause, per language (lower case).
CONTRAST_MARKERS: dict[str, tuple[str, ...]] = {
    "en": ("but", "however", "although", "though", "yet", "whereas", "except"),
    "es": ("pero", "aunque", "sin embargo", "no obstante", "sino", "excepto", "salvo"),
    "it": ("ma", "però", "tuttavia", "anche se", "sebbene", "invece", "eccetto", "tranne"),
    "pt": ("mas", "porém", "contudo", "entretanto", "embora", "no entanto", "exceto", "todavia"),
}
_MIN_CLAUSE_WORDS = 2
#: spaCy's vocabulary grows with every new word; a fresh pipeline past this size keeps memory flat
_MAX_VOCAB = 300_000
_TRAILING = re.compile(r"[\s,;:]+$")
_SENTENCE_END = re.compile(r"[.!?;…\n\u3002]")
#: Spanish opening marks: they start a sentence ("Bien. ¿Y tú?"), spaCy leaves them on the one before
_OPENING_MARKS = "¿¡"
_GLUED_OPENING = re.compile(r"[.!?…](?=[¿¡])")


@dataclass(frozen=True)
class Span:
    """A piece of a comment: ``comment[start:end] == text``."""

    text: str
    start: int
    end: int


_PIPELINES: dict[str, object] = {}


def _nlp(lang: str):  # noqa: ANN202 - spaCy Language, imported lazily
    nlp = _PIPELINES.get(lang)
    if nlp is None or len(nlp.vocab) > _MAX_VOCAB:
        import spacy

        nlp = spacy.blank(lang if lang in LANGUAGES else "xx")
        nlp.add_pipe("sentencizer")
        nlp.max_length = 10_000_000
        _PIPELINES[lang] = nlp
    return nlp


@lru_cache(maxsize=None)
def _contrast_pattern(lang: str) -> re.Pattern[str]:
    markers = CONTRAST_MARKERS.get(lang, CONTRAST_MARKERS["en"])
    # a marker after a comma or space, not at the very start, as a whole word
    alternatives = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
    return re.compile(rf"(?<=[\s,;:])(?:{alternatives})\b", re.IGNORECASE)


def _trimmed(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece.rstrip())
    if right <= left:
        return None
    return Span(piece[left:right], start + left, start + right)


def _needs_sentencizer(text: str) -> bool:
    stripped = text.rstrip()
    return bool(_SENTENCE_END.search(stripped, 0, max(0, len(stripped) - 1)))


def sentences(text: str, lang: str = "en") -> list[Span]:
    """Sentences of ``text`` with offsets; whitespace-only text gives ``[]``.

    Example:
        >>> [s.text for s in sentences("Great product. Slow delivery!", "en")]
        ['Great product.', 'Slow delivery!']
    """
    return list(_sentences_many([text], lang))[0]


def _sentences_many(texts: Iterable[str], lang: str) -> Iterator[list[Span]]:
    texts = list(texts)
    complex_idx = [i for i, t in enumerate(texts) if _needs_sentencizer(t)]
    docs = dict(zip(complex_idx, _nlp(lang).pipe(texts[i] for i in complex_idx)))
    for i, text in enumerate(texts):
        if i not in docs:
            span = _trimmed(text, 0, len(text))
            yield [span] if span else []
            continue
        spans = (_trimmed(text, s.start_char, s.end_char) for s in docs[i].sents)
        yield _opening_marks(text, _attach_punctuation(text, [s for s in spans if s]))


def _is_punctuation(text: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PZC" for ch in text)


def _attach_punctuation(text: str, spans: list[Span]) -> list[Span]:
    """Join punctuation-only "sentences" (``"great!  ,"`` -> ``"great!"`` + ``","``) to the
    sentence before them (or, at the start, after them): alone they have no clause."""
    out: list[Span] = []
    for span in spans:
        if out and (_is_punctuation(span.text) or _is_punctuation(out[-1].text)):
            out[-1] = Span(text[out[-1].start:span.end], out[-1].start, span.end)
        else:
            out.append(span)
    return out


def _opening_marks(text: str, spans: list[Span]) -> list[Span]:
    """Give "¿"/"¡" to the sentence they open: ``"Bien. ¿" + "Y tú?"`` -> ``"Bien." + "¿Y tú?"``,
    and split ``"¿Llegó?¿Cuándo?"`` in two."""
    bounds: list[list[int]] = []
    for span in spans:
        cut = span.start
        for match in _GLUED_OPENING.finditer(text, span.start, span.end):
            bounds.append([cut, match.end()])
            cut = match.end()
        bounds.append([cut, span.end])
    for current, following in zip(bounds, bounds[1:]):
        piece = text[current[0]:current[1]]
        body = piece.rstrip(_OPENING_MARKS + " \t\n")
        tail = piece[len(body):]
        first_mark = min((tail.find(m) for m in _OPENING_MARKS if m in tail), default=-1)
        if body and first_mark >= 0:  # "Bien. ¿" -> "Bien." and the next sentence starts at "¿"
            current[1], following[0] = current[0] + len(body), current[0] + len(body) + first_mark
    if len(bounds) == len(spans) and all(b == [s.start, s.end] for b, s in zip(bounds, spans)):
        return spans
    trimmed = (_trimmed(text, a, b) for a, b in bounds)
    return [s for s in trimmed if s]


def clauses(sentence: Span, lang: str = "en") -> list[Span]:
    """Cut a sentence before contrast markers; each side keeps at least two words.

    Example:
        >>> s = Span("the product is great but delivery was a nightmare", 0, 50)
        >>> [c.text for c in clauses(s, "en")]
        ['the product is great', 'but delivery was a nightmare']
    """
    cuts = [0]
    for match in _contrast_pattern(lang).finditer(sentence.text):
        before = sentence.text[cuts[-1]:match.start()]
        after = sentence.text[match.end():]
        if len(before.split()) >= _MIN_CLAUSE_WORDS and len(after.split()) >= _MIN_CLAUSE_WORDS - 1:
            cuts.append(match.start())
    cuts.append(len(sentence.text))
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        span = _trimmed(sentence.text, a, b)
        piece = _TRAILING.sub("", span.text) if span else ""
        if piece:
            pieces.append(Span(piece, sentence.start + span.start, sentence.start + span.start + len(piece)))
    if not pieces:  # only separators (",", " ; "): the sentence is its own clause
        span = _trimmed(sentence.text, 0, len(sentence.text))
        if span:
            pieces.append(Span(span.text, sentence.start + span.start, sentence.start + span.end))
    return pieces


def split_comments(texts: list[str], langs: list[str]) -> list[list[list[Span]]]:
    """Sentences and clauses of many comments: ``result[i][j]`` = clauses of sentence j of text i.

    Comments are grouped by language so each spaCy pipeline runs once over its batch.
    """
    result: list[list[list[Span]]] = [[] for _ in texts]
    by_lang: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        by_lang.setdefault(lang, []).append(i)
    for lang, idx in by_lang.items():
        for i, sents in zip(idx, _sentences_many((texts[i] for i in idx), lang)):
            result[i] = [clauses(s, lang) for s in sents]
    return result
