"""Throughput of cxtext's transformers backend vs a bare ``transformers.pipeline`` (run on demand).

Both sides run the same sentiment and emotion classifiers with the same batch size on the same
comments; model loading is excluded (one warm-up call each), and the two sides alternate chunk
by chunk so that load from other processes hits both alike. cxtext's side is
``TransformersBackend.analyze`` (mapping to cxtext labels included); the bare side is two
``pipeline("text-classification", top_k=None)`` calls. The target is a ratio >= 0.9.

No model hub is needed: unless ``--model DIR`` is given, a small-but-realistic BERT (4 layers,
hidden 256, 512 positions, random weights; speed does not depend on the weights) and a WordPiece
tokenizer trained on the comments are built in a temporary folder. Comments are sampled from
``sentiment/umsab_train.csv`` in ``--data`` (tweets in en/es/it/pt) or, without data, generated.

    python benchmarks/throughput_transformers.py --data ../shared/data --n 2000 --batch-size 32
    python benchmarks/throughput_transformers.py --model my-sentiment-model/ --emotion-model my-emotion-model/
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

SENTIMENT_LABELS = ["negative", "neutral", "positive"]
EMOTION_LABELS = ["anger", "anticipation", "disgust", "fear", "joy", "sadness", "surprise", "trust"]


def load_comments(data: Path | None, n: int, seed: int) -> tuple[list[str], list[str]]:
    """``n`` comments and their languages."""
    rng = random.Random(seed)
    path = data / "sentiment" / "umsab_train.csv" if data else None
    if path is not None and path.is_file():
        with path.open(encoding="utf-8") as handle:
            rows = [(r["text"], r["lang"]) for r in csv.DictReader(handle) if r["text"].strip()]
    else:
        words = ("the delivery was late the staff were very kind great product price too high "
                 "el envío llegó tarde il prodotto è ottimo o atendimento foi péssimo").split()
        rows = [(" ".join(rng.choice(words) for _ in range(rng.randint(4, 40))), "en") for _ in range(5000)]
    picked = [rows[rng.randrange(len(rows))] for _ in range(n)]
    return [t for t, _ in picked], [lang for _, lang in picked]


def build_model(folder: Path, texts: list[str], labels: list[str], multi_label: bool, layers: int, hidden: int) -> str:
    """Save a random BERT classifier with a tokenizer trained on ``texts``."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    raw = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    raw.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False)
    raw.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    raw.train_from_iterator(texts, trainers.WordPieceTrainer(
        vocab_size=8000, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
    tokenizer = BertTokenizerFast(vocab=raw.get_vocab(), do_lower_case=True, strip_accents=False,
                                  model_max_length=512)
    config = BertConfig(
        vocab_size=len(tokenizer.get_vocab()), hidden_size=hidden, num_hidden_layers=layers,
        num_attention_heads=max(1, hidden // 64), intermediate_size=hidden * 4, max_position_embeddings=512,
        id2label=dict(enumerate(labels)), label2id={label: i for i, label in enumerate(labels)},
        problem_type="multi_label_classification" if multi_label else "single_label_classification",
    )
    torch.manual_seed(0)
    BertForSequenceClassification(config).eval().save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


def interleaved(sides: dict, texts: list[str], langs: list[str], rounds: int, chunks: int) -> dict:  # noqa: ANN001
    """Wall and CPU seconds per side, alternating sides chunk by chunk so load spikes hit both."""
    totals = {name: [0.0, 0.0] for name in sides}
    size = max(1, -(-len(texts) // chunks))
    names = list(sides)
    for r in range(rounds):
        for c, first in enumerate(range(0, len(texts), size)):
            part, part_langs = texts[first : first + size], langs[first : first + size]
            order = names if (r + c) % 2 == 0 else names[::-1]
            for name in order:
                wall, cpu = time.perf_counter(), time.process_time()
                sides[name](part, part_langs)
                totals[name][0] += time.perf_counter() - wall
                totals[name][1] += time.process_time() - cpu
    return {name: (wall / rounds, cpu / rounds) for name, (wall, cpu) in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_data = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default_data if default_data.is_dir() else None)
    parser.add_argument("--model", help="sentiment model folder (default: build one)")
    parser.add_argument("--emotion-model", help="emotion model folder (default: build one)")
    parser.add_argument("--n", type=int, default=2000, help="comments per run")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=2, help="rounds over all comments; the mean is reported")
    parser.add_argument("--chunks", type=int, default=10, help="the sides alternate every len/chunks comments")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0 = torch's default)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import torch
    import transformers

    from cxtext.backends import get_backend

    if args.threads:
        torch.set_num_threads(args.threads)

    texts, langs = load_comments(args.data, args.n, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        sentiment = args.model or build_model(Path(tmp) / "sentiment", texts, SENTIMENT_LABELS, False,
                                              args.layers, args.hidden)
        emotion = args.emotion_model or build_model(Path(tmp) / "emotion", texts, EMOTION_LABELS, True,
                                                    args.layers, args.hidden)
        backend = get_backend("transformers", sentiment_model=sentiment, emotion_model=emotion,
                              batch_size=args.batch_size, device=args.device)
        pipes = [
            transformers.pipeline("text-classification", model=m, tokenizer=m, device=args.device)
            for m in (sentiment, emotion)
        ]

        def bare(part: list[str], part_langs: list[str]) -> None:
            for pipe in pipes:
                pipe(part, batch_size=args.batch_size, top_k=None, truncation=True)

        def ours(part: list[str], part_langs: list[str]) -> None:
            backend.analyze(part, part_langs)

        for side in (bare, ours):  # load + warm up
            side(texts[:64], langs[:64])
        times = interleaved({"bare": bare, "cxtext": ours}, texts, langs, args.repeat, args.chunks)

    tokens = [len(ids) for ids in backend.sentiment_.tokenizer(texts)["input_ids"]]
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, "
          f"threads {torch.get_num_threads()}, device {args.device}")
    print(f"models: sentiment={args.model or f'built BERT {args.layers}x{args.hidden}'}, "
          f"emotion={args.emotion_model or f'built BERT {args.layers}x{args.hidden} (multi-label)'}")
    print(f"{len(texts)} comments, mean {sum(tokens) / len(tokens):.1f} tokens (max {max(tokens)}), "
          f"batch size {args.batch_size}, {args.repeat} round(s) in {args.chunks} alternating chunks")
    (bare_wall, bare_cpu), (our_wall, our_cpu) = times["bare"], times["cxtext"]
    print(f"bare transformers.pipeline x2 : {len(texts) / bare_wall:8.1f} comments/s "
          f"(wall {bare_wall:.2f} s, cpu {bare_cpu:.2f} s)")
    print(f"cxtext TransformersBackend    : {len(texts) / our_wall:8.1f} comments/s "
          f"(wall {our_wall:.2f} s, cpu {our_cpu:.2f} s)")
    ratio = bare_wall / our_wall
    print(f"ratio cxtext / bare (comments/s, wall clock): {ratio:.2f}  "
          f"(target >= 0.90: {'met' if ratio >= 0.9 else 'NOT met'}); by CPU time: {bare_cpu / our_cpu:.2f}")
    sys.exit(0)


if __name__ == "__main__":
    main()
