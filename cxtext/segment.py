"""Split comments into sentences (the boundaries of spaCy's ``blank(lang)`` + sentencizer) and clauses.

Every piece keeps its character offsets in the original comment, so evidence and
topic-level sentiment can point back into the text. Clauses are sentences cut before a
contrast marker ("the product is great | but delivery was a nightmare"), because the two
sides of "but" usually carry different verdicts.
"""
from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ._tokenizer import chunk_tokenizer, is_punct, spacy_language

__all__ = ["Span", "sentences", "clauses", "split_comments", "sets_itself_apart", "CONTRAST_MARKERS",
           "RESERVATION_MARKERS"]


def _markers(key: str) -> dict[str, tuple[str, ...]]:
    rules = resources.files("cxtext") / "data" / "lexicons" / "rules.json"
    lists = json.loads(rules.read_text(encoding="utf-8"))[key]
    return {lang: tuple(words) for lang, words in lists.items() if not lang.startswith("_")}


#: Words that open a contrasting clause, per language: the ``contrast`` lists of the lexicon's
#: ``data/lexicons/rules.json`` (lower case, without accents; matched ignoring case and accents,
#: so ``porem`` finds "porém" and "porem").
CONTRAST_MARKERS: dict[str, tuple[str, ...]] = _markers("contrast")
#: Openings of a clause that names a comment's one reservation ("Lo único, ...", "Only the
#: price ...", "Peccato ...", "Só a entrega ..."): the ``reservation`` lists of ``rules.json``.
RESERVATION_MARKERS: dict[str, tuple[str, ...]] = _markers("reservation")
_MIN_CLAUSE_WORDS = 2
#: spaCy's vocabulary grows with every new word; a fresh pipeline past this size keeps memory flat
_MAX_VOCAB = 300_000
_WORDS = re.compile(r"\S+")
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

        nlp = spacy.blank(spacy_language(lang))
        nlp.add_pipe("sentencizer")
        nlp.max_length = 10_000_000
        _PIPELINES[lang] = nlp
    return nlp


