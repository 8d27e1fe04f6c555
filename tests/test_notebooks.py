"""The teaching notebooks in notebooks/: stored clean, shaped for a class, and they run.

Each notebook is executed top to bottom by a real Jupyter kernel (nbclient) with the working
directory set to notebooks/, as Jupyter does when a teacher opens it. The kernel is a
``python3`` kernel spec written for the test that starts *this* interpreter, so the notebooks
are run against the same installation the tests use (the repo's ``framing``), whatever other
``python3`` kernels the machine has.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = (
    "01-spotting-loaded-language.ipynb",
    "02-who-gets-quoted.ipynb",
    "03-comparing-outlets.ipynb",
    "04-train-your-own-detector.ipynb",
)
CELL_TIMEOUT = 120  # seconds per cell


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def _markdown(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


def test_the_series_is_complete_and_nothing_else_is_in_it():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == list(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_is_stored_without_outputs(name):
    nb = _read(name)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: cell {i} has stored outputs; clear them before committing"
            assert cell.execution_count is None, f"{name}: cell {i} has an execution count"
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_has_goals_an_answered_exercise_and_a_glossary(name):
    markdown = _markdown(_read(name))
    assert markdown[0].lstrip().startswith("# "), f"{name}: the first cell should be the title"
    assert any("## Learning goals" in text for text in markdown[:3]), f"{name}: learning goals at the top"
    exercises = [text for text in markdown if "Exercise" in text]
    assert exercises, f"{name}: no exercise"
    answers = [text for text in markdown if "<details>" in text and "<summary>Answer" in text]
    assert answers, f"{name}: no worked answer in a <details><summary>Answer</summary> block"
    assert all(text.count("<details>") == text.count("</details>") for text in answers)
    glossary = [text for text in markdown if text.lstrip().startswith("## Glossary")]
    assert glossary and glossary[0].count("\n- **") >= 5, f"{name}: a glossary with at least five terms"


def _locate_corpus_source(name: str) -> str:
    cells = [c for c in _read(name).cells if "locate-corpus" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{name}: exactly one code cell tagged locate-corpus"
    return cells[0].source


@pytest.mark.parametrize("name", EXPECTED)
def test_a_missing_corpus_is_a_clear_error(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ../corpus from here
    with pytest.raises(FileNotFoundError, match="make notebooks"):
        exec(compile(_locate_corpus_source(name), name, "exec"), {})


@pytest.fixture(scope="session")
def kernel_env(tmp_path_factory):
    """A python3 kernel spec for this interpreter, first on JUPYTER_PATH; the repo importable."""
    spec_dir = tmp_path_factory.mktemp("jupyter") / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (framing tests)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    saved = {key: os.environ.get(key) for key in ("JUPYTER_PATH", "PYTHONPATH", "MPLBACKEND")}
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(spec_dir.parents[1]), saved["JUPYTER_PATH"]]))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), saved["PYTHONPATH"]]))
    os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend draws the charts
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_runs_top_to_bottom(name, kernel_env):
    nb = _read(name)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    for i, cell in enumerate(nb.cells):  # a chart that silently does not appear is a broken lesson
        if cell.cell_type == "code" and "plt.show()" in cell.source:
            images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
            assert images, f"{name}: cell {i} draws a chart but shows no image"


def test_the_kernel_is_this_interpreter(kernel_env):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys, framing; print(sys.executable); print(framing.__file__)")]
    )
    NotebookClient(
        nb, kernel_name="python3", timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    executable, package = nb.cells[0].outputs[0]["text"].split()
    assert os.path.realpath(executable) == os.path.realpath(sys.executable)
    assert Path(package).resolve().parent == ROOT / "framing"
