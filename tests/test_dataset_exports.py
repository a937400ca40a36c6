"""The export-format registry: ``ogi export`` lists and dispatches from it, and the README's
"Adding an export format" example is a working format."""
from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from dataset_fixtures import make_dataset
from ogi_toolkit.cli import main
from ogi_toolkit.dataset import exports
from ogi_toolkit.dataset.report import Report
from ogi_toolkit.folder import read_manifest

BUILT_IN = ["control-folder", "hf", "image-caption", "opengpt", "pix2pix"]


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry, so formats a test adds are gone after it."""
    monkeypatch.setattr(exports, "_FORMATS", dict(exports.export_formats()))
    return exports


def test_every_built_in_format_is_registered_and_offered_by_the_command(capsys):
    assert list(exports.export_formats()) == BUILT_IN
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    help_text = capsys.readouterr().out
    assert all(f"{name}:" in help_text for name in BUILT_IN)


def test_the_readme_export_example_is_a_format_the_command_runs(registry, tmp_path, capsys):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Adding an export format", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    module_file = tmp_path / "readme_prompts_csv.py"
    module_file.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("readme_prompts_csv", module_file)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))  # registers "prompts-csv"
    make_dataset(tmp_path / "data")

    assert main(["export", str(tmp_path / "data"), "--format", "prompts-csv", "--out", str(tmp_path / "out")]) == 0
    rows = list(csv.DictReader((tmp_path / "out" / "prompts.csv").open(encoding="utf-8")))
    done = [r for r in read_manifest(tmp_path / "data") if r["status"] == "done"]
    assert [(r["id"], r["instruction"]) for r in rows] == [(r["id"], r["instruction"]) for r in done]
    assert "rows: 4" in capsys.readouterr().out


def test_a_format_gets_only_the_options_it_names(registry, tmp_path):
    seen = {}

    @registry.register_export("probe", help="records what it was given", options=("link",))
    def probe(dataset, out, *, overwrite=False, **options):
        seen.update(options, overwrite=overwrite)
        return Report(source="probe")

    registry.export_dataset(tmp_path, tmp_path / "out", "probe", link=True, multi_turn="chain", layout="disk")
    assert seen == {"link": True, "overwrite": False}
    with pytest.raises(ValueError, match="export format 'nope': expected one of control-folder, hf"):
        registry.export_dataset(tmp_path, tmp_path / "out", "nope")
    with pytest.raises(ValueError, match=r"options \['colour'\]"):
        registry.register_export("bad", help="x", options=("colour",))
