"""Output targets that are not regular files or folders (#22 item 3): a FIFO, a socket or a
folder where a file is written, a file where a folder is expected, are refused with one line
and exit code 2, and left as they were (``os.replace`` put a file where ``/dev/full`` was)."""
from __future__ import annotations

import contextlib
import io
import os
import socket
import stat
from pathlib import Path

import pytest

from ogi_toolkit.atomic_io import atomic_write_text
from ogi_toolkit.cli import main


def ogi(*argv) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, err.getvalue()


@pytest.fixture()
def targets(tmp_path) -> dict[str, Path]:
    """Things that are not regular files, made here (never a real device of the machine)."""
    fifo, sock, folder = tmp_path / "fifo.jsonl", tmp_path / "sock.jsonl", tmp_path / "folder.jsonl"
    os.mkfifo(fifo)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    folder.mkdir()
    yield {"a FIFO": fifo, "a socket": sock, "a folder": folder}
    server.close()


def kinds(paths: dict[str, Path]) -> dict[str, int]:
    return {name: stat.S_IFMT(os.lstat(p).st_mode) for name, p in paths.items()}


def test_atomic_writes_never_replace_what_is_not_a_file(targets):
    before = kinds(targets)
    for kind, path in targets.items():
        with pytest.raises(ValueError, match=f"is {kind}, not a regular file"):
            atomic_write_text(path, "x")
    assert kinds(targets) == before


@pytest.mark.parametrize("kind", ["a FIFO", "a socket", "a folder"])
def test_plan_and_rewrite_refuse_an_out_that_is_not_a_file(tmp_path, targets, kind):
    before = kinds(targets)
    code, err = ogi("plan", "--total", "5", "--subtasks", "remove", "--quiet", "--out", targets[kind])
    assert code == 2 and "not a regular file" in err and "Traceback" not in err, err
    plan = tmp_path / "plan.jsonl"
    assert ogi("plan", "--total", "5", "--subtasks", "remove", "--quiet", "--out", plan)[0] == 0
    code, err = ogi("rewrite", plan, "--out", targets[kind], "--base-url", "http://127.0.0.1:9/v1")
    assert code == 2 and "not a regular file" in err, err
    code, err = ogi("rewrite", plan, "--out", plan, "--base-url", "http://127.0.0.1:9/v1")
    assert code == 2 and "is the input" in err
    assert kinds(targets) == before and len(plan.read_text().splitlines()) == 5


def test_commands_given_a_file_for_a_folder_refuse_with_one_line(tmp_path):
    plan = tmp_path / "plan.jsonl"
    assert ogi("plan", "--total", "3", "--subtasks", "remove", "--quiet", "--out", plan)[0] == 0
    not_a_folder = tmp_path / "data.txt"
    not_a_folder.write_text("notes\n")
    for argv in (["check", not_a_folder], ["generate", plan, "--out", not_a_folder],
                 ["generate", plan, "--out", "/dev/null"]):
        code, err = ogi(*argv)
        assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, (argv, err)
    assert not_a_folder.read_text() == "notes\n" and Path("/dev/null").is_char_device()
