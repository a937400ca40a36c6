"""Benchmark prompt sets: the known sets read in place from EXTERNAL_DATA_DIR, the loader for
any prompt file or folder, the coverage map and the thresholds file."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from benchmark_sets import require_sets

from ogi_toolkit.benchmarks import available_benchmarks, coverage_map, load_benchmark, load_thresholds
from ogi_toolkit.benchmarks import sets as sets_module
from ogi_toolkit.benchmarks.sets import DATA_DIR, known_sources, parse_against, present_sets


def test_every_known_set_has_a_source_record_and_no_copy_in_the_package():
    sources = known_sources()
    assert set(sources) == {"geneval", "dpg", "parti"}
    for name, source in sources.items():
        assert re.fullmatch(r"[0-9a-f]{40}", source.source.commit)
        assert source.licence_file.endswith("LICENSE")
        # our folder holds only the record: the prompts and licence are read in place
        assert [p.name for p in (DATA_DIR / name).iterdir()] == ["SOURCE.yaml"]


@pytest.mark.parametrize("name", ["geneval", "parti", "dpg"])
def test_a_present_set_is_read_in_place_with_its_stated_size_and_licence(name):
    require_sets(name)
    source = known_sources()[name]
    frame = load_benchmark(name)
    assert len(frame) == source.prompts  # SOURCE.yaml's count
    assert frame["text"].str.len().min() > 0 and frame["category"].str.len().min() > 0
    licence = (sets_module.EXTERNAL_DATA_DIR / source.licence_file).read_text()
    assert {"MIT": "Permission is hereby granted", "Apache-2.0": "Apache License"}[source.licence] in licence


def test_an_absent_known_set_is_named_with_its_folder_and_source(tmp_path, monkeypatch):
    monkeypatch.setattr(sets_module, "EXTERNAL_DATA_DIR", tmp_path)
    with pytest.raises(FileNotFoundError) as caught:
        load_benchmark("geneval")
    message = str(caught.value)
    for part in ("geneval_evaluation_metadata.jsonl", str(tmp_path), "OGI_EXTERNAL_DATA", "djghosh13/geneval",
                 "prompts/evaluation_metadata.jsonl", "af4902f24d3ca90ebbb446dd9891a59e0f82725f", "geneval.LICENSE"):
        assert part in message, part
    assert present_sets() == []
    with pytest.raises(FileNotFoundError, match="none of the known sets"):
        parse_against("all")
    table = available_benchmarks().set_index("name")
    assert table.loc["geneval", "folder"] == str(tmp_path)


def test_all_is_the_known_sets_present(tmp_path, monkeypatch):
    monkeypatch.setattr(sets_module, "EXTERNAL_DATA_DIR", tmp_path)
    (tmp_path / "PartiPrompts.tsv").write_text("Prompt\tCategory\tChallenge\na red car\tVehicles\tBasic\n")
    assert parse_against("all") == ["parti"]
    assert parse_against("all,mine.txt,parti") == ["parti", "mine.txt"]
    assert available_benchmarks().set_index("name")["present"].to_dict() == {
        "dpg": False, "geneval": False, "parti": True, "imgedit": None, "gedit": None}


def test_a_folder_of_txt_files_is_one_prompt_per_file_like_dpg_bench(tmp_path, monkeypatch):
    folder = tmp_path / "dpg_bench_prompts"
    folder.mkdir()
    for stem, text in [("whoops10", "A lemon on a nest."), ("0", "  Eight cabbages at dawn.\n"),
                       ("COCOval2014000000010363", "A bus in the rain."), ("whoops9", "A candle under water.")]:
        (folder / f"{stem}.txt").write_text(text)
    (folder / "notes.md").write_text("not a prompt")
    frame = load_benchmark(f"mine={folder}", label_column="source")
    # numbers in names sort by value (whoops9 before whoops10), as DPG-Bench's files were listed
    assert frame[["text", "category"]].values.tolist() == [
        ["Eight cabbages at dawn.", "unnamed"], ["A bus in the rain.", "COCOval"],
        ["A candle under water.", "whoops"], ["A lemon on a nest.", "whoops"]]
    # the known set dpg reads such a folder in place, and checks SOURCE.yaml's count
    monkeypatch.setattr(sets_module, "EXTERNAL_DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"dpg_bench_prompts: 4 prompts; its SOURCE.yaml says 1065"):
        load_benchmark("dpg")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"empty: a folder of prompts must hold .txt files"):
        load_benchmark(tmp_path / "empty")


def test_the_listing_names_licences_and_the_sets_a_user_supplies():
    table = available_benchmarks().set_index("name")
    assert table.loc["geneval", "licence"] == "MIT" and table.loc["dpg", "licence"] == "Apache-2.0"
    assert table.loc["imgedit", "present"] is None and table.loc["gedit", "present"] is None
    assert "no licence" in table.loc["imgedit", "source"]
    assert "djghosh13/geneval" in table.loc["geneval", "source"]
    assert "TencentQQGYLab/ELLA" in table.loc["dpg", "source"] and "dpg_bench.LICENSE" in table.loc["dpg", "source"]


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
    with pytest.raises(FileNotFoundError, match="no known set of that name; known: .*geneval.*imgedit=FILE"):
        load_benchmark("genevall")


def test_the_coverage_map_names_real_subtasks_and_every_known_category():
    require_sets("parti")
    table = coverage_map()
    assert (table["reason"].str.len() > 10).all()
    for name in present_sets():
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
