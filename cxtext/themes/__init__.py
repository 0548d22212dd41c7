"""Themes below the six CX topics: discovered from the comments, in several languages at once.

Example:
    >>> from cxtext.themes import ThemeModel
    >>> model = ThemeModel(min_size=5).fit(comments)  # doctest: +SKIP
    >>> for theme in model.themes_:  # doctest: +SKIP
    ...     print(theme.id, theme.names, theme.size, theme.sentiment)
    >>> model.transform(["La entrega llegó tarde"])  # doctest: +SKIP
    >>> open("themes.yaml", "w", encoding="utf-8").write(model.to_codebook())  # doctest: +SKIP
"""
from __future__ import annotations

from .discover import DiscoverSummary, discover_themes, themes_table
from .model import EMBEDDINGS, UNITS, Quote, Theme, ThemeModel

__all__ = ["EMBEDDINGS", "UNITS", "DiscoverSummary", "Quote", "Theme", "ThemeModel", "discover_themes",
           "themes_table"]
