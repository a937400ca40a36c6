"""Check pass rates by domain, subtask and difficulty: from the checks.jsonl columns into
the analysis tables and report."""
import json

import pandas as pd

from ogi_toolkit.analysis import analyse
from ogi_toolkit.analysis.io import load_prompts
from ogi_toolkit.analysis.quality import pass_rates_by
from ogi_toolkit.quality import check
from quality_fixtures import make_sketch_dataset


def test_pass_rates_by_group_count_checked_and_judged_items():
    df = pd.DataFrame({"subtask": ["a", "a", "b", "b"], "check_passed": [True, False, True, None],
                       "judge_passed": [True, None, False, False], "judge_score": [0.9, None, 0.2, 0.4]})
    table = pass_rates_by(df, "subtask")
    assert table.loc["a", "check_pass_rate"] == 0.5 and table.loc["b", "checked"] == 1
    assert table.loc["b", "judge_pass_rate"] == 0.0 and table.loc["b", "mean_judge_score"] == 0.3
    assert pass_rates_by(df.drop(columns=["check_passed", "judge_passed", "judge_score"]), "subtask").empty
    # a check that could not run (text without Tesseract) is its own column, never a pass
    df["checks_not_checked"] = [["text.present"], [], [], []]
    table = pass_rates_by(df, "subtask")
    assert table.loc["a", "check_pass_rate"] == 0.0 and table.loc["a", "not_checked_rate"] == 0.5


def test_analyse_reports_check_pass_rates(tmp_path):
    root = make_sketch_dataset(tmp_path / "data")
    run = check(root, workers=1)
    failing = run.lines[0]["id"]
    lines = [json.loads(l) for l in (root / "checks.jsonl").read_text().splitlines()]
    lines[0]["passed"] = False  # one item failed: its subtask's rate shows it
    (root / "checks.jsonl").write_text("".join(json.dumps(l) + "\n" for l in lines))
    df = load_prompts(root)
    assert df.set_index("id").loc[failing, "check_passed"] == False  # noqa: E712
    analyse(root, tmp_path / "report", umap=False, images=False)
    by_subtask = pd.read_csv(tmp_path / "report" / "tables" / "quality_by_subtask.csv", index_col=0)
    subtask = df.set_index("id").loc[failing, "subtask"]
    n = (df["subtask"] == subtask).sum()
    assert by_subtask.loc[subtask, "check_pass_rate"] == round((n - 1) / n, 4)
    assert "Check pass rates by domain" in (tmp_path / "report" / "report.md").read_text()
