"""Benchmark CX topic detection, topic-level polarity and trained topic models.

Usage:
    python benchmarks/topics.py --data /work/shared/data [--langs en,es,it,pt] [--no-polarity]
    python benchmarks/topics.py --data /work/shared/data --errors product --langs es   # train part only

Data (dev/eval only, never shipped): en/es from topics/semeval_train.csv, it from
topics/absita_train.csv, pt from topics/absapt_train.csv (CX topics via topic_mapping.csv).
Each language is split once, seeded and grouped by review, into a train part (70%) and a
fixed held-out part (30%). The codebook was tuned looking at train parts only; every figure
below is measured on the held-out part:

1. default codebook: per-topic precision/recall/F1, micro-F1 over price/product/people/place
   (the target metric) and over every topic;
2. topic polarity: ``cxtext.Analyzer(backend=B, lang=L)(text).topic_sentiment`` (``--backend``,
   default ``fast``) against the gold topic polarity, on the topics the codebook found
   correctly, with the correct/gold count per gold label;
3. ``TopicModel`` (as ``cxtext train topics --lang L`` trains it: text n-grams plus the
   default codebook's matches as features) trained on the train part vs the codebook on the
   held-out part (micro-F1 over the four target topics), and codebook + model union.

ABSAPT (pt) marks only a fixed list of aspect terms (``topics_exhaustive=false``): a topic
absent from the gold is not evidence that the sentence lacks it. For pt the precision (and
so F1) is a lower bound; recall is the reliable figure, and the trained model learns from
incomplete negatives.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cxtext.errors import CxtextError
from cxtext.topics import TopicModel, load_codebook

TARGET = ("price", "product", "people", "place")
ALL = ("price", "product", "people", "process", "place", "promotion")
FILES = {"en": "semeval_train.csv", "es": "semeval_train.csv", "it": "absita_train.csv", "pt": "absapt_train.csv"}


def load(data: Path, lang: str) -> pd.DataFrame:
    frame = pd.read_csv(data / "topics" / FILES[lang], keep_default_na=False)
    frame = frame[frame["lang"] == lang].reset_index(drop=True)
    frame["gold"] = [set(t.split(";")) - {""} for t in frame["topics"]]
    frame["polarity"] = [json.loads(p) if p else {} for p in frame["topic_polarity"]]
    frame["group"] = [_group(i) for i in frame["id"]]
    return frame


def _group(row_id: str) -> str:
    """Review id: sentences of one review stay in the same part."""
    if ":" in row_id:
        return row_id.rsplit(":", 1)[0]
    if row_id.startswith("absapt"):
        return row_id.rsplit("-s", 1)[0]
    return row_id


def split(frame: pd.DataFrame, seed: int = 13, holdout: float = 0.3) -> tuple[pd.DataFrame, pd.DataFrame]:
    groups = sorted(set(frame["group"]))
    rng = np.random.RandomState(seed)
    rng.shuffle(groups)
    held = set(groups[: int(round(len(groups) * holdout))])
    mask = frame["group"].isin(held)
    return frame[~mask].reset_index(drop=True), frame[mask].reset_index(drop=True)


def scores(gold: list[set[str]], pred: list[set[str]], topics: tuple[str, ...]) -> tuple[dict, dict]:
    per = {}
    tp_all = fp_all = fn_all = 0
    for t in topics:
        tp = sum(1 for g, p in zip(gold, pred) if t in g and t in p)
        fp = sum(1 for g, p in zip(gold, pred) if t not in g and t in p)
        fn = sum(1 for g, p in zip(gold, pred) if t in g and t not in p)
        per[t] = _prf(tp, fp, fn)
        if t in TARGET:
            tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    return per, _prf(tp_all, fp_all, fn_all)


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn, "predicted": tp + fp}


def codebook_topics(texts: list[str], lang: str) -> list[set[str]]:
    det = load_codebook("default").detector()
    return [{m.top_level for m in ms} for ms in det.detect(texts, [lang] * len(texts))]


def polarity_accuracy(frame: pd.DataFrame, pred: list[set[str]], lang: str, backend: str = "fast") -> dict:
    import cxtext

    analyzer = cxtext.Analyzer(backend=backend, lang=lang)
    hits = total = 0
    per_label: dict[str, list[int]] = {}
    for text, gold, predicted, polarity in zip(frame["text"], frame["gold"], pred, frame["polarity"]):
        found = (gold & predicted) & set(TARGET + ("process",))
        if not found:
            continue
        result = analyzer(text).topic_sentiment
        for t in found:
            want = polarity.get(t)
            if want is None:
                continue
            got = result.get(t, "")
            ok = int(got == want)
            hits += ok
            total += 1
            per_label.setdefault(want, [0, 0])
            per_label[want][0] += ok
            per_label[want][1] += 1
    return {"accuracy": hits / total if total else 0.0, "n": total,
            "per_gold_label": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per_label.items())}}


def show_errors(frame: pd.DataFrame, pred: list[set[str]], topic: str, lang: str, limit: int = 40) -> None:
    det = load_codebook("default").detector()
    fn = [(t, g) for t, g, p in zip(frame["text"], frame["gold"], pred) if topic in g and topic not in p]
    fp = [(t, g, p) for t, g, p in zip(frame["text"], frame["gold"], pred) if topic not in g and topic in p]
    print(f"\n## {lang} {topic}: {len(fn)} missed, {len(fp)} false (train part)")
    for t, g in fn[:limit]:
        print("  MISS", sorted(g), "|", t[:160])
    for t, g, p in fp[:limit]:
        ev = [m.text for m in det.detect([t], [lang])[0] if m.top_level == topic]
        print("  FALSE", ev, sorted(g), "|", t[:160])


def fmt(x: float) -> str:
    return f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, type=Path, help="folder with topics/*.csv")
    ap.add_argument("--langs", default="en,es,it,pt")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--holdout", type=float, default=0.3)
    ap.add_argument("--no-polarity", action="store_true", help="skip topic polarity (needs cxtext.Analyzer)")
    ap.add_argument("--backend", default="fast", help="sentiment backend for topic polarity (default: fast)")
    ap.add_argument("--no-model", action="store_true", help="skip training TopicModel")
    ap.add_argument("--errors", default="", help="print codebook errors for this topic on the TRAIN part, then exit")
    args = ap.parse_args(argv)

    summary = []
    for lang in args.langs.split(","):
        frame = load(args.data, lang)
        train, test = split(frame, args.seed, args.holdout)
        if args.errors:
            show_errors(train, codebook_topics(list(train["text"]), lang), args.errors, lang)
            continue
        texts = list(test["text"])
        pred = codebook_topics(texts, lang)  # also builds the language index once
        started = time.perf_counter()
        codebook_topics(list(frame["text"]), lang)
        elapsed = time.perf_counter() - started
        per, micro = scores(list(test["gold"]), pred, ALL)
        note = " (precision/F1 are lower bounds: topics_exhaustive=false)" if lang == "pt" else ""
        print(f"\n### {lang}: default codebook on the held-out part ({len(test)} sentences; "
              f"train part {len(train)}){note}")
        print("| topic | precision | recall | F1 | gold | predicted |")
        print("|---|---|---|---|---|---|")
        for t in ALL:
            s = per[t]
            print(f"| {t} | {fmt(s['precision'])} | {fmt(s['recall'])} | {fmt(s['f1'])} | {s['support']} | {s['predicted']} |")
        print(f"| **micro price/product/people/place** | {fmt(micro['precision'])} | {fmt(micro['recall'])} | "
              f"**{fmt(micro['f1'])}** | {micro['support']} | {micro['predicted']} |")
        row = {"lang": lang, "n_test": len(test), "codebook_micro_f1": micro["f1"],
               "codebook_recall": micro["recall"], "speed": len(frame) / elapsed}
        if not args.no_polarity:
            try:
                pol = polarity_accuracy(test, pred, lang, args.backend)
            except CxtextError as exc:
                print(f"\nTopic polarity skipped: {exc}")
                pol = None
        if not args.no_polarity and pol is not None:
            print(f"\nTopic polarity ({args.backend} backend) on correctly found topics: accuracy {fmt(pol['accuracy'])} "
                  f"(n={pol['n']}; correct/gold per label {pol['per_gold_label']})")
            row["polarity_acc"] = pol["accuracy"]
        if not args.no_model:
            model = TopicModel(random_state=args.seed).fit(list(train["text"]), [sorted(g) for g in train["gold"]],
                                                           [lang] * len(train))
            mpred = [set(p) for p in model.predict(texts, [lang] * len(texts))]
            _, mmicro = scores(list(test["gold"]), mpred, ALL)
            union = [a | b for a, b in zip(pred, mpred)]
            _, umicro = scores(list(test["gold"]), union, ALL)
            print(f"\nTopicModel trained on the train part: micro-F1 {fmt(mmicro['f1'])} "
                  f"(P {fmt(mmicro['precision'])}, R {fmt(mmicro['recall'])}); codebook {fmt(micro['f1'])}; "
                  f"union {fmt(umicro['f1'])} (P {fmt(umicro['precision'])}, R {fmt(umicro['recall'])})")
            row.update(model_micro_f1=mmicro["f1"], union_micro_f1=umicro["f1"], model_recall=mmicro["recall"])
        summary.append(row)

    if summary:
        print("\n### Summary (held-out parts; micro-F1 over price/product/people/place)")
        cols = ["codebook_micro_f1", "codebook_recall", "polarity_acc", "model_micro_f1", "model_recall",
                "union_micro_f1", "speed"]
        print("| lang | n | " + " | ".join(cols) + " |")
        print("|---|---|" + "---|" * len(cols))
        for row in summary:
            cells = [(f"{row[c]:.0f}/s" if c == "speed" else fmt(row[c])) if c in row else "-" for c in cols]
            print(f"| {row['lang']} | {row['n_test']} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
