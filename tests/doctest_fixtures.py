"""pytest plugin for the docstring examples of the package (``.ci/run`` runs them)::

    PYTHONPATH=tests pytest -p doctest_fixtures --doctest-modules --pyargs cxtext

``--pyargs`` reads the examples of the cxtext that is installed (the shipped models included),
editable or not. Each example runs in a fresh temporary folder holding the files it names;
examples that need an optional package skip without it.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from _pytest.doctest import DoctestItem

#: examples whose optional package is missing here: skipped
NEEDS = {"cxtext.backends.transformers.resolve_device": "torch"}

#: examples that are wrong today, in modules other work is reshaping (strict: fixing one fails
#: this list, so the entry goes with the fix)
KNOWN_WRONG: dict[str, str] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not isinstance(item, DoctestItem):
            continue
        package = NEEDS.get(item.name)
        if package and importlib.util.find_spec(package) is None:
            item.add_marker(pytest.mark.skip(reason=f"the example needs {package}, which is not installed"))
        if item.name in KNOWN_WRONG:
            item.add_marker(pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[item.name]))


def _topic_model(folder: Path) -> None:
    from cxtext.topics import TopicModel

    texts = ["rude staff", "friendly staff", "the waiter was rude", "kind people at the desk",
             "too expensive", "cheap prices", "the bill was high", "a fair price"] * 3
    labels = ["people"] * 4 + ["price"] * 4
    TopicModel(n_features=2**12, codebook_features=None, random_state=0).fit(texts, labels * 3).save(folder)


#: files an example names, made on demand: example -> {file name: writer}
FILES = {"cxtext.topics.model.TopicModelDetector": {"my-model": _topic_model}}


@pytest.fixture(autouse=True)
def _example_folder(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each docstring example in its own temporary folder, with the files it reads."""
    if not isinstance(request.node, DoctestItem):
        return
    monkeypatch.chdir(tmp_path)
    for name, write in FILES.get(request.node.name, {}).items():
        write(tmp_path / name)
