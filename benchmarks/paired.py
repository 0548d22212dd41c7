"""Is a candidate model better on the CX dev comments, or is the difference noise? A paired look.

Both runs read the same comments, so the fair comparison is comment by comment: how many the
candidate fixes and how many it breaks, and a paired bootstrap 95% interval of the difference
(comments resampled with replacement, per language and overall; topic micro-F1 recomputed from
the resampled tp/fp/fn counts). An interval that holds 0 means the dev part cannot tell the
two apart. Run on demand, never in the test suite::

    python benchmarks/reading.py --only cx --no-accurate --dump /tmp/base.csv
    cp CANDIDATE/fast_* models/                     # the candidate in place (git restores)
    python benchmarks/reading.py --only cx --no-accurate --dump /tmp/candidate.csv
    git checkout models/
    python benchmarks/paired.py /tmp/base.csv /tmp/candidate.csv

Choose on the dev part only; held-out parts are reported once, after the choice.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from cxtext.schema import LANGUAGES

_KEYS = ["system", "id", "lang"]


def load_pair(base: Path, candidate: Path, system: str) -> pd.DataFrame:
    """The two dumps of ``system`` joined comment by comment (suffixes ``_base``, ``_cand``)."""
    a, b = pd.read_csv(base), pd.read_csv(candidate)
    a, b = a[a["system"] == system], b[b["system"] == system]
    if a.empty or b.empty:
        known = sorted(set(pd.read_csv(base)["system"]))
        raise SystemExit(f"error: no rows of system {system!r} in both files; the files hold {known}")
    pair = a.merge(b, on=_KEYS, suffixes=("_base", "_cand"), validate="one_to_one")
    if len(pair) != len(a) or len(pair) != len(b):
        raise SystemExit(f"error: the two files read different comments ({len(a)} and {len(b)} rows, "
                         f"{len(pair)} in common); dump both from the same corpus and part")
    return pair


def _micro_f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denominator = 2 * tp + fp + fn
    return np.divide(2 * tp, denominator, out=np.zeros_like(denominator, dtype=float), where=denominator > 0)


def paired_rows(pair: pd.DataFrame, resamples: int, seed: int = 0) -> list[dict[str, object]]:
    """Per language and ``all``: base, candidate, their difference with a paired bootstrap 95%
    interval, and (sentiment) the comments fixed and broken.

    Example:
        >>> pair = pd.DataFrame({"lang": ["en"] * 4, "sentiment_ok_base": [1, 1, 0, 0],
        ...                      "sentiment_ok_cand": [1, 1, 1, 0], "tp_base": 1, "fp_base": 0,
        ...                      "fn_base": 0, "tp_cand": 1, "fp_cand": 0, "fn_cand": 0,
        ...                      "pol_hits_base": 1, "pol_n_base": 1, "pol_hits_cand": 1, "pol_n_cand": 1,
        ...                      "neutral_with_emotion_base": np.nan, "neutral_with_emotion_cand": np.nan})
        >>> row = paired_rows(pair, resamples=200)[0]
        >>> row["metric"], row["base"], row["candidate"], row["fixed"], row["broken"]
        ('sentiment accuracy', 0.5, 0.75, 1, 0)
    """
    rng = np.random.default_rng(seed)
    out: list[dict[str, object]] = []
    groups = [(lang, pair[pair["lang"] == lang]) for lang in LANGUAGES if (pair["lang"] == lang).any()]
    for lang, part in groups + [("all", pair)]:
        n = len(part)
        idx = rng.integers(0, n, size=(resamples, n))

        def column(name: str) -> np.ndarray:
            return part[name].to_numpy(dtype=float)

        ok_a, ok_b = column("sentiment_ok_base"), column("sentiment_ok_cand")
        diff = (ok_b[idx] - ok_a[idx]).mean(axis=1)
        out.append(_row("sentiment accuracy", lang, n, ok_a.mean(), ok_b.mean(), diff,
                        fixed=int(((ok_a == 0) & (ok_b == 1)).sum()), broken=int(((ok_a == 1) & (ok_b == 0)).sum())))
        counts = {side: [column(f"{k}_{side}") for k in ("tp", "fp", "fn")] for side in ("base", "cand")}
        f1 = {side: _micro_f1(*(c.sum(keepdims=True) for c in counts[side]))[0] for side in counts}
        boot = {side: _micro_f1(*(c[idx].sum(axis=1) for c in counts[side])) for side in counts}
        out.append(_row("topic micro-F1", lang, n, f1["base"], f1["cand"], boot["cand"] - boot["base"]))
        pol = {side: (column(f"pol_hits_{side}"), column(f"pol_n_{side}")) for side in ("base", "cand")}
        if pol["base"][1].sum() and pol["cand"][1].sum():
            rates = {side: h.sum() / m.sum() for side, (h, m) in pol.items()}
            boot_pol = {side: h[idx].sum(axis=1) / np.maximum(m[idx].sum(axis=1), 1) for side, (h, m) in pol.items()}
            out.append(_row("topic polarity accuracy", lang, n, rates["base"], rates["cand"],
                            boot_pol["cand"] - boot_pol["base"]))
        neutral = part["neutral_with_emotion_base"].notna().to_numpy()
        if neutral.any():
            fired_a = np.where(neutral, part["neutral_with_emotion_base"].fillna(0).to_numpy(dtype=float), 0.0)
            fired_b = np.where(neutral, part["neutral_with_emotion_cand"].fillna(0).to_numpy(dtype=float), 0.0)
            m = np.maximum(neutral[idx].sum(axis=1), 1)
            out.append(_row("neutral comments with an emotion (lower is better)", lang, int(neutral.sum()),
                            fired_a.sum() / neutral.sum(), fired_b.sum() / neutral.sum(),
                            (fired_b[idx].sum(axis=1) - fired_a[idx].sum(axis=1)) / m, lower_is_better=True))
    return out


def _row(metric: str, lang: str, n: int, base: float, candidate: float, boot: np.ndarray,
         fixed: int | str = "", broken: int | str = "", lower_is_better: bool = False) -> dict[str, object]:
    low, high = np.percentile(boot, [2.5, 97.5])
    better, worse = ("worse", "better") if lower_is_better else ("better", "worse")
    return {"metric": metric, "lang": lang, "n": n, "base": round(float(base), 4),
            "candidate": round(float(candidate), 4), "difference": round(float(candidate - base), 4),
            "95% interval": f"[{low:+.4f}, {high:+.4f}]", "fixed": fixed, "broken": broken,
            "verdict": better if low > 0 else worse if high < 0 else "cannot tell"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base", type=Path, help="reading.py --dump of the shipped model")
    ap.add_argument("candidate", type=Path, help="reading.py --dump of the candidate")
    ap.add_argument("--system", default="cxtext default (fast)", help="which system of the dumps to compare")
    ap.add_argument("--resamples", type=int, default=2000)
    args = ap.parse_args(argv)
    rows = paired_rows(load_pair(args.base, args.candidate, args.system), args.resamples)
    print(f"{args.system}: {args.candidate} against {args.base} (paired bootstrap, {args.resamples} resamples)")
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows:
        print("| " + " | ".join(str(v) for v in row.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
