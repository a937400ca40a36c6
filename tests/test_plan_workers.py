"""Drawing a plan in several processes: the same plan, errors that name what failed."""
import os
import time

import pytest

from ogi_toolkit.cli import main
from ogi_toolkit.planning import draws_summary, plan, plan_draws, summary
from ogi_toolkit.planning.workers import draw_jobs
from ogi_toolkit.templates.sampler import BuildError, Draw

SUBTASKS = ["remove", "relative_position", "four_turns", "text_replace", "physics", "reference_image"]


def test_workers_give_the_same_plan_as_one_process():
    one = plan(total=600, subtasks=SUBTASKS, seed=3)
    three = plan(total=600, subtasks=SUBTASKS, seed=3, workers=3)
    assert [s.model_dump() for s in three] == [s.model_dump() for s in one]
    assert plan(total=600, subtasks=SUBTASKS, seed=4, workers=3) != three  # and still depends on the seed


def test_draws_in_workers_hold_the_same_lines_specs_and_summary():
    objects = plan_draws(total=300, subtasks=SUBTASKS, seed=1)
    lines = plan_draws(total=300, subtasks=SUBTASKS, seed=1, workers=2)
    assert [d.json_lines() for d in plan_draws(total=300, subtasks=SUBTASKS, seed=1)] == \
        [d.json_lines() for d in lines]
    for a, b in zip(objects, lines):
        assert b.json_lines() == [s.to_json() for s in a.specs()]
        assert b.text_keys() == a.text_keys() and b.templates == a.templates
    specs = [s for d in objects for s in d.specs()]
    by_draws = draws_summary(lines).set_index("subtask").sort_index()
    by_specs = summary(specs).set_index("subtask").sort_index()
    assert by_draws[by_specs.columns].equals(by_specs)


def test_cli_file_is_the_same_for_any_number_of_workers(tmp_path, capsys):
    outs = []
    for workers in (1, 2):
        out = tmp_path / f"plan-{workers}.jsonl"
        assert main(["plan", "--total", "400", "--subtasks", ",".join(SUBTASKS), "--seed", "5", "--out", str(out),
                     "--workers", str(workers), "--quiet"]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b"\n") == 400


def _in_child() -> bool:
    return os.getpid() != PARENT


PARENT = os.getpid()


def _job(i: int) -> Draw:
    time.sleep(0.2)  # slow in the parent, so the worker gets jobs too
    return Draw(f"job{i}", wanted={1: 0})


def test_a_workers_error_is_raised_in_the_parent():
    def failing(i: int) -> Draw:
        if _in_child():
            raise BuildError(f"subtask 'job{i}': builder failed at difficulty 1, seed 7")
        return _job(i)

    with pytest.raises(BuildError, match=r"subtask 'job\d+': builder failed"):
        draw_jobs([(f"job{i}", {}) for i in range(6)], failing, cost=lambda i: 1, workers=2)


def test_a_killed_worker_is_reported_not_waited_for():
    def dying(i: int) -> Draw:
        if _in_child():
            os._exit(3)  # as if killed: no message, no traceback
        return _job(i)

    with pytest.raises(RuntimeError, match=r"plan worker process ended abruptly.*subtasks not drawn: job"):
        draw_jobs([(f"job{i}", {}) for i in range(6)], dying, cost=lambda i: 1, workers=2)


def test_progress_bar_counts_every_spec(capsys):
    plan(total=120, subtasks=SUBTASKS[:3], seed=0, workers=2, progress=True)
    err = capsys.readouterr().err
    assert "plan" in err and "120/120" in err
