"""Planning with a calibration file: mixes (and quotas) move toward the sweet spot, totals stay,
every shaped spec records it; bad files get one clear line."""
import json
from collections import Counter

import pytest

from ogi_toolkit.cli import main
from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.planning import plan
from ogi_toolkit.templates.sampler import split


def _calibration(path, cells):
    rows = [{"subtask": s, "difficulty": g, "n": 3, "strong_pass": 1.0, "weak_pass": 1 - share, "sweet_spot": share}
            for s, g, share in cells]
    path.write_text(json.dumps({"strong": {"label": "sketch"}, "weak": {"label": "sketch-ablated"}, "cells": rows,
                                "verdict_sources": ["pixel_checks"]}))
    return path


@pytest.fixture
def calib(tmp_path):
    # counting: grade 1 never in the sweet spot, 2 and 3 always; style: nowhere
    return _calibration(tmp_path / "calibration.json", [
        ("object_counting", 1, 0.0), ("object_counting", 2, 1.0), ("object_counting", 3, 1.0),
        ("artistic_traditions", 1, 0.0), ("artistic_traditions", 2, 0.0), ("artistic_traditions", 3, 0.0)])


def _grades(specs, subtask):
    return dict(sorted(Counter(s.difficulty for s in specs if s.subtask == subtask).items()))


def test_the_mix_moves_to_the_sweet_spot_as_the_file_says(calib):
    counts = {"object_counting": 60, "artistic_traditions": 30, "containment": 30}
    base = plan(counts=counts, seed=0)
    shaped = plan(counts=counts, seed=0, calibration=calib)
    assert len(shaped) == len(base) == 120
    assert _grades(shaped, "object_counting") == {2: 30, 3: 30}  # sweet spot 0, 1, 1 -> mix 0, .5, .5
    assert _grades(shaped, "artistic_traditions") == _grades(base, "artistic_traditions")  # no sweet spot: unchanged
    assert _grades(shaped, "containment") == _grades(base, "containment")  # not calibrated
    record = next(s for s in shaped if s.subtask == "object_counting").calibration
    assert record["mix"] == {"1": 0.0, "2": 0.5, "3": 0.5} and record["mix_before"] == {"1": 0.3, "2": 0.4, "3": 0.3}
    assert record["weak"] == "sketch-ablated" and len(record["sha256"]) == 64
    assert all(s.calibration == record for s in shaped if s.subtask == "object_counting")
    assert all(s.calibration is None for s in shaped if s.subtask == "containment")


def test_half_strength_moves_half_way(calib):
    shaped = plan(counts={"object_counting": 100}, seed=0, calibration=calib, calibration_strength=0.5)
    # (0.3, 0.4, 0.3) half way to (0, 0.5, 0.5)
    assert _grades(shaped, "object_counting") == split(100, {1: 0.15, 2: 0.45, 3: 0.4})


def test_quotas_move_among_calibrated_subtasks_and_the_total_stays(calib):
    counts = {"object_counting": 50, "artistic_traditions": 50, "containment": 20}
    shaped = plan(counts=counts, seed=0, calibration=calib, calibration_quotas=True, calibration_strength=0.5)
    per = Counter(s.subtask for s in shaped)
    assert sum(per.values()) == 120 and per["containment"] == 20
    assert per["object_counting"] == 75 and per["artistic_traditions"] == 25  # half way from 50/50 to 100/0
    assert next(s for s in shaped if s.subtask == "object_counting").calibration["quota_before"] == 50


@pytest.mark.parametrize("cell, expected", [
    ({"subtask": "no_such_subtask", "difficulty": 1, "n": 1, "strong_pass": 1, "weak_pass": 0, "sweet_spot": 1},
     "cells[0].subtask: 'no_such_subtask' is not a subtask"),
    ({"subtask": "object_counting", "difficulty": 9, "n": 1, "strong_pass": 1, "weak_pass": 0, "sweet_spot": 1},
     "cells[0].difficulty: 9 is not a grade of object_counting"),
    ({"subtask": "object_counting", "difficulty": 1, "n": 1, "strong_pass": 1, "weak_pass": 0, "sweet_spot": 1.5},
     "cells[0].sweet_spot: expected a rate between 0 and 1"),
])
def test_a_bad_calibration_file_is_named_with_its_key(tmp_path, cell, expected):
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"strong": "a", "weak": "b", "cells": [cell]}))
    with pytest.raises(ValueError) as err:
        plan(counts={"object_counting": 10}, calibration=path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_ogi_plan_takes_the_calibration(calib, tmp_path, capsys):
    out = tmp_path / "plan.jsonl"
    assert main(["plan", "--counts", str(_counts(tmp_path)), "--calibration", str(calib), "--out", str(out),
                 "--workers", "1", "--quiet"]) == 0
    specs = [json.loads(line) for line in out.read_text().splitlines()]
    assert Counter(s["difficulty"] for s in specs) == {2: 10, 3: 10}
    assert all(s["calibration"]["file"] == "calibration.json" for s in specs)
    missing = tmp_path / "absent.json"
    assert main(["plan", "--total", "10", "--calibration", str(missing), "--out", str(out), "--quiet"]) == 2
    assert f"{missing}: cannot read the calibration file" in capsys.readouterr().err


def _counts(tmp_path):
    path = tmp_path / "counts.yaml"
    path.write_text("object_counting: 20\n")
    return path


def test_the_taxonomy_still_has_the_grades_these_tests_name():
    tax = load_taxonomy()
    assert tax.subtask("object_counting").mix() == {1: 0.3, 2: 0.4, 3: 0.3}


def test_a_user_mix_is_the_base_the_calibration_moves(calib):
    shaped = plan(counts={"object_counting": 40}, difficulty_mix="1=.5,2=.5", calibration=calib, calibration_strength=0.5)
    # (0.5, 0.5, 0) half way to (0, 0.5, 0.5)
    assert _grades(shaped, "object_counting") == {1: 10, 2: 20, 3: 10}


def test_a_calibration_whose_verdicts_came_from_no_pixel_check_or_judge_is_refused(calib, tmp_path, capsys):
    """Before checks read the pixels, a calibration's verdicts compared specs with the renderer's
    record: `ogi plan --calibration` must not shape a plan with them."""
    data = json.loads(calib.read_text())
    for sources in (None, [], ["renderer_record"]):
        old = tmp_path / "old.json"
        old.write_text(json.dumps({**data, "verdict_sources": sources} if sources is not None else
                                  {k: v for k, v in data.items() if k != "verdict_sources"}))
        assert main(["plan", "--total", "10", "--calibration", str(old), "--out", str(tmp_path / "p.jsonl"),
                     "--quiet"]) == 2
        err = capsys.readouterr().err
        assert f"{old}: verdict_sources" in err and "no pixel check or judge" in err
