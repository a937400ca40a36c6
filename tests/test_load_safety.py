"""Hostile and broken data files (#11 items 2-5, 8, 10): each is refused with one line that
names the file (and subtask, key, byte), by every command that loads it, without hanging."""
from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from definition_helpers import USER_SUBTASK, write_taxonomy

from ogi_toolkit.cli import main
from ogi_toolkit.definition.pool_files import PoolError, read_pool_dir
from ogi_toolkit.definition.taxonomy import TaxonomyError, load_taxonomy
from ogi_toolkit.definition.yaml_files import MAX_FILE_BYTES
from ogi_toolkit.paths import POOLS_DIR
from ogi_toolkit.planning import CapacityError, plan_draws, planner, write_plan
from ogi_toolkit.templates.builders.base import BuildContext
from ogi_toolkit.templates.engine import compile_text, render
from ogi_toolkit.templates.validate import validate_taxonomy
from ogi_toolkit.templates.grammar import normalise, using
from ogi_toolkit.templates.sampler import BuildError, compiled, default_pools, item_rng, sample

# A second subtask for USER_SUBTASK's folder; BUILDER / PARAMS / TEXT are replaced per case.
OTHER = """\
domain: spatial_reasoning
subtasks:
  - id: other_task
    name: Other Task
    target: 100
    definition: Draw one thing.
    boundary: {includes: [one thing]}
    difficulty: {1: one thing}
    builder: BUILDER
    params: PARAMS
    templates:
      - {id: ot_a, text: "Draw {{ thing|a }}."}
      - {id: ot_b, text: "TEXT"}
      - {id: ot_c, text: "A picture of {{ thing|a }} alone."}
      - {id: ot_d, text: "Show {{ thing|a }} on a table."}
      - {id: ot_e, text: "Paint {{ thing|a }}."}
"""
SLOTS_PARAMS = "{slots: {thing: {pool: objects}}}"


def _other(builder: str = "slots", params: str = SLOTS_PARAMS, text: str = "A picture of {{ thing|a }}.") -> str:
    return OTHER.replace("BUILDER", builder).replace("PARAMS", params).replace("TEXT", text)


def _folder(tmp_path: Path, other: str) -> Path:
    return write_taxonomy(tmp_path / "taxonomy", {"mine.yaml": USER_SUBTASK, "other.yaml": other})


def _run(capsys, *args: str) -> tuple[int, str]:
    rc = main(list(args))
    err = capsys.readouterr().err
    return rc, err


# --- item 2: templates run in a sandbox ------------------------------------------------------

@pytest.mark.parametrize("text", [
    "{{ ''.__class__.__mro__[1].__subclasses__()|length }}",
    "{{ thing['__class__'] }}",
    "{{ thing|attr('__class__') }}",
])
def test_dunder_access_is_refused_at_load_naming_file_subtask_and_template(tmp_path, capsys, text):
    folder = _folder(tmp_path, _other(text=text.replace('"', "'")))
    rc, err = _run(capsys, "taxonomy", "--taxonomy", str(folder))
    assert rc == 2
    assert str(folder / "other.yaml") in err and "'other_task'" in err and "'ot_b'" in err and "dunder" in err
    assert len(err.strip().splitlines()) == 1


def test_what_load_time_cannot_see_the_sandbox_refuses_when_rendering():
    template = compile_text("{{ thing|attr('_' ~ '_class__') }}")
    with pytest.raises(Exception, match="unsafe"):
        render(template, {"thing": "apple"})
    # builders' data cannot be changed from a template either (immutable sandbox)
    with pytest.raises(Exception, match="unsafe"):
        render(compile_text("{{ things.append(1) }}"), {"things": [1]})


def test_huge_constants_are_refused_at_load():
    for text in ("{{ 9 ** 100 }}", "{{ 'ab' * 10 ** 6 }}"):
        with pytest.raises(Exception, match="constant expression fails"):
            compile_text(text)


