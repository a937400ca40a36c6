"""#27 item 7: every `ogi COMMAND ...` line the README shows names a command that exists and only
flags that command's --help lists (a flag the README promises but the parser lacks, or a typo,
fails here); the API commands say how to use the free local server (`--config local`)."""
from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from ogi_toolkit.cli import build_parser

README = Path(__file__).resolve().parents[1] / "README.md"
API_COMMANDS = ("generate", "judge", "rewrite")  # the commands that send requests to a model server


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _code_lines() -> list[tuple[int, str]]:
    """(line number, text) of each `ogi ...` line inside the README's fenced code blocks, with
    the comment after `#` cut and `[...]` optional parts opened."""
    lines, inside, pending = [], False, None
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            inside = not inside
            continue
        text = re.split(r"\s#\s|\s{2,}#", line)[0].strip()
        if pending is not None:  # the rest of a command continued with a backslash
            pending = (pending[0], pending[1] + " " + text)
        elif inside and text.startswith("ogi "):
            pending = (number, text)
        if pending is not None and not pending[1].endswith("\\"):
            lines.append((pending[0], pending[1].replace("[", " ").replace("]", " ")))
            pending = None
        elif pending is not None:
            pending = (pending[0], pending[1][:-1])
    return lines


def _flags(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def test_the_readme_shows_many_commands():
    commands = {shlex.split(text)[1] for _, text in _code_lines()}
    assert len(_code_lines()) > 40 and {"generate", "judge", "subset", "analyse", "export"} <= commands


@pytest.mark.parametrize("number,text", _code_lines(), ids=lambda v: str(v) if isinstance(v, int) else None)
def test_each_readme_command_line_uses_only_flags_its_command_has(number, text):
    parsers = _subparsers()
    words = shlex.split(text)
    command = words[1]
    assert command in parsers, f"README.md:{number}: `ogi {command}` is not a command ({sorted(parsers)})"
    known = _flags(parsers[command])
    flags = [word.split("=")[0] for word in words[2:] if word.startswith("--")]
    unknown = [flag for flag in flags if flag not in known]
    assert not unknown, f"README.md:{number}: `ogi {command}` has no {unknown}; its --help lists {sorted(known)}"


def test_every_api_command_is_shown_with_a_server_and_the_local_config():
    lines = [text for _, text in _code_lines()]
    for command in API_COMMANDS:
        mine = [t for t in lines if shlex.split(t)[1] == command]
        assert any("--config local" in t for t in mine), f"no README line shows `ogi {command} ... --config local`"
        if command != "generate":  # generate's default backend is the offline sketch renderer
            assert all("--backend" in t or "--base-url" in t for t in mine), \
                f"an `ogi {command}` line names no backend or server: {[t for t in mine if '--backend' not in t]}"
        assert "--config" in _flags(_subparsers()[command])


def test_one_row_per_benchmark():
    rows = [line.split("|")[1].strip() for line in README.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and "`python bench/" in line]
    assert len(rows) == len(set(rows)), sorted(r for r in rows if rows.count(r) > 1)
