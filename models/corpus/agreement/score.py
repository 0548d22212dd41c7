"""Agreement between the corpus labels and a second, blind labelling of 240 dev comments.

Usage::

    python models/corpus/agreement/score.py            # the table in models/corpus/README.md

``dev_second_coder.jsonl`` holds a second coder's labels (sentiment, topics with polarity,
emotions) for 60 dev comments per language (drawn with seed 7). The second coder read only
``GUIDE.md`` and the texts, never the corpus labels. This script joins the two by ``id`` and
prints, per language: sentiment agreement and Cohen's kappa, topic micro-F1 (the corpus labels
as reference), polarity agreement on the topics both coders gave, emotion micro-F1 and the
number of neutral comments either coder gave an emotion. These are the ceiling a tagger can be
expected to reach against these labels.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from cxtext.agreement import cohen_kappa

HERE = Path(__file__).resolve().parent
DEV = HERE.parent / "dev"
LANGS = ("es", "it", "pt", "en")


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _load() -> list[tuple[dict, dict]]:
    gold = {}
    for path in sorted(DEV.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                gold[row["id"]] = row
    second = [json.loads(line) for line in (HERE / "dev_second_coder.jsonl").read_text(encoding="utf-8").splitlines()]
    return [(gold[row["id"]], row) for row in second]


def _topic_counts(pairs: list[tuple[dict, dict]]) -> Counter:
    """``(topic, "tp" | "fp" | "fn")`` counts, the corpus labels as reference."""
    counts = Counter()
    for g, s in pairs:
        gt, st = set(g["topics"]), set(s["topics"])
        counts.update([(t, "tp") for t in gt & st] + [(t, "fp") for t in st - gt] + [(t, "fn") for t in gt - st])
    return counts


def _scores(pairs: list[tuple[dict, dict]]) -> dict[str, float | int]:
    per_topic = _topic_counts(pairs)
    topic = Counter({kind: sum(n for (_, k), n in per_topic.items() if k == kind) for kind in ("tp", "fp", "fn")})
    emotion, polarity = Counter(), Counter()
    for g, s in pairs:
        gt, st = set(g["topics"]), set(s["topics"])
        polarity.update(n=len(gt & st), same=sum(g["topics"][t] == s["topics"][t] for t in gt & st))
        ge, se = set(g["emotions"]), set(s["emotions"])
        emotion.update(tp=len(ge & se), fp=len(se - ge), fn=len(ge - se))
    neutral = [(g, s) for g, s in pairs if g["sentiment"] == "neutral"]
    return {
        "n": len(pairs),
        "sentiment": sum(g["sentiment"] == s["sentiment"] for g, s in pairs) / len(pairs),
        "kappa": cohen_kappa([g["sentiment"] for g, _ in pairs], [s["sentiment"] for _, s in pairs]),
        "topic_f1": _f1(topic["tp"], topic["fp"], topic["fn"]),
        "polarity": polarity["same"] / polarity["n"],
        "emotion_f1": _f1(emotion["tp"], emotion["fp"], emotion["fn"]),
        "neutral": len(neutral),
        "neutral_with_emotion": sum(bool(g["emotions"] or s["emotions"]) for g, s in neutral),
    }


def main() -> None:
    pairs = _load()
    print("| lang | n | sentiment agreement | kappa | topic micro-F1 | topic polarity | emotion micro-F1 | neutral with an emotion (either coder) |")
    print("|---|---|---|---|---|---|---|---|")
    for lang in (*LANGS, "all"):
        sub = [p for p in pairs if lang == "all" or p[0]["lang"] == lang]
        r = _scores(sub)
        print(f"| {lang} | {r['n']} | {r['sentiment']:.3f} | {r['kappa']:.2f} | {r['topic_f1']:.3f} | "
              f"{r['polarity']:.3f} | {r['emotion_f1']:.3f} | {r['neutral_with_emotion']} of {r['neutral']} |")
    per = _topic_counts(pairs)
    print("\n| topic | corpus labels | second coder | both | F1 |\n|---|---|---|---|---|")
    for t in sorted({t for t, _ in per}):
        print(f"| {t} | {per[t, 'tp'] + per[t, 'fn']} | {per[t, 'tp'] + per[t, 'fp']} | {per[t, 'tp']} | "
              f"{_f1(per[t, 'tp'], per[t, 'fp'], per[t, 'fn']):.2f} |")


if __name__ == "__main__":
    main()
