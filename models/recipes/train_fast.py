"""Train the ``fast`` backend's models and write them as NPZ + JSON into ``models/``.

Usage::

    python models/recipes/train_fast.py --data /work/shared/data [--out models]

Data (only sets whose licence allows shipping; see the data README), version ``cxtext-fast-6``:

* cxtext's own CX corpus (``models/corpus``, written by the project, MIT; see its data card):
  the ``train`` part trains all three models; the ``dev`` part is where every choice is made
  (it is never fitted on); ``test`` is not read here (``benchmarks/reading.py --part test``).
* sentiment: one multinomial logistic regression shared by the four languages (its word and
  character n-grams are language-specific anyway) on ``sentiment/umsab_train.csv`` tweets and
  the CX train comments, plus ~1,200 pseudo-examples from cxtext's hand-written lexicons (a
  strong word or emoji alone, labelled by its sign; "<negator> <positive word>" negative).
  C, the pseudo-example weight and the CX weight are chosen on the mean of the dev tweet
  macro-F1 (20% of umsab_train by id hash) and the CX dev accuracy, per language; the final
  model is refitted without the dev rows. It also reads the emotion model's 8 logits
  (stacking). ``umsab_val.csv`` is not read at all: the benchmarks report on it. With
  ``--teacher`` it can also learn from soft clause labels (``teacher_clauses.py``; tried, not
  shipped, see ``models/fast_sentiment.md``).
* emotion: ``emotion/xed_train.csv`` (all languages), ``emotion/goemotions_train.csv`` (en), the
  CX train comments (sample weight chosen on dev), one pseudo-example per tagged lexicon
  word/emoji, and the neutral es/it/pt tweets of umsab_train as "no emotion" rows (XED es/it/pt
  has no neutral line). By id hash 10% of XED is held out (``xed_test``), 10% of XED and
  GoEmotions train is dev. The per-label thresholds are chosen on the CX dev comments (best F1,
  then raised until at most ``MAX_NEUTRAL_FIRING`` of the neutral ones get an emotion) and then
  raised per language the same way, through the pipeline's clause split; last, all of a
  language's thresholds are lowered by the amount (``THRESHOLD_GIVE_BACK``) with the best CX dev
  emotion micro-F1 through the whole pipeline, whose neutral rule now keeps plain comments quiet.
* topics: a one-vs-rest logistic regression per CX topic on the CX train comments (C chosen on
  CX dev) and the rule that combines it with the codebook (``cxtext.topics.contextual``),
  chosen per topic on CX dev.

Deterministic: splits by MD5 of the id (the rule of ``train_accurate.py``, so both backends
are reported on the same held-out rows), fixed seeds.
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from importlib import resources
from scipy import sparse
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import f1_score

from cxtext.backends.features import CUE_NAMES, TextFeatures, TokenHasher, load_lexicon
from cxtext.backends.fast import EMOTION_FILE, SENTIMENT_FILE, TOPIC_FILE, design_matrix
from cxtext.schema import CX_TOPICS, EMOTIONS, LANGUAGES, SENTIMENTS

HASHER = dict(n_features=2**18, char_ngrams=(3, 5), bigrams=True)
#: C of the sentiment model. The pseudo-example and CX weights below were chosen with C on
#: the wider grids C (2, 4) x lexicon (0, 0.25) x CX (1, 2) on dev (fast_sentiment.md); they are
#: fixed at that choice so that the clause weight can be chosen in the same time
SENT_C = (2.0,)
#: sample weight of the pseudo-examples made from the shipped lexicons (0 = none)
LEXICON_WEIGHT = (0.0,)
#: sample weight of cxtext's own CX comments against UMSAB tweets (weight 1) in sentiment
CX_WEIGHT = (1.0,)
#: sample weight of the clause examples drawn from the CX comments (see clause_examples)
CLAUSE_WEIGHT = (0.0, 0.5, 1.0)
#: weight of the teacher's soft clause labels (``--teacher``, see teacher_examples); tried on
#: 2026-12-03 with the clause weight fixed at 1.0 and not shipped (``fast_sentiment.md``)
TEACHER_WEIGHT = (0.0, 0.5, 1.0)
EMO_ALPHA = (3e-5,)
#: sample weight of the neutral es/it/pt umsab_train tweets in emotion training (0 = none)
NEUTRAL_WEIGHT = (1.0, 3.0)
#: sample weight of cxtext's own CX comments in emotion training
CX_EMOTION_WEIGHT = (1.0, 3.0)
#: at most this share of the neutral CX dev comments may get an emotion (issue target: 30%)
MAX_NEUTRAL_FIRING = 0.25
THRESHOLD_CHOICE = (f"chosen on the CX dev comments, then raised per language until at most {MAX_NEUTRAL_FIRING:.0%} "
                    "of its neutral ones get an emotion through the clause split")
#: amounts by which every per-language emotion threshold may be lowered after that raise: the
#: pipeline keeps only strong emotions on a comment it reads as neutral
#: (``cxtext.aggregate.NEUTRAL_EMOTION_MIN``), which does part of the raise's job; the amount is
#: chosen through the whole pipeline on the CX dev comments (see give_back_thresholds)
THRESHOLD_GIVE_BACK = (0.0, 0.02, 0.04, 0.06, 0.08, 0.10)
TOPIC_C = (0.5, 1.0, 2.0, 4.0)
VERSION = "cxtext-fast-7"  # bump when the recipe or data change
# cxtext-fast-6 (2026-12-04): 960 hand-written hotel and restaurant rows refit the topic head alone
# (--topics-only); the shipped fast_sentiment and fast_emotion are still cxtext-fast-5's.
# cxtext-fast-7 (2026-12-04): a label no CX dev comment shows gets its threshold from the XED and
# GoEmotions dev rows (cx_thresholds); only --thresholds-only was shipped (fast_emotion keeps
# cxtext-fast-5's weights); a full run with it did not ship (fast_emotion.md)
MODELS_DIR = Path(__file__).resolve().parents[1]


def _load_corpus_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("cx_check", MODELS_DIR / "corpus" / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_cx(split: str, corpus: Path = MODELS_DIR / "corpus") -> pd.DataFrame:
    """cxtext's hand-written CX comments of one split, with ``labels`` (``;``-joined emotions)
    and ``label`` (overall sentiment) columns like the shared sets."""
    frame = _load_corpus_module().load(split, corpus)
    frame["labels"] = [";".join(e) for e in frame["emotions"]]
    frame["label"] = frame["sentiment"]
    return frame


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


def emotion_dev_rows(data: Path) -> pd.DataFrame:
    """The emotion dev rows other than the CX comments: XED and GoEmotions train bucket 1, and
    the neutral es/it/pt tweets of buckets 0-1 (``id, lang, text, labels``)."""
    xed = read(data / "emotion" / "xed_train.csv")
    goe = read(data / "emotion" / "goemotions_train.csv")
    neutral = neutral_tweets(data)
    cols = ["id", "lang", "text", "labels"]
    return pd.concat([xed[bucket(xed.id) == 1][cols], goe[bucket(goe.id) == 1][cols],
                      neutral[bucket(neutral.id) < 2][cols]], ignore_index=True)


def train_emotion(data: Path, feat: Featurizer, cue_scale: np.ndarray, log) -> dict:
    xed = read(data / "emotion" / "xed_train.csv")
    goe = read(data / "emotion" / "goemotions_train.csv")
    xb, gb = bucket(xed.id), bucket(goe.id)
    pseudo = lexicon_emotion_examples()
    neutral = neutral_tweets(data)
    nb = bucket(neutral.id)
    cx_train, cx_dev = read_cx("train"), read_cx("dev")
    log(f"emotion: {len(pseudo)} lexicon pseudo-examples, {len(neutral)} neutral es/it/pt tweets "
        f"({int((nb >= 2).sum())} train, {int((nb < 2).sum())} dev), {len(cx_train)} CX comments "
        f"(+{len(cx_dev)} CX dev)")
    cols = ["id", "lang", "text", "labels"]
    train = pd.concat([xed[xb >= 2][cols].assign(kind="other"), goe[gb != 1][cols].assign(kind="other"),
                       pseudo[cols].assign(kind="other"), neutral[nb >= 2][cols].assign(kind="neutral"),
                       cx_train[cols].assign(kind="cx")], ignore_index=True)
    kind = train.pop("kind").to_numpy()
    parts = {
        "train": train,
        "dev": pd.concat([emotion_dev_rows(data), cx_dev[cols].assign(id=lambda f: "cx-" + f.id)],
                         ignore_index=True),
        "xed_test": xed[xb == 0].reset_index(drop=True),
        "goemotions_dev": read(data / "emotion" / "goemotions_dev.csv"),
        "emoevent_dev": read(data / "emotion" / "emoevent_dev.csv"),
        "cx_dev": cx_dev,
    }
    X, Y = {}, {}
    for name, df in parts.items():
        hashed, cues = feat(df)
        X[name] = design_matrix(hashed, cues, cue_scale)
        Y[name] = labels_matrix(df["labels"])
        log(f"emotion {name}: {X[name].shape[0]} rows")
    best = None
    comp = Compressed(X["train"])
    dev_ids = parts["dev"].id.astype(str)
    dev_neutral_tweet = dev_ids.str.startswith("neutral-").to_numpy()
    dev_cx_neutral = (dev_ids.str.startswith("cx-").to_numpy()
                      & np.r_[np.zeros(len(dev_ids) - len(cx_dev), bool), (cx_dev.label == "neutral").to_numpy()])
    dev_cx = dev_ids.str.startswith("cx-").to_numpy()
    dev_scores = {}
    for cx_weight in CX_EMOTION_WEIGHT:
        for weight in NEUTRAL_WEIGHT:
            use = (kind != "neutral") | (weight > 0)
            sw = np.select([kind == "neutral", kind == "cx"], [weight, cx_weight], 1.0)
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
                other = best_thresholds(Y["dev"][~dev_cx], proba[~dev_cx])
                thresholds = cx_thresholds(proba[dev_cx], Y["dev"][dev_cx], dev_cx_neutral[dev_cx], other)
                pred = proba >= thresholds
                dev_f1 = emotion_f1(Y["dev"][dev_cx], pred[dev_cx])["macro_f1"]
                other_f1 = emotion_f1(Y["dev"][~dev_cx], pred[~dev_cx])["macro_f1"]
                fired = round(float(pred[dev_neutral_tweet].any(axis=1).mean()), 4)
                cx_fired = round(float(pred[dev_cx_neutral].any(axis=1).mean()), 4)
                key = f"alpha={alpha},neutral_weight={weight},cx_weight={cx_weight}"
                dev_scores[key] = {"cx_macro_f1": dev_f1, "xed_goemotions_macro_f1": other_f1,
                                   "neutral_tweets_with_emotion": fired, "neutral_cx_with_emotion": cx_fired}
                log(f"emotion {key}: CX dev macro-F1 {dev_f1} (XED/GoEmotions dev {other_f1}), neutral dev "
                    f"tweets with an emotion {fired}, neutral CX dev comments with an emotion {cx_fired}, "
                    f"thresholds {thresholds.round(3).tolist()}")
                if best is None or dev_f1 > best[0]:
                    best = (dev_f1, alpha, coef, intercept, thresholds, weight, cx_weight)
    dev_f1, alpha, coef, intercept, thresholds, neutral_weight, cx_weight = best
    in_pipeline = clause_emotion_proba(list(cx_dev.text), list(cx_dev.lang), coef, intercept, feat, cue_scale)
    by_lang = language_thresholds(in_pipeline, cx_dev.lang.to_numpy(), (cx_dev.label == "neutral").to_numpy(),
                                  thresholds)
    choice = THRESHOLD_CHOICE
    metrics = {}
    for name in ("xed_test", "goemotions_dev", "emoevent_dev", "cx_dev"):
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
        "cx_weight": cx_weight, "dev_scores": dev_scores, "n_neutral": int(len(neutral)),
        "n_cx": int(len(cx_train)), "n_train": int(X["train"].shape[0]),
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


def cx_thresholds(proba: np.ndarray, y: np.ndarray, neutral: np.ndarray,
                  fallback: np.ndarray | None = None) -> np.ndarray:
    """Per-label thresholds for customer comments: the best F1 of each label on the CX dev
    comments, then raised together (in steps of 0.02) until at most ``MAX_NEUTRAL_FIRING`` of
    the neutral ones get an emotion: a CX analyst wants no emotion on a plain factual comment.
    A label no CX dev comment shows (``anticipation``) has no best F1 there (every threshold
    scores 0, and the lowest would win): it starts from ``fallback`` instead, the best F1 on
    the emotion dev rows that show it (XED, GoEmotions)."""
    thresholds = best_thresholds(y, proba)
    if fallback is not None:
        thresholds = np.where(y.any(axis=0), thresholds, fallback)
    for _ in range(40):
        if (proba[neutral] >= thresholds).any(axis=1).mean() <= MAX_NEUTRAL_FIRING:
            break
        thresholds = np.minimum(thresholds + 0.02, 0.99)
    return thresholds


def comment_clauses(texts: list[str], langs: list[str]) -> tuple[list[str], list[str], np.ndarray]:
    """The clauses the pipeline reads in each comment (``cxtext.segment.split_comments``; a
    comment without any is one clause): ``(clauses, their languages, owner)``, where
    ``owner[k]`` is the index of clause k's comment."""
    from cxtext.segment import split_comments

    clauses, clause_langs, owner = [], [], []
    for i, (sentences, lang) in enumerate(zip(split_comments(list(texts), list(langs)), langs)):
        found = [c.text for s in sentences for c in s] or [texts[i]]
        clauses += found
        clause_langs += [lang] * len(found)
        owner += [i] * len(found)
    return clauses, clause_langs, np.asarray(owner)


