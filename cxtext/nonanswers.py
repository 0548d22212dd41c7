"""Non-answers: comments that say there is nothing to say ("n/a", "nada que añadir", "niente da
segnalare", "nada a declarar", "no comments, thanks").

Survey answers are full of them, and a model reads them as anything: "no comment" sounds
angry, "nothing else, thanks!" sounds happy. :class:`~cxtext.Analyzer` gives a non-answer a
neutral sentiment (score 0), no topic and no emotion (``Analyzer(non_answers=False)`` reads it
like any other comment).

The rule: fold the comment (lower case, accents and punctuation dropped, apostrophes split
words), then strip *fillers* ("thanks", "honestly", "por ahora", "per me", "por enquanto" ...)
from its start and end; it is a non-answer when what is left is exactly one of the listed
*answers*, in any of the four languages (short comments are often detected as the wrong one).
The lists are in ``cxtext/data/lexicons/non_answers.json``. A bare "no", "nope" or "ok" is not
a non-answer: to "would you recommend us?" it is one. Neither is "nothing special" ("nada de
especial", "niente di che"), a verdict of mediocrity.

Example:
    >>> is_non_answer("Nada que añadir, gracias.")
    True
    >>> is_non_answer("No comments at this time :)")
    True
    >>> is_non_answer("Nothing works in this app")
    False
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from .topics._text import words as _words  # folded words, as the codebook matcher reads them

__all__ = ["is_non_answer"]

#: longer comments are never non-answers (the longest listed answer with fillers is shorter)
_MAX_CHARS = 120
_MAX_WORDS = 14


@lru_cache(maxsize=1)
def _lists() -> tuple[frozenset[str], tuple[tuple[str, ...], ...], frozenset[str]]:
    """(answers, fillers as word tuples, longest first, every word of both) of every language."""
    path = resources.files("cxtext") / "data" / "lexicons" / "non_answers.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    answers = frozenset(" ".join(_words(a)) for group in data["answers"].values() for a in group)
    fillers = {tuple(_words(f)) for group in data["fillers"].values() for f in group}
    vocabulary = frozenset(w for a in answers for w in a.split()) | {w for f in fillers for w in f}
    return answers, tuple(sorted((f for f in fillers if f), key=len, reverse=True)), vocabulary


def is_non_answer(text: object) -> bool:
    """Whether ``text`` is a non-answer (see the module docstring); ``False`` for non-text."""
    if not isinstance(text, str) or len(text) > _MAX_CHARS:
        return False
    words = tuple(_words(text))
    if not words or len(words) > _MAX_WORDS:
        return False
    # stripping fillers leaves an answer only if every word is an answer's or a filler's
    if not _lists()[2].issuperset(words):
        return False
    return _core_is_answer(words)


@lru_cache(maxsize=4096)
def _core_is_answer(words: tuple[str, ...]) -> bool:
    """Whether stripping fillers from the ends of ``words`` can leave a listed answer."""
    answers, fillers, _ = _lists()
    todo, seen = [(0, len(words))], set()
    while todo:
        span = todo.pop()
        if span in seen:
            continue
        seen.add(span)
        start, end = span
        if start < end and " ".join(words[start:end]) in answers:
            return True
        for filler in fillers:
            n = len(filler)
            if end - start > n:  # a filler never is the whole comment
                if words[start:start + n] == filler:
                    todo.append((start + n, end))
                if words[end - n:end] == filler:
                    todo.append((start, end - n))
    return False
