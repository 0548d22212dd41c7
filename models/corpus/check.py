"""Validate the hand-written CX corpus and print its counts (the data card's tables).

Usage::

    python models/corpus/check.py                 # validate every split, print counts
    python models/corpus/check.py models/corpus/train/es_telecom.jsonl   # one file
    python models/corpus/check.py --markdown      # the count tables for README.md

Checks every row against GUIDE.md (fields, label vocabularies, id pattern, language, sector of
the file name) and finds exact and near-duplicate texts (same words after lower-casing and
stripping accents and punctuation) within the corpus and across the splits. Exits 1 when a
row is invalid or a text reappears in another split (train, dev, test, reserve: rows written
for training that no shipped model has been trained on yet; see the data card).
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ("es", "it", "pt", "en")
SENTIMENTS = ("positive", "neutral", "negative")
TOPICS = ("price", "product", "people", "process", "place", "promotion")
POLARITIES = ("positive", "negative", "neutral", "mixed")
EMOTIONS = ("anger", "anticipation", "disgust", "fear", "joy", "sadness", "surprise", "trust")
CHANNELS = ("survey", "review", "app", "chat", "social")
TAGS = (
    "fact_complaint", "fact_praise", "wait", "double_charge", "outage", "refund", "no_reply",
    "broken_promise", "negation", "contrast", "hedge", "comparative", "question", "request",
    "informal", "no_accents", "all_caps", "emoji", "typo", "nothing_to_add", "long_verdict",
    "sarcasm", "recommend", "churn", "short", "mixed_verdict",
)
SPLITS = ("train", "dev", "test", "reserve")
FIELDS = ("id", "lang", "sector", "channel", "text", "sentiment", "topics", "emotions", "tags")


def norm(text: str) -> str:
    """Lower case, no accents, words only: the key for near-duplicates."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", text))


def read_rows(path: Path) -> tuple[list[dict], list[str]]:
    """Rows of one file and the problems found in it."""
    rows, problems = [], []
    split = path.parent.name
    stem_lang, _, stem_sector = path.stem.partition("_")
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.relative_to(HERE) if path.is_relative_to(HERE) else path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc})")
            continue
        problems += [f"{where}: {p}" for p in row_problems(row, split, stem_lang, stem_sector)]
        row["_where"] = where
        row["_split"] = split
        rows.append(row)
    return rows, problems


def row_problems(row: dict, split: str, lang: str, sector: str) -> list[str]:
    out = []
    if tuple(row) != FIELDS:
        out.append(f"fields must be {list(FIELDS)} in that order, got {list(row)}")
        return out
    prefix = f"{split}-" if split in ("dev", "test") else ""
    if not re.fullmatch(rf"{prefix}{lang}-{re.escape(sector)}-\d{{4}}", str(row["id"])):
        out.append(f"id {row['id']!r} must look like {prefix}{lang}-{sector}-0001")
    if row["lang"] != lang:
        out.append(f"lang {row['lang']!r} differs from the file's {lang!r}")
    if row["sector"] != sector:
        out.append(f"sector {row['sector']!r} differs from the file's {sector!r}")
    if row["channel"] not in CHANNELS:
        out.append(f"channel {row['channel']!r} not in {CHANNELS}")
    if not isinstance(row["text"], str) or not row["text"].strip():
        out.append("empty text")
    if row["sentiment"] not in SENTIMENTS:
        out.append(f"sentiment {row['sentiment']!r} not in {SENTIMENTS}")
    topics = row["topics"]
    if not isinstance(topics, dict):
        out.append("topics must be an object {topic: polarity}")
    else:
        for topic, pol in topics.items():
            if topic not in TOPICS:
                out.append(f"unknown topic {topic!r}")
            if pol not in POLARITIES:
                out.append(f"polarity {pol!r} of {topic} not in {POLARITIES}")
    for key, allowed in (("emotions", EMOTIONS), ("tags", TAGS)):
        values = row[key]
        if not isinstance(values, list):
            out.append(f"{key} must be a list")
            continue
        bad = [v for v in values if v not in allowed]
        if bad:
            out.append(f"unknown {key} {bad}")
        if len(set(values)) != len(values):
            out.append(f"repeated {key}")
    if row["sentiment"] == "neutral" and row["emotions"] and "nothing_to_add" in row["tags"]:
        out.append("a 'nothing to add' answer has no emotion")
    return out


