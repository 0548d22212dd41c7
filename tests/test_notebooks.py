"""Execute the notebooks top to bottom (nbclient); the committed copies carry their outputs.

Refresh the committed outputs after a change with ``python tests/test_notebooks.py``.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
#: stderr a notebook may print: the score check's own warning, which the notebook talks about
_EXPECTED_STDERR = ("ScoreIssueWarning",)


def execute(path: Path, workdir: str):  # noqa: ANN201 - nbformat.NotebookNode
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": workdir}})
    client.execute()
    for cell in notebook.cells:  # no timestamps: the committed file changes only when outputs do
        cell.get("metadata", {}).pop("execution", None)
    return notebook


def _problems(notebook) -> list[str]:  # noqa: ANN001
    found = []
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        if not outputs and cell.get("execution_count") is None:
            found.append(f"cell {number} was not run")
        for output in outputs:
            if output.get("output_type") == "error":
                found.append(f"cell {number} raised {output.get('ename')}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text", "")
                if not any(expected in text for expected in _EXPECTED_STDERR):
                    found.append(f"cell {number} printed to stderr: {text[:200]!r}")
    return found


@pytest.mark.slow  # the default run stays fast; .ci/run runs the notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    assert _problems(execute(path, str(tmp_path))) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_notebook_is_executed_with_clean_outputs(path):
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code), "commit the notebook executed"
    assert sum(bool(c.get("outputs")) for c in code) >= len(code) - 2
    assert _problems(notebook) == []


if __name__ == "__main__":
    import nbformat

    for path in NOTEBOOKS:
        with tempfile.TemporaryDirectory() as workdir:
            notebook = execute(path, workdir)
        problems = _problems(notebook)
        if problems:
            sys.exit(f"{path.name}: {problems}")
        nbformat.write(notebook, path)
        print(f"executed {path.name}")