def clause_emotion_proba(texts: list[str], langs: list[str], coef: np.ndarray, intercept: np.ndarray,
                          feat: "Featurizer", cue_scale: np.ndarray) -> np.ndarray:
    """Each comment's emotion probabilities as the pipeline computes them: the maximum over its
    clauses (:func:`comment_clauses`) of the clause's probability."""
    clauses, clause_langs, owner = comment_clauses(texts, langs)
    hashed, cues = feat(pd.DataFrame({"text": clauses, "lang": clause_langs}))
    proba = sigmoid(design_matrix(hashed, cues, cue_scale) @ coef.T + intercept)
    out = np.zeros((len(texts), proba.shape[1]), np.float32)
    np.maximum.at(out, owner, proba)
    return out


def language_thresholds(proba: np.ndarray, langs: np.ndarray, neutral: np.ndarray,
                        shared: np.ndarray) -> dict[str, np.ndarray]:
    """Per-language thresholds: the shared ones, raised together (steps of 0.02) for a language
    until at most ``MAX_NEUTRAL_FIRING`` of its neutral CX dev comments get an emotion in the
    pipeline (``proba`` from :func:`clause_emotion_proba`); never lowered."""
    out = {}
    for lang in LANGUAGES:
        t = shared.copy()
        rows = neutral & (langs == lang)
        for _ in range(40):
            if not rows.any() or (proba[rows] >= t).any(axis=1).mean() <= MAX_NEUTRAL_FIRING:
                break
            t = np.minimum(t + 0.02, 0.99)
        out[lang] = t.astype(np.float32)
    return out


