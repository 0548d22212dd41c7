"""Names, codebook terms and quotes of themes, per language.

Words are counted by lemma, once per clause (class-based TF-IDF as in BERTopic:
``share of the theme's clauses with the word x log(1 + mean theme size / clauses with the
word anywhere)``). A theme's name in a language is its best word, followed by a second one
when that scores at least :data:`SECOND_WORD` of the first, written as customers wrote the
pair when they did ("consegna in ritardo"). Words are never repeated in near-identical
forms, and a word is not used in one language's name when it is clearly more frequent in
another language's clauses of the theme (a misdetected English clause does not name the
Spanish side). Codebook terms are the words and pairs that mostly occur in this theme
(precision at least :data:`TERM_PRECISION` among all clauses of the language).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..topics._text import fold, word_forms
from ._words import Word, display_form, near_duplicates

__all__ = ["Piece", "ThemeWords", "describe_themes", "pick_quotes", "SECOND_WORD", "TOGETHER", "TERM_PRECISION"]

#: A second word joins the name when its score is at least this share of the first word's.
SECOND_WORD = 0.4
#: ... and when it occurs with the first word in at least this share of the first word's clauses.
TOGETHER = 0.15
#: A word becomes a codebook term when at least this share of the clauses with it are in the theme.
TERM_PRECISION = 0.5
_MAX_TERMS = 8
_MAX_PAIRS = 3
_MIN_CLAUSES = 3  # a language gets its own name with this many clauses in the theme,
_NAME_SHARE = 0.2  # or with this share of them
_FOREIGN = 2.0  # "clearly more frequent in another language": this many times the rate
_PLAIN = re.compile(r"[^\W\d_]+(?:(?:\s+|[-'’])[^\W\d_]+)*")  # words only: no "friendly, staff"
_SPAN_WORDS = 3  # a pair is written as customers wrote it when that takes at most this many words
_ORDER_WORDS = 12  # word order is learnt from the first words of each clause


@dataclass
class Piece:
    """One distinct clause (or sentence) text in one language, with what is known about it."""

    text: str
    lang: str
    weight: int
    words: list[Word]
    topics: frozenset[str]
    quote: str
    label: int = -1
    similarity: float = 0.0


@dataclass
class ThemeWords:
    """What :func:`describe_themes` finds for one theme: ranked names and terms per language."""

    names: dict[str, str] = field(default_factory=dict)
    alternatives: dict[str, list[str]] = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Counts:
    clauses: float = 0.0
    lemmas: Counter[str] = field(default_factory=Counter)
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    forms: dict[str, Counter[str]] = field(default_factory=dict)
    spans: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    order: Counter[tuple[str, str]] = field(default_factory=Counter)


def _count(pieces: Sequence[Piece], n_themes: int) -> dict[str, list[_Counts]]:
    """Per language: counts of each theme (index ``n_themes`` = clauses without a theme)."""
    out: dict[str, list[_Counts]] = {}
    for piece in pieces:
        counts = out.setdefault(piece.lang, [_Counts() for _ in range(n_themes + 1)])[piece.label]
        w = piece.weight
        counts.clauses += w
        seen: set[str] = set()
        for word in piece.words:
            forms = counts.forms.get(word.lemma)
            if forms is None:
                forms = counts.forms[word.lemma] = Counter()
            forms[word.form] += w
            if word.lemma not in seen:
                seen.add(word.lemma)
                counts.lemmas[word.lemma] += w
        pairs_seen: set[tuple[str, str]] = set()
        for a, b in zip(piece.words, piece.words[1:]):
            if a.lemma == b.lemma or (a.lemma, b.lemma) in pairs_seen:
                continue
            pairs_seen.add((a.lemma, b.lemma))
            counts.pairs[(a.lemma, b.lemma)] += w
            span = piece.text[a.start:b.end].lower()
            if len(span.split()) <= _SPAN_WORDS and _PLAIN.fullmatch(span):
                if (a.lemma, b.lemma) not in counts.spans:
                    counts.spans[(a.lemma, b.lemma)] = Counter()
                counts.spans[(a.lemma, b.lemma)][span] += w
        positions: dict[str, int] = {}
        for i, word in enumerate(piece.words[:_ORDER_WORDS]):
            positions.setdefault(word.lemma, i)
        for a in positions:
            for b in positions:
                if positions[a] < positions[b]:
                    counts.order[(a, b)] += w
    return out


def _scores(theme: _Counts, totals: Counter[str], mean_size: float) -> dict[str, float]:
    if theme.clauses <= 0:
        return {}
    return {w: (df / theme.clauses) * math.log(1 + mean_size / totals[w]) for w, df in theme.lemmas.items()}


def describe_themes(pieces: Sequence[Piece], n_themes: int) -> list[ThemeWords]:
    """Names (with alternatives) and codebook terms of each theme in each of its languages.

    ``pieces[i].label`` is the theme of each piece (``-1`` = none).
    """
    result = [ThemeWords() for _ in range(n_themes)]
    by_lang = _count(pieces, n_themes)
    sizes_all = [sum(themes[t].clauses for themes in by_lang.values()) for t in range(n_themes)]
    for lang, themes in sorted(by_lang.items()):
        totals: Counter[str] = Counter()
        for counts in themes:
            totals.update(counts.lemmas)
        pair_totals: Counter[tuple[str, str]] = Counter()
        for counts in themes:
            pair_totals.update(counts.pairs)
        sizes = [c.clauses for c in themes[:n_themes] if c.clauses > 0]
        mean_size = float(np.mean(sizes)) if sizes else 1.0
        for t in range(n_themes):
            counts = themes[t]
            if counts.clauses <= 0:
                continue
            scores = _scores(counts, totals, mean_size)
            foreign = _foreign_words(t, lang, counts, by_lang)
            everything = [w for w in sorted(scores, key=lambda w: (-scores[w], w)) if w not in foreign]
            ranked = [w for w in everything if counts.lemmas[w] >= min(2.0, counts.clauses)] or everything
            if not ranked:
                continue
            big_enough = counts.clauses >= min(_MIN_CLAUSES, _NAME_SHARE * sizes_all[t])
            if big_enough:
                result[t].alternatives[lang] = _names(ranked, scores, counts, lang)
            result[t].terms[lang] = _terms(ranked, scores, counts, totals, pair_totals, lang)
    for lang in sorted(by_lang):
        _unique_names(result, lang)
    return result


def _foreign_words(t: int, lang: str, counts: _Counts, by_lang: dict[str, list[_Counts]]) -> set[str]:
    out = set()
    for other, themes in by_lang.items():
        theirs = themes[t]
        if other == lang or theirs.clauses < _MIN_CLAUSES:
            continue
        for word, df in counts.lemmas.items():
            if theirs.lemmas.get(word, 0) / theirs.clauses > _FOREIGN * df / counts.clauses:
                out.add(word)
    return out


def _form(counts: _Counts, lemma: str, lang: str) -> str:
    return display_form(counts.forms[lemma], lang)


def _names(ranked: list[str], scores: dict[str, float], counts: _Counts, lang: str) -> list[str]:
    """Candidate names, best first: the best word with a second one, then alternatives."""
    out: list[str] = []
    for i, first in enumerate(ranked[:4]):
        name = _form(counts, first, lang)
        for second in ranked[i + 1:]:
            if scores[second] < SECOND_WORD * scores[first]:
                break
            if near_duplicates(_form(counts, second, lang), name) or near_duplicates(first, second):
                continue
            together = counts.order[(first, second)] + counts.order[(second, first)]
            if together < max(2.0, TOGETHER * counts.lemmas[first]):
                continue
            name = _phrase(counts, first, second, lang)
            break
        if name not in out:
            out.append(name)
    return out


def _phrase(counts: _Counts, a: str, b: str, lang: str) -> str:
    """Two words as customers wrote them together, else in their usual order."""
    spans = counts.spans.get((a, b), Counter()) + counts.spans.get((b, a), Counter())
    if sum(spans.values()) >= 2:
        return min(spans.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
    if counts.order[(b, a)] > counts.order[(a, b)]:
        a, b = b, a
    return f"{_form(counts, a, lang)} {_form(counts, b, lang)}"


def _terms(ranked: list[str], scores: dict[str, float], counts: _Counts, totals: Counter[str],
           pair_totals: Counter[tuple[str, str]], lang: str) -> list[str]:
    terms: list[str] = []
    for lemma in ranked:
        if len(terms) >= _MAX_TERMS:
            break
        if counts.lemmas[lemma] < 2 or counts.lemmas[lemma] / totals[lemma] < TERM_PRECISION:
            continue
        terms.extend(f for f in _forms(counts.forms[lemma], lang) if f not in terms)
    if not terms:  # nothing specific to this theme: its best word still lets the codebook find it
        terms = _forms(counts.forms[ranked[0]], lang)
    pairs = sorted(
        (p for p, df in counts.pairs.items()
         if df >= 2 and df / pair_totals[p] >= TERM_PRECISION and p in counts.spans),
        key=lambda p: (-counts.pairs[p], p),
    )
    for pair in pairs[:_MAX_PAIRS]:
        span = min(counts.spans[pair].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if span not in terms:
            terms.append(span)
    return terms


def _forms(forms: Counter[str], lang: str) -> list[str]:
    """The forms worth writing as terms: the display form and others written often (no plurals)."""
    total = sum(forms.values())
    first = display_form(forms, lang)
    out = [first]
    for form, n in sorted(forms.items(), key=lambda kv: (-kv[1], kv[0])):
        if n / total < 0.25 or len(out) >= 3:
            continue
        if any(fold(form) in word_forms(kept, lang) or fold(kept) in word_forms(form, lang) for kept in out):
            continue
        out.append(form)
    return out


def _unique_names(themes: list[ThemeWords], lang: str) -> None:
    """First candidate not taken by a larger theme (themes come largest first)."""
    taken: set[str] = set()
    for theme in themes:
        options = theme.alternatives.get(lang)
        if not options:
            continue
        name = next((o for o in options if o not in taken), None)
        if name is None:
            base = options[0]
            n = 2
            while f"{base} {n}" in taken:
                n += 1
            name = f"{base} {n}"
        taken.add(name)
        theme.names[lang] = name


def pick_quotes(pieces: Sequence[Piece], members: Sequence[int], n: int = 5) -> list[tuple[str, str]]:
    """Up to ``n`` representative quotes ``(text, lang)``: the most typical clauses' sentences,
    taking the languages in turn (largest first), no quote twice, 3 to 40 words preferred."""
    by_lang: dict[str, list[int]] = {}
    for i in sorted(members, key=lambda i: (-pieces[i].similarity, pieces[i].text)):
        by_lang.setdefault(pieces[i].lang, []).append(i)
    order = sorted(by_lang, key=lambda lang: (-sum(pieces[i].weight for i in by_lang[lang]), lang))
    for lang in order:  # readable lengths first, keeping the similarity order within each group
        by_lang[lang].sort(key=lambda i: not 3 <= len(pieces[i].quote.split()) <= 40)
    quotes: list[tuple[str, str]] = []
    seen: set[str] = set()
    position = dict.fromkeys(order, 0)
    while len(quotes) < n and any(position[lang] < len(by_lang[lang]) for lang in order):
        for lang in order:
            items = by_lang[lang]
            while position[lang] < len(items):
                quote = pieces[items[position[lang]]].quote
                position[lang] += 1
                if quote not in seen:
                    seen.add(quote)
                    quotes.append((quote, lang))
                    break
            if len(quotes) >= n:
                break
    return quotes
