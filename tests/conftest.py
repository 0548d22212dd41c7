"""Shared fixtures: tiny deterministic test doubles for the backend and topic detector.

They let the pipeline/IO tests check row order, columns and aggregation without depending on
the accuracy of the shipped models (those have their own tests).
"""
from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import settings

from cxtext.backends import register_backend
from cxtext.backends.base import Backend, Prediction, check_inputs
from cxtext.schema import EMOTIONS
from cxtext.topics.base import TopicDetector, TopicMatch

_ROOT = Path(__file__).resolve().parents[1]

# CI runs the same examples every time (the brief: deterministic); locally hypothesis explores.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

_POSITIVE = re.compile(r"\b(great|good|excelente|bueno|amable|ottimo|ótimo|lovely)\b", re.I)
_NEGATIVE = re.compile(r"\b(awful|bad|nightmare|tarde|malo|pessimo|péssimo|terrible|late)\b", re.I)


@register_backend("keywords")
class KeywordBackend(Backend):
    """Counts a few polar words; records every call so tests can check caching/batching."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def analyze(self, texts: Sequence[str], langs: Sequence[str]) -> list[Prediction]:
        check_inputs(texts, langs)
        self.calls.append(list(texts))
        out = []
        for text in texts:
            pos, neg = len(_POSITIVE.findall(text)), len(_NEGATIVE.findall(text))
            score = max(-1.0, min(1.0, 0.6 * (pos - 1.5 * neg)))  # a complaint outweighs a praise
            label = "positive" if score > 0 else "negative" if score < 0 else "neutral"
            proba = {"negative": float(score < 0), "neutral": float(score == 0), "positive": float(score > 0)}
            emotions = ("joy",) if score > 0 else ("anger",) if score < 0 else ()
            out.append(Prediction(label, score, proba, emotions,
                                  {e: float(e in emotions) for e in EMOTIONS}))
        return out


@register_backend("flaky")
class FlakyBackend(KeywordBackend):
    """Raises on texts with BOOM (or on everything with fail_all); exits the process on DIE."""

    def __init__(self, fail_all: bool = False, config_error: bool = False) -> None:
        super().__init__()
        self.fail_all, self.config_error = fail_all, config_error

    def analyze(self, texts, langs):
        if self.config_error:
            from cxtext.errors import ConfigError

            raise ConfigError("the backend is misconfigured")
        if self.fail_all or any("BOOM" in t for t in texts):
            raise ValueError("cannot handle BOOM")
        if any("DIE" in t for t in texts):
            import os

            os._exit(3)
        return super().analyze(texts, langs)


class KeywordTopics(TopicDetector):
    """Finds a handful of CX words."""

    column = "topics"
    topics = ("price", "product", "people", "process", "place", "promotion")
    _terms = {
        "price": r"price|precio|caro|prezzo",
        "product": r"product|producto|quality",
        "people": r"staff|vendedor|seller|atendente",
        "process": r"delivery|entrega|shipping",
        "place": r"store|tienda|app",
    }

    def detect(self, texts, langs):
        found = []
        for text in texts:
            matches = []
            for topic, pattern in self._terms.items():
                for m in re.finditer(rf"\b(?:{pattern})\b", text, re.I):
                    matches.append(TopicMatch(topic, m.start(), m.end(), m.group()))
            found.append(matches)
        return found


class JourneyTopics(KeywordTopics):
    column = "journey"
    topics = ("purchase", "support")
    _terms = {"purchase": r"bought|compré", "support": r"support|soporte"}


@pytest.fixture
def fake_models(monkeypatch):
    """Make Analyzer use the keyword backend/detectors unless a test asks otherwise."""
    import cxtext.topics

    def resolve(codebooks=("default",), topic_model=None, combine="union", zero_shot=False, model_options=None):
        detectors = [KeywordTopics()]
        if "journey" in codebooks:
            detectors.append(JourneyTopics())
        return detectors

    monkeypatch.setattr(cxtext.topics, "resolve_detectors", resolve, raising=False)
    return {"backend": "keywords"}


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A wheel of the checkout installed into a fresh venv (dependencies from this environment):
    the one wheel build of the suite, shared by every install test.

    Returns ``(python, cxtext_script)`` of that venv."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"  # build from a copy: leave no build/ folder in the checkout
    shutil.copytree(_ROOT, source, ignore=shutil.ignore_patterns(
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
