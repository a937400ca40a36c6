"""``ogi taxonomy``, ``ogi sample`` and ``ogi plan`` as a user runs them."""
import json
import subprocess
import sys

import pytest
from definition_helpers import USER_SUBTASK, write_taxonomy

from ogi_toolkit.cli import main
from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.spec import InstructionSpec


@pytest.fixture(scope="module")
def user_dir(tmp_path_factory):
    tiny = USER_SUBTASK.replace("animal_counting", "tiny_task").replace("target: 300", "target: 10000").replace(
        "n: {count: [2, 9]}", "n: {count: [2, 3]}").replace("where: {category: animal}", "where: {id: [cat, dog]}")
    return write_taxonomy(tmp_path_factory.mktemp("taxonomy"), {"mine.yaml": USER_SUBTASK, "tiny.yaml": tiny})


def test_taxonomy_tree_lists_every_domain_and_subtask(capsys):
    assert main(["taxonomy"]) == 0
    out = capsys.readouterr().out
    tax = load_taxonomy()
    for item in (*tax.domains, *tax.subtasks):
        assert f"{item.name} [{item.id}]" in out
    assert "total: 11 domains, 51 subtasks, 80,700 instructions" in out
    assert "Remove [remove] 7,200" in out


def test_taxonomy_check_compiles_every_subtask(capsys):
    assert main(["taxonomy", "--check", "--format", "table"]) == 0
    assert "remove" in capsys.readouterr().out


def test_taxonomy_json_and_table(capsys):
    assert main(["taxonomy", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["domains"]) == 11
    assert sum(len(d["subtasks"]) for d in data["domains"]) == len(load_taxonomy())
    assert main(["taxonomy", "--format", "table"]) == 0
    assert "relative_position" in capsys.readouterr().out


def test_sample_prints_instructions_and_specs(capsys, user_dir):
    assert main(["sample", "animal_counting", "-n", "5", "--seed", "0", "--taxonomy", str(user_dir)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 5 and all(line.startswith("[") for line in lines)
    assert main(["sample", "animal_counting", "-n", "3", "--difficulty", "2", "--json", "--taxonomy", str(user_dir)]) == 0
    specs = [InstructionSpec.from_json(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert len(specs) == 3 and {s.difficulty for s in specs} == {2}


def test_sample_unknown_subtask_lists_close_ids(capsys, user_dir):
    assert main(["sample", "animal_countin", "--taxonomy", str(user_dir)]) == 2
    err = capsys.readouterr().err
    assert "unknown subtask 'animal_countin'" in err and "animal_counting" in err


def test_plan_writes_one_spec_per_line(tmp_path, capsys, user_dir):
    out = tmp_path / "plan.jsonl"
    args = ["plan", "--total", "60", "--seed", "0", "--out", str(out), "--taxonomy", str(user_dir), "--subtasks", "animal_counting"]
    assert main(args) == 0
    specs = [InstructionSpec.from_json(line) for line in out.read_text().splitlines()]
    assert len(specs) == 60 and {s.subtask for s in specs} == {"animal_counting"}
    record = json.loads(out.read_text().splitlines()[0])
    for key in ("id", "kind", "domain", "subtask", "template_id", "difficulty", "seed", "instruction", "slots"):
        assert key in record
    assert "animal_counting" in capsys.readouterr().out  # the per-subtask summary
    assert not list(tmp_path.glob(".plan.jsonl.*"))  # no temp file left behind


def test_plan_with_counts_file_and_mix(tmp_path, capsys, user_dir):
    counts = tmp_path / "counts.yaml"
    counts.write_text("animal_counting: 25\ntiny_task: 4\n")
    out = tmp_path / "plan.jsonl"
    args = ["plan", "--counts", str(counts), "--difficulty-mix", "1=1", "--out", str(out), "--taxonomy", str(user_dir), "--quiet"]
    assert main(args) == 0
    specs = [InstructionSpec.from_json(line) for line in out.read_text().splitlines()]
    assert sorted(s.subtask for s in specs).count("animal_counting") == 25
    assert {s.difficulty for s in specs} == {1}


def test_plan_over_capacity_fails_naming_subtask_and_capacity(tmp_path, capsys, user_dir):
    out = tmp_path / "plan.jsonl"
    assert main(["plan", "--out", str(out), "--taxonomy", str(user_dir), "--subtasks", "tiny_task"]) == 2
    err = capsys.readouterr().err
    assert "tiny_task" in err and "quota 10000" in err and "estimated capacity" in err
    assert not out.exists()


def test_ogi_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "ogi_toolkit.cli", "taxonomy", "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["domains"]) == 11
