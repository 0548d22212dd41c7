"""Packaging: every subpackage is listed, and a non-editable install runs from anywhere."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "cxtext").rglob("__init__.py")
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "cxtext.models" in listed


@pytest.mark.slow
def test_non_editable_install_runs_from_any_directory(tmp_path):
    """Build a wheel, install it into a fresh venv (dependencies from this environment), and
    tag a file from an unrelated directory: the shipped models must load from site-packages."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheel_dir), str(ROOT)], check=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    wheel = next(wheel_dir.glob("cxtext-*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "c.csv").write_text("comment\nEl producto es excelente pero la entrega llegó tarde\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    result = subprocess.run([str(venv / "bin" / "cxtext"), "tag", "c.csv", "-o", "t.csv", "-q"],
                            cwd=work, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [str(python), "-c", "import cxtext, importlib.resources as r; print(cxtext.__file__); "
         "print(sorted(p.name for p in r.files('cxtext.models').iterdir()))"],
        cwd=work, capture_output=True, text=True, env=env, check=True,
    )
    assert str(venv) in check.stdout.splitlines()[0]
    assert ".npz" in check.stdout
    assert "sentiment" in (work / "t.csv").read_text().splitlines()[0]
