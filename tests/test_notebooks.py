"""Every notebook runs headless on offline defaults; pairs are in sync and carry no outputs."""
import os
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SCRIPTS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.py"))


def test_there_are_six_numbered_notebooks():
    assert [p.stem[:2] for p in SCRIPTS] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_pair_is_in_sync_and_has_no_outputs(script):
    ipynb = script.with_suffix(".ipynb")
    assert ipynb.exists(), f"{ipynb.name} missing: run `jupytext --sync {script.name}`"
    paired = nbformat.read(ipynb, as_version=4)
    for cell in paired.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{ipynb.name} has committed outputs"
    source = [c.source for c in jupytext.read(script).cells]
    assert [c.source for c in paired.cells] == source, f"{ipynb.name} differs from {script.name}: run `jupytext --sync`"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_notebook_executes_offline(script, tmp_path, monkeypatch):
    monkeypatch.setenv("OGI_NOTEBOOK_OUT", str(tmp_path))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)  # the offline default, whatever the machine has
    notebook = jupytext.read(script)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
