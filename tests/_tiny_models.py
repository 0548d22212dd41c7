"""Build tiny Hugging Face models at test time (no download, no internet).

A WordPiece tokenizer is trained with the ``tokenizers`` library on a few sentences, wrapped in
a transformers ``BertTokenizerFast`` and saved with a small random ``BertConfig`` classifier via
``save_pretrained``. Import this module only after ``pytest.importorskip("torch")``.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

CORPUS = [
    "The delivery was late and the staff were rude.",
    "Great product, fair price, I will buy again.",
    "El envío llegó tarde pero el precio es bueno.",
    "La atención al cliente fue excelente.",
    "Il prodotto è ottimo ma la consegna è lenta.",
    "Il personale del negozio è stato gentile.",
    "O atendimento foi péssimo e o preço é alto.",
    "A entrega chegou rápido, adorei o produto.",
    "This comment is about price. This comment is about delivery.",
    "Este comentario trata de precio. Questo commento parla di prezzo. Este comentário é sobre preço.",
]


def train_tokenizer(sentences: Sequence[str] = CORPUS, vocab_size: int = 400):  # noqa: ANN201
    """A lower-casing WordPiece ``BertTokenizerFast`` (accents kept) trained on ``sentences``."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertTokenizerFast

    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    raw = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    raw.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False)
    raw.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    raw.train_from_iterator(list(sentences), trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=special))
    return BertTokenizerFast(vocab=raw.get_vocab(), do_lower_case=True, strip_accents=False)


def build_classifier(
    path: str | Path,
    labels: Sequence[str],
    *,
    tokenizer=None,  # noqa: ANN001
    bias: Sequence[float] | None = None,
    problem_type: str | None = None,
    max_position_embeddings: int = 128,
    hidden_size: int = 32,
    num_layers: int = 2,
    seed: int = 0,
    initializer_range: float = 0.4,
) -> Path:
    """Save a random BERT sequence classifier with ``labels`` as ``id2label`` to ``path``.

    Args:
        bias: when given, the classifier head ignores the text (zero weights) and always
            outputs these logits, so the class probabilities are known in advance.
        initializer_range: spread of the random weights; large enough that different texts
            get visibly different probabilities.
        problem_type: e.g. ``"multi_label_classification"`` for sigmoid outputs.
    """
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    tokenizer = tokenizer if tokenizer is not None else train_tokenizer()
    id2label = {i: str(label) for i, label in enumerate(labels)}
    config = BertConfig(
        vocab_size=len(tokenizer.get_vocab()),
        hidden_size=hidden_size,
        num_hidden_layers=num_layers,
        num_attention_heads=2,
        intermediate_size=hidden_size * 2,
        max_position_embeddings=max_position_embeddings,
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
        problem_type=problem_type,
        initializer_range=initializer_range,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config)
    if bias is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.copy_(torch.tensor(list(bias), dtype=torch.float32))
    model.eval()
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def reference_proba(path: str | Path, text: str | tuple[str, str], activation: str = "softmax") -> list[float]:
    """Class probabilities of one text (or premise/hypothesis pair), unbatched and unpadded."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(str(path), local_files_only=True).eval()
    inputs = tokenizer(*text, return_tensors="pt") if isinstance(text, tuple) else tokenizer(text, return_tensors="pt")
    with torch.inference_mode():
        logits = model(**inputs).logits[0].float()
    out = torch.softmax(logits, -1) if activation == "softmax" else torch.sigmoid(logits)
    return [float(x) for x in out]
