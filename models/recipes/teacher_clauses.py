"""Teacher labels for the ``fast`` sentiment model: ``accurate``'s reading of each clause.

The pipeline reads a comment clause by clause (``cxtext.segment.split_comments``), but the CX
corpus labels whole comments; only clauses that name exactly one of the comment's gold topics
get a clause label (``train_fast.clause_examples``). This step gives every clause of the
multi-clause CX train comments the sentiment probabilities of the ``accurate`` backend as it is
installed (its encoder reads "it arrived two days late" as one story, the n-grams cannot), so
that ``train_fast.py --teacher`` can learn from them as soft labels.

Only cxtext's own comments are read (``models/corpus/train``, MIT): no data set text. The output
is a CSV outside the repository (``id, lang, text, negative, neutral, positive``, probabilities
to 4 decimals).

Tried on 2026-12-03 with the ``accurate-0.4.0`` candidate as the teacher (it did not ship,
``models/accurate_encoder.md``) and not shipped either (``models/fast_sentiment.md``). To rerun
it, install the teacher first::

    python models/recipes/finetune_accurate.py --data DATA --out /tmp/acc04 --epochs 2 --with-reserve
    cp /tmp/acc04/accurate_*.npz models/   # then train_accurate.py --stage topics --with-reserve, --stage cx
    python models/recipes/teacher_clauses.py --out /tmp/teacher_clauses.csv
    git checkout models/accurate_*.npz     # back to the shipped accurate
    python models/recipes/train_fast.py --data DATA --out /tmp/fast --teacher /tmp/teacher_clauses.csv
"""
from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

import pandas as pd

from cxtext.backends.accurate import AccurateBackend
from cxtext.schema import SENTIMENTS

_HERE = Path(__file__).resolve().parent


def _train_fast():
    spec = importlib.util.spec_from_file_location("train_fast", _HERE / "train_fast.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def teacher_rows(comments: pd.DataFrame, backend: AccurateBackend, batch: int = 2000) -> pd.DataFrame:
    """One row per distinct clause of the comments that have two or more clauses, with the
    backend's probability of each sentiment."""
    fast = _train_fast()
    clauses, langs, owner = fast.comment_clauses(list(comments.text), list(comments.lang))
    counts = pd.Series(owner).value_counts()
    ids = comments.id.to_numpy()
    frame = pd.DataFrame({"id": [f"{ids[o]}/t{k}" for k, o in enumerate(owner)], "lang": langs,
                          "text": [c.strip() for c in clauses], "owner": owner})
    frame = frame[frame.owner.map(counts) >= 2].drop_duplicates("text").drop(columns="owner")
    probs, start = [], time.perf_counter()
    for i in range(0, len(frame), batch):
        part = frame.iloc[i:i + batch]
        probs += [[p.sentiment_proba[s] for s in SENTIMENTS]
                  for p in backend.analyze(list(part.text), list(part.lang))]
        print(f"{min(i + batch, len(frame))}/{len(frame)} clauses ({time.perf_counter() - start:.0f} s)", flush=True)
    frame[list(SENTIMENTS)] = probs
    return frame.reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="CSV to write (outside the repository)")
    args = parser.parse_args(argv)
    comments = _train_fast().read_cx("train")
    rows = teacher_rows(comments, AccurateBackend(batch_size=32)).round(4)
    rows.to_csv(args.out, index=False)
    print(f"wrote {len(rows)} clauses of {len(comments)} comments to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