def give_back_thresholds(out: Path, log) -> None:
    """Lower the per-language emotion thresholds of the model in ``out`` by the amount of
    :data:`THRESHOLD_GIVE_BACK` with the best emotion micro-F1 on the CX dev comments read by the
    whole pipeline (``cxtext.Analyzer``, the language given, the models of ``out``) among those
    that give an emotion to at most ``MAX_NEUTRAL_FIRING`` of each language's neutral comments
    there; ties go to the smaller amount. The shared thresholds (the base :func:`language_thresholds` raises from)
    stay as they are, so the step can be run again; each amount's figures go to the JSON."""
    import shutil
    import tempfile

    import cxtext

    cx_dev = read_cx("dev")
    gold = labels_matrix(cx_dev["labels"]).astype(bool)
    neutral = (cx_dev.label == "neutral").to_numpy()
    langs = cx_dev.lang.to_numpy()
    meta_path = out / f"{EMOTION_FILE}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    with np.load(out / f"{EMOTION_FILE}.npz") as npz:
        arrays = dict(npz)
    raised = meta.get("threshold_give_back", {}).get("from") or meta["thresholds_by_language"]
    by_lang = {lang: np.asarray(raised[lang], np.float32) for lang in LANGUAGES}

    def lowered(delta: float) -> dict[str, np.ndarray]:
        return {f"thresholds_{l}": np.maximum(t - delta, 0.02).astype(np.float32) for l, t in by_lang.items()}

    scores = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in (SENTIMENT_FILE, EMOTION_FILE, TOPIC_FILE):
            for ext in ("json", "npz"):
                shutil.copy(out / f"{name}.{ext}", Path(tmp) / f"{name}.{ext}")
        for delta in THRESHOLD_GIVE_BACK:
            np.savez_compressed(Path(tmp) / f"{EMOTION_FILE}.npz", **{**arrays, **lowered(delta)})
            pred = np.zeros_like(gold)
            for lang in LANGUAGES:
                rows = langs == lang
                analyzer = cxtext.Analyzer(lang=lang, backend_options={"model_dir": tmp})
                tagged = analyzer.tag(pd.DataFrame({"text": cx_dev.text[rows].to_numpy()}), text="text")
                pred[rows] = [[e in set(cell) for e in EMOTIONS] for cell in tagged["emotions"]]
            fired = {lang: float(pred[neutral & (langs == lang)].any(axis=1).mean()) for lang in LANGUAGES}
            scores[delta] = {**emotion_f1(gold, pred),
                             "neutral_with_emotion": round(float(pred[neutral].any(axis=1).mean()), 4),
                             "worst_language_neutral_with_emotion": round(max(fired.values()), 4)}
            log(f"emotion thresholds lowered by {delta:g}: CX dev through the pipeline {scores[delta]}")
    allowed = [d for d in THRESHOLD_GIVE_BACK if scores[d]["worst_language_neutral_with_emotion"] <= MAX_NEUTRAL_FIRING]
    best = max(allowed or [0.0], key=lambda d: (scores[d]["micro_f1"], -d))
    final = lowered(best)
    np.savez_compressed(out / f"{EMOTION_FILE}.npz", **{**arrays, **final})
    meta["thresholds_by_language"] = {k.split("_")[-1]: [round(float(x), 3) for x in t] for k, t in final.items()}
    meta["threshold_give_back"] = {"chosen": best, "from": raised,
                                   "cx_dev_through_the_pipeline": {str(d): v for d, v in scores.items()}}
    meta_path.write_text(json.dumps(meta, indent=1))
    log(f"emotion thresholds lowered by {best:g} (CX dev micro-F1 {scores[best]['micro_f1']})")


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


