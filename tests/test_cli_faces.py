"""What the commands print when the input is wrong, and that they print no progress bars of
the libraries under them: checked before anything is loaded or built, one line each."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

from dataset_fixtures import make_dataset

from ogi_toolkit.cli import main

ROOT = Path(__file__).resolve().parents[1]


def ogi(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def ogi_process(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    env.pop("HF_HUB_DISABLE_PROGRESS_BARS", None)
    return subprocess.run([sys.executable, "-m", "ogi_toolkit.cli", *argv], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def test_analyse_errors_are_one_line_without_quotes(tmp_path):
    (tmp_path / "p.tsv").write_text("Prompt\tCategory\na cat\tAnimals\n")
    code, _, err = ogi("analyse", str(tmp_path / "p.tsv"), "--text-column", "Caption", "--out", str(tmp_path / "o"))
    assert code == 2 and err.startswith(f"ogi analyse: error: {tmp_path / 'p.tsv'}: no text column 'Caption'")
    assert err.count("\n") == 1


def test_analyse_checks_the_model_before_loading_anything(tmp_path):
    (tmp_path / "one.txt").write_text("a cat on a mat\n")
    code, _, err = ogi("analyse", str(tmp_path / "one.txt"), "--out", str(tmp_path / "o"), "--model", "no-such-model")
    assert code == 2 and "model 'no-such-model': no such folder, and not in the Hugging Face cache" in err
    assert "Traceback" not in err and "Loading" not in err and not (tmp_path / "o").exists()


def test_export_of_a_plan_says_it_is_a_plan(tmp_path):
    (tmp_path / "plan.jsonl").write_text('{"id": "a", "subtask": "remove", "instruction": "Remove it."}\n')
    code, _, err = ogi("export", str(tmp_path / "plan.jsonl"), "--format", "hf", "--out", str(tmp_path / "hf"))
    assert code == 2 and "plan (one instruction spec per line), not a dataset folder" in err
    assert "ogi generate" in err and "items None" not in err


def test_export_into_a_full_folder_refuses_before_building_and_names_the_flag(tmp_path):
    make_dataset(tmp_path / "data")
    (tmp_path / "data" / "manifest.jsonl").write_text("this would fail to parse if it were read first\n", encoding="utf-8")
    (tmp_path / "hf").mkdir()
    (tmp_path / "hf" / "keep.txt").write_text("mine")
    code, _, err = ogi("export", str(tmp_path / "data"), "--format", "hf", "--out", str(tmp_path / "hf"))
    assert code == 2 and "already exists and is not empty; pass --overwrite" in err and "overwrite=True" not in err
    assert sorted(p.name for p in (tmp_path / "hf").iterdir()) == ["keep.txt"]


def test_figures_needs_an_out_folder(tmp_path):
    code, _, err = ogi("figures")
    assert code == 2 and "--out" in err


def test_no_progress_bars_leak_into_command_output(tmp_path):
    make_dataset(tmp_path / "data")
    export = ogi_process("export", "data", "--format", "hf", "--out", "hf", cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    (tmp_path / "p.txt").write_text("a red cube on a table\na blue ball under a chair\n")
    analyse = ogi_process("analyse", "p.txt", "--out", "rep", cwd=tmp_path)
    assert analyse.returncode == 0, analyse.stderr
    for result in (export, analyse):
        text = result.stdout + result.stderr
        assert "it/s" not in text and "%|" not in text and "Loading weights" not in text, text[-2000:]


def test_analyse_progress_names_each_stage_on_a_terminal():
    import io

    from ogi_toolkit.analysis.report import STAGES, _Timer

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    timer = _Timer(progress=True, stream=screen)
    for name in STAGES[:3]:
        with timer(name):
            pass
    timer.close()
    shown = screen.getvalue()
    assert all(name in shown for name in STAGES[:3]) and f"{len(STAGES)}/{len(STAGES)}" in shown, shown


def test_analyse_a_prompt_file_with_empty_labels(tmp_path):
    # an empty label was read back from counts_<col>.csv as NaN, which matplotlib refused as a bar name
    (tmp_path / "p.tsv").write_text("Prompt\tCategory\na red cube on a table\tObjects\n"
                                    "a blue ball under a chair\t\na green cat on a mat\tAnimals\n")
    code, _, err = ogi("analyse", str(tmp_path / "p.tsv"), "--text-column", "Prompt", "--label-column", "Category",
                       "--out", str(tmp_path / "o"))
    assert code == 0, err
    assert (tmp_path / "o" / "figures" / "counts_Category.png").is_file()
