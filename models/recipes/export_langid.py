"""Write ``models/langid.npz``: py3langid's language model restricted to cxtext's languages.

Usage (with ``pip install py3langid==0.4.0``, the version the shipped file comes from)::

    python models/recipes/export_langid.py [--out models]

Nothing is trained: the arrays are py3langid's own (its byte n-gram automaton, unchanged, and
the naive Bayes weights of es/it/pt/en, as ``LanguageIdentifier.set_languages`` keeps them),
stored in the dtypes py3langid stores them in. ``tests/test_lang.py`` checks, where py3langid is
installed, that the shipped file holds exactly these arrays. py3langid is BSD-3-Clause; its
notice is kept in ``models/LICENSE-py3langid.txt``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from cxtext.lang import MODEL_FILE
from cxtext.schema import LANGUAGES


def py3langid_arrays() -> dict[str, np.ndarray]:
    """py3langid's model for :data:`cxtext.schema.LANGUAGES`, as ``langid.npz`` holds it."""
    from py3langid.langid import MODEL_FILE as PY3LANGID_FILE
    from py3langid.langid import LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(PY3LANGID_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return {
        "classes": np.array(identifier.nb_classes),
        "nextmove": np.frombuffer(identifier.tk_nextmove, dtype=identifier.tk_nextmove.typecode).copy(),
        "nextmove_row": np.frombuffer(identifier.tk_row, dtype=identifier.tk_row.typecode).copy(),
        "out_feat": np.asarray(identifier.tk_output, dtype=np.int32),
        "ptc": np.ascontiguousarray(identifier.nb_ptc),
        "pc": np.asarray(identifier.nb_pc),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    path = args.out / MODEL_FILE
    np.savez_compressed(path, **py3langid_arrays())
    print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MiB)")


if __name__ == "__main__":
    main()