def best_thresholds(y: np.ndarray, proba: np.ndarray) -> np.ndarray:
    """:func:`best_threshold` of every label (column)."""
    return np.array([best_threshold(y[:, k], proba[:, k]) for k in range(y.shape[1])])


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


def clause_examples(cx: pd.DataFrame) -> pd.DataFrame:
    """Clause-level sentiment examples from the CX comments' topic polarities: in a comment of
    several clauses (the pipeline's split), a clause in which the default codebook finds exactly
    one of the comment's gold topics, judged ``positive`` or ``negative``, gets that polarity.
    The comments are labelled by their verdict, so "Only the price is a bit high." inside a
    five-star review would otherwise be learned as positive; the pipeline reads it as a clause."""
    from cxtext.segment import split_comments
    from cxtext.topics import load_codebook

    codebook = load_codebook("default").detector()
    splits = split_comments(list(cx.text), list(cx.lang))
    rows = []
    for (_, row), sentences in zip(cx.iterrows(), splits):
        clauses = [c.text for s in sentences for c in s]
        if len(clauses) < 2:
            continue
        found = codebook.detect(clauses, [row.lang] * len(clauses))
        for k, (clause, matches) in enumerate(zip(clauses, found)):
            topics = {m.top_level for m in matches} & set(row.topics)
            polarity = row.topics[topics.pop()] if len(topics) == 1 else None
            if polarity in ("positive", "negative"):
                rows.append((f"{row.id}/{k}", row.lang, clause, polarity))
    return pd.DataFrame(rows, columns=["id", "lang", "text", "label"]).drop_duplicates("text")


