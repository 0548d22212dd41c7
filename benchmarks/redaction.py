"""Benchmark redaction: precision and recall per entity type and language, and speed.

Usage:
    python benchmarks/redaction.py                       # the fixture set written for cxtext
    python benchmarks/redaction.py --data my_marked.tsv  # your own comments (see cxtext.redact._evaluate)
    python benchmarks/redaction.py --split test --by-type

Data: ``tests/fixtures/redaction/spans.tsv``, comments and turns written for cxtext in es/it/pt/en
with every person, number and address invented, personal data marked as ``⟦TYPE:value⟧``. Its
``dev`` lines were looked at while the rules were written; its ``test`` lines were written at the
same time and not used to tune them; its ``hard`` lines (names without a cue phrase, numbers in
words, addresses in unusual order) were written after the first run to show the limits of rules,
then a few general fixes were made (see the model notes in the README). A found span is correct when it overlaps an expected span of
the same type (``exact``: same boundaries too). ``ordinary.txt`` holds ordinary words and numbers
that look like names or ids: every placeholder put into them is a false positive, reported apart.
Speed: characters per second of ``Redactor.redact`` over all lines, repeated.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from cxtext.redact import Redactor
from cxtext.redact._evaluate import evaluate, read_marked

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "redaction"


def _table(frame: pd.DataFrame) -> str:
    lines = ["| lang | type | expected | found | correct | exact | precision | recall |", "|---|---|---|---|---|---|---|---|"]
    for r in frame.to_dict("records"):
        p = "" if pd.isna(r["precision"]) else f"{r['precision']:.3f}"
        rec = "" if pd.isna(r["recall"]) else f"{r['recall']:.3f}"
        lines.append(f"| {r['lang']} | {r['type']} | {r['expected']} | {r['found']} | {r['correct']} | {r['exact']} | {p} | {rec} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=FIXTURES / "spans.tsv", help="marked TSV file")
    parser.add_argument("--ordinary", type=Path, default=FIXTURES / "ordinary.txt", help="lang<TAB>text lines")
    parser.add_argument("--split", default="all", help="dev, test, hard or all (default)")
    parser.add_argument("--by-type", action="store_true", help="one row per type and language (default: per language, and per type over all)")
    args = parser.parse_args()

    examples = [e for e in read_marked(args.data) if args.split in ("all", e.split)]
    splits = list(dict.fromkeys(e.split for e in examples))
    for split in splits:
        subset = [e for e in examples if e.split == split]
        if not subset:
            continue
        frame = evaluate(subset)
        shown = frame if args.by_type else frame[(frame["type"] == "all") | (frame["lang"] == "all")]
        print(f"\n## split {split}: {len(subset)} lines, {sum(len(e.spans) for e in subset)} marked spans\n")
        print(_table(shown))

    if args.ordinary.is_file():
        redactor = Redactor()
        lines = [line.rstrip("\n").split("\t", 1) for line in args.ordinary.read_text(encoding="utf-8").splitlines() if line.strip()]
        bad = [(lang, text[f.start:f.end], f.kind) for lang, text in lines for f in redactor.find(text)]
        print(f"\n## ordinary words: {len(lines)} lines, {len(bad)} placeholder(s) put in" + (f": {bad}" if bad else ""))

    texts = [e.text for e in examples] * 20
    redactor = Redactor()
    started = time.perf_counter()
    for text in texts:
        redactor.redact(text)
    seconds = time.perf_counter() - started
    print(f"\n## speed: {sum(map(len, texts)) / seconds:,.0f} characters/s ({len(texts) / seconds:,.0f} comments/s)")

    # long and repetitive texts: every rule must stay linear (a look-behind that misses a character
    # of its token once made "-1" * 100,000 take 500 s)
    lines = []
    for pattern in ("-1", ".a", "1 ", "ab ", "+34 ", "(1) ", "x at ", "Calle Aa ", "Me atendió Laura, 612 345 678. "):
        times = []
        for size in (50_000, 200_000):
            text = (pattern * (size // len(pattern) + 1))[:size]
            started = time.perf_counter()
            redactor.redact(text)
            times.append(time.perf_counter() - started)
        lines.append(f"| `{pattern!r}` | {times[0]:.2f} | {times[1]:.2f} | {times[1] / max(times[0], 1e-9):.1f} |")
    print("\n## long texts (seconds; the ratio is about 4 when linear)\n")
    print("| repeated | 50k chars | 200k chars | ratio |\n|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
