"""The hand-written CX corpus stays valid and its splits stay apart (``models/corpus/check.py``)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "models" / "corpus"


def _run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CORPUS / "check.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_every_split_is_valid_and_no_text_is_in_two_splits() -> None:
    done = _run()
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert " 0 invalid" in done.stdout and " 0 texts in two splits" in done.stdout
    for split in ("train", "dev", "test", "reserve"):
        assert f"\n{split:5} es:" in "\n" + done.stdout


def test_a_reserve_row_repeated_in_dev_is_caught(tmp_path: Path) -> None:
    dev_row = json.loads((CORPUS / "dev" / "en_pets.jsonl").read_text(encoding="utf-8").splitlines()[0])
    folder = tmp_path / "reserve"
    folder.mkdir()
    copy = dict(dev_row, id="en-banking-9999", sector="banking")
    (folder / "en_banking.jsonl").write_text(json.dumps(copy) + "\n", encoding="utf-8")
    done = _run(CORPUS / "dev" / "en_pets.jsonl", folder / "en_banking.jsonl")
    assert done.returncode == 1
    assert "ACROSS-SPLITS" in done.stdout