def teacher_examples(path: Path, anchor: float = 0.0) -> pd.DataFrame:
    """Soft clause labels written by ``teacher_clauses.py``: each clause once per sentiment,
    with its probability in ``p`` (rows below 0.01 dropped). With ``anchor`` > 0 the teacher's
    probabilities are mixed with the clause's comment's own label (one-hot; the id before the
    last ``/`` names the comment): ``(1 - anchor) * teacher + anchor * comment``."""
    teacher = read(path)
    if anchor:
        verdict = read_cx("train").set_index("id")["label"]
        own = teacher["id"].str.rsplit("/", n=1).str[0].map(verdict)
        for label in SENTIMENTS:
            teacher[label] = (1 - anchor) * teacher[label] + anchor * (own == label)
    long = teacher.melt(id_vars=["id", "lang", "text"], value_vars=list(SENTIMENTS), var_name="label", value_name="p")
    return long[long.p >= 0.01].reset_index(drop=True)


def train_sentiment(data: Path, feat: Featurizer, emo: dict, log, stack: bool,
                    teacher: pd.DataFrame | None = None) -> dict:
    """One multinomial logistic regression for all four languages on UMSAB tweets + cxtext's CX
    comments (+ lexicon pseudo-examples); the word and character n-grams are language-specific
    anyway, and the cues, emoji and the emotion logits it stacks are shared (one shared model beat
    per-language ones on dev). C and the CX and pseudo-example weights are chosen on dev = UMSAB's
    dev buckets (macro-F1) and the CX dev split (accuracy), averaged over languages; the final
    model is refitted on train + the tweets' dev buckets (the CX dev split stays out)."""
    umsab = read(data / "sentiment" / "umsab_train.csv")
    pseudo = lexicon_examples()
    cx_train, cx_dev = read_cx("train"), read_cx("dev")
    cl_train, cl_dev = clause_examples(cx_train), clause_examples(cx_dev)
    cols = ["id", "lang", "text", "label"]
    parts = {"umsab": umsab, "pseudo": pseudo.assign(id=""), "cx": cx_train, "cx_dev": cx_dev,
             "clause": cl_train, "clause_dev": cl_dev}
    if teacher is not None:
        parts["teacher"] = teacher
    train = pd.concat([df[cols] for df in parts.values()], ignore_index=True)
    kind = np.concatenate([[name] * len(df) for name, df in parts.items()])
    teacher_p = np.r_[np.zeros(len(train) - len(teacher)), teacher.p.to_numpy()] if teacher is not None else 0.0
    umsab_dev = np.r_[bucket(umsab.id) < 2, np.zeros(len(train) - len(umsab), bool)]
    is_dev = umsab_dev | (kind == "cx_dev") | (kind == "clause_dev")
    log(f"sentiment: {len(umsab)} umsab_train rows + {len(pseudo)} lexicon pseudo-examples + "
        f"{len(cx_train)} CX comments + {len(cl_train)} clauses (dev: {int(umsab_dev.sum())} tweets, "
        f"{len(cx_dev)} CX comments, {len(cl_dev)} clauses)"
        + (f" + {teacher.text.nunique()} clauses with teacher labels" if teacher is not None else ""))
    hashed, cues = feat(train)
    X0 = design_matrix(hashed, cues, emo["cue_scale"])
    extra = (X0 @ emo["coef"].T + emo["intercept"]) if stack else np.zeros((X0.shape[0], 8), np.float32)
    X = sparse.hstack([X0, sparse.csr_matrix(extra)], format="csr")
    y = train.label.to_numpy()
    langs = train.lang.to_numpy()
    make = lambda c: (lambda: LogisticRegression(C=c, max_iter=1000, tol=1e-4))  # noqa: E731
    weights = lambda lex_w, cx_w, cl_w, t_w: np.select(  # noqa: E731
        [kind == "pseudo", kind == "cx", kind == "clause", kind == "teacher"],
        [lex_w, cx_w, cl_w, t_w * teacher_p], 1.0)
    dev_scores = {}
    for lex_w in LEXICON_WEIGHT:
        for cx_w in CX_WEIGHT:
            for cl_w, t_w in itertools.product(CLAUSE_WEIGHT, TEACHER_WEIGHT if teacher is not None else (0.0,)):
                sw = weights(lex_w, cx_w, cl_w, t_w)
                fit_rows = ~is_dev & (sw > 0)
                comp = Compressed(X[fit_rows])
                for c in SENT_C:
                    clf, _, _ = comp.fit(make(c), y[fit_rows], sw[fit_rows])
                    pred = clf.predict(X[:, comp.used])
                    per_lang = []
                    for lang in LANGUAGES:
                        tweets = (langs == lang) & umsab_dev
                        comments = (langs == lang) & (kind == "cx_dev")
                        clauses = (langs == lang) & (kind == "clause_dev")
                        per_lang.append((round(f1_score(y[tweets], pred[tweets], average="macro"), 4),
                                         round(float((pred[comments] == y[comments]).mean()), 4),
                                         round(float((pred[clauses] == y[clauses]).mean()), 4)))
                    dev_scores[(c, lex_w, cx_w, cl_w, t_w)] = per_lang
                    log(f"sentiment C={c} lexicon_weight={lex_w} cx_weight={cx_w} clause_weight={cl_w} "
                        f"teacher_weight={t_w}: dev "
                        f"(tweet macro-F1, CX accuracy, clause accuracy) {per_lang}; mean {np.mean(per_lang):.4f}")
    best = max(dev_scores, key=lambda k: np.mean(dev_scores[k]))
    best_c, best_lex, best_cx, best_cl, best_t = best
    chosen = {"C": best_c, "lexicon_weight": best_lex, "cx_weight": best_cx, "clause_weight": best_cl,
              "teacher_weight": best_t,
              "dev_tweet_macro_f1_cx_accuracy_clause_accuracy": dict(zip(LANGUAGES, dev_scores[best]))}
    log(f"sentiment: chose {chosen}")
    sw = weights(best_lex, best_cx, best_cl, best_t)
    use = ~np.isin(kind, ["cx_dev", "clause_dev"]) & (sw > 0)
    clf, coef, intercept = Compressed(X[use]).fit(make(best_c), y[use], sw[use])
    order = [list(clf.classes_).index(s) for s in SENTIMENTS]
    return {"coef": coef[order], "intercept": intercept[order], "chosen": chosen,
            "dev": {f"C={c},lexicon_weight={l},cx_weight={w},clause_weight={k},teacher_weight={t}": v
                    for (c, l, w, k, t), v in dev_scores.items()},
            "n_train": int(len(umsab)), "n_pseudo": int(len(pseudo)), "n_cx": int(len(cx_train)),
            "n_clauses": int(len(cl_train)),
            "n_teacher_clauses": int(teacher.text.nunique()) if teacher is not None else 0}


