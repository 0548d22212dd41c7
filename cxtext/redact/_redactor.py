"""The :class:`Redactor`: every rule over a text, overlaps resolved, placeholders put in."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..errors import ConfigError, format_choices
from ._addresses import find_addresses
from ._model import ENTITY_TYPES, Finding
from ._patterns import find_cards, find_emails, find_ibans, find_ids, find_phones, find_urls
from ._people import SpeakerNames, find_cued_names

__all__ = ["Redactor", "Redacted", "check_entities"]

_RULES = (
    ("EMAIL", find_emails), ("URL", find_urls), ("IBAN", find_ibans), ("CARD", find_cards), ("ID", find_ids),
    ("PHONE", find_phones), ("ADDRESS", find_addresses), ("PERSON", find_cued_names),
)


def check_entities(entities: Iterable[str] | str | None) -> tuple[str, ...]:
    """Entity types, upper-cased and checked (``None`` or ``"all"``: every type)."""
    if entities is None:
        return ENTITY_TYPES
    if isinstance(entities, str):
        entities = [e for e in entities.replace(";", ",").split(",")]
    wanted = [str(e).strip().upper() for e in entities if str(e).strip()]
    if wanted == ["ALL"]:
        return ENTITY_TYPES
    unknown = [e for e in wanted if e not in ENTITY_TYPES]
    if unknown or not wanted:
        raise ConfigError(
            f"unknown entity type(s) {format_choices(unknown or ['(none)'])}; choose from "
            f"{format_choices(ENTITY_TYPES)} (comma-separated) or 'all'"
        )
    return tuple(e for e in ENTITY_TYPES if e in wanted)


@dataclass(frozen=True)
class Redacted:
    """A redacted text and what was replaced (offsets in the original text)."""

    text: str
    findings: tuple[Finding, ...]


def _inside_word(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalnum() and text[start].isalnum()) or \
        (end < len(text) and text[end].isalnum() and text[end - 1].isalnum())


def _free_words(text: str, finding: Finding, taken: bytearray) -> list[Finding]:
    """The runs of whole words of ``finding`` that no chosen finding covers."""
    runs: list[list[int]] = []
    for word in re.finditer(r"\w[\w'’\-]*", text[finding.start:finding.end]):
        a, b = finding.start + word.start(), finding.start + word.end()
        if taken.find(1, a, b) != -1 or (a > 0 and taken[a - 1]) or (b < len(taken) and taken[b]):
            runs.append([])
            continue
        if runs and runs[-1]:
            runs[-1][1] = b
        else:
            runs.append([a, b])
    return [Finding(a, b, finding.kind, finding.rule, finding.replacement) for a, b in (r for r in runs if r)]


class Redactor:
    """Find and replace personal data in texts, offline, with rules (see :mod:`cxtext.redact`).

    Args:
        entities: the types to redact (default: all of :data:`ENTITY_TYPES`).
        names: people's names to replace wherever they occur (a transcript's speakers).
        pseudonyms: name -> pseudonym; those names become their pseudonym instead of ``[PERSON]``.

    Example:
        >>> Redactor().redact("Me atendió Laura, escribidme a ana.lopez@gmail.com").text
        'Me atendió [PERSON], escribidme a [EMAIL]'
    """

    def __init__(self, entities: Sequence[str] | str | None = None, names: Iterable[str] = (),
                 pseudonyms: Mapping[str, str] | None = None) -> None:
        self.entities = check_entities(entities)
        self.names = list(names)
        self.pseudonyms = dict(pseudonyms or {})
        self._speakers = SpeakerNames(self.names, self.pseudonyms)

    def find(self, text: str) -> list[Finding]:
        """The findings that will be replaced, in text order, none overlapping."""
        if not isinstance(text, str) or not text.strip():
            return []
        found: list[Finding] = []
        for kind, rule in _RULES:
            if kind in self.entities:
                found.extend(rule(text))
        if "PERSON" in self.entities:
            found.extend(self._speakers.find(text))
        chosen: list[Finding] = []
        taken = bytearray(len(text))  # characters already replaced: overlap checks stay linear
        ranked = sorted(found, key=lambda f: (-(f.end - f.start), ENTITY_TYPES.index(f.kind), f.rule != "speaker", f.start))
        for finding in ranked:  # the longest first; a speaker's name (with its pseudonym) before a cued one
            if finding.end <= finding.start or _inside_word(text, finding.start, finding.end):
                continue
            pieces = [finding] if taken.find(1, finding.start, finding.end) == -1 else \
                _free_words(text, finding, taken) if finding.kind == "PERSON" else []
            for piece in pieces:  # a name partly inside a URL: its other words are still a name
                taken[piece.start:piece.end] = b"\x01" * (piece.end - piece.start)
                chosen.append(piece)
        return sorted(chosen, key=lambda f: f.start)

    def redact(self, text: str) -> Redacted:
        """``text`` with every finding replaced by its placeholder (or pseudonym)."""
        findings = self.find(text)
        if not findings:
            return Redacted(text, ())
        pieces, position = [], 0
        for finding in findings:
            pieces += [text[position:finding.start], finding.placeholder]
            position = finding.end
        pieces.append(text[position:])
        return Redacted("".join(pieces), tuple(findings))

    def redact_many(self, texts: Iterable[object], counts: Counter | None = None) -> list[object]:
        """Redact many values; non-text values (missing cells) come back unchanged.

        ``counts`` (when given) is increased by the number of findings of each type.
        """
        out: list[object] = []
        for value in texts:
            if not isinstance(value, str):
                out.append(value)
                continue
            result = self.redact(value)
            if counts is not None:
                counts.update(f.kind for f in result.findings)
                counts.update("speaker names" for f in result.findings if f.rule == "speaker")
            out.append(result.text)
        return out
