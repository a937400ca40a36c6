"""Small refusals (#22 item 9): ``--workers 0`` and ``-3`` were accepted (``ogi plan`` took 0 as
"the default" and passed -3 on); the lock message told ``ogi judge`` users to "use another
--out", a flag judge does not have."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from dataset_fixtures import make_dataset

from ogi_toolkit.calls.lock import RunLock
from ogi_toolkit.cli import main


def ogi(*argv) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse
            code = exc.code
    return code, err.getvalue()


@pytest.mark.parametrize("value", ["0", "-3", "two"])
def test_workers_must_be_a_positive_integer(tmp_path, value):
    out = tmp_path / "plan.jsonl"
    code, err = ogi("plan", "--total", "5", "--quiet", "--workers", value, "--out", out)
    assert code == 2 and "--workers: expected an integer >= 1" in err and not out.exists(), err
    code, err = ogi("check", tmp_path, "--workers", value)
    assert code == 2 and "--workers: expected an integer >= 1" in err, err


def test_a_busy_folder_tells_judge_users_what_judge_can_do(tmp_path):
    make_dataset(tmp_path / "ds")
    with RunLock(Path(tmp_path / "ds")):
        code, err = ogi("judge", tmp_path / "ds", "--base-url", "http://127.0.0.1:9/v1", "--no-progress")
    assert code == 2 and "another run is writing to" in err and "--out" not in err, err