def train_topics(feat: Featurizer, cue_scale: np.ndarray, log) -> dict:
    """One logistic regression per CX topic on cxtext's CX comments (train split), over the
    same features as sentiment; C chosen on the CX dev split (micro-F1 at each topic's best
    threshold, chosen on those dev rows too). The pipeline uses it to confirm or drop the
    codebook's matches and to add topics the codebook missed (see cxtext.topics.contextual)."""
    cx_train, cx_dev = read_cx("train"), read_cx("dev")
    X, Y = {}, {}
    for name, df in (("train", cx_train), ("dev", cx_dev)):
        hashed, cues = feat(df)
        X[name] = design_matrix(hashed, cues, cue_scale)
        Y[name] = np.array([[t in topics for t in CX_TOPICS] for topics in df["topics"]], dtype=np.int8)
    comp = Compressed(X["train"])
    results = {}
    for c in TOPIC_C:
        coefs, inter = [], []
        for k in range(len(CX_TOPICS)):
            _, c_, b_ = comp.fit(lambda: LogisticRegression(C=c, max_iter=3000, class_weight="balanced"),
                                 Y["train"][:, k])
            coefs.append(c_[0])
            inter.append(b_[0])
        coef, intercept = np.vstack(coefs), np.array(inter, dtype=np.float32)
        proba = sigmoid(X["dev"] @ coef.T + intercept)
        thresholds = np.array([best_threshold(Y["dev"][:, k], proba[:, k]) for k in range(len(CX_TOPICS))])
        micro = f1_score(Y["dev"], proba >= thresholds, average="micro", zero_division=0)
        results[c] = (round(float(micro), 4), coef, intercept)
        log(f"topics C={c}: CX dev micro-F1 {micro:.4f} (model alone, comment level)")
    best_c = max(results, key=lambda c: results[c][0])
    return {"coef": results[best_c][1], "intercept": results[best_c][2], "C": best_c,
            "dev_micro_f1": {str(c): r[0] for c, r in results.items()}, "n_train": int(len(cx_train))}


#: grids of the contextual topic rule's thresholds (see cxtext.topics.contextual)
TOPIC_KEEP = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)
TOPIC_ADD = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)


def fast_topic_proba(topics: dict, feat: Featurizer, cue_scale: np.ndarray):
    """``proba(texts, langs) -> (n, 6)`` of the fast topic head."""
    def proba(texts: list[str], langs: list[str]) -> np.ndarray:
        cues, tokens = feat.features.extract(texts, langs)
        X = design_matrix(feat.hasher.transform(tokens), cues, cue_scale)
        return sigmoid(X @ topics["coef"].T + topics["intercept"])
    return proba


