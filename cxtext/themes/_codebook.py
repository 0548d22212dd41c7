"""Write discovered themes as an editable codebook (YAML that ``extends: default``).

Each theme becomes a subtopic of its CX topic (``process/late_delivery``; themes of no CX
topic go under a new top-level topic ``other``) with its names, terms and example sentences
per language, and a comment with its size and sentiment. Strings are written JSON-quoted
(valid YAML), so any text from the data is safe.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..schema import CX_TOPICS, OTHER_TOPIC

if TYPE_CHECKING:
    from .model import Theme

__all__ = ["themes_codebook"]

_EXAMPLES = 3


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _flow(values: Sequence[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def themes_codebook(themes: Sequence[Theme], *, name: str = "themes", source: str = "", comments: int = 0,
                    space: str = "") -> str:
    """YAML text of a codebook holding ``themes`` (see the module docstring).

    Example:
        >>> print(themes_codebook([]).splitlines()[0])
        # Themes discovered by cxtext themes discover.
    """
    from .. import __version__

    lines = [
        "# Themes discovered by cxtext themes discover.",
        f"# cxtext {__version__}" + (f", from {source}" if source else "")
        + (f", {comments:,} comments" if comments else "") + (f"; {space}" if space else "") + ".",
        "#",
        "# Edit it freely: rename a theme by renaming its key (and its names), merge two by moving",
        "# the terms and examples of one under the other and deleting it, delete one by removing",
        "# its block, add or remove terms. Terms are matched as in every codebook (whole words,",
        "# case- and accent-insensitive, plurals added); names and examples are never matched.",
        "#   cxtext codebook check THIS_FILE",
        "#   cxtext tag new.csv --text comment --codebook THIS_FILE -o tagged.csv",
        f"name: {_q(name)}",
        'version: "1"',
        "extends: default",
        f"description: {_q('Themes below the six CX topics, discovered from the data.')}",
        "topics:",
    ]
    by_topic: dict[str, list[Theme]] = {}
    for theme in themes:
        by_topic.setdefault(theme.topic, []).append(theme)
    for topic in [t for t in (*CX_TOPICS, OTHER_TOPIC) if t in by_topic]:
        lines.append(f"  {topic}:")
        if topic == OTHER_TOPIC:
            lines.append(f"    definition: {{en: {_q('Themes that belong to none of the six CX topics.')}}}")
        lines.append("    topics:")
        for theme in by_topic[topic]:
            lines.extend(_theme_lines(theme))
    if not by_topic:
        lines[-1] = "topics: {}"
    return "\n".join(lines) + "\n"


def _theme_lines(theme: Theme) -> list[str]:
    mix = ", ".join(f"{100 * share:.0f}% {label}" for label, share in
                    sorted(theme.sentiment.items(), key=lambda kv: -kv[1]) if share > 0)
    out = [f"      {theme.key}:  # {theme.size} clauses in {theme.comments} comments; {mix}",
           f"        label: {_q(theme.name)}"]
    if theme.names:
        out.append("        names: {" + ", ".join(f"{lang}: {_q(n)}" for lang, n in theme.names.items()) + "}")
    if theme.terms:
        out.append("        terms:")
        out.extend(f"          {lang}: {_flow(terms)}" for lang, terms in theme.terms.items())
    examples: dict[str, list[str]] = {}
    for quote in theme.quotes:
        if len(examples.setdefault(quote.lang, [])) < _EXAMPLES:
            examples[quote.lang].append(quote.text)
    if examples:
        out.append("        examples:")
        for lang, texts in examples.items():
            out.append(f"          {lang}:")
            out.extend(f"            - {_q(text)}" for text in texts)
    return out
