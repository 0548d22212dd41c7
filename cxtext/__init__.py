"""cxtext: customer-experience text analytics, offline, in Spanish, Italian, Portuguese and English.

Example:
    >>> import cxtext  # doctest: +SKIP
    >>> tagged = cxtext.tag(df, text="comment")  # doctest: +SKIP
    >>> analyzer = cxtext.Analyzer(languages=["es", "pt"])  # doctest: +SKIP
    >>> analyzer("La entrega llegó tarde pero el vendedor fue muy amable")  # doctest: +SKIP
    >>> cxtext.score_table(tagged, nps="nps", by="channel")  # doctest: +SKIP
    >>> spec = cxtext.score_spec("nps", "nps")  # doctest: +SKIP
    >>> cxtext.driver_table(tagged, spec).table  # doctest: +SKIP
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

# Names loaded on first use, so ``import cxtext`` (and ``cxtext --help``) stays light: nothing
# here imports pandas, numpy, spaCy or the models until a name is used.
_LAZY = {
    "Analyzer": "cxtext.pipeline",
    "CommentResult": "cxtext.pipeline",
    "tag": "cxtext.pipeline",
    "tag_file": "cxtext.tagfile",
    "read_table": "cxtext.io",
    "write_table": "cxtext.io",
    "detect_language": "cxtext.lang",
    "available_backends": "cxtext.backends",
    "get_backend": "cxtext.backends",
    "register_backend": "cxtext.backends",
    "score_table": "cxtext.scores",
    "score_spec": "cxtext.scores",
    "ScoreSpec": "cxtext.scores",
    "nps": "cxtext.scores",
    "csat": "cxtext.scores",
    "ces": "cxtext.scores",
    "driver_table": "cxtext.drivers",
    "DriverTable": "cxtext.drivers",
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
    "Redactor": "cxtext.redact",
    "export_qdpx": "cxtext.topics.qdpx",
    "read_qdpx": "cxtext.topics.qdpx_read",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cxtext' has no attribute {name!r}")


class _Package(types.ModuleType):
    """Importing ``cxtext.summarize`` binds the module to ``cxtext.summarize``: the function wins."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == value.__name__ and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