def choose_topic_rule(topic_proba, log) -> dict:
    """Per CX topic, the ``(keep, add)`` thresholds of the contextual rule with the best
    comment-level F1 on the CX dev split, run as the pipeline runs it: clause by clause, the
    default codebook's matches kept when the topic head's probability (``topic_proba(clauses,
    langs)``) reaches ``keep``, the topic added when it reaches ``add``. Ties go to the rule
    closest to the codebook alone. Also used by ``train_accurate.py`` for its topic head."""
    from cxtext.topics import load_codebook

    dev = read_cx("dev")
    clauses, langs, owner = comment_clauses(list(dev.text), list(dev.lang))
    matches = load_codebook("default").detector().detect(clauses, langs)
    hit = np.array([[any(m.top_level == t for m in ms) for t in CX_TOPICS] for ms in matches])
    proba = topic_proba(clauses, langs)
    gold = np.array([[t in g for t in CX_TOPICS] for g in dev.topics])

    def f1(pred: np.ndarray, truth: np.ndarray) -> float:
        tp = int((pred & truth).sum())
        return 2 * tp / (int(pred.sum()) + int(truth.sum())) if tp else 0.0

    def per_comment(clause_flags: np.ndarray) -> np.ndarray:
        out = np.zeros(len(dev), dtype=bool)
        np.logical_or.at(out, owner, clause_flags)
        return out

    rule, report = {}, {}
    for j, topic in enumerate(CX_TOPICS):
        best = None
        for keep in TOPIC_KEEP:
            for add in TOPIC_ADD:
                flags = (hit[:, j] & (proba[:, j] >= keep)) | (proba[:, j] >= add)
                score = f1(per_comment(flags), gold[:, j])
                closeness = (-keep, add)  # prefer the codebook alone on ties
                if best is None or (score, closeness) > (best[0], best[1]):
                    best = (score, closeness, keep, add)
        codebook = f1(per_comment(hit[:, j]), gold[:, j])
        rule[topic] = [best[2], best[3]]
        report[topic] = {"codebook_f1": round(codebook, 4), "rule_f1": round(best[0], 4)}
        log(f"topic rule {topic}: keep >= {best[2]}, add >= {best[3]}: CX dev F1 {codebook:.3f} -> {best[0]:.3f}")
    both = lambda flags: f1(np.stack([per_comment(flags[:, j]) for j in range(len(CX_TOPICS))], 1), gold)  # noqa: E731
    ruled = np.stack([(hit[:, j] & (proba[:, j] >= rule[t][0])) | (proba[:, j] >= rule[t][1])
                      for j, t in enumerate(CX_TOPICS)], 1)
    report["micro_f1"] = {"codebook": round(both(hit), 4), "rule": round(both(ruled), 4)}
    log(f"topic rule: CX dev micro-F1 codebook {report['micro_f1']['codebook']} -> rule {report['micro_f1']['rule']}")
    return {"rule": rule, "dev": report}


def write_topics(out: Path, common: dict, feat: Featurizer, cue_scale: np.ndarray, log) -> None:
    """Fit the topic head, choose its rule and write ``fast_topics`` to ``out``."""
    topics = train_topics(feat, cue_scale, log)
    topics.update(choose_topic_rule(fast_topic_proba(topics, feat, cue_scale), log))
    np.savez_compressed(out / f"{TOPIC_FILE}.npz", coef=topics["coef"].astype(np.float16),
                        intercept=topics["intercept"])
    (out / f"{TOPIC_FILE}.json").write_text(json.dumps({
        **common, "labels": list(CX_TOPICS), "C": topics["C"], "n_train": topics["n_train"],
        "dev_micro_f1_by_C": topics["dev_micro_f1"], "rule": topics["rule"], "rule_dev": topics["dev"],
    }, indent=1))


