"""cxtext: customer-experience text analytics, offline, in Spanish, Italian, Portuguese and English.

Example:
    >>> import cxtext  # doctest: +SKIP
    >>> tagged = cxtext.tag(df, text="comment")  # doctest: +SKIP
    >>> analyzer = cxtext.Analyzer(languages=["es", "pt"])  # doctest: +SKIP
    >>> analyzer("La entrega llegó tarde pero el vendedor fue muy amable")  # doctest: +SKIP
    >>> cxtext.score_table(tagged, nps="nps", by="channel")  # doctest: +SKIP
    >>> cxtext.driver_table(tagged, score="nps", metric="nps")  # doctest: +SKIP
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

from .backends import available_backends, get_backend, register_backend
from .io import read_table, write_table
from .lang import detect_language
from .pipeline import Analyzer, CommentResult, tag
from .tagfile import tag_file

# Names loaded on first use, so ``import cxtext`` stays light (plots, stats, transcripts).
_LAZY = {
    "score_table": "cxtext.scores",
    "nps": "cxtext.scores",
    "csat": "cxtext.scores",
    "ces": "cxtext.scores",
    "driver_table": "cxtext.drivers",
    "write_report": "cxtext.report",
    "build_report": "cxtext.report",
    "load_codebook": "cxtext.topics",
    "TopicModel": "cxtext.topics",
    "ThemeModel": "cxtext.themes",
    "discover_themes": "cxtext.themes",
    "read_transcripts": "cxtext.transcripts",
    "summarize": "cxtext.summarize",
    "agreement": "cxtext.agreement",
    "load_example": "cxtext.datasets",
}

__all__ = [
    "__version__",
    "Analyzer",
    "CommentResult",
    "available_backends",
    "detect_language",
    "get_backend",
    "read_table",
    "register_backend",
    "tag",
    "tag_file",
    "write_table",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cxtext' has no attribute {name!r}")
