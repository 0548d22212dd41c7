"""Train the ``fast`` backend's models and write them as NPZ + JSON into ``models/``.

Usage::

    python models/recipes/train_fast.py --data /work/shared/data [--out models]

Data (only sets whose licence allows shipping; see the data README):

* sentiment: ``sentiment/umsab_train.csv`` only. A fixed 20% of it (by id hash) is the dev split
  used to choose the regularisation; the final model is refitted on all of umsab_train.
  ``umsab_val.csv`` is not read here at all: ``benchmarks/accuracy.py`` reports on it.
* sentiment also sees ~770 pseudo-examples made from cxtext's own hand-written lexicons
  (``cxtext/data/lexicons``, MIT): a strong word or emoji alone, labelled by its sign, and
  "<negator> <positive word>" labelled negative; their sample weight (0 or 0.5) is chosen on
  the dev split together with C. The sentiment model also reads the emotion model's 8 logits
  (stacking was chosen over ``--no-stack`` on the dev split).
* emotion: ``emotion/xed_train.csv`` (all languages) and ``emotion/goemotions_train.csv`` (en).
  By id hash, 10% of XED is held out for reporting (``xed_test``) and 10% of XED + 10% of
  GoEmotions train is the dev split for the per-label thresholds. The training part also gets
  one pseudo-example per tagged lexicon word/emoji (the word alone with its Plutchik tags).
  ``goemotions_dev.csv`` is held out for reporting (never trained on). EmoEvent (eval-only
  licence) is only evaluated.

Deterministic: splits by MD5 of the id (the rule of ``train_accurate.py``, so both backends
are reported on the same held-out rows), fixed seeds.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from importlib import resources
from scipy import sparse
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import f1_score

from cxtext.backends._features import CUE_NAMES, TextFeatures, TokenHasher, load_lexicon
from cxtext.backends.linear import EMOTION_FILE, SENTIMENT_FILE, design_matrix
from cxtext.schema import EMOTIONS, LANGUAGES, SENTIMENTS

HASHER = dict(n_features=2**18, char_ngrams=(3, 5), bigrams=True)
SENT_C = (0.25, 0.5, 1.0)
#: sample weight of the pseudo-examples made from the shipped lexicons (0 = none)
LEXICON_WEIGHT = (0.0, 0.5)
EMO_ALPHA = (1e-5, 3e-5, 1e-4)
VERSION = "cxtext-fast-1"  # bump when the recipe or data change


def bucket(ids: pd.Series) -> np.ndarray:
    """Bucket 0-9 of each id (MD5), the same rule as ``train_accurate.py``: 0 = test, 1 = dev."""
    return np.array([int(hashlib.md5(str(i).encode("utf-8")).hexdigest(), 16) % 10 for i in ids])


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False)


def labels_matrix(col: pd.Series) -> np.ndarray:
    out = np.zeros((len(col), len(EMOTIONS)), dtype=np.int8)
    for i, cell in enumerate(col):
        for lab in filter(None, cell.split(";")):
            out[i, EMOTIONS.index(lab)] = 1
    return out


class Featurizer:
    def __init__(self) -> None:
        self.features = TextFeatures(LANGUAGES)
        self.hasher = TokenHasher(**HASHER)

    def __call__(self, df: pd.DataFrame):
        cues, tokens = self.features.extract(list(df.text), list(df.lang))
        return self.hasher.transform(tokens), cues


class Compressed:
    """The columns of a training matrix that occur in it (fitting on them is much faster)."""

    def __init__(self, X) -> None:
        self.used = np.unique(X.indices)
        self.n_columns = X.shape[1]
        self.X = X[:, self.used]

    def fit(self, make, y, sample_weight=None):
        clf = make().fit(self.X, y, sample_weight=sample_weight)
        coef = np.zeros((clf.coef_.shape[0], self.n_columns), dtype=np.float32)
        coef[:, self.used] = clf.coef_
        return clf, coef, clf.intercept_.astype(np.float32)


def emotion_f1(y: np.ndarray, pred: np.ndarray) -> dict:
    return {
        "micro_f1": round(float(f1_score(y, pred, average="micro", zero_division=0)), 4),
        "macro_f1": round(float(f1_score(y, pred, average="macro", zero_division=0)), 4),
        "n": int(len(y)),
    }


def train_emotion(data: Path, feat: Featurizer, cue_scale: np.ndarray, log) -> dict:
    xed = read(data / "emotion" / "xed_train.csv")
    goe = read(data / "emotion" / "goemotions_train.csv")
    xb, gb = bucket(xed.id), bucket(goe.id)
    pseudo = lexicon_emotion_examples()
    log(f"emotion: {len(pseudo)} lexicon pseudo-examples")
    parts = {
        "train": pd.concat([xed[xb >= 2], goe[gb != 1], pseudo], ignore_index=True),
        "dev": pd.concat([xed[xb == 1], goe[gb == 1]], ignore_index=True),
        "xed_test": xed[xb == 0].reset_index(drop=True),
        "goemotions_dev": read(data / "emotion" / "goemotions_dev.csv"),
        "emoevent_dev": read(data / "emotion" / "emoevent_dev.csv"),
    }
    X, Y = {}, {}
    for name, df in parts.items():
        hashed, cues = feat(df)
        X[name] = design_matrix(hashed, cues, cue_scale)
        Y[name] = labels_matrix(df["labels"])
        log(f"emotion {name}: {X[name].shape[0]} rows")
    best = None
    comp = Compressed(X["train"])
    for alpha in EMO_ALPHA:
        coefs, inter = [], []
        for k in range(len(EMOTIONS)):
            make = lambda: SGDClassifier(  # noqa: E731
                loss="log_loss", alpha=alpha, max_iter=10, tol=None, average=True, random_state=0
            )
            _, c, b = comp.fit(make, Y["train"][:, k])
            coefs.append(c[0])
            inter.append(b[0])
        coef, intercept = np.vstack(coefs), np.array(inter, dtype=np.float32)
        proba = sigmoid(X["dev"] @ coef.T + intercept)
        thresholds = np.array([best_threshold(Y["dev"][:, k], proba[:, k]) for k in range(len(EMOTIONS))])
        dev_f1 = emotion_f1(Y["dev"], proba >= thresholds)["macro_f1"]
        log(f"emotion alpha={alpha}: dev macro-F1 {dev_f1} thresholds {thresholds.round(3).tolist()}")
        if best is None or dev_f1 > best[0]:
            best = (dev_f1, alpha, coef, intercept, thresholds)
    dev_f1, alpha, coef, intercept, thresholds = best
    metrics = {}
    for name in ("xed_test", "goemotions_dev", "emoevent_dev"):
        df = parts[name]
        proba = sigmoid(X[name] @ coef.T + intercept)
        for lang in LANGUAGES:
            m = (df.lang == lang).to_numpy()
            if m.any():
                metrics[f"{name}/{lang}"] = emotion_f1(Y[name][m], proba[m] >= thresholds)
    return {
        "coef": coef, "intercept": intercept, "thresholds": thresholds.astype(np.float32),
        "alpha": alpha, "dev_macro_f1": dev_f1, "metrics": metrics,
        "n_train": int(X["train"].shape[0]),
    }


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def lexicon_emotion_examples() -> pd.DataFrame:
    """Pseudo-examples from cxtext's own lexicons: each word/emoji with Plutchik tags, alone
    (the emotion corpora hardly contain emoji, so "😡" alone would get no emotion)."""
    emoji = load_lexicon("emoji")
    rows = []
    for lang in LANGUAGES:
        for term, (_, emotions) in {**load_lexicon(lang), **emoji}.items():
            if emotions and not term.endswith("*"):
                rows.append((f"lexicon-{lang}-{term}", lang, term.replace("_", " "), ";".join(emotions)))
    return pd.DataFrame(rows, columns=["id", "lang", "text", "labels"])


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    grid = np.arange(0.02, 0.9, 0.01)
    scores = [f1_score(y, p >= t, zero_division=0) for t in grid]
    return float(grid[int(np.argmax(scores))])


def lexicon_examples() -> pd.DataFrame:
    """Pseudo-examples from the hand-written lexicons (MIT, ours): strong words and emoji alone
    (label = sign) and strong positive words after the language's first negator (negative).
    They teach the model single-emoji and negated-word cases that tweets rarely show."""
    rules = json.loads(
        (resources.files("cxtext") / "data" / "lexicons" / "rules.json").read_text(encoding="utf-8")
    )
    emoji = load_lexicon("emoji")
    rows = []
    for lang in LANGUAGES:
        negator = rules["negators"][lang][0]
        for term, (pol, _) in {**load_lexicon(lang), **emoji}.items():
            if term.endswith("*") or abs(pol) < 2:
                continue
            text = term.replace("_", " ")
            rows.append((lang, text, "positive" if pol > 0 else "negative"))
            if pol > 0 and term not in emoji and "_" not in term:
                rows.append((lang, f"{negator} {text}", "negative"))
    return pd.DataFrame(rows, columns=["lang", "text", "label"])


def train_sentiment(data: Path, feat: Featurizer, emo: dict, log, stack: bool) -> dict:
    umsab = read(data / "sentiment" / "umsab_train.csv")
    pseudo = lexicon_examples()
    train = pd.concat([umsab[["id", "lang", "text", "label"]], pseudo.assign(id="")], ignore_index=True)
    is_pseudo = np.r_[np.zeros(len(umsab), bool), np.ones(len(pseudo), bool)]
    dev_mask = np.r_[bucket(umsab.id) < 2, np.zeros(len(pseudo), bool)]
    log(f"sentiment: {len(umsab)} umsab_train rows + {len(pseudo)} lexicon pseudo-examples")
    hashed, cues = feat(train)
    cue_scale = emo["cue_scale"]
    X0 = design_matrix(hashed, cues, cue_scale)
    extra = (X0 @ emo["coef"].T + emo["intercept"]) if stack else np.zeros((X0.shape[0], 8), np.float32)
    X = sparse.hstack([X0, sparse.csr_matrix(extra)], format="csr")
    y = train.label.to_numpy()
    make = lambda c: (lambda: LogisticRegression(C=c, max_iter=3000))  # noqa: E731
    dev_scores = {}
    for weight in LEXICON_WEIGHT:
        sw = np.where(is_pseudo, weight, 1.0)
        use = ~is_pseudo | (weight > 0)
        for c in SENT_C:
            f = []
            for lang in LANGUAGES:
                m = (train.lang == lang).to_numpy()
                fit_rows = m & ~dev_mask & use
                comp = Compressed(X[fit_rows])
                clf, _, _ = comp.fit(make(c), y[fit_rows], sw[fit_rows])
                pred = clf.predict(X[m & dev_mask][:, comp.used])
                f.append(f1_score(y[m & dev_mask], pred, average="macro"))
            dev_scores[(c, weight)] = [round(v, 4) for v in f]
            log(f"sentiment C={c} lexicon_weight={weight} stack={stack}: dev macro-F1 "
                f"{dev_scores[(c, weight)]} mean {np.mean(f):.4f}")
    best_c, best_w = max(dev_scores, key=lambda k: np.mean(dev_scores[k]))
    sw = np.where(is_pseudo, best_w, 1.0)
    use = ~is_pseudo | (best_w > 0)
    coef, intercept = {}, {}
    for lang in LANGUAGES:
        m = (train.lang == lang).to_numpy() & use
        clf, c_, b_ = Compressed(X[m]).fit(make(best_c), y[m], sw[m])
        order = [list(clf.classes_).index(s) for s in SENTIMENTS]
        coef[lang], intercept[lang] = c_[order], b_[order]
    return {"coef": coef, "intercept": intercept, "C": best_c, "lexicon_weight": best_w,
            "dev": dev_scores, "n_train": int(len(umsab)), "n_pseudo": int(len(pseudo))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="the shared data folder")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1])
    ap.add_argument("--no-stack", action="store_true", help="do not feed emotion logits to sentiment")
    args = ap.parse_args()
    t0 = time.time()
    log = lambda msg: print(f"[{time.time() - t0:6.0f}s] {msg}", flush=True)  # noqa: E731
    feat = Featurizer()

    umsab = read(args.data / "sentiment" / "umsab_train.csv")
    cues, _ = feat.features.extract(list(umsab.text), list(umsab.lang))
    cue_scale = (1.0 / (cues.std(axis=0) + 1e-3)).astype(np.float32)

    emo = train_emotion(args.data, feat, cue_scale, log)
    emo["cue_scale"] = cue_scale
    sent = train_sentiment(args.data, feat, emo, log, stack=not args.no_stack)

    hasher = TokenHasher(**HASHER).params()
    common = {
        "version": VERSION, "hasher": hasher, "cue_names": list(CUE_NAMES),
        "cue_scale": cue_scale.tolist(), "languages": list(LANGUAGES),
    }
    out = args.out
    np.savez_compressed(
        out / f"{EMOTION_FILE}.npz", coef=emo["coef"].astype(np.float16),
        intercept=emo["intercept"], thresholds=emo["thresholds"],
    )
    (out / f"{EMOTION_FILE}.json").write_text(json.dumps({
        **common, "labels": list(EMOTIONS), "thresholds": emo["thresholds"].round(3).tolist(),
        "sgd_alpha": emo["alpha"], "dev_macro_f1": emo["dev_macro_f1"], "n_train": emo["n_train"],
        "heldout_metrics": emo["metrics"],
    }, indent=1))
    arrays = {f"coef_{l}": sent["coef"][l].astype(np.float16) for l in LANGUAGES}
    arrays.update({f"intercept_{l}": sent["intercept"][l] for l in LANGUAGES})
    np.savez_compressed(out / f"{SENTIMENT_FILE}.npz", **arrays)
    (out / f"{SENTIMENT_FILE}.json").write_text(json.dumps({
        **common, "labels": list(SENTIMENTS), "C": sent["C"], "stacked_emotion_logits": not args.no_stack,
        "lexicon_example_weight": sent["lexicon_weight"], "n_train": sent["n_train"],
        "n_lexicon_examples": sent["n_pseudo"],
        "dev_macro_f1": {f"C={c},lexicon_weight={w}": v for (c, w), v in sent["dev"].items()},
    }, indent=1))
    log(f"wrote {EMOTION_FILE} and {SENTIMENT_FILE} to {out}")
    log(json.dumps(emo["metrics"], indent=1))


if __name__ == "__main__":
    main()
