"""Sentiment/emotion backends, chosen by registered name.

Built-in backends are registered as ``"module:Class"`` strings and imported only when used,
so the fast path never imports torch or the embedding engine. Third parties register more::

    from cxtext.backends import register_backend

    @register_backend("mine")
    class MyBackend(Backend): ...
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from ..errors import ConfigError, format_choices
from .base import Backend, Prediction, label_from_score, score_from_proba

__all__ = [
    "Backend",
    "Prediction",
    "register_backend",
    "get_backend",
    "available_backends",
    "label_from_score",
    "score_from_proba",
]

_REGISTRY: dict[str, str | type[Backend]] = {
    "fast": "cxtext.backends.fast:FastBackend",
    "lexicon": "cxtext.backends.lexicon:LexiconBackend",
    "accurate": "cxtext.backends.accurate:AccurateBackend",
    "transformers": "cxtext.backends.transformers:TransformersBackend",
}


def register_backend(name: str) -> Callable[[type[Backend]], type[Backend]]:
    """Class decorator that registers a :class:`Backend` under ``name``."""

    def decorator(cls: type[Backend]) -> type[Backend]:
        _REGISTRY[name] = cls
        cls.name = name
        return cls

    return decorator


def available_backends() -> list[str]:
    """Registered backend names (their optional extras may still be missing)."""
    return sorted(_REGISTRY)


def get_backend(name: str, **options: Any) -> Backend:
    """Construct the backend registered as ``name`` with keyword ``options``.

    Raises:
        ConfigError: unknown name, or an option the backend does not take.
        MissingDependencyError: the backend's optional extra is not installed.
    """
    if name not in _REGISTRY:
        raise ConfigError(
            f"unknown backend {name!r}; choose one of {format_choices(available_backends())}"
        )
    entry = _REGISTRY[name]
    if isinstance(entry, str):
        module_name, _, class_name = entry.partition(":")
        entry = getattr(importlib.import_module(module_name), class_name)
        entry.name = name
        _REGISTRY[name] = entry
    try:
        return entry(**options)
    except TypeError as exc:
        if "unexpected keyword argument" not in str(exc):
            raise
        given = format_choices(sorted(options))
        raise ConfigError(
            f"backend {name!r} does not take some of the options given ({given}): {exc}; "
            "drop them or choose the backend they belong to (e.g. --backend transformers)"
        ) from None
