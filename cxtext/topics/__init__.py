"""CX topics: codebooks (default, journey, channel, custom YAML), trained topic models, detectors.

Example:
    >>> from cxtext.topics import load_codebook, resolve_detectors
    >>> load_codebook("default").topics
    ('price', 'product', 'people', 'process', 'place', 'promotion')
    >>> [d.column for d in resolve_detectors(["default", "channel"])]
    ['topics', 'channel']
"""
from __future__ import annotations

import importlib
from typing import Any

from ..errors import CodebookError
from .base import TopicDetector, TopicMatch
from .codebook import (
    BUILTIN_CODEBOOKS,
    Codebook,
    CodebookProblem,
    TopicSpec,
    load_codebook,
    validate_codebook,
)
from .matcher import CodebookDetector
from .resolve import COMBINE_MODES, UnionDetector, resolve_detectors

__all__ = [
    "BUILTIN_CODEBOOKS",
    "COMBINE_MODES",
    "Codebook",
    "CodebookDetector",
    "CodebookError",
    "CodebookProblem",
    "TopicDetector",
    "TopicMatch",
    "TopicModel",
    "TopicModelDetector",
    "TopicSpec",
    "UnionDetector",
    "load_codebook",
    "resolve_detectors",
    "validate_codebook",
]

#: loaded on first use: the topic model is a scikit-learn estimator, and importing scikit-learn
#: would add most of a second to every ``import cxtext.pipeline``
_LAZY = {"TopicModel": ".model", "TopicModelDetector": ".model"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
