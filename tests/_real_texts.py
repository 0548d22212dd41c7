"""A few thousand real comments for tests that a speed change leaves every output unchanged.

The labelled sets in ``../shared/data`` (beside the repository, as on CI) are read in place,
never copied; without them the shipped example survey is used.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
_SOURCES = ("sentiment/umsab_val.csv", "topics/absita_train.csv", "topics/absapt_train.csv",
            "topics/semeval_train.csv", "scores/restmex2021.csv", "emotion/xed_train.csv")
_EXAMPLE = Path(__file__).resolve().parents[1] / "cxtext" / "data" / "examples" / "survey.csv"


@lru_cache(maxsize=None)
def real_texts(per_file: int = 700) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(texts, languages): ``per_file`` rows of each labelled set, else the example survey."""
    texts: list[str] = []
    langs: list[str] = []
    for name in _SOURCES:
        path = _DATA / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for k, row in enumerate(csv.DictReader(handle)):
                if k >= per_file:
                    break
                texts.append(row["text"])
                langs.append(row.get("lang") or "en")
    if not texts:
        with _EXAMPLE.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                texts.append(row["comment"])
        from cxtext.lang import LanguageDetector

        langs = [lang if lang != "und" else "en" for lang in LanguageDetector().detect_many(texts)]
    return tuple(texts), tuple(langs)
