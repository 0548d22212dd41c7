"""End-to-end throughput and peak memory of ``cxtext tag`` (run on demand, not in tests).

Builds synthetic survey files of realistic comments by sampling 1-4 sentences of one language
from the labelled sets in ``--data`` (default ``../shared/data``), then runs ``cxtext tag``
on each size in a fresh subprocess and prints comments/s and peak resident memory. Flat memory
from 10k to 100k rows shows the streaming works.

    python benchmarks/throughput.py --data ../shared/data --sizes 10000 100000 --backend fast
    python benchmarks/throughput.py --data ../shared/data --transformers

``--transformers`` adds the transformers backend's comparison with a bare
``transformers.pipeline`` on the same model and batch size (``throughput_transformers.py``;
target: cxtext >= 0.9 of the bare pipeline's comments/s).
"""
from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCES = ["sentiment/umsab_train.csv", "topics/semeval_train.csv", "topics/absita_train.csv",
           "topics/absapt_train.csv", "scores/restmex2021.csv"]


def load_sentences(data: Path) -> dict[str, list[str]]:
    """Sentences per language from the labelled sets."""
    by_lang: dict[str, list[str]] = {}
    for name in SOURCES:
        with (data / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                text = row["text"].strip()
                if 3 <= len(text.split()) <= 60:
                    by_lang.setdefault(row["lang"], []).append(text)
    return by_lang


def make_file(path: Path, rows: int, sentences: dict[str, list[str]], seed: int = 0) -> float:
    """Write ``rows`` comments; returns the mean number of words per comment."""
    rng = random.Random(seed)
    langs = sorted(sentences)
    words = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "comment", "nps"])
        for i in range(rows):
            pool = sentences[rng.choice(langs)]
            comment = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
            words += len(comment.split())
            writer.writerow([i, comment, rng.randint(0, 10)])
    return words / rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backend", default="fast")
    parser.add_argument("--transformers", action="store_true",
                        help="also compare the transformers backend with a bare transformers.pipeline")
    parser.add_argument("extra", nargs="*", help="more options for cxtext tag (after --)")
    args = parser.parse_args()
    sentences = load_sentences(args.data)
    print(f"backend={args.backend}  languages={sorted(sentences)}  (each size in a fresh process)")
    print(f"{'rows':>8} {'words/comment':>14} {'seconds':>9} {'comments/s':>11} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"c{size}.csv"
            mean_words = make_file(path, size, sentences)
            seconds, peak = _isolated(path, args.backend, args.extra)
            print(f"{size:>8} {mean_words:>14.1f} {seconds:>9.1f} {size / seconds:>11.0f} {peak:>9.0f}")
    if args.transformers:
        script = Path(__file__).with_name("throughput_transformers.py")
        subprocess.run([sys.executable, str(script), "--data", str(args.data)], check=True)


def _isolated(path: Path, backend: str, extra: list[str]) -> tuple[float, float]:
    # ru_maxrss of RUSAGE_CHILDREN is the max over all children so far, so measure each run
    # from a fresh grandchild-free helper process that reports its own child's peak.
    helper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = path.with_suffix(".tagged.csv")
    command = [sys.executable, "-c", helper, sys.executable, "-m", "cxtext", "tag", str(path), "--text",
               "comment", "-o", str(out), "--force", "-q", "--backend", backend, *extra]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds, peak = result.stdout.split()
    return float(seconds), float(peak)


if __name__ == "__main__":
    main()
