"""The error catalogue: every exception and warning of cxtext lives in cxtext.errors, listed in
its __all__; every warning cxtext issues is a CxtextWarning; one mistake, one error type."""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import click
import pytest

import cxtext
from cxtext import errors


def _modules() -> list[object]:
    names = [info.name for info in pkgutil.walk_packages(cxtext.__path__, "cxtext.")
             if not info.name.endswith("__main__")]  # __main__ runs the command line
    return [importlib.import_module(name) for name in names]


def test_every_exception_and_warning_is_in_errors_all() -> None:
    found = {}
    for module in _modules():
        for obj in vars(module).values():
            if (inspect.isclass(obj) and issubclass(obj, (Exception, Warning))
                    and obj.__module__.startswith("cxtext")
                    # the command line's own rendering of errors: click exceptions stay with click
                    and not issubclass(obj, click.ClickException)):
                found[obj.__qualname__] = obj.__module__
    assert len(found) > 15
    assert {name: module for name, module in found.items() if module != "cxtext.errors"} == {}
    assert sorted(set(found) - set(errors.__all__)) == []
    for name in errors.__all__:  # and __all__ names what is there
        assert hasattr(errors, name), name


def _warn_categories() -> list[tuple[str, int, str]]:
    """(file, line, category expression) of every ``warnings.warn(...)`` in the package."""
    out = []
    root = Path(cxtext.__file__).parent
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "warn"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "warnings"):
                category = node.args[1] if len(node.args) > 1 else next(
                    (k.value for k in node.keywords if k.arg == "category"), None)
                out.append((str(path.relative_to(root)), node.lineno,
                            ast.unparse(category) if category is not None else "UserWarning"))
    return out


def test_every_warning_is_a_cxtext_warning() -> None:
    calls = _warn_categories()
    assert len(calls) > 10
    wrong = [(file, line, name) for file, line, name in calls
             if not (name in errors.__all__ and issubclass(getattr(errors, name), errors.CxtextWarning))]
    assert wrong == []


def test_a_length_mismatch_is_an_input_error_everywhere() -> None:
    from cxtext.topics import load_codebook

    with pytest.raises(errors.InputError, match="1 texts but 0 languages"):
        load_codebook("default").detector().detect(["a"], [])


def test_an_unknown_topic_names_the_topics() -> None:
    from cxtext.topics import load_codebook

    with pytest.raises(errors.UnknownTopicError, match="no topic 'prize'; its topics are 'price'") as caught:
        load_codebook("default").spec("prize")
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, errors.CodebookError)
    assert str(caught.value).startswith("codebook 'default' has no topic")  # not KeyError's quotes
