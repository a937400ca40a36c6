"""Agreement statistics against small cases worked out by hand (the working is in each test)."""
import json
import math

import numpy as np
import pandas as pd
import pytest

from ogi_toolkit.cli import main
from ogi_toolkit.quality.ratings.agreement import (agreement, agreement_table, bootstrap_interval, pass_agreement, spearman,
                                           weighted_kappa)

# A rubric with a 1-3 scale and one criterion keeps the hand computations short.
RUBRIC = """name: tiny
scale: {min: 1, max: 3}
pass_threshold: 0.5
criteria:
  - {name: overall, weight: 1, description: how good it is}
"""
ANA = [1, 2, 3, 3]
JUDGE = [1, 3, 3, 2]
ANA_PASSED = [True, False, True, True]
JUDGE_PASSED = [True, True, True, False]


def test_spearman_by_hand():
    # ranks (ties share the mean rank): ana 1, 2, 3.5, 3.5; judge 1, 3.5, 3.5, 2; both have mean 2.5.
    # deviations: ana -1.5, -0.5, 1, 1; judge -1.5, 1, 1, -0.5
    # covariance sum 2.25 - 0.5 + 1 - 0.5 = 2.25; each variance sum 2.25 + 0.25 + 1 + 1 = 4.5
    # rho = 2.25 / 4.5 = 0.5
    assert spearman(ANA, JUDGE) == pytest.approx(0.5)
    # no ties: x ranks 1..5, y = 3, 4, 5, 9, 8 ranks 1, 2, 3, 5, 4; d = 0, 0, 0, -1, 1
    # rho = 1 - 6 * 2 / (5 * (25 - 1)) = 0.9
    assert spearman([2, 4, 6, 8, 10], [3, 4, 5, 9, 8]) == pytest.approx(0.9)
    assert math.isnan(spearman([5, 5, 5], [1, 2, 3]))  # a constant rater has no ranking


def test_quadratic_kappa_by_hand():
    # weights (i - j)^2 on the scale 1..3. Observed: pairs (1,1) (2,3) (3,3) (3,2) -> 0 + 1 + 0 + 1, mean 0.5.
    # marginals: ana 1/4, 1/4, 1/2; judge 1/4, 1/4, 1/2. Expected = sum_ij p_i q_j (i - j)^2:
    #   i=1: 1/4 * (1/4*0 + 1/4*1 + 1/2*4) = 0.5625
    #   i=2: 1/4 * (1/4*1 + 1/4*0 + 1/2*1) = 0.1875
    #   i=3: 1/2 * (1/4*4 + 1/4*1 + 1/2*0) = 0.625      -> 1.375
    # kappa = 1 - 0.5 / 1.375 = 7/11
    assert weighted_kappa(ANA, JUDGE, [1, 2, 3]) == pytest.approx(7 / 11)
    # A category nobody used still belongs to the scale: with labels 1..4 the weights of 1..3 are
    # unchanged and the unused 4 has zero marginals, so kappa is the same.
    assert weighted_kappa(ANA, JUDGE, [1, 2, 3, 4]) == pytest.approx(7 / 11)
    # One-off everywhere is worse than agreeing: a = 1,2,3 b = 2,3,2 -> observed (1+1+1)/3 = 1;
    # marginals a 1/3 each, b (0, 2/3, 1/3): expected = 1/3*(2/3*1 + 1/3*4) + 1/3*(2/3*0 + 1/3*1)
    # + 1/3*(2/3*1 + 1/3*0) = 1/3*2 + 1/3*1/3 + 1/3*2/3 = 1; kappa = 1 - 1/1 = 0
    assert weighted_kappa([1, 2, 3], [2, 3, 2], [1, 2, 3]) == pytest.approx(0.0)


def test_kappa_and_rho_match_scikit_learn_and_scipy_on_random_scores():
    from scipy.stats import spearmanr
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(3)
    for _ in range(20):
        a = rng.integers(0, 11, size=30)
        b = np.clip(a + rng.integers(-3, 4, size=30), 0, 10)
        assert weighted_kappa(a, b, list(range(11))) == pytest.approx(
            cohen_kappa_score(a, b, labels=list(range(11)), weights="quadratic"))
        assert spearman(a, b) == pytest.approx(spearmanr(a, b).statistic)


def test_pass_agreement_and_bootstrap_by_hand():
    # equal calls on items 1 and 3 of 4
    assert pass_agreement(ANA_PASSED, JUDGE_PASSED) == 0.5
    # Two items, one agreed: a resample is both-agreed (1/4 of the time) -> 1, neither (1/4) -> 0,
    # else 0.5; so the 2.5th percentile is 0 and the 97.5th is 1.
    lo, hi = bootstrap_interval(pass_agreement, np.array([True, True]), np.array([True, False]), n_boot=2000, seed=1)
    assert (lo, hi) == (0.0, 1.0)
    # identical sides agree in every resample
    assert bootstrap_interval(pass_agreement, np.array([True, False, True]), np.array([True, False, True])) == (1.0, 1.0)
    assert all(math.isnan(v) for v in bootstrap_interval(pass_agreement, np.array([True]), np.array([True])))


