"""Measuring redaction on texts whose personal data is marked by hand: ``⟦TYPE:value⟧``.

Write a few hundred of your own comments with the personal data marked, e.g.
``Me atendió ⟦PERSON:Laura⟧, mi móvil es ⟦PHONE:612 345 678⟧``, in a TSV file with the columns
``split, lang, speakers, text`` (``speakers`` ``;``-separated, may be empty), and score the
rules with :func:`evaluate` (``benchmarks/redaction.py --data FILE`` prints the table).
"""
from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ._model import ENTITY_TYPES
from ._people import person_names
from ._redactor import Redactor

__all__ = ["Example", "parse_marked", "read_marked", "evaluate"]

_MARK = re.compile(r"⟦([A-Z]+):(.*?)⟧")


@dataclass(frozen=True)
class Example:
    """A text with its expected spans ``(start, end, type)``."""

    text: str
    spans: tuple[tuple[int, int, str], ...]
    lang: str = ""
    split: str = ""
    speakers: tuple[str, ...] = ()


def parse_marked(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text without marks and the marked spans.

    Example:
        >>> parse_marked("Call ⟦PERSON:Ana⟧ on ⟦PHONE:612 345 678⟧.")
        ('Call Ana on 612 345 678.', [(5, 8, 'PERSON'), (12, 23, 'PHONE')])
    """
    text, spans, position = "", [], 0
    for m in _MARK.finditer(marked):
        text += marked[position:m.start()]
        spans.append((len(text), len(text) + len(m[2]), m[1]))
        text += m[2]
        position = m.end()
    return text + marked[position:], spans


def read_marked(path: str | os.PathLike[str]) -> list[Example]:
    """Examples of a TSV file with the columns ``split, lang, speakers, text`` (see the module)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    examples = []
    for row in rows:
        text, spans = parse_marked(row["text"])
        speakers = tuple(s.strip() for s in (row.get("speakers") or "").split(";") if s.strip())
        examples.append(Example(text, tuple(spans), row.get("lang", ""), row.get("split", ""), speakers))
    return examples


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def evaluate(examples: Iterable[Example], entities: Iterable[str] | None = None) -> pd.DataFrame:
    """Precision and recall per language and type: a found span counts when it overlaps an expected
    span of the same type (``exact`` counts the ones with the same boundaries too).

    Returns:
        One row per ``lang, type`` (and ``all``): ``expected, found, correct, exact, precision,
        recall``; precision/recall are NaN where nothing was expected or found.
    """
    counts: dict[tuple[str, str], list[int]] = {}
    for example in examples:
        redactor = Redactor(entities, person_names(example.speakers))
        found = [(f.start, f.end, f.kind) for f in redactor.find(example.text)]
        for lang in (example.lang, "all"):
            for kind in (*ENTITY_TYPES, "all"):
                gold = [s for s in example.spans if kind in ("all", s[2])]
                pred = [s for s in found if kind in ("all", s[2])]
                row = counts.setdefault((lang, kind), [0, 0, 0, 0, 0])
                row[0] += len(gold)
                row[1] += len(pred)
                row[2] += sum(any(_overlaps(p, g) for g in gold) for p in pred)  # correct findings
                row[3] += sum(p in gold for p in pred)
                row[4] += sum(any(_overlaps(g, p) for p in pred) for g in gold)  # expected spans found
    rows = []
    for (lang, kind), (expected, found, correct, exact, hit) in counts.items():
        if expected or found:
            rows.append({"lang": lang, "type": kind, "expected": expected, "found": found, "correct": correct,
                         "exact": exact, "precision": correct / found if found else float("nan"),
                         "recall": hit / expected if expected else float("nan")})
    return pd.DataFrame(rows, columns=["lang", "type", "expected", "found", "correct", "exact", "precision", "recall"])
