"""Representative verbatims per driver, with the topic evidence highlighted (HTML-escaped).

Quotes carry the point: a long comment or turn is shown as the sentence that holds the
evidence, with its neighbours when that sentence alone is too short to read as a quote
(:func:`quote_window`); summaries (:mod:`cxtext.summarize`) and the report share it.
"""
from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from ..cells import parse_evidence

__all__ = ["highlight", "evidence_spans", "representative_rows", "quote_window", "excerpt", "highlight_excerpt",
           "QUOTE_MAX_WORDS", "QUOTE_MIN_WORDS"]

#: Longer texts are cut to the sentences around the evidence.
QUOTE_MAX_WORDS = 60
#: A quote shorter than this takes in the neighbouring sentences (when they fit).
QUOTE_MIN_WORDS = 12
_WORD = re.compile(r"\S+")


def evidence_spans(text: str, cell: object, topic: str) -> list[tuple[int, int]]:
    """Character spans of ``topic`` (and its subtopics) in ``text``, merged and validated.

    Offsets that do not point at the evidence text are repaired by searching for the text;
    evidence that cannot be found is skipped (never highlighted at a wrong place).

    Example:
        >>> evidence_spans("Late delivery.", '{"process": [{"text": "delivery", "start": 5, "end": 13}]}', "process")
        [(5, 13)]
    """
    spans: list[tuple[int, int]] = []
    for key, items in parse_evidence(cell).items():
        if str(key).split("/")[0] != topic or not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
            snippet = str(item.get("text", ""))
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text) and \
                    (not snippet or text[start:end] == snippet):
                spans.append((start, end))
            elif snippet and snippet in text:
                found = text.index(snippet)
                spans.append((found, found + len(snippet)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """HTML of ``text`` with ``<mark>`` around the spans; everything is escaped.

    Example:
        >>> highlight("a <b> c", [(2, 5)])
        'a <mark>&lt;b&gt;</mark> c'
    """
    out, pos = [], 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def representative_rows(texts: pd.Series, scores: np.ndarray, mask: np.ndarray, k: int = 3) -> list[int]:
    """Positions of ``k`` typical comments among ``mask``: score nearest the group median,
    then length nearest the median length, then position (deterministic); duplicates skipped."""
    positions = np.nonzero(mask)[0]
    if len(positions) == 0:
        return []
    values = np.asarray(scores, dtype=float)[positions]
    lengths = np.array([len(str(texts.iloc[p])) for p in positions], dtype=float)
    med_score = float(np.nanmedian(values)) if np.isfinite(values).any() else 0.0
    med_len = float(np.median(lengths))
    score_gap = np.where(np.isfinite(values), np.abs(values - med_score), np.inf)
    order = np.lexsort((positions, np.abs(lengths - med_len), score_gap))
    chosen: list[int] = []
    seen: set[str] = set()
    for i in order:
        text = str(texts.iloc[positions[i]]).strip()
        if not text or text in seen:
            continue
        seen.add(text)
        chosen.append(int(positions[i]))
        if len(chosen) == k:
            break
    return chosen


def _words(text: str) -> int:
    return len(text.split())


def _word_cut(text: str, start: int, end: int, anchor: int, max_words: int) -> tuple[int, int]:
    """At most ``max_words`` whole words of ``text[start:end]`` around ``anchor``."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    if len(words) <= max_words:
        return start, end
    at = next((i for i, (a, b) in enumerate(words) if b > anchor), len(words) - 1)
    first = min(max(0, at - max_words // 3), len(words) - max_words)
    return words[first][0], words[first + max_words - 1][1]


def quote_window(
    text: str, spans: list[tuple[int, int]], lang: str = "xx",
    max_words: int = QUOTE_MAX_WORDS, min_words: int = QUOTE_MIN_WORDS,
) -> tuple[int, int]:
    """Offsets of the part of ``text`` to quote: the sentence(s) around the evidence ``spans``.

    A text of at most ``max_words`` words is quoted whole. Otherwise the quote is the sentence
    holding the first evidence span (the first sentence without evidence), grown by the
    sentences holding further evidence and, while it is shorter than ``min_words``, by its
    neighbours (next and previous in turn), never past ``max_words``; a single sentence longer than
    that is cut to ``max_words`` words around the evidence.

    Example:
        >>> text = "We waited. " * 30 + "Then the price doubled overnight. " + "Fine. " * 30
        >>> start, end = quote_window(text, [(text.index("price"), text.index("price") + 5)], "en")
        >>> text[start:end]
        'We waited. We waited. Then the price doubled overnight. Fine. Fine. Fine.'
    """
    if _words(text) <= max_words:
        return 0, len(text)
    from ..segment import sentences

    spans = sorted(s for s in spans if 0 <= s[0] < len(text))
    units = sentences(text, lang) or []
    if not units:
        return 0, len(text)
    anchor = spans[0][0] if spans else units[0].start
    at = next((i for i, u in enumerate(units) if u.start <= anchor < u.end or anchor < u.start), len(units) - 1)
    first = last = at
    size = _words(units[at].text)
    if size > max_words:
        return _word_cut(text, units[at].start, units[at].end, anchor, max_words)
    for start, _ in spans[1:]:  # further evidence, while it fits
        j = next((i for i, u in enumerate(units) if u.start <= start < u.end), None)
        if j is None or j <= last:
            continue
        extra = sum(_words(u.text) for u in units[last + 1:j + 1])
        if size + extra > max_words:
            break
        last, size = j, size + extra
    grown = True
    while size < min_words and grown:  # the neighbours, next and previous in turn
        grown = False
        for j in (last + 1, first - 1):
            if size < min_words and 0 <= j < len(units) and size + _words(units[j].text) <= max_words:
                first, last, size, grown = min(first, j), max(last, j), size + _words(units[j].text), True
    return units[first].start, units[last].end


def _marks(text: str, start: int, end: int) -> tuple[str, str]:
    return ("… " if text[:start].strip() else "", " …" if text[end:].strip() else "")


def excerpt(text: str, spans: list[tuple[int, int]], lang: str = "xx", max_words: int = QUOTE_MAX_WORDS) -> str:
    """The quote of :func:`quote_window` as text, with ``…`` where the text goes on.

    Example:
        >>> excerpt("Short and sweet.", [])
        'Short and sweet.'
    """
    start, end = quote_window(text, spans, lang, max_words)
    before, after = _marks(text, start, end)
    return f"{before}{text[start:end].strip()}{after}"


def highlight_excerpt(text: str, spans: list[tuple[int, int]], lang: str = "xx",
                      max_words: int = QUOTE_MAX_WORDS) -> str:
    """HTML of :func:`excerpt` with the evidence inside it marked (see :func:`highlight`).

    Example:
        >>> highlight_excerpt("Late delivery.", [(5, 13)])
        'Late <mark>delivery</mark>.'
    """
    start, end = quote_window(text, spans, lang, max_words)
    inside = [(max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start]
    before, after = _marks(text, start, end)
    return f"{html.escape(before)}{highlight(text[start:end], inside)}{html.escape(after)}"
