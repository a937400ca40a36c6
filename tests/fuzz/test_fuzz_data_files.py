"""Mutated taxonomy and pool files through ``ogi taxonomy``, ``ogi sample`` and ``ogi plan``.

For every mutated file (``mutations.py``): no traceback, no command past 10 s, and no bad file
silently accepted. A mutation known to break the file must be refused by every command with
one line naming the file; any other mutation must get the same verdict from every command
that reads the file (a file ``ogi taxonomy`` lists but ``ogi plan`` rejects was accepted
silently). Commands run in-process (fast); a few run as real CLI processes too.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mutations import POOL_BAD, POOL_UNKNOWN, TAXONOMY_BAD, TAXONOMY_UNKNOWN, Mutation, cases

from ogi_toolkit.cli import main
from ogi_toolkit.definition import pools as pools_module
from ogi_toolkit.definition.taxonomy import load_taxonomy
from ogi_toolkit.paths import POOLS_DIR, PROJECT_DIR, TAXONOMY_DIR

SECONDS = 10  # no command may take longer on a mutated file
# Small domain files, between them: params, YAML anchors shared by subtasks, folded texts.
TAXONOMY_FILES = ["style_control.yaml", "multi_turn_editing.yaml"]
POOL_FILES = ["qualifiers/colours.yaml", "qualifiers/sizes.yaml", "relations/relations.yaml", "styles/styles.yaml"]

TAXONOMY_CASES = cases(TAXONOMY_BAD, TAXONOMY_FILES, 2, seed=11) + cases(TAXONOMY_UNKNOWN, TAXONOMY_FILES, 3, seed=12)
POOL_CASES = cases(POOL_BAD, POOL_FILES, 2, seed=21) + cases(POOL_UNKNOWN, POOL_FILES, 2, seed=22)


def test_enough_cases():
    assert len(TAXONOMY_CASES) >= 60 and len(POOL_CASES) >= 30


def _mutate(path: Path, mutation, files: list[str], name: str, seed: int, root: Path) -> Path:
    """Apply ``mutation`` to ``name`` (or, when it has nothing to change there, the next file)."""
    for candidate in [name] + [f for f in files if f != name]:
        target = root / candidate
        try:
            target.write_bytes(mutation.apply(target.read_bytes(), random.Random(seed)))
            return target
        except LookupError:
            continue
    pytest.skip(f"{mutation.name}: nothing to mutate in {files}")


def _call(args: list[str], capsys) -> tuple[int, str]:
    """One command in-process: (exit code, stderr); any exception escaping ``main`` fails."""
    started = time.monotonic()
    try:
        rc = main(args)
    except BaseException as exc:  # noqa: BLE001 - a traceback is what this test looks for
        pytest.fail(f"ogi {' '.join(args)} raised {type(exc).__name__}: {exc}")
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert elapsed < SECONDS, f"ogi {args[0]} took {elapsed:.1f} s"
    assert "Traceback" not in err
    return rc, err


def _check_verdicts(mutation, target: Path, results: dict[str, tuple[int, str]]) -> None:
    codes = {command: rc for command, (rc, _) in results.items()}
    assert set(codes.values()) <= {0, 2}, results
    for command, (rc, err) in results.items():
        if rc == 2:
            lines = err.strip().splitlines()
            assert len(lines) == 1, f"ogi {command}: {err}"
            assert str(target) in lines[0], f"ogi {command} did not name {target}: {err}"
    if mutation.bad:
        assert set(codes.values()) == {2}, f"{mutation.name} accepted by {[c for c, rc in codes.items() if rc == 0]}"
    else:
        assert len(set(codes.values())) == 1, f"{mutation.name}: commands disagree: {results}"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mutation,name,seed", TAXONOMY_CASES,
                         ids=[f"{m.name}-{n.split('.')[0]}-{i}" for i, (m, n, _) in enumerate(TAXONOMY_CASES)])
def test_mutated_taxonomy_file(tmp_path, capsys, mutation, name, seed):
    folder = tmp_path / "taxonomy"
    folder.mkdir()
    for file in ["domains.yaml", *TAXONOMY_FILES]:
        shutil.copy(TAXONOMY_DIR / file, folder / file)
    target = _mutate(folder, mutation, TAXONOMY_FILES, name, seed, folder)
    rc, err = _call(["taxonomy", "--taxonomy", str(folder)], capsys)
    subtask = load_taxonomy(folder).subtasks[0].id if rc == 0 else "artistic_traditions"
    results = {
        "taxonomy": (rc, err),
        "sample": _call(["sample", subtask, "-n", "2", "--taxonomy", str(folder)], capsys),
        "plan": _call(["plan", "--total", "8", "--workers", "1", "--quiet", "--taxonomy", str(folder),
                       "--out", str(tmp_path / "plan.jsonl")], capsys),
    }
    _check_verdicts(mutation, target, results)
    assert (tmp_path / "plan.jsonl").exists() == (results["plan"][0] == 0)


@pytest.fixture()
def pool_copy(tmp_path, monkeypatch):
    root = tmp_path / "pools"
    shutil.copytree(POOLS_DIR, root, ignore=shutil.ignore_patterns("README.md"))
    monkeypatch.setattr(pools_module, "POOLS_DIR", root)  # what sample and plan load by default
    return root


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mutation,name,seed", POOL_CASES,
                         ids=[f"{m.name}-{Path(n).stem}-{i}" for i, (m, n, _) in enumerate(POOL_CASES)])
def test_mutated_pool_file(tmp_path, capsys, pool_copy, mutation, name, seed):
    target = _mutate(pool_copy, mutation, POOL_FILES, name, seed, pool_copy)
    results = {
        "sample": _call(["sample", "relative_position", "-n", "2"], capsys),
        "plan": _call(["plan", "--total", "51", "--workers", "1", "--quiet", "--out", str(tmp_path / "plan.jsonl")],
                      capsys),
    }
    _check_verdicts(mutation, target, results)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mutation_name", ["alias_bomb", "bad_utf8", "divide_by_zero", "oversize"])
def test_real_cli_on_mutated_taxonomy(tmp_path, mutation_name):
    """The same as a user runs it: a process per command, killed if it passes 10 s."""
    mutation = next(m for m in TAXONOMY_BAD if m.name == mutation_name)
    folder = tmp_path / "taxonomy"
    folder.mkdir()
    for file in ["domains.yaml", *TAXONOMY_FILES]:
        shutil.copy(TAXONOMY_DIR / file, folder / file)
    target = _mutate(folder, mutation, TAXONOMY_FILES, TAXONOMY_FILES[0], 3, folder)
    for args in (["taxonomy"], ["sample", "artistic_traditions", "-n", "2"],
                 ["plan", "--total", "8", "--out", str(tmp_path / "p.jsonl")]):
        done = subprocess.run([sys.executable, "-m", "ogi_toolkit.cli", *args, "--taxonomy", str(folder)],
                              capture_output=True, text=True, timeout=SECONDS + 20, cwd=PROJECT_DIR)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and str(target) in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


# --- files that are not files, and large valid pools (#22 item 5) -----------------------------

def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _symlink_loop(path: Path) -> None:
    os.symlink(path.name, path)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("make", [_fifo, _symlink_loop], ids=["fifo", "symlink_loop"])
def test_special_taxonomy_file(tmp_path, capsys, make):
    folder = tmp_path / "taxonomy"
    folder.mkdir()
    for file in ["domains.yaml", *TAXONOMY_FILES]:
        shutil.copy(TAXONOMY_DIR / file, folder / file)
    target = folder / "extra.yaml"
    make(target)
    results = {
        "taxonomy": _call(["taxonomy", "--taxonomy", str(folder)], capsys),
        "sample": _call(["sample", "artistic_traditions", "-n", "2", "--taxonomy", str(folder)], capsys),
        "plan": _call(["plan", "--total", "8", "--workers", "1", "--quiet", "--taxonomy", str(folder),
                       "--out", str(tmp_path / "plan.jsonl")], capsys),
    }
    _check_verdicts(Mutation(make.__name__, True, None), target, results)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("make", [_fifo, _symlink_loop], ids=["fifo", "symlink_loop"])
def test_special_pool_file(tmp_path, capsys, pool_copy, make):
    target = pool_copy / "qualifiers" / "extra.yaml"
    make(target)
    results = {
        "sample": _call(["sample", "relative_position", "-n", "2"], capsys),
        "plan": _call(["plan", "--total", "51", "--workers", "1", "--quiet", "--out", str(tmp_path / "plan.jsonl")],
                      capsys),
    }
    _check_verdicts(Mutation(make.__name__, True, None), target, results)


@pytest.mark.timeout(60)
def test_large_valid_pool_loads_in_seconds(tmp_path, capsys, pool_copy):
    """9,000 more colours (the cap is 10,000 items a file): accepted, and every command stays fast."""
    colours = pool_copy / "qualifiers" / "colours.yaml"
    families = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "grey", "black", "white"]
    words = ["lemon", "rose", "gold", "sky", "sea", "stone", "forest", "cherry", "ash", "sand", "moss"]
    with open(colours, "a", encoding="utf-8") as fh:
        fh.writelines(f'  - {{id: fuzz_{i}, name: {words[i % 11]} tone {i}, hex: "#{i:06X}", '
                      f'family: {families[i % 11]}}}\n' for i in range(9_000))
    assert _call(["sample", "relative_position", "-n", "2"], capsys)[0] == 0
    assert _call(["plan", "--total", "51", "--workers", "1", "--quiet", "--out", str(tmp_path / "plan.jsonl")],
                 capsys)[0] == 0
