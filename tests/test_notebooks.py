"""Every notebook runs headless on offline defaults; pairs are in sync and carry no outputs."""
import os
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SCRIPTS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.py"))


def test_the_numbered_notebooks_are_there():
    assert [p.stem[:2] for p in SCRIPTS] == ["01", "02", "03", "04", "05", "06", "07"]


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
    OUTPUT_CHECKS.get(script.stem, lambda nb: None)(notebook)


def _outputs(notebook, mime: str) -> list:
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if mime in o.get("data", {})]


def _instructions_are_whole(notebook) -> None:
    import html

    from ogi_toolkit import sample

    shown = "".join(o["data"]["text/html"] for o in _outputs(notebook, "text/html"))
    for spec in sample("relative_position", n=8, seed=0):  # the notebook's sample
        assert spec.instruction in html.unescape(shown), spec.instruction


def _panels_are_shown_large(notebook) -> None:
    images = _outputs(notebook, "image/png")
    widths = [o.get("metadata", {}).get("image/png", {}).get("width") for o in images]
    assert len(images) >= 10 and all(w is None or w >= 560 for w in widths), widths  # every one was 700 px wide
    assert max(w or 0 for w in widths) >= 1100  # the wide ones are not squeezed to the same width


OUTPUT_CHECKS = {"01-explore-taxonomy": _instructions_are_whole, "05-paper-figures": _panels_are_shown_large}