def rethreshold(out: Path, feat: Featurizer, log, data: Path) -> None:
    """Re-choose the thresholds of the emotion model in ``out`` for its weights, as a full run
    does after fitting: the shared ones (:func:`cx_thresholds` on the CX dev comments, with the
    XED and GoEmotions dev rows for a label the CX comments never show), then the per-language
    raise (:func:`language_thresholds`). The weights stay as they are."""
    meta_path = out / f"{EMOTION_FILE}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    with np.load(out / f"{EMOTION_FILE}.npz") as npz:
        arrays = dict(npz)
    coef, cue_scale = arrays["coef"].astype(np.float32), np.asarray(meta["cue_scale"], np.float32)
    cx_dev = read_cx("dev")

    def proba_of(frame: pd.DataFrame) -> np.ndarray:
        hashed, cues = feat(frame)
        return sigmoid(design_matrix(hashed, cues, cue_scale) @ coef.T + arrays["intercept"])

    other = emotion_dev_rows(data)
    fallback = best_thresholds(labels_matrix(other["labels"]), proba_of(other))
    arrays["thresholds"] = cx_thresholds(proba_of(cx_dev), labels_matrix(cx_dev["labels"]),
                                         (cx_dev.label == "neutral").to_numpy(), fallback).astype(np.float32)
    meta["thresholds"] = arrays["thresholds"].round(3).tolist()
    proba = clause_emotion_proba(list(cx_dev.text), list(cx_dev.lang), coef, arrays["intercept"], feat, cue_scale)
    by_lang = language_thresholds(proba, cx_dev.lang.to_numpy(), (cx_dev.label == "neutral").to_numpy(),
                                  arrays["thresholds"])
    arrays.update({f"thresholds_{l}": t for l, t in by_lang.items()})
    np.savez_compressed(out / f"{EMOTION_FILE}.npz", **arrays)
    meta["thresholds_by_language"] = {l: [round(float(x), 3) for x in t] for l, t in by_lang.items()}
    meta["threshold_choice_dev"] = THRESHOLD_CHOICE
    meta.pop("threshold_give_back", None)  # give_back_thresholds chooses it again from these
    meta_path.write_text(json.dumps(meta, indent=1))
    log(f"per-language emotion thresholds written to {out}: {meta['thresholds_by_language']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="the shared data folder")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1])
    ap.add_argument("--no-stack", action="store_true", help="do not feed emotion logits to sentiment")
    ap.add_argument("--teacher", type=Path, default=None,
                    help="soft clause labels from teacher_clauses.py (their weight is chosen on dev)")
    ap.add_argument("--teacher-anchor", type=float, default=0.0,
                    help="mix the teacher's labels with the clause's comment label by this weight (0-1)")
    ap.add_argument("--thresholds-only", action="store_true",
                    help="only re-choose the emotion thresholds of the model in --out for its weights "
                         "(the steps a full run ends with: shared, per-language raise, give-back)")
    ap.add_argument("--topics-only", action="store_true",
                    help="only refit the topic head and choose its rule again; write fast_topics to --out "
                         "(the sentiment and emotion models there stay as they are)")
    args = ap.parse_args()
    t0 = time.time()
    log = lambda msg: print(f"[{time.time() - t0:6.0f}s] {msg}", flush=True)  # noqa: E731
    feat = Featurizer()
    if args.thresholds_only:
        rethreshold(args.out, feat, log, args.data)
        give_back_thresholds(args.out, log)
        return

    umsab = read(args.data / "sentiment" / "umsab_train.csv")
    cues, _ = feat.features.extract(list(umsab.text), list(umsab.lang))
    cue_scale = (1.0 / (cues.std(axis=0) + 1e-3)).astype(np.float32)
    hasher = TokenHasher(**HASHER).params()
    common = {
        "version": VERSION, "hasher": hasher, "cue_names": list(CUE_NAMES),
        "cue_scale": cue_scale.tolist(), "languages": list(LANGUAGES),
    }
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.topics_only:
        write_topics(out, common, feat, cue_scale, log)
        return

    emo = train_emotion(args.data, feat, cue_scale, log)
    emo["cue_scale"] = cue_scale
    teacher = teacher_examples(args.teacher, args.teacher_anchor) if args.teacher else None
    sent = train_sentiment(args.data, feat, emo, log, stack=not args.no_stack, teacher=teacher)
    np.savez_compressed(
        out / f"{EMOTION_FILE}.npz", coef=emo["coef"].astype(np.float16),
        intercept=emo["intercept"], thresholds=emo["thresholds"],
        **{f"thresholds_{l}": t for l, t in emo["thresholds_by_language"].items()},
    )
    (out / f"{EMOTION_FILE}.json").write_text(json.dumps({
        **common, "labels": list(EMOTIONS), "thresholds": emo["thresholds"].round(3).tolist(),
        "thresholds_by_language": {l: [round(float(x), 3) for x in t] for l, t in emo["thresholds_by_language"].items()},
        "threshold_choice_dev": emo["threshold_choice"],
        "sgd_alpha": emo["alpha"], "neutral_tweet_weight": emo["neutral_weight"],
        "cx_comment_weight": emo["cx_weight"], "n_cx_comments": emo["n_cx"],
        "n_neutral_tweets": emo["n_neutral"], "dev_macro_f1": emo["dev_macro_f1"],
        "dev_scores": emo["dev_scores"], "n_train": emo["n_train"],
        "heldout_metrics": emo["metrics"],
    }, indent=1))
    np.savez_compressed(out / f"{SENTIMENT_FILE}.npz", coef=sent["coef"].astype(np.float16),
                        intercept=sent["intercept"])
    (out / f"{SENTIMENT_FILE}.json").write_text(json.dumps({
        **common, "labels": list(SENTIMENTS), "shared_by_languages": True, "chosen": sent["chosen"],
        "stacked_emotion_logits": not args.no_stack, "n_train": sent["n_train"],
        "n_lexicon_examples": sent["n_pseudo"], "n_cx_comments": sent["n_cx"], "n_cx_clauses": sent["n_clauses"],
        "n_teacher_clauses": sent["n_teacher_clauses"],
        "dev_tweet_macro_f1_cx_accuracy_clause_accuracy": sent["dev"],
    }, indent=1))
    write_topics(out, common, feat, cue_scale, log)
    give_back_thresholds(out, log)
    log(f"wrote {EMOTION_FILE}, {SENTIMENT_FILE} and {TOPIC_FILE} to {out}")
    log(json.dumps(emo["metrics"], indent=1))


if __name__ == "__main__":
    main()
