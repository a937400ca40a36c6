"""Leakage: benchmark prompts, light paraphrases of them and unrelated prompts planted into a
real plan; each turn of multi-turn items; --drop; coverage counts; the planner's --avoid."""
from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ogi_toolkit.benchmarks import (
    LeakFinder, closest_pairs, coverage, dataset_texts, drop_leaks, leak_counts, leakage, load_benchmark, normalise,
)
from ogi_toolkit.benchmarks.matching import lexical_matches
from ogi_toolkit.benchmarks.paraphrase import PARAPHRASES, paraphrase
from ogi_toolkit.folder import read_manifest
from ogi_toolkit.planning import plan

from benchmark_sets import require_sets
from dataset_fixtures import make_dataset

PLANTED_SETS = ("geneval", "parti")  # the known sets this project's machines hold (tests skip without them)
PLANTED_PER_SET = 20
# Measured with bench/bench_leakage.py measure (see leakage.yaml); the tests hold the defaults to them.
MIN_PARAPHRASE_RECALL = 0.9
MAX_FALSE_POSITIVE_RATE = 0.01
# Unrelated prompts written for this test (no benchmark has them).
UNRELATED = [
    "Turn the wooden bench in the park into a marble one.",
    "A cross-section of a volcano with its magma chamber labelled.",
    "Write the word 'Harvest' in gold letters on a barn door.",
    "Show the phases of the moon in a row across a dark sky.",
    "Remove the umbrella from the beach scene.",
    "A diagram of a four-stroke engine with each stroke numbered.",
    "Replace the teapot on the kitchen counter with a vase of tulips.",
    "A watercolour of a lighthouse on a cliff during a storm.",
    "Make the background of the portrait a snowy forest.",
    "Draw a food web of a pond with arrows from prey to predator.",
]


@functools.lru_cache(maxsize=None)
def _cache_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="ogi-benchmarks-cache-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@functools.lru_cache(maxsize=None)
def _bench_file() -> Path:
    """A sample of each planted set as one prompt file (the semantic tests embed only these)."""
    require_sets(*PLANTED_SETS)
    parts = [load_benchmark(name).sample(PLANTED_PER_SET * 2, random_state=1) for name in PLANTED_SETS]
    frame = pd.concat(parts)
    path = _cache_dir() / "sample.jsonl"
    path.write_text("".join(json.dumps({"text": t, "set": b}) + "\n" for t, b in zip(frame["text"], frame["benchmark"])))
    return path


@functools.lru_cache(maxsize=None)
def _planted() -> tuple[list[dict], pd.DataFrame]:
    """A real plan of 150 items plus planted items; and what each planted item is."""
    specs = [s.model_dump(mode="json") for s in plan(total=150, seed=5)]
    sample = pd.read_json(_bench_file(), lines=True)
    rng = np.random.default_rng(0)
    rows = []
    for pos, (text, bench) in enumerate(zip(sample["text"], sample["set"])):
        if pos % 2:  # half the sample is planted, the other half only shares the benchmark file
            continue
        copy = text.upper() if pos % 4 == 0 else f"  {text.rstrip('.')} ."  # case, spacing, punctuation
        rows.append({"id": f"exact-{pos}", "how": "exact", "bench": bench, "source": text, "text": copy})
        for how in PARAPHRASES:
            rows.append({"id": f"{how}-{pos}", "how": how, "bench": bench, "source": text,
                         "text": paraphrase(text, how, rng)})
    rows += [{"id": f"unrelated-{i}", "how": "unrelated", "bench": None, "source": None, "text": t}
             for i, t in enumerate(UNRELATED)]
    planted = pd.DataFrame(rows)
    extra = [{"id": r.id, "instruction": r.text, "subtask": f"planted_{r.how}", "kind": "generation",
              "domain": "planted", "template_id": "planted", "difficulty": 1} for r in planted.itertuples()]
    return specs + extra, planted


@functools.lru_cache(maxsize=None)
def _matches() -> pd.DataFrame:
    specs, _ = _planted()
    return leakage(specs, f"sample={_bench_file()}", cache_dir=_cache_dir())


def test_normalised_texts_are_equal_whatever_case_spacing_and_punctuation():
    assert normalise("A photo of a Cat.") == normalise("a  photo of a cat") == "a photo of a cat"
    assert normalise("ｃａｔ’s hat") == normalise("cat's hat")  # full-width letters fold
    assert normalise("a cat") != normalise("a cap")


def test_lexical_similarity_is_the_exact_jaccard_of_word_shingles():
    pairs = lexical_matches(["a red car on a road", "nothing alike here"], ["a blue car on a road"],
                            threshold=0.1, shingle=2)
    # {a red, red car, car on, on a, a road} vs {a blue, blue car, car on, on a, a road}: 3 of 7
    assert pairs[["row", "bench"]].values.tolist() == [[0, 0]]
    assert pairs["similarity"].iat[0] == pytest.approx(3 / 7)


