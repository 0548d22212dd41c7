"""Every name in a public ``__all__`` imports (scikit-learn/BERTopic convention)."""
from __future__ import annotations

import importlib

import pytest

PUBLIC = ["cxtext", "cxtext.errors", "cxtext.schema", "cxtext.io", "cxtext.backends", "cxtext.segment",
          "cxtext.lang", "cxtext.aggregate", "cxtext.pipeline", "cxtext.transcripts", "cxtext.summarize",
          "cxtext.agreement", "cxtext.scores", "cxtext.drivers", "cxtext.report", "cxtext.topics",
          "cxtext.datasets", "cxtext.tagfile", "cxtext.redact", "cxtext.themes", "cxtext.cells",
          "cxtext.scores.spec", "cxtext.scores.parsing", "cxtext.scores.intervals", "cxtext.scores.metrics",
          "cxtext.drivers.indicators", "cxtext.drivers.impact", "cxtext.drivers.weights", "cxtext.drivers.table"]


@pytest.mark.parametrize("module_name", PUBLIC)
def test_all_names_exist(module_name):
    module = importlib.import_module(module_name)
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name} is in __all__ but missing"


def test_version_is_exposed():
    import cxtext

    assert cxtext.__version__.count(".") == 2


@pytest.mark.parametrize("name", ["summarize", "agreement"])
def test_lazy_functions_stay_functions_after_their_module_is_imported(name):
    import cxtext

    first = getattr(cxtext, name)
    importlib.import_module(f"cxtext.{name}")
    assert callable(first) and getattr(cxtext, name) is first