def _write(path, name, lines):
    path.mkdir(parents=True, exist_ok=True)
    (path / name).write_text("".join(json.dumps(line) + "\n" for line in lines))


def _rated_folder(tmp_path):
    """ana and bo rate items a-d; the judge judged them (its 0-1 scores map to 1 + 2v on the 1..3 scale)."""
    folder = tmp_path / "run1"
    ratings = [{"id": "a", "rater": "ana", "criteria": {"overall": 3}, "passed": False}]  # overwritten below
    for item, score, passed in zip("abcd", ANA, ANA_PASSED):
        ratings.append({"id": item, "rater": "ana", "criteria": {"overall": score}, "passed": passed})
        ratings.append({"id": item, "rater": "bo", "criteria": {"overall": score}, "passed": passed})
    ratings.append({"id": "e", "rater": "ana", "criteria": {}, "passed": None, "skipped": True})
    _write(folder, "ratings.jsonl", ratings)
    judged = [{"id": item, "judge": "gpt-4o-mini", "criteria": {"overall": (score - 1) / 2}, "passed": passed,
               "score": (score - 1) / 2, "error": None} for item, score, passed in zip("abcd", JUDGE, JUDGE_PASSED)]
    judged.append({"id": "e", "judge": "gpt-4o-mini", "criteria": {}, "passed": None, "score": None,
                   "error": {"kind": "unreadable", "message": "x"}})
    _write(folder, "judgments.jsonl", judged)
    (tmp_path / "tiny.yaml").write_text(RUBRIC)
    return folder, tmp_path / "tiny.yaml"


def _value(table, a, b, measure):
    row = table[(table.a == a) & (table.b == b) & (table.measure == measure)]
    assert len(row) == 1, row
    return row.iloc[0]


def test_agreement_table_matches_the_hand_computation(tmp_path):
    folder, rubric = _rated_folder(tmp_path)
    table = agreement_table(folder, rubric=rubric, n_boot=500)
    assert sorted(set(zip(table.a, table.b))) == [("ana", "bo"), ("ana", "judge"), ("bo", "judge")]
    row = _value(table, "ana", "judge", "spearman")
    assert (row.criterion, row.n, row.value) == ("overall", 4, pytest.approx(0.5))
    assert row.lo <= row.value <= row.hi
    assert _value(table, "ana", "judge", "kappa_quadratic").value == pytest.approx(7 / 11)
    passed = _value(table, "ana", "judge", "pass_agreement")
    assert (passed.criterion, passed.n, passed.value) == ("passed", 4, 0.5)  # e: skipped by ana, an error for the judge
    same = table[(table.a == "ana") & (table.b == "bo")]
    assert list(same.value) == [1.0, 1.0, 1.0] and list(same.lo) == [1.0, 1.0, 1.0]


def test_agreement_writes_table_markdown_and_figure(tmp_path):
    folder, rubric = _rated_folder(tmp_path)
    report = agreement(folder, tmp_path / "out", rubric=rubric, n_boot=200)
    csv = pd.read_csv(report.csv)
    assert len(csv) == 9 and csv.loc[(csv.a == "ana") & (csv.b == "judge") & (csv.measure == "kappa_quadratic"), "value"].item() == pytest.approx(7 / 11)
    assert "| ana | judge | overall | 4 | 0.50 [" in report.markdown.read_text()
    assert report.figure.stat().st_size > 10_000


def test_cli_agreement(tmp_path, capsys):
    folder, rubric = _rated_folder(tmp_path)
    assert main(["agreement", str(folder), "--rubric", str(rubric), "--n-boot", "100"]) == 0
    assert (folder / "agreement" / "agreement.png").is_file()
    assert "| ana | judge | passed | 4 |" in capsys.readouterr().out


def test_cli_agreement_errors_name_the_problem(tmp_path, capsys):
    assert main(["agreement", str(tmp_path)]) == 2
    assert f"no ratings at {tmp_path / 'ratings.jsonl'}" in capsys.readouterr().err
    _write(tmp_path, "ratings.jsonl", [{"id": "a", "rater": "ana", "criteria": {"overall": 2}, "passed": True}])
    assert main(["agreement", str(tmp_path)]) == 2
    assert "agreement needs two raters, or ratings and judgments.jsonl" in capsys.readouterr().err


def test_ratings_off_the_scale_are_refused_with_the_line_named(tmp_path, capsys):
    folder, rubric = _rated_folder(tmp_path)
    with open(folder / "ratings.jsonl", "a") as f:
        f.write(json.dumps({"id": "b", "rater": "bo", "criteria": {"overall": 7}, "passed": True}) + "\n")
    assert main(["agreement", str(folder), "--rubric", str(rubric)]) == 2
    assert "ratings.jsonl: rater 'bo', item 'b': overall = 7, expected a whole number from 1 to 3" in capsys.readouterr().err
    with open(folder / "ratings.jsonl", "a") as f:
        f.write(json.dumps({"id": "b", "rater": "bo", "criteria": {"overall": 2}, "passed": True,
                            "scale": {"min": 0, "max": 10}}) + "\n")
    with pytest.raises(ValueError, match=r"rated on the scale \{'min': 0, 'max': 10\}, expected rubric 'tiny'"):
        agreement_table(folder, rubric=rubric)