def test_every_turn_and_sub_instruction_is_a_text_of_its_item():
    spec = {"id": "t", "instruction": "Two rounds.", "subtask": "two_turns",
            "turns": [{"instruction": "Remove the cup.", "edits": []}, {"instruction": "Add a hat.", "edits": []}],
            "edits": [{"op": "remove", "instruction": "Take out the lamp."}]}
    texts = dataset_texts([spec])
    assert texts[["turn", "text"]].values.tolist() == [
        [0, "Two rounds."], [1, "Remove the cup."], [2, "Add a hat."], [3, "Take out the lamp."]]


def test_exact_copies_of_every_present_set_are_all_found_without_embeddings():
    specs, planted = _planted()
    # the planted copies also against the whole sets present ("all"; exact + lexical need no model)
    matches = leakage(specs, "all", kinds="exact,lexical")
    exact = planted[planted["how"] == "exact"]
    found = matches[matches["kind"] == "exact"].drop_duplicates("id").set_index("id")
    assert set(exact["id"]) <= set(found.index)
    for row in exact.itertuples():
        assert normalise(found.loc[row.id, "benchmark_prompt"]) == normalise(row.source)
        assert found.loc[row.id, "benchmark"] == row.bench
    # nothing of the real plan is an exact copy of a benchmark prompt
    assert set(found.index) <= set(planted["id"])


def test_paraphrases_are_found_and_unrelated_prompts_are_not():
    specs, planted = _planted()
    matches = _matches()
    hit = set(matches["id"])
    recall = {how: planted.loc[planted["how"] == how, "id"].isin(hit).mean() for how in PARAPHRASES}
    assert min(recall.values()) >= MIN_PARAPHRASE_RECALL, recall
    planned_ids = [s["id"] for s in specs if not s["id"].startswith(tuple(p + "-" for p in (*PARAPHRASES, "exact", "unrelated")))]
    unrelated = list(planted.loc[planted["how"] == "unrelated", "id"]) + planned_ids
    false_positive_rate = np.isin(unrelated, list(hit)).mean()
    assert false_positive_rate <= MAX_FALSE_POSITIVE_RATE, matches[matches["id"].isin(unrelated)]


def test_counts_per_benchmark_and_subtask_and_the_closest_pairs():
    _, planted = _planted()
    matches = _matches()
    per_subtask = leak_counts(matches, by="subtask").set_index("subtask")
    assert per_subtask.loc["planted_exact", "exact"] == per_subtask.loc["planted_exact", "items"] == (planted["how"] == "exact").sum()
    assert per_subtask.loc["planted_exact", "share"] == 1.0
    per_benchmark = leak_counts(matches).set_index("benchmark")
    assert per_benchmark.loc["sample", "benchmark_prompts"] == len(PLANTED_SETS) * PLANTED_PER_SET * 2
    pairs = closest_pairs(matches, 3)
    assert len(pairs) == 3 and (pairs["kind"] != "exact").all()
    assert pairs["similarity"].is_monotonic_decreasing


def test_a_leaking_turn_is_reported_with_its_turn(tmp_path):
    bench = tmp_path / "b.txt"
    bench.write_text("Make the background a beach.\nA lighthouse at dusk, shot on analog film.\n")
    make_dataset(tmp_path / "data")
    matches = leakage(tmp_path / "data", str(bench), kinds="exact")
    assert sorted(matches[["id", "turn"]].itertuples(index=False, name=None)) == [("gen-1", 0), ("turn-1", 2)]


def test_drop_writes_a_dataset_folder_without_the_leaking_items(tmp_path):
    bench = tmp_path / "b.txt"
    bench.write_text("Make the background a beach.\nA lighthouse at dusk, shot on analog film.\n")
    make_dataset(tmp_path / "data")
    matches = leakage(tmp_path / "data", str(bench), kinds="exact")
    result = drop_leaks(tmp_path / "data", matches, tmp_path / "clean")
    kept = read_manifest(tmp_path / "clean")
    assert sorted(r["id"] for r in kept) == ["edit-1", "fail-1", "ref-1"] and result.kept == 3
    assert (tmp_path / "clean" / kept[0]["output_image"]).is_file()  # the parent's images, linked
    dropped = pd.read_csv(tmp_path / "clean" / "dropped.csv")
    assert sorted(dropped["id"]) == ["gen-1", "turn-1"] and set(dropped["kind"]) == {"exact"}
    with pytest.raises(FileExistsError):
        drop_leaks(tmp_path / "data", matches, tmp_path / "clean")


