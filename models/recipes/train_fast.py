"""Train the ``fast`` backend's models and write them as NPZ + JSON into ``models/``.

Usage::

    python models/recipes/train_fast.py --data /work/shared/data [--out models]

Data (only sets whose licence allows shipping; see the data README):

* sentiment: ``sentiment/umsab_train.csv`` only. A fixed 20% of it (by id hash) is the dev split
  used to choose the regularisation C and the pseudo-example weight *per language*; the final
  model of each language is refitted on all of its umsab_train rows.
  ``umsab_val.csv`` is not read here at all: ``benchmarks/accuracy.py`` reports on it.
* sentiment also sees ~1,200 pseudo-examples made from cxtext's own hand-written lexicons
  (``cxtext/data/lexicons``, MIT): a strong word or emoji alone, labelled by its sign, and
  "<negator> <positive word>" labelled negative; their sample weight (0, 0.25 or 0.5) is
  chosen on the dev split together with C. The sentiment model also reads the emotion model's
  8 logits (stacking was chosen over ``--no-stack`` on the dev split).
* emotion: ``emotion/xed_train.csv`` (all languages) and ``emotion/goemotions_train.csv`` (en).
  By id hash, 10% of XED is held out for reporting (``xed_test``) and 10% of XED + 10% of
  GoEmotions train is the dev split for the per-label thresholds. The training part also gets
  one pseudo-example per tagged lexicon word/emoji (the word alone with its Plutchik tags).
  XED es/it/pt has no neutral line, so the neutral es/it/pt tweets of umsab_train are added as
  "no emotion" rows: buckets >= 2 to training (sample weight 0, 1 or 3, chosen on dev with
  alpha), buckets 0-1 (the sentiment dev rows) to the emotion dev split, so no sentiment dev
  row is seen by the emotion model the sentiment model stacks. Thresholds are shared by the
  languages unless per-language ones win a 2-fold check on dev by ``PER_LANGUAGE_MARGIN``.
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
LEXICON_WEIGHT = (0.0, 0.25, 0.5)
EMO_ALPHA = (1e-5, 3e-5, 1e-4)
#: sample weight of the neutral es/it/pt umsab_train tweets in emotion training (0 = none)
NEUTRAL_WEIGHT = (0.0, 1.0, 3.0)
#: dev gain (macro-F1) per-language emotion thresholds need over the shared ones to be used
PER_LANGUAGE_MARGIN = 0.005
VERSION = "cxtext-fast-2"  # bump when the recipe or data change


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
    neutral = neutral_tweets(data)
    nb = bucket(neutral.id)
    log(f"emotion: {len(pseudo)} lexicon pseudo-examples, {len(neutral)} neutral es/it/pt tweets "
        f"({int((nb >= 2).sum())} train, {int((nb < 2).sum())} dev)")
    train = pd.concat([xed[xb >= 2], goe[gb != 1], pseudo, neutral[nb >= 2]], ignore_index=True)
    is_neutral = np.r_[np.zeros(len(train) - int((nb >= 2).sum()), bool), np.ones(int((nb >= 2).sum()), bool)]
    parts = {
        "train": train,
        "dev": pd.concat([xed[xb == 1], goe[gb == 1], neutral[nb < 2]], ignore_index=True),
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
    dev_neutral_tweet = parts["dev"].id.astype(str).str.startswith("neutral-").to_numpy()
    dev_scores = {}
    for weight in NEUTRAL_WEIGHT:
        use = ~is_neutral | (weight > 0)
        sw = np.where(is_neutral, weight, 1.0)
        sub = comp if weight > 0 else Compressed(X["train"][use])
        for alpha in EMO_ALPHA:
            coefs, inter = [], []
            for k in range(len(EMOTIONS)):
                make = lambda: SGDClassifier(  # noqa: E731
                    loss="log_loss", alpha=alpha, max_iter=10, tol=None, average=True, random_state=0
                )
                _, c, b = sub.fit(make, Y["train"][use][:, k], sw[use])
                coefs.append(c[0])
                inter.append(b[0])
            coef, intercept = np.vstack(coefs), np.array(inter, dtype=np.float32)
            proba = sigmoid(X["dev"] @ coef.T + intercept)
            thresholds = np.array([best_threshold(Y["dev"][:, k], proba[:, k]) for k in range(len(EMOTIONS))])
            pred = proba >= thresholds
            dev_f1 = emotion_f1(Y["dev"], pred)["macro_f1"]
            fired = round(float(pred[dev_neutral_tweet].any(axis=1).mean()), 4)
            dev_scores[f"alpha={alpha},neutral_weight={weight}"] = {
                "macro_f1": dev_f1, "neutral_tweets_with_emotion": fired}
            log(f"emotion alpha={alpha} neutral_weight={weight}: dev macro-F1 {dev_f1}, neutral dev "
                f"tweets with an emotion {fired}, thresholds {thresholds.round(3).tolist()}")
            if best is None or dev_f1 > best[0]:
                best = (dev_f1, alpha, coef, intercept, thresholds, weight)
    dev_f1, alpha, coef, intercept, thresholds, neutral_weight = best
    by_lang, choice = language_thresholds(parts["dev"], X["dev"], Y["dev"], coef, intercept, thresholds, log)
    metrics = {}
    for name in ("xed_test", "goemotions_dev", "emoevent_dev"):
        df = parts[name]
        proba = sigmoid(X[name] @ coef.T + intercept)
        for lang in LANGUAGES:
            m = (df.lang == lang).to_numpy()
            if m.any():
                metrics[f"{name}/{lang}"] = emotion_f1(Y[name][m], proba[m] >= by_lang[lang])
                empty = m & (Y[name].sum(axis=1) == 0)
                if empty.any():
                    fired = (proba[empty] >= by_lang[lang]).any(axis=1).mean()
                    metrics[f"{name}/{lang}"]["empty_rows_with_emotion"] = round(float(fired), 4)
    return {
        "coef": coef, "intercept": intercept, "thresholds": thresholds.astype(np.float32),
        "thresholds_by_language": {k: v.astype(np.float32) for k, v in by_lang.items()},
        "threshold_choice": choice,
        "alpha": alpha, "dev_macro_f1": dev_f1, "metrics": metrics, "neutral_weight": neutral_weight,
        "dev_scores": dev_scores, "n_neutral": int(len(neutral)),
        "n_train": int(X["train"].shape[0]),
    }


def neutral_tweets(data: Path) -> pd.DataFrame:
    """"No emotion" rows for es/it/pt, whose emotion data (XED projections of emotional subtitles)
    has no neutral line: the neutral tweets of umsab_train (train-ok). Buckets >= 2 (MD5 of the
    id, the sentiment recipe's rule) are added to emotion training with a sample weight chosen on
    dev; buckets 0-1 (the sentiment dev split) join the emotion dev split, so the sentiment dev
    rows are never seen by the emotion model whose logits the sentiment model stacks."""
    umsab = read(data / "sentiment" / "umsab_train.csv")
    pool = umsab[umsab.lang.isin(["es", "it", "pt"]) & (umsab.label == "neutral")]
    return pd.DataFrame({"id": pool.id.to_numpy(), "lang": pool.lang.to_numpy(),
                         "text": pool.text.to_numpy(), "labels": ""}).assign(
        id=lambda f: "neutral-" + f.id.astype(str))


def language_thresholds(dev, X_dev, Y_dev, coef, intercept, shared, log):
    """Per-language thresholds chosen on each language's dev rows; kept for a language only if
    they beat the shared thresholds by ``PER_LANGUAGE_MARGIN`` in a 2-fold check on those dev
    rows (fit on one half, score the other). Returns ({lang: thresholds}, a summary of the check)."""
    P = sigmoid(X_dev @ coef.T + intercept)
    Y = Y_dev
    fold = np.array([int(hashlib.md5(f"fold-{i}".encode()).hexdigest(), 16) % 2 for i in dev.id])
    empty = Y.sum(axis=1) == 0
    summary, per_lang = {}, {}
    for lang in LANGUAGES:
        m = (dev.lang == lang).to_numpy()
        cv = {"shared": [], "per_language": [], "shared_empty_fired": [], "per_language_empty_fired": []}
        for k in (0, 1):
            fit, held = m & (fold != k), m & (fold == k)
            t = np.array([best_threshold(Y[fit][:, j], P[fit][:, j]) for j in range(len(EMOTIONS))])
            for name, th in (("shared", shared), ("per_language", t)):
                pred = P[held] >= th
                cv[name].append(emotion_f1(Y[held], pred)["macro_f1"])
                cv[name + "_empty_fired"].append(float(pred[empty[held]].any(axis=1).mean()))
        res = {key: round(float(np.mean(v)), 4) for key, v in cv.items()}
        t_all = np.array([best_threshold(Y[m][:, j], P[m][:, j]) for j in range(len(EMOTIONS))])
        keep = res["per_language"] >= res["shared"] + PER_LANGUAGE_MARGIN
        per_lang[lang] = t_all if keep else np.asarray(shared, dtype=float)
        res["chosen"] = "per_language" if keep else "shared"
        summary[lang] = res
        log(f"emotion thresholds {lang}: 2-fold dev macro-F1 shared {res['shared']} vs per-language "
            f"{res['per_language']}; empty dev rows with an emotion {res['shared_empty_fired']} vs "
            f"{res['per_language_empty_fired']} -> {res['chosen']} {per_lang[lang].round(2).tolist()}")
    return per_lang, summary


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
    coef, intercept, chosen = {}, {}, {}
    for j, lang in enumerate(LANGUAGES):  # C and pseudo-example weight chosen per language on dev
        best_c, best_w = max(dev_scores, key=lambda k: dev_scores[k][j])
        chosen[lang] = {"C": best_c, "lexicon_weight": best_w, "dev_macro_f1": dev_scores[(best_c, best_w)][j]}
        log(f"sentiment {lang}: chose {chosen[lang]}")
        sw = np.where(is_pseudo, best_w, 1.0)
        use = ~is_pseudo | (best_w > 0)
        m = (train.lang == lang).to_numpy() & use
        clf, c_, b_ = Compressed(X[m]).fit(make(best_c), y[m], sw[m])
        order = [list(clf.classes_).index(s) for s in SENTIMENTS]
        coef[lang], intercept[lang] = c_[order], b_[order]
    return {"coef": coef, "intercept": intercept, "chosen": chosen,
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
        **{f"thresholds_{l}": t for l, t in emo["thresholds_by_language"].items()},
    )
    (out / f"{EMOTION_FILE}.json").write_text(json.dumps({
        **common, "labels": list(EMOTIONS), "thresholds": emo["thresholds"].round(3).tolist(),
        "thresholds_by_language": {l: t.round(3).tolist() for l, t in emo["thresholds_by_language"].items()},
        "threshold_choice_dev": emo["threshold_choice"],
        "sgd_alpha": emo["alpha"], "neutral_tweet_weight": emo["neutral_weight"],
        "n_neutral_tweets": emo["n_neutral"], "dev_macro_f1": emo["dev_macro_f1"],
        "dev_scores": emo["dev_scores"], "n_train": emo["n_train"],
        "heldout_metrics": emo["metrics"],
    }, indent=1))
    arrays = {f"coef_{l}": sent["coef"][l].astype(np.float16) for l in LANGUAGES}
    arrays.update({f"intercept_{l}": sent["intercept"][l] for l in LANGUAGES})
    np.savez_compressed(out / f"{SENTIMENT_FILE}.npz", **arrays)
    (out / f"{SENTIMENT_FILE}.json").write_text(json.dumps({
        **common, "labels": list(SENTIMENTS), "chosen_per_language": sent["chosen"],
        "stacked_emotion_logits": not args.no_stack, "n_train": sent["n_train"],
        "n_lexicon_examples": sent["n_pseudo"],
        "dev_macro_f1": {f"C={c},lexicon_weight={w}": v for (c, w), v in sent["dev"].items()},
    }, indent=1))
    log(f"wrote {EMOTION_FILE} and {SENTIMENT_FILE} to {out}")
    log(json.dumps(emo["metrics"], indent=1))


if __name__ == "__main__":
    main()
