"""Codebook regexes that cannot hang a run.

Two guards, because a pattern such as ``(a+)+$`` can take exponential time on a comment that
almost matches:

* :func:`unsafe_reason` rejects, when the codebook is loaded (and in ``cxtext codebook check``), a
  repetition of something that can itself repeat on its own (``(a+)+``, ``(\\w+\\s?)*``): the
  classic catastrophic-backtracking shape, found in the parsed pattern;
* matching uses the ``regex`` package with a time limit per comment (:data:`REGEX_TIMEOUT`); a
  pattern that still runs out of time is switched off for the rest of the run with a warning, so
  no single comment can stop or stall it.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import regex

from ..errors import CxtextWarning

__all__ = ["REGEX_TIMEOUT", "compile_patterns", "unsafe_reason", "TimedPattern"]

#: Seconds one regex may spend on one comment (a linear pattern needs milliseconds on 1 MB).
REGEX_TIMEOUT = 1.0


def _parse(pattern: str) -> Any:
    try:
        import re._parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
    try:
        return sre_parse.parse(pattern), sre_parse
    except Exception:  # noqa: BLE001 - syntax only the regex package knows: the time limit guards it
        return None, sre_parse


def unsafe_reason(pattern: str) -> str | None:
    """Why ``pattern`` can backtrack catastrophically (``None`` if it cannot, as far as can be seen).

    Example:
        >>> unsafe_reason(r"(a+)+$") is not None, unsafe_reason(r"\\d+(?:[.,]\\d+)?") is None
        (True, True)
    """
    parsed, sre = _parse(pattern)
    if parsed is None:
        return None
    constants = sre
    many = constants.MAXREPEAT
    repeats = {constants.MAX_REPEAT, constants.MIN_REPEAT}
    possessive = getattr(constants, "POSSESSIVE_REPEAT", None)
    atomic = getattr(constants, "ATOMIC_GROUP", None)

    def items(seq: Any) -> list[tuple[Any, Any]]:
        return list(seq.data if hasattr(seq, "data") else seq)

    def nullable(item: tuple[Any, Any]) -> bool:
        op, av = item
        if op in repeats or op == possessive:
            return av[0] == 0 or all(nullable(i) for i in items(av[2]))
        if op == constants.SUBPATTERN:
            return all(nullable(i) for i in items(av[-1]))
        if op == constants.BRANCH:
            return any(all(nullable(i) for i in items(b)) for b in av[1])
        return op in (constants.AT, constants.ASSERT, constants.ASSERT_NOT, constants.GROUPREF)

    def repeats_alone(seq: Any) -> bool:
        """Some element can repeat by itself while everything around it matches nothing."""
        elements = items(seq)
        for k, (op, av) in enumerate(elements):
            rest = elements[:k] + elements[k + 1:]
            if not all(nullable(i) for i in rest):
                continue
            if op in repeats and av[1] == many:
                return True
            if op == constants.SUBPATTERN and repeats_alone(av[-1]):
                return True
            if op == constants.BRANCH and any(repeats_alone(b) for b in av[1]):
                return True
        return False

    def walk(seq: Any) -> str | None:
        for op, av in items(seq):
            if op in repeats and av[1] == many and repeats_alone(av[2]):
                return "a repeated group contains something that repeats on its own (like '(a+)+')"
            if op == atomic or op == possessive:
                continue  # no backtracking into these
            for child in _children(op, av, constants):
                found = walk(child)
                if found:
                    return found
        return None

    return walk(parsed)


def _children(op: Any, av: Any, c: Any) -> Iterator[Any]:
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        yield av[2]
    elif op == c.SUBPATTERN:
        yield av[-1]
    elif op == c.BRANCH:
        yield from av[1]
    elif op in (c.ASSERT, c.ASSERT_NOT):
        yield av[1]


class TimedPattern:
    """A compiled codebook regex for one topic that gives up after :data:`REGEX_TIMEOUT` seconds."""

    def __init__(self, topic: str, patterns: tuple[str, ...]) -> None:
        self.topic = topic
        self.source = "|".join(f"(?:{p})" for p in patterns)
        self.compiled = regex.compile(self.source, regex.IGNORECASE | regex.V0)
        self.disabled = False

    def finditer(self, text: str) -> list[tuple[int, int]]:
        """Spans of the non-empty matches in ``text`` (none once the pattern has timed out)."""
        if self.disabled:
            return []
        try:
            return [m.span() for m in self.compiled.finditer(text, timeout=REGEX_TIMEOUT) if m.end() > m.start()]
        except TimeoutError:
            self.disabled = True
            warnings.warn(
                f"the regex of topic {self.topic!r} ({self.source[:80]!r}) took more than {REGEX_TIMEOUT:g} s on "
                f"one comment ({len(text):,} characters) and is switched off for the rest of this run; rewrite "
                "it without nested repetition (see `cxtext codebook check`)",
                CxtextWarning,
                stacklevel=4,
            )
            return []


def compile_patterns(topic: str, patterns: tuple[str, ...]) -> TimedPattern:
    """The patterns of one topic as one :class:`TimedPattern`."""
    return TimedPattern(topic, patterns)
