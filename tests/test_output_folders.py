"""Where commands may write a folder (#22 item 1): never onto, around or inside an input, never
over a file or device, and ``--overwrite`` replaces only what the same command wrote before (its
marker file lists it), never foreign files."""
from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest
from dataset_fixtures import make_dataset

from ogi_toolkit.cli import main
from ogi_toolkit.folder.output import MARKER, OutputRefused, check_output, staged_output

FORMATS = ["hf", "opengpt", "pix2pix", "control-folder", "image-caption"]


def ogi(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, err.getvalue()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def data(tmp_path) -> Path:
    make_dataset(tmp_path / "ds")
    (tmp_path / "ds" / "checks.jsonl").write_text("")  # `ogi filter` needs check results to start
    return tmp_path / "ds"


def writers(data: Path) -> dict[str, list]:
    """Every command that replaces a folder, as argv without --out."""
    opengpt = data.parent / "og"
    if not opengpt.exists():
        assert ogi("export", data, "--format", "opengpt", "--out", opengpt)[0] == 0
    commands = {f"export-{f}": ["export", data, "--format", f] for f in FORMATS}
    commands |= {"subset": ["subset", data, "--sizes", "2", "--target", "dataset"], "split": ["split", data],
                 "filter": ["filter", data], "import-opengpt": ["import-opengpt", opengpt]}
    return commands


WRITERS = [f"export-{f}" for f in FORMATS] + ["subset", "split", "filter", "import-opengpt"]


@pytest.mark.parametrize("name", WRITERS)
def test_out_onto_around_or_inside_the_input_is_refused_and_the_input_kept(data, name, monkeypatch):
    argv = writers(data)[name]
    source = Path(argv[1])
    before = snapshot(source)
    monkeypatch.chdir(data.parent)
    for out, why in [(source, "is the input"), (Path("."), "contains the input"),
                     (source / "images", "lies inside the input")]:
        code, err = ogi(*argv, "--out", out, "--overwrite")
        assert code == 2 and why in err and "Traceback" not in err, (out, err)
        assert snapshot(source) == before
    assert sorted(p.name for p in data.parent.iterdir() if p.name.startswith(".")) == []  # no stage left


@pytest.mark.parametrize("name", WRITERS)
def test_overwrite_never_removes_foreign_files(data, name):
    argv = writers(data)[name]
    out = data.parent / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    code, err = ogi(*argv, "--out", out, "--overwrite")
    assert code == 2 and f"did not write (no valid {MARKER})" in err, err
    assert snapshot(out) == {"notes.txt": b"mine"}


@pytest.mark.parametrize("name", ["export-hf", "export-control-folder", "subset", "filter", "import-opengpt"])
def test_overwrite_replaces_what_the_command_wrote_and_only_that(data, name):
    argv = writers(data)[name]
    out = data.parent / "out"
    assert ogi(*argv, "--out", out)[0] in (0, 1)
    marker = json.loads((out / MARKER).read_text())
    assert marker["command"] == f"ogi {argv[0]}" and set(marker["paths"]) == set(snapshot(out)) - {MARKER} | {
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()}
    code, err = ogi(*argv, "--out", out)
    assert code == 2 and "pass --overwrite" in err
    assert ogi(*argv, "--out", out, "--overwrite")[0] in (0, 1)  # its own output: replaced
    (out / "later.txt").write_text("added by hand")
    code, err = ogi(*argv, "--out", out, "--overwrite")
    assert code == 2 and "later.txt" in err and (out / "later.txt").read_text() == "added by hand"


def test_overwrite_refuses_another_commands_output(data):
    out = data.parent / "out"
    assert ogi("export", data, "--format", "hf", "--out", out)[0] == 0
    code, err = ogi("filter", data, "--out", out, "--overwrite")
    assert code == 2 and "written by ogi export, not ogi filter" in err


def test_split_may_still_go_to_its_default_inside_the_dataset(data):
    assert ogi("split", data)[0] == 0
    assert (data / "splits" / "train" / "manifest.jsonl").is_file()
    assert ogi("split", data, "--overwrite")[0] == 0


@pytest.mark.parametrize("argv", [
    ["generate", "{plan}", "--out", "{file}"], ["generate", "{plan}", "--out", "/dev/null"],
    ["analyse", "{plan}", "--out", "{file}"], ["figures", "--no-paper", "--out", "{file}"],
    ["calibrate", "--strong", "sketch", "--weak", "sketch-ablated", "--out", "{file}"],
    ["demo", "--out", "{file}"]])
def test_folder_writers_refuse_an_out_that_is_not_a_folder(tmp_path, argv):
    plan, file = tmp_path / "plan.jsonl", tmp_path / "file.txt"
    plan.write_text("")
    file.write_text("keep")
    code, err = ogi(*[a.format(plan=plan, file=file) for a in argv])
    assert code == 2 and "exists and is not a folder" in err and "Traceback" not in err, err
    assert file.read_text() == "keep" and Path("/dev/null").is_char_device()


def test_folder_writers_refuse_an_out_overlapping_their_input(data):
    plan = data.parent / "plan.jsonl"
    plan.write_text("")
    for argv, why in [(["generate", plan, "--out", data.parent], "contains the input"),
                      (["analyse", data, "--out", data], "is the input"),
                      (["analyse", data, "--out", data / "images"], "lies inside the input"),
                      (["figures", "--no-paper", "--data", data, "--out", data], "is the input")]:
        code, err = ogi(*argv)
        assert code == 2 and why in err, (argv, err)


def test_symlinks_are_followed_and_loops_refused(tmp_path):
    (tmp_path / "ds").mkdir()
    os.symlink(tmp_path / "ds", tmp_path / "alias")
    with pytest.raises(OutputRefused, match="is the input"):
        check_output(tmp_path / "alias", inputs=[tmp_path / "ds"])
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    with pytest.raises(OutputRefused, match="looping symlink"):
        check_output(tmp_path / "loop")


def test_a_failed_build_leaves_the_earlier_output(tmp_path):
    with staged_output(tmp_path / "out", command="ogi x") as stage:
        (stage / "a.txt").write_text("first")
    with pytest.raises(RuntimeError), staged_output(tmp_path / "out", command="ogi x", overwrite=True) as stage:
        (stage / "a.txt").write_text("second")
        raise RuntimeError("interrupted")
    assert (tmp_path / "out" / "a.txt").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
