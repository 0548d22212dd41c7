"""benchmarks/paired.py: the paired comparison that model choices lean on must count right."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "paired.py"
_spec = importlib.util.spec_from_file_location("paired_benchmark", _PATH)
paired = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(paired)


def _dump(ok: list[int], lang: str = "en", neutral: list[object] | None = None) -> pd.DataFrame:
    n = len(ok)
    return pd.DataFrame({
        "system": "cxtext default (fast)", "id": [f"c{i}" for i in range(n)], "lang": lang,
        "sentiment_ok": ok, "tp": 1, "fp": 0, "fn": [i % 2 for i in range(n)], "pol_hits": 1, "pol_n": 1,
        "neutral_with_emotion": neutral if neutral is not None else [np.nan] * n,
    })


def _rows(base: pd.DataFrame, cand: pd.DataFrame, tmp_path: Path) -> dict[str, dict]:
    base.to_csv(tmp_path / "a.csv", index=False)
    cand.to_csv(tmp_path / "b.csv", index=False)
    pair = paired.load_pair(tmp_path / "a.csv", tmp_path / "b.csv", "cxtext default (fast)")
    return {(r["metric"], r["lang"]): r for r in paired.paired_rows(pair, resamples=500)}


def test_the_same_reading_is_no_difference(tmp_path: Path) -> None:
    same = _dump([1, 0] * 50)
    rows = _rows(same, same, tmp_path)
    row = rows[("sentiment accuracy", "all")]
    assert row["difference"] == 0 and row["95% interval"] == "[+0.0000, +0.0000]"
    assert (row["fixed"], row["broken"], row["verdict"]) == (0, 0, "cannot tell")
    assert rows[("topic micro-F1", "en")]["difference"] == 0


def test_fixes_and_breaks_are_counted_and_a_clear_gain_is_better(tmp_path: Path) -> None:
    base = _dump([0] * 60 + [1] * 40)
    cand = _dump([1] * 50 + [0] * 10 + [1] * 38 + [0] * 2)
    row = _rows(base, cand, tmp_path)[("sentiment accuracy", "en")]
    assert (row["base"], row["candidate"], row["fixed"], row["broken"]) == (0.4, 0.88, 50, 2)
    assert row["verdict"] == "better"


def test_one_comment_either_way_cannot_be_told(tmp_path: Path) -> None:
    base = _dump([1] * 90 + [0] * 10)
    cand = base.copy()
    cand.loc[0, "sentiment_ok"], cand.loc[95, "sentiment_ok"] = 0, 1
    cand.loc[1, "sentiment_ok"] = 0
    assert _rows(base, cand, tmp_path)[("sentiment accuracy", "en")]["verdict"] == "cannot tell"


def test_fewer_emotions_on_neutral_comments_is_better(tmp_path: Path) -> None:
    n = 100
    base = _dump([1] * n, neutral=[1] * 60 + [0] * 20 + [np.nan] * 20)
    cand = _dump([1] * n, neutral=[0] * 80 + [np.nan] * 20)
    row = _rows(base, cand, tmp_path)[("neutral comments with an emotion (lower is better)", "en")]
    assert (row["n"], row["base"], row["candidate"], row["verdict"]) == (80, 0.75, 0.0, "better")


def test_dumps_of_other_comments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="different comments"):
        _rows(_dump([1] * 10), _dump([1] * 12), tmp_path)
    with pytest.raises(SystemExit, match="no rows of system"):
        base = _dump([1] * 3)
        base.to_csv(tmp_path / "a.csv", index=False)
        base.to_csv(tmp_path / "b.csv", index=False)
        paired.load_pair(tmp_path / "a.csv", tmp_path / "b.csv", "cxtext accurate")
