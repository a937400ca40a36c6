"""ogi analyse A --compare B: two plans side by side (templated vs rewritten)."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from generate_fixtures import generation, poster, write_plan

from ogi_toolkit.analysis.compare import compare_plans, constraint_keeping
from ogi_toolkit.spec import RewriteNote


VARIED = ["A red apple on a wooden table", "Two cats asleep on a sunny windowsill", "A lighthouse in a storm at night",
          "Three bicycles leaning on a brick wall", "A bowl of ramen with chopsticks", "An astronaut planting a flag on Mars",
          "A child flying a kite on a beach", "A violin resting on sheet music", "A snowy mountain cabin with smoke",
          "Four teacups stacked in a tower", "A fox crossing a frozen river", "A neon diner on an empty highway"]


def _rewritten(spec, text, status="rewritten"):
    return spec.model_copy(update={"instruction": text,
                                   "rewrite": RewriteNote(original=spec.instruction, status=status)})


@pytest.fixture()
def plans(tmp_path):
    templated = [generation(i, prompt=p) for i, p in enumerate(VARIED)] + [poster()]
    # B: the varied items become one sentence with a number changed (near-duplicates), and the
    # poster loses its text.
    rewritten = [_rewritten(s, f"A wooden table holding exactly {i + 2} red apple fruits, shot in soft daylight")
                 for i, s in enumerate(templated[:-1])]
    rewritten.append(_rewritten(poster(), "A shop sign above a door, the words on it glowing"))
    return write_plan(tmp_path / "plan.jsonl", templated), write_plan(tmp_path / "plan.rewritten.jsonl", rewritten)


def test_constraint_keeping_counts_the_items_that_lost_an_exact_text(plans):
    from ogi_toolkit.analysis.compare import read_specs

    a, b = (read_specs(p) for p in plans)
    keeping = constraint_keeping(a, b)
    assert (keeping["paired"], keeping["kept_all"]) == (13, 12)
    assert keeping["examples"][0]["id"] == "gen-text"
    assert "text 'OPEN LATE' not kept verbatim" in keeping["examples"][0]["problems"]
    assert constraint_keeping(a, a)["share"] == 1.0


def test_compare_writes_both_plans_side_by_side(plans, tmp_path):
    a, b = plans
    summary = compare_plans(a, b, tmp_path / "cmp", labels=("templated", "rewritten"), cache_dir=tmp_path / "cache")
    table = pd.read_csv(tmp_path / "cmp" / "compare.csv", index_col="metric")
    assert list(table.columns) == ["templated", "rewritten", "rewritten - templated"]
    assert table.loc["constraint_keeping_share", "templated"] == 1.0
    assert table.loc["constraint_keeping_share", "rewritten"] == pytest.approx(12 / 13)
    # The rewritten items differ only in a number: more near-duplicates, fewer distinct bigrams.
    assert table.loc["near_duplicate_pairs", "rewritten"] > table.loc["near_duplicate_pairs", "templated"]
    assert table.loc["distinct_2", "rewritten"] < table.loc["distinct_2", "templated"]
    assert summary["rewrite_status"] == {"rewritten": 13} and summary["items_changed"] == 13
    examples = pd.read_csv(tmp_path / "cmp" / "examples.csv")
    assert len(examples) == 13 and set(examples.columns) == {"id", "subtask", "templated", "rewritten"}
    assert "OPEN LATE" in (tmp_path / "cmp" / "compare.md").read_text()
    assert json.loads((tmp_path / "cmp" / "compare.json").read_text())["constraint_keeping"]["kept_all"] == 12


def test_the_cli_compares_and_a_bad_plan_line_is_named(plans, tmp_path):
    a, b = plans
    run = subprocess.run([sys.executable, "-m", "ogi_toolkit.cli", "analyse", str(a), "--compare", str(b),
                          "--out", str(tmp_path / "cli"), "--cache-dir", str(tmp_path / "cache")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "constraint_keeping_share" in run.stdout and (tmp_path / "cli" / "compare.md").exists()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(a.read_text() + '{"id": "x"}\n')
    run = subprocess.run([sys.executable, "-m", "ogi_toolkit.cli", "analyse", str(a), "--compare", str(bad),
                          "--out", str(tmp_path / "bad")], capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and "bad.jsonl" in run.stderr