def test_drop_from_a_plan_writes_a_plan_and_its_dropped_list(tmp_path):
    specs = [s.model_dump(mode="json") for s in plan(total=30, seed=2)]
    (tmp_path / "plan.jsonl").write_text("".join(json.dumps(s) + "\n" for s in specs))
    bench = tmp_path / "b.txt"
    bench.write_text(specs[3]["instruction"] + "\n" + specs[7]["instruction"].lower() + "\n")
    matches = leakage(tmp_path / "plan.jsonl", str(bench), kinds="exact")
    drop_leaks(tmp_path / "plan.jsonl", matches, tmp_path / "clean.jsonl")
    kept = [json.loads(line)["id"] for line in (tmp_path / "clean.jsonl").read_text().splitlines()]
    assert kept == [s["id"] for i, s in enumerate(specs) if i not in (3, 7)]
    assert sorted(pd.read_csv(tmp_path / "clean.dropped.csv")["id"]) == sorted([specs[3]["id"], specs[7]["id"]])


def test_coverage_counts_items_per_category_through_the_map():
    require_sets("geneval")
    specs = [s.model_dump(mode="json") for s in plan(counts={"object_counting": 6, "relative_position": 3, "add": 2}, seed=1)]
    table = coverage(specs, "geneval", nearest=False).set_index("category")
    assert table.loc["counting", "dataset_items"] == 6 and table.loc["position", "dataset_items"] == 3
    assert table.loc["two_object", "dataset_items"] == 0
    assert table["benchmark_prompts"].sum() == 553
    assert table["benchmark_share"].sum() == pytest.approx(1) and table["dataset_share"].sum() == pytest.approx(1)
    assert table.loc["counting", "subtasks"] == "object_counting"


def test_coverage_nearest_view_finds_the_planted_copy():
    specs, planted = _planted()
    table = coverage(specs, f"sample={_bench_file()}", cache_dir=_cache_dir())
    # every planted prompt has its copy in the data: its nearest text is that copy
    assert table["closest_similarity"].iat[0] == pytest.approx(1.0, abs=1e-4)
    assert table["near_share"].iat[0] >= 0.5


def test_plan_avoid_redraws_the_flagged_items_and_keeps_the_rest():
    counts = {"object_counting": 25}
    before = [s.model_dump(mode="json") for s in plan(counts=counts, seed=3)]
    banned = {before[4]["instruction"], before[11]["instruction"]}
    path = _cache_dir() / "banned.txt"
    path.write_text("\n".join(banned) + "\n")
    after = [s.model_dump(mode="json") for s in plan(counts=counts, seed=3, avoid=LeakFinder(str(path), kinds="exact"))]
    assert len(after) == 25
    assert not banned & {s["instruction"] for s in after}
    same = {s["instruction"] for s in before} & {s["instruction"] for s in after}
    assert len(same) == 23  # only the two flagged items were replaced


def test_the_analysis_report_has_a_benchmark_section(tmp_path):
    from ogi_toolkit.analysis import analyse

    specs, planted = _planted()
    path = tmp_path / "plan.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in specs))
    summary = analyse(path, tmp_path / "report", umap=False, images=False, cache_dir=_cache_dir(),
                      against=f"sample={_bench_file()}")
    found = summary["benchmarks"]
    assert found["items"] == len(specs)
    assert found["items_with_a_match"] == _matches()["id"].nunique() >= (planted["how"] == "exact").sum()
    report = (tmp_path / "report" / "report.md").read_text()
    section = report.split("## Benchmark leakage and coverage", 1)[1]
    assert f"{found['items_with_a_match']:,} of {len(specs):,} items" in section
    assert found["closest"][0]["benchmark_prompt"][:40].replace("|", "/") in section  # side by side
    tables = tmp_path / "report" / "tables"
    assert pd.read_csv(tables / "benchmark_leaks.csv")["id"].nunique() == found["items_with_a_match"]
    assert (tmp_path / "report" / "figures" / "benchmark_coverage.png").is_file()


def test_knn_against_is_the_brute_force_top_k_in_any_block_size(monkeypatch):
    from ogi_toolkit.analysis import knn as knn_module

    rng = np.random.default_rng(0)
    queries, base = (rng.standard_normal((n, 8)).astype(np.float32) for n in (37, 53))
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    want = np.argsort(-(queries @ base.T), axis=1, kind="stable")[:, :3]
    monkeypatch.setattr(knn_module, "MAX_BLOCK_ENTRIES", 5 * 53)  # five query rows a block
    idx, sims = knn_module.knn_against(queries, base, 3, block=4096)
    assert (idx == want).all()
    assert np.allclose(sims, np.take_along_axis(queries @ base.T, want, 1), atol=1e-6)