def load(split: str, folder: Path = HERE) -> "pd.DataFrame":
    """All rows of one split (``train``, ``dev`` or ``test``) as a DataFrame, validated.

    Raises:
        ValueError: a row breaks the GUIDE's format (the problems are listed).
    """
    import pandas as pd

    rows, problems = [], []
    for path in sorted((folder / split).glob("*.jsonl")):
        r, p = read_rows(path)
        rows += r
        problems += p
    if problems:
        raise ValueError(f"{len(problems)} invalid rows in {split}/, e.g. {problems[:3]}; run check.py")
    return pd.DataFrame([{k: row[k] for k in FIELDS} for row in rows], columns=list(FIELDS))


def duplicates(rows: list[dict]) -> tuple[list[str], list[str]]:
    """(near-duplicates inside one split, texts that reappear in another split)."""
    seen: dict[tuple[str, str], str] = {}
    inside, leak = [], []
    by_key: dict[str, list[dict]] = collections.defaultdict(list)
    for row in rows:
        key = norm(row["text"])
        if len(key.split()) < 3:  # "ok", "nada que añadir" may repeat
            continue
        by_key[key].append(row)
    for key, group in by_key.items():
        splits = {r["_split"] for r in group}
        if len(splits) > 1:
            leak.append(f"{group[0]['_where']} and {group[-1]['_where']}: {group[0]['text'][:60]!r}")
        for split in splits:
            same = [r for r in group if r["_split"] == split]
            if len(same) > 1:
                inside.append(f"{same[0]['_where']} = {same[1]['_where']}: {same[0]['text'][:60]!r}")
    del seen
    return inside, leak


def counts(rows: list[dict]) -> dict:
    table: dict = collections.defaultdict(collections.Counter)
    for row in rows:
        key = (row["_split"], row["lang"])
        table[key]["rows"] += 1
        table[key][row["sentiment"]] += 1
        for topic in row["topics"]:
            table[key][topic] += 1
        if not row["topics"]:
            table[key]["no topic"] += 1
        if not row["emotions"]:
            table[key]["no emotion"] += 1
        table[key]["sectors"] = 0
    sectors: dict = collections.defaultdict(set)
    for row in rows:
        sectors[(row["_split"], row["lang"])].add(row["sector"])
    for key, s in sectors.items():
        table[key]["sectors"] = len(s)
    return table


def markdown(rows: list[dict]) -> str:
    table = counts(rows)
    cols = ["rows", "sectors", *SENTIMENTS, *TOPICS, "no topic", "no emotion"]
    lines = ["| split | lang | " + " | ".join(cols) + " |", "|" + "---|" * (len(cols) + 2)]
    for split in SPLITS:
        for lang in LANGS:
            c = table.get((split, lang))
            if c:
                lines.append(f"| {split} | {lang} | " + " | ".join(f"{c[k]:,}" for k in cols) + " |")
    tags = collections.Counter((r["_split"], t) for r in rows for t in r["tags"])
    emos = collections.Counter((r["_split"], e) for r in rows for e in r["emotions"])
    header = " | ".join(SPLITS)
    rule = "|---|" + "---|" * len(SPLITS)
    lines += ["", f"| tag | {header} |", rule]
    lines += [f"| `{t}` | " + " | ".join(f"{tags[(s, t)]:,}" for s in SPLITS) + " |" for t in TAGS]
    lines += ["", f"| emotion | {header} |", rule]
    lines += [f"| {e} | " + " | ".join(f"{emos[(s, e)]:,}" for s in SPLITS) + " |" for e in EMOTIONS]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path, help="files to check (default: every split)")
    ap.add_argument("--markdown", action="store_true", help="print the data card's count tables")
    args = ap.parse_args()
    files = [f.resolve() for f in args.files] or [p for s in SPLITS for p in sorted(HERE.glob(f"{s}/*.jsonl"))]
    rows, problems = [], []
    for path in files:
        r, p = read_rows(path)
        rows += r
        problems += p
    inside, leak = duplicates(rows)
    if args.markdown:
        print(markdown(rows))
        return 0
    for p in problems:
        print("INVALID", p)
    for d in inside:
        print("DUPLICATE", d)
    for d in leak:
        print("ACROSS-SPLITS", d)
    table = counts(rows)
    for (split, lang), c in sorted(table.items()):
        print(f"{split:5} {lang}: {c['rows']:5} rows, {c['sectors']} sectors, "
              + ", ".join(f"{k} {c[k]}" for k in (*SENTIMENTS, *TOPICS, "no topic", "no emotion")))
    print(f"{len(rows)} rows, {len(problems)} invalid, {len(inside)} duplicates, {len(leak)} texts in two splits")
    return 1 if problems or leak else 0


if __name__ == "__main__":
    sys.exit(main())