def test_fast_render_equals_jinjas_own_on_every_template():
    """``engine.render`` builds the context itself (3x faster): it must give what Jinja gives."""
    tax = load_taxonomy()
    pools = default_pools()
    checked = 0
    for sub in tax.subtasks:
        cs = compiled(tax, sub.id)
        for grade, templates in cs.templates.items():
            ctx = BuildContext(rng=item_rng(1000 + grade), pools=pools, difficulty=grade,
                               params=sub.params, subtask=sub.id, kind=sub.kind)
            built = cs.builder(ctx)
            context = {**built.slots, **built.words, "difficulty": grade}
            with using(ctx.lexicon):  # as the sampler renders: these pools' articles and plurals
                for _, template in templates:
                    assert render(template, context) == normalise(template.render(context)), (sub.id, grade)
                    checked += 1
    assert checked >= 300


# --- item 3: YAML bombs and huge files -------------------------------------------------------

def _laughs(levels: int = 9, indent: str = "") -> str:
    lines = [f'{indent}a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{indent}a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines)


def test_alias_bomb_in_a_taxonomy_file_is_refused_fast_by_every_command(tmp_path, capsys):
    bomb = _other(params="\n" + _laughs(indent="      ") + "\n      slots: {thing: {pool: objects}}")
    folder = _folder(tmp_path, bomb.replace("params: \n", "params:\n"))
    for command in (["taxonomy"], ["sample", "animal_counting", "-n", "2"],
                    ["plan", "--total", "10", "--out", str(tmp_path / "p.jsonl")]):
        started = time.monotonic()
        rc, err = _run(capsys, *command, "--taxonomy", str(folder))
        assert rc == 2 and str(folder / "other.yaml") in err and "aliases expand" in err, err
        assert time.monotonic() - started < 10


def test_alias_bomb_and_recursive_alias_in_a_pool_file(tmp_path):
    pools = tmp_path / "pools"
    (pools / "misc").mkdir(parents=True)
    path = pools / "misc" / "tones.yaml"
    path.write_text("pool: tones\ndescription: d\nsource: s\n" + _laughs() + "\nitems: []\n")
    with pytest.raises(PoolError, match=r"tones\.yaml: aliases expand to [\d,]+ more nodes"):
        read_pool_dir(pools)
    path.write_text("pool: tones\ndescription: d\nsource: s\nitems: &x [*x]\n")
    with pytest.raises(PoolError, match=r"tones\.yaml line 4: an alias refers to a node that contains it"):
        read_pool_dir(pools)


def test_file_over_the_size_cap_is_refused_before_parsing(tmp_path):
    pools = tmp_path / "pools"
    (pools / "misc").mkdir(parents=True)
    path = pools / "misc" / "tones.yaml"
    with open(path, "w") as fh:
        fh.write("pool: tones\ndescription: d\nsource: s\nitems:\n")
        fh.write("  - {id: x, name: y}\n" * (MAX_FILE_BYTES // 20 + 10))
    started = time.monotonic()
    with pytest.raises(PoolError, match=r"tones\.yaml: file is \d+\.\d MiB; data files are at most 2 MiB"):
        read_pool_dir(pools)
    assert time.monotonic() - started < 1


def test_duplicate_keys_in_a_taxonomy_file_are_refused(tmp_path):
    folder = _folder(tmp_path, _other().replace("    target: 100\n", "    target: 100\n    target: 200\n"))
    with pytest.raises(TaxonomyError, match=r"other\.yaml line 6 column 5: not valid YAML: duplicate key 'target'"):
        load_taxonomy(folder)


# --- item 4: nothing silently accepted ---------------------------------------------------------

def test_difficulty_mix_must_sum_to_one(tmp_path, capsys):
    folder = _folder(tmp_path, _other().replace("    difficulty: {1: one thing}\n",
                                                "    difficulty: {1: one thing, 2: two}\n    difficulty_mix: {1: 1.0, 2: 1.0}\n"))
    rc, err = _run(capsys, "taxonomy", "--taxonomy", str(folder))
    assert rc == 2 and "other.yaml" in err and "'other_task'" in err and "difficulty_mix" in err and "sum to 1" in err
    ok = _folder(tmp_path / "ok", _other())
    rc, err = _run(capsys, "plan", "--total", "10", "--difficulty-mix", "1=1,2=1", "--taxonomy", str(ok),
                   "--out", str(tmp_path / "p.jsonl"))
    assert rc == 2 and "shares sum to 2" in err and "1=1,2=1" in err
    assert not (tmp_path / "p.jsonl").exists()


def test_unknown_builder_param_is_refused_naming_what_the_builder_reads(tmp_path):
    folder = _folder(tmp_path, _other(builder="styled_subject", params="{family: photographic, camera_form: 2}",
                                      text="A photo of {{ subject }}.").replace("{{ thing|a }}", "{{ subject }}"))
    with pytest.raises(TaxonomyError, match=r"other\.yaml: subtask 'other_task': params: unknown key\(s\) "
                                            r"\['camera_form'\] for builder 'styled_subject'; expected the params it "
                                            r"reads: family, lighting_from, camera_from"):
        validate_taxonomy(load_taxonomy(folder))


DEFECTS = {  # case -> (other.yaml, what the error must name)
    "missing slot": (_other(text="A picture of {{ thingy }}."), ["'ot_b'", "unknown slot", "thingy"]),
    "unknown filter": (_other(text="A picture of {{ thing|shout }}."), ["'ot_b'", "shout", "filters:"]),
    "unknown builder": (_other(builder="slotz"), ["builder", "slotz", "did you mean slots"]),
    "failing constant": (_other(text="A picture of {{ 1 // 0 }} things."), ["'ot_b'", "ZeroDivisionError"]),
    "param value the builder refuses": (
        _other(builder="styled_subject", params="{family: no_such_family}", text="A photo of {{ subject }}.").replace(
            "{{ thing|a }}", "{{ subject }}"),
        ["cannot be built", "styled_subject", "no_such_family"]),
}


@pytest.mark.parametrize("command", ["taxonomy", "taxonomy --check", "sample", "plan"])
@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_every_command_validates_the_whole_taxonomy_the_same_way(tmp_path, capsys, command, defect):
    other, expected = DEFECTS[defect]
    folder = _folder(tmp_path, other)
    args = {"taxonomy": ["taxonomy"], "taxonomy --check": ["taxonomy", "--check"],
            "sample": ["sample", "animal_counting", "-n", "2"],  # another subtask than the broken one
            "plan": ["plan", "--counts", str(_counts(tmp_path)), "--out", str(tmp_path / "p.jsonl"), "--quiet"]}[command]
    rc, err = _run(capsys, *args, "--taxonomy", str(folder))
    assert rc == 2, err
    assert str(folder / "other.yaml") in err and "'other_task'" in err
    assert all(part in err for part in expected), err
    assert len(err.strip().splitlines()) == 1


def _counts(tmp_path: Path) -> Path:
    path = tmp_path / "counts.yaml"
    path.write_text("animal_counting: 5\n")  # the broken subtask is not even planned
    return path


# --- item 5: errors name the file and the byte -------------------------------------------------

def test_taxonomy_file_not_utf8_names_file_and_byte_offset(tmp_path):
    folder = _folder(tmp_path, _other())
    text = (folder / "other.yaml").read_bytes()
    at = text.index(b"Draw one")
    (folder / "other.yaml").write_bytes(text[:at] + "Dessin caf\u00e9".encode("latin-1") + text[at:])
    with pytest.raises(TaxonomyError, match=rf"other\.yaml: byte {at + 10}: not UTF-8 \(byte 0xe9\)"):
        load_taxonomy(folder)
    (folder / "other.yaml").write_bytes(text[:at] + b"\x00" + text[at:])
    with pytest.raises(TaxonomyError, match=rf"other\.yaml: byte {at}: not valid YAML: character U\+0000 is not allowed"):
        load_taxonomy(folder)
    (folder / "other.yaml").write_bytes(_other().encode("utf-16"))
    with pytest.raises(TaxonomyError, match=r"other\.yaml: byte 0: UTF-16 text"):
        load_taxonomy(folder)


def _pool_copy(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "pools"
    shutil.copytree(POOLS_DIR, root)
    return root


def test_pool_file_not_utf8_or_truncated_gives_one_line_with_its_path(tmp_path):
    root = _pool_copy(tmp_path)
    path = root / "qualifiers" / "colours.yaml"
    text = path.read_bytes()
    path.write_bytes(text[:100] + b"\xff" + text[100:])
    with pytest.raises(PoolError, match=r"colours\.yaml: byte 100: not UTF-8 \(byte 0xff\)"):
        read_pool_dir(root)
    path.write_bytes(text[: len(text) // 2].rstrip() + b"\n  - {id: broken, name: [unclosed\n")
    with pytest.raises(PoolError) as err:
        read_pool_dir(root)
    message = str(err.value)
    assert message.startswith(f"{path} line ") and "not valid YAML" in message
    assert "\n" not in message and "<unicode string>" not in message


def test_binary_plan_file_names_file_and_byte(tmp_path, capsys):
    plan = tmp_path / "plan.jsonl"
    plan.write_bytes(b"\n\xff\xd8\xff\xe0\x00\x10JFIF\x00")  # a JPEG's first bytes, after an empty line
    rc, err = _run(capsys, "generate", str(plan), "--out", str(tmp_path / "out"))
    assert rc == 2 and f"{plan}:2: byte 5: a NUL byte, so a binary file" in err and "UTF-8" in err
    plan.write_bytes(b"\n\xff\xd8\xff\xe0 JFIF")
    rc, err = _run(capsys, "generate", str(plan), "--out", str(tmp_path / "out"))
    assert rc == 2 and f"{plan}:2: byte 1: not UTF-8 (0xff)" in err


# --- item 8: huge plans fail fast; plans stream ------------------------------------------------

def test_total_zero_is_refused(tmp_path, capsys):
    rc, err = _run(capsys, "plan", "--total", "0", "--out", str(tmp_path / "p.jsonl"))
    assert rc == 2 and "--total" in err and ">= 1" in err
    assert not (tmp_path / "p.jsonl").exists()


def test_quota_far_beyond_capacity_fails_from_a_probe(tmp_path):
    folder = _folder(tmp_path, _other())
    started = time.monotonic()
    with pytest.raises(CapacityError, match=r"other_task: quota 5000000, found \d+ distinct in a probe of 1,000 "
                                            r"per grade; grade 1: .*estimated capacity ~[\d,]+") as err:
        plan_draws(counts={"animal_counting": 10, "other_task": 5_000_000}, taxonomy=load_taxonomy(folder))
    assert [s["subtask"] for s in err.value.shortfalls] == ["other_task"]
    assert time.monotonic() - started < 10


def test_plan_is_written_a_batch_at_a_time_with_the_same_bytes(tmp_path, monkeypatch):
    tax = load_taxonomy(write_taxonomy(tmp_path / "taxonomy", {"mine.yaml": USER_SUBTASK, "other.yaml": _other()}))
    whole = b"".join(d.json_text() for d in plan_draws(total=60, taxonomy=tax))
    calls = []
    real = planner.draw_jobs
    monkeypatch.setattr(planner, "draw_jobs", lambda jobs, *a, **k: calls.append(len(jobs)) or real(jobs, *a, **k))
    monkeypatch.setattr(planner, "BATCH_ITEMS", 10)
    draws = planner.iter_draws(total=60, taxonomy=tax)
    next(draws)
    assert calls == [1]  # the first subtask is out before the second is drawn
    out = tmp_path / "plan.jsonl"
    summaries = write_plan(out, total=60, taxonomy=tax)
    assert out.read_bytes() == whole
    assert sum(sum(s.found.values()) for s in summaries) == 60


# --- item 10: small ones ------------------------------------------------------------------------

def test_folder_given_as_plan_says_it_is_a_folder(tmp_path, capsys):
    rc, err = _run(capsys, "generate", str(tmp_path), "--out", str(tmp_path / "out"))
    assert rc == 2 and "is a folder" in err and "does not exist" not in err


def test_plan_file_is_written_with_the_umask(tmp_path, capsys):
    folder = _folder(tmp_path, _other())
    old = os.umask(0o022)
    try:
        rc, _ = _run(capsys, "plan", "--total", "6", "--out", str(tmp_path / "p.jsonl"), "--taxonomy", str(folder),
                     "--quiet")
    finally:
        os.umask(old)
    assert rc == 0
    assert stat.S_IMODE((tmp_path / "p.jsonl").stat().st_mode) == 0o644


def test_render_errors_still_name_the_file(tmp_path):
    # the sandbox's refusals at render time arrive as BuildError naming file, subtask and template
    folder = _folder(tmp_path, _other(text="A picture of {{ thing|attr('_' ~ '_class__') }}."))
    with pytest.raises(BuildError, match=r"other\.yaml: subtask 'other_task', template 'ot_b'"):
        sample("other_task", 20, taxonomy=load_taxonomy(folder))