@lru_cache(maxsize=None)
def _contrast_pattern(lang: str) -> re.Pattern[str]:
    markers = CONTRAST_MARKERS.get(lang, CONTRAST_MARKERS["en"])
    # a marker after a comma or space, not at the very start, as a whole word
    alternatives = "|".join(_any_accents(m) for m in sorted(markers, key=len, reverse=True))
    return re.compile(rf"(?<=[\s,;:])(?:{alternatives})\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _accented() -> dict[str, str]:
    """Base letter -> the letter and its accented lower-case forms of Latin-1 ("e" -> "eèéêë")."""
    forms: dict[str, str] = {}
    for code in range(0xC0, 0x100):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        if base.isascii() and base.isalpha() and char.lower() == char:
            forms[base] = forms.get(base, base) + char
    return forms


@lru_cache(maxsize=None)
def _apart_pattern(lang: str) -> re.Pattern[str]:
    markers = (CONTRAST_MARKERS.get(lang, CONTRAST_MARKERS["en"])
               + RESERVATION_MARKERS.get(lang, RESERVATION_MARKERS["en"]))
    alternatives = "|".join(_any_accents(m) for m in sorted(set(markers), key=len, reverse=True))
    return re.compile(rf"[\W_]*(?:{alternatives})\b", re.IGNORECASE)


def sets_itself_apart(clause: str, lang: str = "en") -> bool:
    """Whether ``clause`` opens with a contrast or reservation marker: the customer sets it
    against the rest of the comment ("but the delivery was late", "Lo único, el envío tardó").

    Example:
        >>> sets_itself_apart("Lo único, el envío tardó un poco.", "es"), sets_itself_apart("El envío tardó.", "es")
        (True, False)
    """
    return _apart_pattern(lang).match(clause) is not None


def _any_accents(word: str) -> str:
    """A pattern of ``word`` (written without accents) that also matches it with accents."""
    forms = _accented()
    return "".join(f"[{forms[c]}]" if c in forms else re.escape(c) for c in word)


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
    splitter = _splitter(lang)
    for text in texts:
        if not _needs_sentencizer(text):
            span = _trimmed(text, 0, len(text))
            yield [span] if span else []
            continue
        starts = splitter.sentence_starts(text)
        ends = starts[1:] + [len(text)]
        spans = (_trimmed(text, a, b) for a, b in zip(starts, ends))
        yield _opening_marks(text, _attach_punctuation(text, [s for s in spans if s]))


# -- sentence boundaries -------------------------------------------------------------------
# spaCy's sentencizer starts a sentence at the first token after a sentence-final token
# ("." "!" "?" ...) that is neither punctuation nor sentence-final itself. Which characters
# become such tokens is decided by spaCy's tokenizer, one whitespace-separated chunk at a
# time; so each distinct chunk is tokenised once (cached) and reduced to the few events the
# sentencizer reacts to. This gives spaCy's boundaries without building a Doc per comment
# (tests/test_segment.py checks the two agree). The tokens come from spaCy's rules run in plain
# Python (cxtext._tokenizer), so a run need not import spaCy at all: spaCy itself tokenises
# only when the shipped rules are another spaCy version's, and splits the rare texts holding a
# special case that spans whitespace.
_PERIOD, _WORD = 1, 0
_RUNS = re.compile(r"\s+|\S+")
_ALNUM_CHUNK: tuple[tuple[int, int], ...] = ((0, _WORD),)
_MAX_CHUNKS = 200_000


class _Splitter:
    """Sentence starts of texts in one language, as spaCy's tokenizer + sentencizer find them."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        tokenizer = chunk_tokenizer(lang)
        if tokenizer is None:  # the shipped rules are another spaCy version's: spaCy's own tokenizer
            from spacy.pipeline.sentencizer import Sentencizer

            self.punct_chars = frozenset(Sentencizer.default_punct_chars)
            specials: Iterable[str] = _nlp(lang).tokenizer.rules
            self.tokens: Callable[[str], list[str]] = self._spacy_tokens
        else:
            self.punct_chars, specials, self.tokens = tokenizer.punct_chars, tokenizer.specials, tokenizer.tokens
        # special cases across whitespace ("EE. UU.") join chunks: such texts go through spaCy
        self.multi_chunk_rules = tuple(k for k in specials if k.strip() and any(c.isspace() for c in k))
        self.chunks: dict[str, tuple[tuple[int, int], ...]] = {}
        # a chunk without any sentence-final character has no sentence-final token (tokens are
        # substrings of their chunk), so it cannot end a sentence: only such chunks, and the
        # runs right after one, are looked at
        self.final_chars = "".join(sorted({c for p in self.punct_chars for c in p if not c.isspace()}))
        self.final_char = re.compile(f"[{re.escape(self.final_chars)}]")

    def _spacy_tokens(self, chunk: str) -> list[str]:
        return [token.text for token in _nlp(self.lang).tokenizer(chunk)]

    def chunk_events(self, chunk: str) -> tuple[tuple[int, int], ...]:
        """(offset, kind) of the tokens of ``chunk`` that matter to the sentencizer.

        Punctuation tokens that are not sentence-final change nothing and are left out; of a
        run of word tokens only the first matters, of a run of sentence-final ones any one.
        """
        events = self.chunks.get(chunk)
        if events is not None:
            return events
        if chunk.isalnum():  # letters/digits only: never punctuation, never sentence-final
            return _ALNUM_CHUNK
        found: list[tuple[int, int]] = []
        offset = 0
        for token in self.tokens(chunk):
            start, offset = offset, offset + len(token)
            if token in self.punct_chars:
                kind = _PERIOD
            elif is_punct(token):
                continue
            else:
                kind = _WORD
            if not found or found[-1][1] != kind:
                found.append((start, kind))
        events = tuple(found)
        if len(self.chunks) >= _MAX_CHUNKS:
            self.chunks.clear()
        self.chunks[chunk] = events
        return events

    def sentence_starts(self, text: str) -> list[int]:
        """Character offsets where sentences start (the first is 0)."""
        if any(rule in text for rule in self.multi_chunk_rules):
            return self._spacy_starts(text)
        starts = [0]
        seen_period = False
        pos, end = 0, len(text)
        match = _RUNS.match
        while pos < end:
            if not seen_period:
                pos = self._next_final_chunk(text, pos)
                if pos < 0:
                    break
            run = match(text, pos)
            pos = run.end()
            chunk = run.group()
            if chunk[0].isspace():
                # spaCy keeps a single space as the previous token's trailing whitespace;
                # any other whitespace run is a token of its own (a word, for the sentencizer)
                if seen_period and chunk != " " and run.start() > 0:
                    starts.append(run.start() + (chunk[0] == " "))
                    seen_period = False
                continue
            for offset, kind in self.chunk_events(chunk):
                if kind == _PERIOD:
                    seen_period = True
                elif seen_period:
                    starts.append(run.start() + offset)
                    seen_period = False
        return starts

    def _next_final_chunk(self, text: str, pos: int) -> int:
        """Start of the first chunk at or after ``pos`` holding a sentence-final character, or -1.

        Found from the character, not with a pattern whose look-behind is tried at every
        position (that cost a third of the split): ``pos`` is always where a run of spaces or of
        non-spaces begins, so the chunk of the first such character starts at or after it.
        """
        found = self.final_char.search(text, pos)
        if found is None:
            return -1
        start = found.start()
        while start > pos and not text[start - 1].isspace():
            start -= 1
        return start

    def _spacy_starts(self, text: str) -> list[int]:
        doc = _nlp(self.lang)(text)
        return [0] + [s.start_char for s in doc.sents][1:]


_SPLITTERS: dict[str, _Splitter] = {}


def _splitter(lang: str) -> _Splitter:
    splitter = _SPLITTERS.get(lang)
    if splitter is None:
        splitter = _SPLITTERS[lang] = _Splitter(lang)
    return splitter


def _is_punctuation(text: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PZC" for ch in text)


def _attach_punctuation(text: str, spans: list[Span]) -> list[Span]:
    """Join punctuation-only "sentences" (``"great!  ,"`` -> ``"great!"`` + ``","``) to the
    sentence before them (or, at the start, after them): alone they have no clause."""
    merged: list[list[int]] = []  # [start, end, punctuation only]
    for span in spans:
        alone = _is_punctuation(span.text)
        if merged and (alone or merged[-1][2]):
            merged[-1][1] = span.end
            merged[-1][2] = merged[-1][2] and alone
        else:
            merged.append([span.start, span.end, alone])
    return [Span(text[a:b], a, b) for a, b, _ in merged]


def _opening_marks(text: str, spans: list[Span]) -> list[Span]:
    """Give "¿"/"¡" to the sentence they open: ``"Bien. ¿" + "Y tú?"`` -> ``"Bien." + "¿Y tú?"``,
    and split ``"¿Llegó?¿Cuándo?"`` in two."""
    if not any(mark in text for mark in _OPENING_MARKS):  # nothing to move (most texts)
        return spans
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
    text = sentence.text
    markers = list(_contrast_pattern(lang).finditer(text))
    word_starts = [m.start() for m in _WORDS.finditer(text)] if markers else []
    cuts = [0]
    for match in markers:
        before = _count_words(text, word_starts, cuts[-1], match.start())
        after = _count_words(text, word_starts, match.end(), len(text))
        if before >= _MIN_CLAUSE_WORDS and after >= _MIN_CLAUSE_WORDS - 1:
            cuts.append(match.start())
    cuts.append(len(text))
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        span = _trimmed(text, a, b)
        piece = _without_trailing_separators(span.text) if span else ""
        if piece:
            pieces.append(Span(piece, sentence.start + span.start, sentence.start + span.start + len(piece)))
    if not pieces:  # only separators (",", " ; "): the sentence is its own clause
        span = _trimmed(sentence.text, 0, len(sentence.text))
        if span:
            pieces.append(Span(span.text, sentence.start + span.start, sentence.start + span.end))
    return pieces


def _count_words(text: str, word_starts: list[int], start: int, end: int) -> int:
    """``len(text[start:end].split())`` without copying the slice (clauses stay linear in length)."""
    if start >= end:
        return 0
    count = bisect.bisect_left(word_starts, end) - bisect.bisect_left(word_starts, start)
    if start > 0 and not text[start].isspace() and not text[start - 1].isspace():
        count += 1  # the slice starts inside a word, which split() counts too
    return count


def _without_trailing_separators(piece: str) -> str:
    """``piece`` without trailing whitespace, commas, semicolons and colons."""
    end = len(piece)
    while end and (piece[end - 1].isspace() or piece[end - 1] in ",;:"):
        end -= 1
    return piece[:end]


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
