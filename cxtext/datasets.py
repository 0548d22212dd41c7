"""The bundled example survey: 520 retail customer comments in es/it/pt/en with NPS, CSAT, CES.

The comments are synthetic (written by the cxtext authors from hand-written phrases, no real
customer data) with planted, natural relationships: negative comments about delivery,
returns and waiting (``process``) and about staff (``people``) come with clearly lower
scores; price complaints barely move them; promotions not at all. See
``cxtext/data/examples/README.md``.

Example:
    >>> from cxtext.datasets import load_example
    >>> df = load_example()
    >>> list(df.columns)
    ['id', 'comment', 'nps', 'csat', 'ces', 'journey_stage', 'channel', 'date']
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

__all__ = ["EXAMPLE_FILE", "example_path", "load_example"]

#: File name of the example survey inside the package.
EXAMPLE_FILE = "survey.csv"


def example_path() -> Path:
    """Path of the bundled example CSV (to pass to ``cxtext tag``).

    Example:
        >>> example_path().name
        'survey.csv'
    """
    resource = resources.files("cxtext") / "data" / "examples" / EXAMPLE_FILE
    return Path(str(resource))


def load_example() -> pd.DataFrame:
    """Load the example survey as a DataFrame (all columns as text, empty cells as ``""``).

    Scores stay text on purpose: :mod:`cxtext.scores` parses and validates them (the file
    holds a few unanswered and mistyped scores, as real exports do).
    """
    with resources.as_file(resources.files("cxtext") / "data" / "examples" / EXAMPLE_FILE) as path:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
