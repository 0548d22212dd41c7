"""What redaction finds: typed spans of a text, and the placeholder each type becomes."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ENTITY_TYPES", "PLACEHOLDERS", "Finding"]

#: Kinds of personal data, in the order they win when two findings of the same length overlap.
ENTITY_TYPES: tuple[str, ...] = ("EMAIL", "URL", "IBAN", "CARD", "ID", "PHONE", "ADDRESS", "PERSON")
#: The text that replaces each kind.
PLACEHOLDERS: dict[str, str] = {kind: f"[{kind}]" for kind in ENTITY_TYPES}


@dataclass(frozen=True)
class Finding:
    """``text[start:end]`` is personal data of ``kind``; ``rule`` says which rule found it.

    ``replacement`` is what it becomes (the placeholder, or a speaker's pseudonym).
    """

    start: int
    end: int
    kind: str
    rule: str
    replacement: str = ""

    @property
    def placeholder(self) -> str:
        return self.replacement or PLACEHOLDERS[self.kind]
