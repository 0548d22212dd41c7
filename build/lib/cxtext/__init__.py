"""cxtext: customer-experience text analytics, offline, in Spanish, Italian, Portuguese and English.

Example:
    >>> import cxtext  # doctest: +SKIP
    >>> tagged = cxtext.tag(df, text="comment")  # doctest: +SKIP
    >>> analyzer = cxtext.Analyzer(languages=["es", "pt"])  # doctest: +SKIP
    >>> analyzer("La entrega llegó tarde pero el vendedor fue muy amable")  # doctest: +SKIP
"""
from __future__ import annotations

__version__ = "0.1.0"

from .backends import available_backends, get_backend, register_backend
from .io import read_table, write_table
from .lang import detect_language
from .pipeline import Analyzer, CommentResult, tag
from .tagfile import tag_file

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
]
