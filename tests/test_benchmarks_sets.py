"""Benchmark prompt sets: the bundled copies, the loader for any prompt file, the coverage map
and the thresholds file."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from ogi_toolkit.benchmarks import available_benchmarks, coverage_map, load_benchmark, load_thresholds
from ogi_toolkit.benchmarks.sets import DATA_DIR, bundled_sources
from ogi_toolkit.paths import EXTERNAL_DATA_DIR


def test_every_bundled_set_has_its_licence_source_and_stated_size():
    sources = bundled_sources()
    assert set(sources) == {"geneval", "dpg", "parti"}
    for name, source in sources.items():
        licence = (DATA_DIR / name / "LICENSE").read_text()
        assert {"MIT": "Permission is hereby granted", "Apache-2.0": "Apache License"}[source.licence] in licence
        assert re.fullmatch(r"[0-9a-f]{40}", source.source.commit)
        frame = load_benchmark(name)
        assert len(frame) == source.prompts
        assert frame["text"].str.len().min() > 0 and frame["category"].str.len().min() > 0
        assert (DATA_DIR / name / source.file).stat().st_size < 600_000  # kept small


@pytest.mark.parametrize("name, shared", [("geneval", "geneval_evaluation_metadata.jsonl"), ("parti", "PartiPrompts.tsv")])
def test_bundled_copies_are_byte_for_byte_the_shared_copies(name, shared):
    other = EXTERNAL_DATA_DIR / shared
    if not other.is_file():
        pytest.skip(f"{other} not on this machine")
    assert (DATA_DIR / name / bundled_sources()[name].file).read_bytes() == other.read_bytes()


def test_the_listing_names_licences_and_the_sets_that_are_not_bundled():
    table = available_benchmarks().set_index("name")
    assert table.loc["geneval", "licence"] == "MIT" and table.loc["dpg", "licence"] == "Apache-2.0"
    assert not table.loc["imgedit", "bundled"] and not table.loc["gedit", "bundled"]
    assert "no licence" in table.loc["imgedit", "source"]
    assert "djghosh13/geneval" in table.loc["geneval", "source"]


def test_a_known_set_from_the_users_file_takes_its_known_columns(tmp_path):
    # ImgEdit's basic_edit.json: one JSON object of {key: record}
    path = tmp_path / "basic_edit.json"
    path.write_text(json.dumps({"7": {"id": "a.jpg", "prompt": "Remove the cat.", "edit_type": "remove"},
                                "9": {"id": "b.jpg", "prompt": "Add a hat.", "edit_type": "add"}}))
    frame = load_benchmark(f"imgedit={path}")
    assert frame[["benchmark", "text", "category"]].values.tolist() == [
        ["imgedit", "Remove the cat.", "remove"], ["imgedit", "Add a hat.", "add"]]


@pytest.mark.parametrize("suffix, body", [
    (".txt", "a red car\n\na blue bird\n"),
    (".tsv", "prompt\tkind\na red car\tcar\na blue bird\tbird\n"),
    (".csv", "prompt,kind\na red car,car\na blue bird,bird\n"),
    (".jsonl", '{"prompt": "a red car", "kind": "car"}\n{"prompt": "a blue bird", "kind": "bird"}\n'),
])
def test_any_prompt_file_is_read_with_its_text_and_label_columns(tmp_path, suffix, body):
    path = tmp_path / f"mine{suffix}"
    path.write_text(body)
    columns = {} if suffix == ".txt" else {"text_column": "prompt", "label_column": "kind"}
    frame = load_benchmark(path, **columns)
    assert frame["benchmark"].unique().tolist() == ["mine"]
    assert frame["text"].tolist() == ["a red car", "a blue bird"]
    assert frame["category"].tolist() == (["", ""] if suffix == ".txt" else ["car", "bird"])


def test_a_missing_column_or_set_is_named_with_what_exists(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("prompt,kind\nx,y\n")
    with pytest.raises(KeyError, match=r"b\.csv: no text column 'caption'; columns are \['prompt', 'kind'\]"):
        load_benchmark(path, text_column="caption")
    with pytest.raises(FileNotFoundError, match="no bundled set of that name; known: .*geneval.*imgedit=FILE"):
        load_benchmark("genevall")


def test_the_coverage_map_names_real_subtasks_and_every_bundled_category():
    table = coverage_map()
    assert (table["reason"].str.len() > 10).all()
    for name in bundled_sources():
        categories = set(load_benchmark(name)["category"])
        mapped = set(table.loc[table["benchmark"] == name, "category"])
        assert categories <= mapped, f"{name}: categories without a row: {categories - mapped}"
    # the Challenge column of PartiPrompts too, and the editing benchmarks' edit types
    challenges = set(load_benchmark("parti", label_column="Challenge")["category"])
    assert challenges <= set(table.loc[table["benchmark"] == "parti", "category"])
    assert {"add", "remove", "replace", "style", "background", "extract", "action", "compose", "adjust"} <= \
        set(table.loc[table["benchmark"] == "imgedit", "category"])


def test_a_map_row_with_an_unknown_subtask_is_refused_with_its_line(tmp_path):
    path = tmp_path / "map.csv"
    pd.DataFrame([["geneval", "counting", "object_counting", "counts"],
                  ["geneval", "position", "left_right", "positions"]],
                 columns=["benchmark", "category", "subtask", "reason"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"map\.csv:3: subtask 'left_right' is not in the taxonomy"):
        coverage_map(path)


def test_thresholds_take_overrides_and_refuse_bad_values(tmp_path):
    assert load_thresholds({"semantic": {"threshold": 0.95}}).semantic.threshold == 0.95
    assert load_thresholds({"semantic": {"threshold": 0.95}}).lexical == load_thresholds().lexical
    path = tmp_path / "t.yaml"
    path.write_text("lexical:\n  threshold: 1.5\n")
    with pytest.raises(ValueError, match=r"(?s)t\.yaml: .*lexical\.threshold"):
        load_thresholds(path)
