"""Fast codebook matching: folded word n-grams looked up in per-language dictionaries.

Each language gets one index of every term variant (plurals, accent-free, lower case). A
comment is tokenised once; at each word the longest term starting there wins ("servicio
técnico" beats "servicio"), so a comment costs a handful of dictionary look-ups per word.
Regex terms run on the original text; exclusion phrases drop the matches they overlap.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import InputError
from ..schema import LANGUAGES
from ._regex import TimedPattern, compile_patterns
from ._text import WORD, inflections, words
from .base import TopicDetector, TopicMatch

if TYPE_CHECKING:
    from .codebook import Codebook

__all__ = ["CodebookDetector"]

_MAX_CACHED_WORDS = 200_000


@dataclass
class _Index:
    """Term variants of one language: exact word tuples and prefix (``word*``) terms."""

    exact: dict[str, tuple[str, ...]] = field(default_factory=dict)
    prefix: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    prefix_lengths: tuple[int, ...] = ()
    firsts: frozenset[str] = frozenset()
    prefix_firsts: dict[int, frozenset[str]] = field(default_factory=dict)
    max_words: int = 0
    _starts: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, entries: list[tuple[str, str]], lang: str) -> _Index:
        """``entries`` = (topic, term) pairs."""
        exact: dict[str, list[str]] = {}
        prefix: dict[tuple[str, str], list[str]] = {}
        firsts: set[str] = set()
        single_prefixes: dict[int, set[str]] = {}
        max_words = 0
        for topic, term in entries:
            literal = term.startswith("=")
            body = term[1:] if literal else term
            is_prefix = body.rstrip().endswith("*")
            body = body.rstrip().rstrip("*")
            forms = inflections(body, "" if (literal or is_prefix) else lang)
            for words in forms:
                max_words = max(max_words, len(words))
                if is_prefix:
                    key = (" ".join(words[:-1]), words[-1])
                    prefix.setdefault(key, [])
                    if topic not in prefix[key]:
                        prefix[key].append(topic)
                    if len(words) == 1:
                        single_prefixes.setdefault(len(words[0]), set()).add(words[0])
                    else:
                        firsts.add(words[0])
                else:
                    key_s = " ".join(words)
                    exact.setdefault(key_s, [])
                    if topic not in exact[key_s]:
                        exact[key_s].append(topic)
                    firsts.add(words[0])
        lengths = {len(last) for (_, last) in prefix}
        return cls(
            exact={k: tuple(v) for k, v in exact.items()},
            prefix={k: tuple(v) for k, v in prefix.items()},
            prefix_lengths=tuple(sorted(lengths, reverse=True)),
            firsts=frozenset(firsts),
            prefix_firsts={n: frozenset(v) for n, v in sorted(single_prefixes.items(), reverse=True)},
            max_words=max_words,
        )

    def starts_here(self, word: str) -> bool:
        """Whether a term may start at ``word`` (cached per word: most words of a text recur)."""
        known = self._starts.get(word)
        if known is None:
            known = word in self.firsts or any(word[:n] in heads for n, heads in self.prefix_firsts.items())
            if len(self._starts) >= _MAX_CACHED_WORDS:
                self._starts.clear()
            self._starts[word] = known
        return known

    def scan(self, words: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        """Greedy longest matches: (first word, last word + 1, topics)."""
        out = []
        n_words = len(words)
        exact = self.exact
        prefix = self.prefix
        known = self._starts.get
        i = 0
        while i < n_words:
            starts = known(words[i])
            if not (self.starts_here(words[i]) if starts is None else starts):
                i += 1
                continue
            hit = None
            for n in range(min(self.max_words, n_words - i), 0, -1):
                topics = exact.get(" ".join(words[i:i + n]))
                if prefix:
                    head = " ".join(words[i:i + n - 1])
                    last = words[i + n - 1]
                    for length in self.prefix_lengths:
                        if len(last) >= length:
                            more = prefix.get((head, last[:length]))
                            if more is not None:
                                topics = more if topics is None else tuple(dict.fromkeys(topics + more))
                                break
                if topics is not None:
                    hit = (i, i + n, topics)
                    break
            if hit is None:
                i += 1
            else:
                out.append(hit)
                i = hit[1]
        return out


@dataclass
class _LanguageMatcher:
    terms: _Index
    exclude: _Index
    regexes: list[TimedPattern]


class CodebookDetector(TopicDetector):
    """Finds the topics of a :class:`~cxtext.topics.codebook.Codebook` by its terms.

    Args:
        codebook: the codebook whose terms, regexes and exclusions are matched.

    Example:
        >>> from cxtext.topics import load_codebook
        >>> det = load_codebook("default").detector()
        >>> [(m.topic, m.text) for m in det.detect(["El envío llegó roto y el precio era alto"], ["es"])[0]]
        [('process', 'envío'), ('process', 'llegó'), ('product', 'roto'), ('price', 'precio')]
    """

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.column = codebook.column
        self.topics = codebook.topics
        self._matchers: dict[str, _LanguageMatcher] = {}

    def describe(self) -> dict[str, str]:
        version = f"@{self.codebook.version}" if self.codebook.version else ""
        return {self.column: f"codebook:{self.codebook.name}{version}"}

    def _matcher(self, lang: str) -> _LanguageMatcher:
        matcher = self._matchers.get(lang)
        if matcher is None:
            matcher = self._matchers[lang] = self._build(lang)
        return matcher

    def _build(self, lang: str) -> _LanguageMatcher:
        langs = (lang, "any") if lang in LANGUAGES else (*LANGUAGES, "any")
        terms: list[tuple[str, str]] = []
        exclude: list[tuple[str, str]] = []
        regexes: list[TimedPattern] = []
        for spec in self.codebook.specs:
            for code in langs:
                inflect_as = code if code in LANGUAGES else (lang if lang in LANGUAGES else "")
                terms += [(f"{inflect_as}|{spec.path}", t) for t in spec.terms.get(code, ())]
                exclude += [(f"{inflect_as}|{spec.path}", t) for t in spec.exclude.get(code, ())]
            # one pattern per topic (its language's and its "any" ones joined): one scan per text
            patterns = tuple(p for code in langs for p in spec.regex.get(code, ()))
            if patterns:
                regexes.append(compile_patterns(spec.path, patterns))
        return _LanguageMatcher(_build_index(terms), _build_index(exclude), regexes)

    def detect(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[TopicMatch]]:
        """Matches per text, sorted by position; ``text[m.start:m.end] == m.text``."""
        if len(texts) != len(langs):
            raise InputError(f"got {len(texts)} texts but {len(langs)} languages; pass one language per text")
        return [self._detect_one(text, lang) for text, lang in zip(texts, langs)]

    def _detect_one(self, text: str, lang: str) -> list[TopicMatch]:
        if not text:
            return []
        matcher = self._matcher(lang)
        folded = words(text)
        hits = matcher.terms.scan(folded)
        bounds = [m.span() for m in WORD.finditer(text)] if hits else []  # offsets only when needed
        spans: list[tuple[int, int, tuple[str, ...]]] = [
            (bounds[a][0], bounds[b - 1][1], topics) for a, b, topics in hits
        ]
        if matcher.regexes:
            spans = _merge_regex(spans, text, matcher.regexes)
        if not spans:
            return []
        excluded = matcher.exclude.scan(folded) if matcher.exclude.max_words else []
        if excluded and not bounds:
            bounds = [m.span() for m in WORD.finditer(text)]
        blocked = [(bounds[a][0], bounds[b - 1][1], set(topics)) for a, b, topics in excluded]
        out = []
        for start, end, topics in spans:
            for topic in _most_specific(topics):
                if any(s < end and start < e and topic in t for s, e, t in blocked):
                    continue
                out.append(TopicMatch(topic, start, end, text[start:end]))
        return out


def _most_specific(topics: tuple[str, ...]) -> tuple[str, ...]:
    """Drop a topic when one of its subtopics matched the same words ("process" vs "process/delivery")."""
    if len(topics) < 2:
        return topics
    return tuple(t for t in topics if not any(o.startswith(t + "/") for o in topics))


def _build_index(entries: list[tuple[str, str]]) -> _Index:
    """Entries are ("lang|topic", term): terms are inflected in the language they were written in."""
    by_lang: dict[str, list[tuple[str, str]]] = {}
    for key, term in entries:
        code, _, topic = key.partition("|")
        by_lang.setdefault(code, []).append((topic, term))
    if len(by_lang) <= 1:
        code = next(iter(by_lang), "")
        return _Index.build(by_lang.get(code, []), code)
    merged = _Index()
    parts = [_Index.build(items, code) for code, items in by_lang.items()]
    exact: dict[str, tuple[str, ...]] = {}
    prefix: dict[tuple[str, str], tuple[str, ...]] = {}
    prefix_firsts: dict[int, set[str]] = {}
    for part in parts:
        for k, v in part.exact.items():
            exact[k] = tuple(dict.fromkeys(exact.get(k, ()) + v))
        for k2, v in part.prefix.items():
            prefix[k2] = tuple(dict.fromkeys(prefix.get(k2, ()) + v))
        for n, heads in part.prefix_firsts.items():
            prefix_firsts.setdefault(n, set()).update(heads)
    merged.exact = exact
    merged.prefix = prefix
    merged.prefix_lengths = tuple(sorted({len(last) for _, last in prefix}, reverse=True))
    merged.firsts = frozenset().union(*(p.firsts for p in parts))
    merged.prefix_firsts = {n: frozenset(v) for n, v in sorted(prefix_firsts.items(), reverse=True)}
    merged.max_words = max(p.max_words for p in parts)
    return merged


def _merge_regex(
    spans: list[tuple[int, int, tuple[str, ...]]],
    text: str,
    regexes: list[TimedPattern],
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Add regex matches; where spans overlap the longer one wins (term spans on ties)."""
    candidates = [(s, e, t, 0) for s, e, t in spans]
    for pattern in regexes:
        for start, end in pattern.finditer(text):
            candidates.append((start, end, (pattern.topic,), 1))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[3], c[0]))
    kept: list[tuple[int, int, tuple[str, ...]]] = []
    for start, end, topics, _ in candidates:
        clash = None
        for k, (s, e, t) in enumerate(kept):
            if s < end and start < e:
                clash = k
                break
        if clash is None:
            kept.append((start, end, topics))
        elif kept[clash][0] == start and kept[clash][1] == end:  # same span, another topic
            s, e, t = kept[clash]
            kept[clash] = (s, e, tuple(dict.fromkeys(t + topics)))
    kept.sort(key=lambda c: c[0])
    return kept
