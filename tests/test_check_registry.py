"""The check registry: the README's example check is one module that `ogi check`, `ogi filter
--require`, the config files and the resume keys all pick up from its registration alone."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from dataset_fixtures import make_dataset

from ogi_toolkit.quality import check, filter_dataset, load_checks_config
from ogi_toolkit.quality.checks.registry import checks, groups, register, unregister
from ogi_toolkit.quality.checks.config import Section

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def readme_check(tmp_path):
    section = README.read_text(encoding="utf-8").split("### Adding a check", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    module_file = tmp_path / "readme_brightness.py"
    module_file.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("readme_brightness", module_file)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))  # registers "brightness"
    yield module_file
    unregister("brightness")


def test_the_builtin_checks_are_registered_in_order():
    assert groups()[:3] == ("technical", "preservation", "text")
    assert all(c.reads for c in checks())


def test_the_readme_check_runs_filters_configures_and_resumes(readme_check, tmp_path):
    root = tmp_path / "data"
    make_dataset(root)  # flat 32x32 pictures: mean grey well above 12 except where they are dark
    assert groups()[-1] == "brightness"
    lines = check(root, workers=1).lines
    found = [c for line in lines for c in line["checks"] if c["name"] == "brightness.mean_grey"]
    assert found and all(c["threshold"] == 12.0 and c["step"] for c in found)

    # its group is a filter group; its section a config section
    filter_dataset(root, tmp_path / "kept", require="brightness")
    strict = tmp_path / "strict.yaml"
    strict.write_text("brightness: {min_mean_grey: 255}\n")
    assert load_checks_config(strict).section("brightness").min_mean_grey == 255
    run = check(root, config=strict, workers=1)
    assert run.checked == len(lines)  # other thresholds: checked again
    assert all(c["passed"] is False for line in run.lines for c in line["checks"] if c["name"] == "brightness.mean_grey")
    assert not any(line["passed"] for line in run.lines)

    # unchanged code: nothing to do; the check's code changed: every item again
    assert check(root, config=strict, workers=1).checked == 0
    readme_check.write_text(readme_check.read_text() + "\n# changed\n")
    os.utime(readme_check, ns=(0, 1))  # a different time, whatever the clock's resolution
    assert check(root, config=strict, workers=1).checked == len(lines)


def test_a_check_that_raises_is_recorded_and_the_others_still_run(tmp_path):
    class Nothing(Section):
        pass

    @register("explodes", config=Nothing, order=5, reads="nothing")
    def explodes(view, cfg):
        raise RuntimeError("boom")

    try:
        root = tmp_path / "data"
        make_dataset(root)
        lines = check(root, workers=1).lines
    finally:
        unregister("explodes")
    for line in lines:
        errors = [c for c in line["checks"] if c["name"] == "explodes.error"]
        assert errors and all(c["passed"] is None and "RuntimeError: boom" in c["reason"] for c in errors)
        assert any(c["name"] == "technical.decodes" for c in line["checks"])


def test_a_group_registered_twice_from_two_modules_is_refused():
    class Nothing(Section):
        pass

    with pytest.raises(ValueError, match="registered twice"):
        register("text", config=Nothing, order=1, reads="x")(lambda view, cfg: [])


def test_ogi_check_list_names_every_check_and_what_it_reads(capsys):
    from ogi_toolkit.cli import main

    assert main(["check", "--list"]) == 0
    out = capsys.readouterr().out
    for c in checks():
        assert c.group in out and c.reads in out
