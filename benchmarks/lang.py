"""Language detection on short, shouted and accent-less comments (run on demand, not in tests).

Real texts with a ``lang`` column from ``--data`` (default ``../shared/data``): UMSAB val
tweets, EmoEvent and GoEmotions dev, the review sets (SemEval, ABSITA, ABSAPT, Cuba hotels,
Rest-Mex) and the XED held-out bucket; up to ``--per-lang`` texts per language. Each text is
also tried in the shapes survey comments take: UPPER CASE, lower case without accents, its
first three words, and its first 25 characters. For each shape the table gives accuracy per
language (a fallback to the default language counts as wrong unless it is right) for:

* ``py3langid``: plain py3langid restricted to es/it/pt/en (argmax, never falls back);
* ``cxtext 0.1 (before)``: the detector as it was (py3langid, < 12 letters or confidence < 0.70
  falls back to the default ``en``), re-implemented here for the comparison;
* ``cxtext``: :class:`cxtext.lang.LanguageDetector` as it is now (default ``en``).

and the speed of each in texts/s over all shapes. Usage::

    python benchmarks/lang.py --data ../shared/data
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from cxtext.lang import LanguageDetector
from cxtext.schema import LANGUAGES

SETS = ["sentiment/umsab_val.csv", "emotion/emoevent_dev.csv", "emotion/goemotions_dev.csv",
        "topics/semeval_train.csv", "topics/absita_train.csv", "topics/absapt_train.csv",
        "scores/cuba_hotels_train.csv", "scores/restmex2021.csv", "emotion/xed_train.csv"]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


SHAPES: dict[str, Callable[[str], str]] = {
    "as written": lambda t: t,
    "UPPER": str.upper,
    "lower, no accents": lambda t: _strip_accents(t.lower()),
    "first 3 words": lambda t: " ".join(t.split()[:3]),
    "first 25 chars": lambda t: t[:25],
}


def load(data: Path, per_lang: int, seed: int = 0) -> pd.DataFrame:
    frames = []
    for name in SETS:
        frame = pd.read_csv(data / name, keep_default_na=False, usecols=["id", "lang", "text"])
        if name.startswith("emotion/xed"):  # the held-out bucket of the training recipes only
            bucket = frame["id"].map(lambda i: int(hashlib.md5(str(i).encode()).hexdigest(), 16) % 10)
            frame = frame[bucket == 0]
        frame = frame.assign(source=name)
        frames.append(frame[frame["text"].str.split().str.len() >= 3])
    rows = pd.concat(frames, ignore_index=True)
    rng = random.Random(seed)
    keep = []
    for lang in LANGUAGES:
        idx = rows.index[rows["lang"] == lang].tolist()
        keep += rng.sample(idx, min(per_lang, len(idx)))
    return rows.loc[sorted(keep)].reset_index(drop=True)


def old_detector(default: str = "en") -> Callable[[Sequence[str]], list[str]]:
    """cxtext 0.1's detector: py3langid, < 12 letters or confidence < 0.70 -> default."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    letter = re.compile(r"[^\W\d_]")

    def detect(texts: Sequence[str]) -> list[str]:
        out = []
        for text in texts:
            letters = len(letter.findall(text, 0, 400))
            if letters == 0:
                out.append("und")
            elif letters < 12:
                out.append(default)
            else:
                lang, confidence = identifier.classify(text[:2000])
                out.append(lang if confidence >= 0.70 else default)
        return out

    return detect


def plain_py3langid() -> Callable[[Sequence[str]], list[str]]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return lambda texts: [identifier.classify(t)[0] for t in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    parser.add_argument("--per-lang", type=int, default=2000)
    args = parser.parse_args()
    rows = load(args.data, args.per_lang)
    counts = rows["lang"].value_counts().to_dict()
    print(f"{len(rows):,} texts ({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()))}), "
          f"{rows['text'].nunique():,} distinct; load average {os.getloadavg()[0]:.1f}")
    detector = LanguageDetector(default="en")
    systems = {"py3langid": plain_py3langid(), "cxtext 0.1 (before)": old_detector(),
               "cxtext": detector.detect_many}
    print(f"\n| shape | system | {' | '.join(LANGUAGES)} | mean | fell back |")
    print("|---|---|" + "---|" * (len(LANGUAGES) + 2))
    seconds = dict.fromkeys(systems, 0.0)
    for shape, transform in SHAPES.items():
        texts = [transform(t) for t in rows["text"]]
        for name, detect in systems.items():
            started = time.perf_counter()
            predicted = detect(texts)
            seconds[name] += time.perf_counter() - started
            right = pd.Series(predicted) == rows["lang"]
            per_lang = right.groupby(rows["lang"]).mean()
            fell = "" if name == "py3langid" else f"{_fallbacks(name, texts, detector):.1%}"
            print(f"| {shape} | {name} | " + " | ".join(f"{per_lang[lang]:.3f}" for lang in LANGUAGES)
                  + f" | {per_lang.mean():.3f} | {fell} |")
    n = len(rows) * len(SHAPES)
    print("\nspeed (texts/s over all shapes): " + ", ".join(f"{k} {n / v:,.0f}" for k, v in seconds.items()))


def _fallbacks(name: str, texts: list[str], detector: LanguageDetector) -> float:
    """Share of texts that fell back to the default language."""
    if name == "cxtext":
        return detector.detect(texts).fallbacks / len(texts)
    default = old_detector(default="und")(texts)  # the old rule, with the fallback made visible
    return sum(lang == "und" for lang in default) / len(texts)


if __name__ == "__main__":
    main()
